package backend

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// wheelTestFile is one member of a synthetic wheel.
type wheelTestFile struct{ name, body string }

// wheelTestSpec describes the synthetic wheel written by wheelTestWrite.
var wheelTestSpec = wheelSpec{
	name: "fake-pjrt-cpu", version: "1.2.3", member: "fake_pjrt_cpu/pjrt_c_api_cpu_plugin.so",
	size: int64(len(wheelTestPlugin)), outName: PluginFileName,
}

const wheelTestPlugin = "\x7fELF fake plugin bytes"

// wheelTestMembers are the members of a good synthetic wheel (RECORD is added by wheelTestWrite).
func wheelTestMembers() []wheelTestFile {
	return []wheelTestFile{
		{"fake_pjrt_cpu/__init__.py", "PLUGIN_PATH = None\n"},
		{"fake_pjrt_cpu/pjrt_c_api_cpu_plugin.so", wheelTestPlugin},
		{"fake_pjrt_cpu-1.2.3.dist-info/licenses/LICENSE", "Apache License 2.0 (test)\n"},
		{"fake_pjrt_cpu-1.2.3.dist-info/licenses/THIRD_PARTY_NOTICES", "notices (test)\n"},
	}
}

// wheelTestWrite writes a wheel with members and a RECORD listing their hashes (with override, if not nil,
// replacing recorded bodies), and returns its path and its sha256.
func wheelTestWrite(t *testing.T, dir string, members []wheelTestFile, override map[string]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var record strings.Builder
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(m.body)); err != nil {
			t.Fatal(err)
		}
		recorded := m.body
		if o, ok := override[m.name]; ok {
			recorded = o
		}
		sum := sha256.Sum256([]byte(recorded))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", m.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(recorded))
	}
	record.WriteString("fake_pjrt_cpu-1.2.3.dist-info/RECORD,,\n")
	w, err := zw.Create("fake_pjrt_cpu-1.2.3.dist-info/RECORD")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(record.String())); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "fake_pjrt_cpu-1.2.3-py3-none-manylinux_2_27_x86_64.whl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return p, hex.EncodeToString(sum[:])
}

// wheelTestNoLeftovers fails if dir holds temporary files.
func wheelTestNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(tmps) > 0 {
		t.Errorf("temporary files left in %s: %v", dir, tmps)
	}
}

func TestWheelExtract(t *testing.T) {
	whl, _ := wheelTestWrite(t, t.TempDir(), wheelTestMembers(), nil)
	dir := t.TempDir()
	got, err := wheelExtract(context.Background(), whl, wheelTestSpec, dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, PluginFileName); got != want {
		t.Errorf("plugin path %s, want %s", got, want)
	}
	for name, body := range map[string]string{
		PluginFileName:                          wheelTestPlugin,
		PluginFileName + ".LICENSE":             "Apache License 2.0 (test)\n",
		PluginFileName + ".THIRD_PARTY_NOTICES": "notices (test)\n",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if string(data) != body {
			t.Errorf("%s = %q, want %q", name, data, body)
		}
	}
	if p, ok := wheelInstalled(wheelTestSpec, dir); !ok {
		t.Errorf("wheelInstalled(%s) = %s, false after extraction", dir, p)
	}
	wheelTestNoLeftovers(t, dir)
}

func TestWheelExtractErrors(t *testing.T) {
	members := wheelTestMembers()
	noPlugin := append(append([]wheelTestFile{}, members[:1]...), members[2:]...)
	noLicense := members[:2]
	for _, tc := range []struct {
		name     string
		members  []wheelTestFile
		override map[string]string
		size     int64
		wantErr  string
	}{
		{"missing plugin", noPlugin, nil, -1, "no fake_pjrt_cpu/pjrt_c_api_cpu_plugin.so inside"},
		{"missing license", noLicense, nil, -1, "licenses/LICENSE inside"},
		{"record mismatch", members, map[string]string{members[1].name: "other bytes"}, -1, "does not match RECORD"},
		{"wrong size", members, nil, 12345, "want 12345"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whl, _ := wheelTestWrite(t, t.TempDir(), tc.members, tc.override)
			spec := wheelTestSpec
			if tc.size >= 0 {
				spec.size = tc.size
			}
			dir := t.TempDir()
			_, err := wheelExtract(context.Background(), whl, spec, dir)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if _, err := os.Stat(filepath.Join(dir, PluginFileName)); err == nil {
				t.Errorf("a plugin was installed despite the error")
			}
			wheelTestNoLeftovers(t, dir)
		})
	}
}

func TestWheelCheckSHA256(t *testing.T) {
	whl, sum := wheelTestWrite(t, t.TempDir(), wheelTestMembers(), nil)
	if err := wheelCheckSHA256(whl, sum); err != nil {
		t.Errorf("good hash: %v", err)
	}
	bad := strings.Repeat("0", 64)
	err := wheelCheckSHA256(whl, bad)
	if err == nil || !strings.Contains(err.Error(), sum) || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad hash: error %v, want one naming both hashes", err)
	}
}

// wheelTestFakePython writes a shell script standing in for `python -m pip download ... -d DIR`: it copies
// whl into DIR (after sleeping sleep seconds) and counts its calls in a file next to it.
func wheelTestFakePython(t *testing.T, whl string, sleep int) (python, calls string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	dir := t.TempDir()
	python, calls = filepath.Join(dir, "python"), filepath.Join(dir, "calls")
	script := fmt.Sprintf(`#!/bin/sh
echo call >> %q
sleep %d
while [ $# -gt 0 ]; do
  if [ "$1" = "-d" ]; then cp %q "$2/"; exit 0; fi
  shift
done
echo "no -d flag" >&2
exit 1
`, calls, sleep, whl)
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return python, calls
}

func TestInstallWheelPluginWithFakePip(t *testing.T) {
	whl, sum := wheelTestWrite(t, t.TempDir(), wheelTestMembers(), nil)
	python, calls := wheelTestFakePython(t, whl, 0)
	spec := wheelTestSpec
	spec.sha256 = sum
	dir := filepath.Join(t.TempDir(), "pjrt")
	var log bytes.Buffer
	p, err := installWheelPlugin(context.Background(), spec, dir, python, &log)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, log.String())
	}
	if data, err := os.ReadFile(p); err != nil || string(data) != wheelTestPlugin {
		t.Fatalf("plugin %s: %q, %v", p, data, err)
	}
	// Second run: cached, pip not called again.
	log.Reset()
	if p2, err := installWheelPlugin(context.Background(), spec, dir, python, &log); err != nil || p2 != p {
		t.Fatalf("second install: %s, %v", p2, err)
	}
	if !strings.Contains(log.String(), "ok (cached)") {
		t.Errorf("second install log %q does not say cached", log.String())
	}
	if data, _ := os.ReadFile(calls); strings.Count(string(data), "call") != 1 {
		t.Errorf("pip called %d times, want 1", strings.Count(string(data), "call"))
	}

	// A wheel with another hash is refused and nothing is installed.
	spec.sha256 = strings.Repeat("ab", 32)
	other := t.TempDir()
	if _, err := installWheelPlugin(context.Background(), spec, other, python, nil); err == nil ||
		!strings.Contains(err.Error(), "refusing") {
		t.Errorf("wrong hash: error %v, want a refusal", err)
	}
	if _, ok := wheelInstalled(spec, other); ok {
		t.Errorf("plugin installed from a wheel with the wrong hash")
	}
}

func TestInstallWheelPluginTimeout(t *testing.T) {
	whl, sum := wheelTestWrite(t, t.TempDir(), wheelTestMembers(), nil)
	python, _ := wheelTestFakePython(t, whl, 30)
	spec := wheelTestSpec
	spec.sha256 = sum
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := installWheelPlugin(ctx, spec, t.TempDir(), python, nil)
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("error %v, want a deadline error", err)
	}
	if d := time.Since(start); d > wheelWaitDelay+5*time.Second {
		t.Errorf("returned after %v: the timeout did not stop the download", d)
	}
}

func TestCPUPluginConstants(t *testing.T) {
	if len(PluginWheelSHA256) != 64 {
		t.Errorf("PluginWheelSHA256 %q is not a hex SHA-256", PluginWheelSHA256)
	}
	if _, err := hex.DecodeString(PluginWheelSHA256); err != nil {
		t.Errorf("PluginWheelSHA256: %v", err)
	}
	if p, ok := CPUPluginInstalled(t.TempDir()); ok || filepath.Base(p) != PluginFileName {
		t.Errorf("CPUPluginInstalled(empty dir) = %s, %v", p, ok)
	}
}
