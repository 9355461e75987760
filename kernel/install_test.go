package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestPaths(t *testing.T) {
	root := filepath.FromSlash("/r")
	for got, want := range map[string]string{
		ToolsDir(root):       "/r/.textgen",
		VenvDir(root):        "/r/.textgen/venv",
		BinDir(root):         "/r/.textgen/bin",
		JupyterDataDir(root): "/r/.textgen/jupyter",
		KernelSpecPath(root): "/r/.textgen/jupyter/kernels/gonb/kernel.json",
		PJRTDir(root):        "/r/.textgen/pjrt",
	} {
		if got != filepath.FromSlash(want) {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if runtime.GOOS != "windows" && VenvPython(root) != "/r/.textgen/venv/bin/python" {
		t.Errorf("VenvPython = %s", VenvPython(root))
	}
}

func TestFindRoot(t *testing.T) {
	root := t.TempDir()
	mod := "// comment\nmodule github.com/gotextgen/textgen\n\ngo 1.26\n"
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	// A nested module with another path is skipped on the way up.
	nested := filepath.Join(root, "bench", "peer", "deep")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bench", "peer", "go.mod"), []byte("module example.com/peer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := FindRoot(nested)
	if err != nil || got != root {
		t.Errorf("FindRoot(%s) = %q, %v; want %q", nested, got, err, root)
	}
	other := t.TempDir()
	if got, err := FindRoot(other); err == nil {
		t.Errorf("FindRoot(%s) = %q, want an error", other, got)
	} else if !strings.Contains(err.Error(), "github.com/gotextgen/textgen") {
		t.Errorf("error %q does not name the module", err)
	}
}

func TestPatchKernelSpec(t *testing.T) {
	// As written by gonb v0.11.5 --install --raw_error when run from under /tmp (it copies itself).
	orig := `{"argv":["/j/kernels/gonb/gonb","--kernel","{connection_file}","-logtostderr=true","-raw_error=true"],` +
		`"display_name":"Go (gonb)","language":"go","interrupt_mode":"message","env":{"KEEP":"me"}}`
	gonb := "/r/.textgen/bin/gonb"
	env := kernelEnv("/r", "/usr/local/go/bin")
	if kernelSpecUpToDate([]byte(orig), gonb, env) {
		t.Fatal("the original spec must not count as up to date")
	}
	out, err := patchKernelSpec([]byte(orig), gonb, env)
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string          `json:"argv"`
		DisplayName   string            `json:"display_name"`
		InterruptMode string            `json:"interrupt_mode"`
		Env           map[string]string `json:"env"`
	}
	if err := json.Unmarshal(out, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Argv[0] != gonb || spec.Argv[2] != "{connection_file}" || spec.Argv[4] != "-raw_error=true" {
		t.Errorf("argv = %q", spec.Argv)
	}
	if spec.DisplayName != "Go (gonb)" || spec.InterruptMode != "message" {
		t.Errorf("fields lost: %s", out)
	}
	sep := string(os.PathListSeparator)
	if wantPath := BinDir("/r") + sep + "/usr/local/go/bin" + sep + "${PATH}"; spec.Env["PATH"] != wantPath {
		t.Errorf("env PATH = %q, want %q", spec.Env["PATH"], wantPath)
	}
	if spec.Env["KEEP"] != "me" || spec.Env["GOMLX_NO_AUTO_INSTALL"] != "1" {
		t.Errorf("env = %v", spec.Env)
	}
	// Up to date once patched, provided the binary exists.
	dir := t.TempDir()
	bin := filepath.Join(dir, "gonb")
	if err := os.WriteFile(bin, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err = patchKernelSpec([]byte(orig), bin, env)
	if err != nil {
		t.Fatal(err)
	}
	if !kernelSpecUpToDate(out, bin, env) {
		t.Errorf("patched spec not up to date:\n%s", out)
	}
	if _, err := patchKernelSpec([]byte(`{"argv":[]}`), gonb, env); err == nil {
		t.Error("a spec without argv must be rejected")
	}
}

func TestInstallRunTimeout(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	// The shell's child keeps the output pipe open after the shell is killed: WaitDelay must end the wait.
	err := installRun(ctx, &bytes.Buffer{}, t.TempDir(), nil, "sh", "-c", "sleep 30; echo never")
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("error %v, want a deadline error", err)
	}
	if d := time.Since(start); d > installWaitDelay+5*time.Second {
		t.Errorf("returned after %v", d)
	}
	var log bytes.Buffer
	err = installRun(context.Background(), &log, t.TempDir(), nil, "sh", "-c", "echo some context; exit 3")
	if err == nil || !strings.Contains(err.Error(), "some context") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("error %v, want the exit status and the output tail", err)
	}
	if log.String() != "some context\n" {
		t.Errorf("log = %q", log.String())
	}
}

func TestCheckPythonVersion(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	dir := t.TempDir()
	old := filepath.Join(dir, "python-old")
	if err := os.WriteFile(old, []byte("#!/bin/sh\necho 3 9\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := checkPythonVersion(context.Background(), old)
	if err == nil || !strings.Contains(err.Error(), "Python 3.9") {
		t.Errorf("error %v, want one naming Python 3.9", err)
	}
	err = checkPythonVersion(context.Background(), filepath.Join(dir, "no-such-python"))
	if err == nil || !strings.Contains(err.Error(), "-python") {
		t.Errorf("error %v, want a hint about -python", err)
	}
}

func TestDoctorEmpty(t *testing.T) {
	root := t.TempDir()
	var out bytes.Buffer
	err := Doctor(root, &out)
	if err == nil {
		t.Fatalf("Doctor on an empty root succeeded:\n%s", out.String())
	}
	for _, what := range []string{"python venv", "gonb", "goimports", "kernel spec", "pjrt plugin"} {
		if !strings.Contains(err.Error(), what) {
			t.Errorf("error %q does not list %s", err, what)
		}
	}
}
