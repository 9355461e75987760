package kernel

// Installation of the project-local tools, all under <root>/.textgen (git-ignored):
//
//	venv/      Python virtual environment with Jupyter, from scripts/requirements.txt
//	bin/       gonb and goimports, built with the go command
//	jupyter/   JUPYTER_DATA_DIR: kernels/gonb/kernel.json
//	pjrt/      PJRT plugins (installed by seq2seq/backend.InstallCPUPlugin)
//	executed/  notebooks executed by scripts/run_notebooks.py

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gotextgen/textgen/internal/atomicfile"
	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/internal/tailbuf"
)

// Pinned tool versions and fixed names used by [Install].
const (
	// GoNBVersion is the GoNB release installed into .textgen/bin.
	GoNBVersion = "v0.11.5"
	// GoImportsVersion is the golang.org/x/tools release whose goimports is installed into .textgen/bin.
	GoImportsVersion = "v0.52.0"
	// KernelName is the Jupyter kernel name GoNB registers; notebooks and scripts/run_notebooks.py use it.
	KernelName = "gonb"
	// RequirementsFile is the pinned Python requirements file, relative to the repository root.
	RequirementsFile = "scripts/requirements.txt"
	// MinPythonMinor is the oldest Python 3 minor version the pinned requirements support (IPython 9).
	MinPythonMinor = 11
	// DefaultStepTimeout bounds each network step when [InstallConfig.Timeout] is zero.
	DefaultStepTimeout = 10 * time.Minute
)

// venvCheckScript exits non-zero unless the venv's Python finds nbclient.
const venvCheckScript = "import importlib.util, sys; sys.exit(importlib.util.find_spec('nbclient') is None)"

// venvCreatedStamp, inside the venv, says `python -m venv` finished.
const venvCreatedStamp = ".textgen-created"

// requirementsStamp, inside the venv, holds the SHA-256 of the requirements file last installed.
const requirementsStamp = ".textgen-requirements.sha256"

// ToolsDir is the project-local tools folder, <root>/.textgen.
func ToolsDir(root string) string { return project.ToolsDir(root) }

// VenvDir is the Python virtual environment, <root>/.textgen/venv.
func VenvDir(root string) string { return filepath.Join(ToolsDir(root), "venv") }

// VenvPython is the virtual environment's Python interpreter.
func VenvPython(root string) string {
	if runtime.GOOS == "windows" {
		return filepath.Join(VenvDir(root), "Scripts", "python.exe")
	}
	return filepath.Join(VenvDir(root), "bin", "python")
}

// BinDir holds gonb and goimports, <root>/.textgen/bin.
func BinDir(root string) string { return filepath.Join(ToolsDir(root), "bin") }

// JupyterDataDir is the JUPYTER_DATA_DIR used at install and at execution, <root>/.textgen/jupyter.
func JupyterDataDir(root string) string { return filepath.Join(ToolsDir(root), "jupyter") }

// KernelSpecPath is GoNB's kernel.json, <root>/.textgen/jupyter/kernels/gonb/kernel.json.
func KernelSpecPath(root string) string {
	return filepath.Join(JupyterDataDir(root), "kernels", KernelName, "kernel.json")
}

// PJRTDir is where PJRT plugins are installed, <root>/.textgen/pjrt.
func PJRTDir(root string) string { return project.PJRTDir(root) }

// FindRoot walks up from start to the directory whose go.mod declares module github.com/gotextgen/textgen.
func FindRoot(start string) (string, error) { return project.FindRoot(start) }

// InstallConfig configures [Install]. Build it with [DefaultInstallConfig].
type InstallConfig struct {
	// Root is the repository root (the directory holding go.mod); everything is installed under Root/.textgen.
	Root string
	// Log receives one line per step with its duration, and the output of the commands run; nil discards it.
	Log io.Writer
	// Timeout bounds each step (pip install, building each Go tool, installing the kernel spec);
	// zero means DefaultStepTimeout.
	Timeout time.Duration
	// Python is the interpreter (name on PATH or path) that creates the virtual environment; Python >= 3.11.
	Python string
	// Go is the go command that builds GoNB and goimports; its GOROOT/bin goes on the kernel's PATH.
	Go string
}

// DefaultInstallConfig returns the configuration for the checkout at root: log to stdout, DefaultStepTimeout,
// python3 and go from PATH.
func DefaultInstallConfig(root string) InstallConfig {
	return InstallConfig{Root: root, Log: os.Stdout, Timeout: DefaultStepTimeout, Python: "python3", Go: "go"}
}

// installer carries one Install run.
type installer struct {
	cfg   InstallConfig
	log   io.Writer
	goBin string // GOROOT/bin of cfg.Go.
}

// Install installs the project-local Jupyter + GoNB kernel under cfg.Root/.textgen: a Python venv with the
// pinned requirements, goimports and GoNB in .textgen/bin, and GoNB's kernel spec in .textgen/jupyter.
// It is idempotent: steps already done are reported "ok (cached)". Every step runs under cfg.Timeout.
func Install(ctx context.Context, cfg InstallConfig) error {
	if cfg.Root == "" {
		return errors.New("install: InstallConfig.Root is empty")
	}
	root, err := filepath.Abs(cfg.Root)
	if err != nil {
		return fmt.Errorf("install: root %q: %w", cfg.Root, err)
	}
	cfg.Root = root
	def := DefaultInstallConfig(root)
	if cfg.Timeout <= 0 {
		cfg.Timeout = def.Timeout
	}
	if cfg.Python == "" {
		cfg.Python = def.Python
	}
	if cfg.Go == "" {
		cfg.Go = def.Go
	}
	in := &installer{cfg: cfg, log: cfg.Log}
	if in.log == nil {
		in.log = io.Discard
	}
	if err := os.MkdirAll(ToolsDir(root), 0o755); err != nil {
		return fmt.Errorf("install: creating %s: %w", ToolsDir(root), err)
	}
	steps := []struct {
		name string
		run  func(context.Context) (cached bool, err error)
	}{
		{"go toolchain", in.findGo},
		{"python venv + Jupyter (" + in.rel(VenvDir(root)) + ", " + RequirementsFile + ")", in.venv},
		{"goimports " + GoImportsVersion + " (" + in.rel(BinDir(root)) + ")", in.goTool(goImportsTool)},
		{"gonb " + GoNBVersion + " (" + in.rel(BinDir(root)) + ")", in.goTool(goNBTool)},
		{"GoNB kernel spec (" + in.rel(KernelSpecPath(root)) + ")", in.kernelSpec},
	}
	for _, s := range steps {
		if err := in.step(ctx, s.name, s.run); err != nil {
			return err
		}
	}
	return nil
}

// step runs one installation step under the step timeout and logs its outcome and duration.
func (in *installer) step(ctx context.Context, name string, run func(context.Context) (bool, error)) error {
	fmt.Fprintf(in.log, "==> %s\n", name)
	start := time.Now()
	sctx, cancel := context.WithTimeout(ctx, in.cfg.Timeout)
	defer cancel()
	cached, err := run(sctx)
	d := time.Since(start).Round(10 * time.Millisecond)
	if err != nil {
		if ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %v (raise it with -timeout): %w", in.cfg.Timeout, err)
		}
		fmt.Fprintf(in.log, "    FAILED after %v\n", d)
		return fmt.Errorf("install step %q: %w", name, err)
	}
	if cached {
		fmt.Fprintf(in.log, "    ok (cached, %v)\n", d)
	} else {
		fmt.Fprintf(in.log, "    ok (%v)\n", d)
	}
	return nil
}

// rel shows p relative to the root, for log lines.
func (in *installer) rel(p string) string {
	if r, err := filepath.Rel(in.cfg.Root, p); err == nil {
		return r
	}
	return p
}

// findGo checks the go command and records its GOROOT/bin for the kernel's PATH.
func (in *installer) findGo(ctx context.Context) (bool, error) {
	goroot, err := installOutput(ctx, nil, in.cfg.Go, "env", "GOROOT")
	if err != nil {
		return false, fmt.Errorf("the go command is needed to build GoNB and by the kernel at run time: %w", err)
	}
	in.goBin = filepath.Join(strings.TrimSpace(goroot), "bin")
	fmt.Fprintf(in.log, "    GOROOT/bin = %s\n", in.goBin)
	return false, nil
}

// venv creates .textgen/venv and installs the pinned requirements, unless the stamp says it is done.
func (in *installer) venv(ctx context.Context) (bool, error) {
	root := in.cfg.Root
	req := filepath.Join(root, RequirementsFile)
	data, err := os.ReadFile(req)
	if err != nil {
		return false, fmt.Errorf("reading the Python requirements: %w", err)
	}
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join(VenvDir(root), requirementsStamp)
	py := VenvPython(root)
	if got, err := os.ReadFile(stamp); err == nil && strings.TrimSpace(string(got)) == want {
		// find_spec locates nbclient without importing it (an import takes seconds).
		if _, err := installOutput(ctx, nil, py, "-c", venvCheckScript); err == nil {
			return true, nil
		}
	}
	if err := in.createVenv(ctx); err != nil {
		return false, err
	}
	err = installRun(ctx, in.log, root, nil, py, "-m", "pip", "install", "--disable-pip-version-check",
		"--no-input", "--progress-bar", "off", "--timeout", "60", "-q", "-r", req)
	if err != nil {
		return false, fmt.Errorf("installing %s into %s: %w", RequirementsFile, VenvDir(root), err)
	}
	if err := atomicfile.Write(stamp, []byte(want+"\n"), 0o644); err != nil {
		return false, err
	}
	return false, nil
}

// createVenv creates .textgen/venv unless a complete one with pip is there.
func (in *installer) createVenv(ctx context.Context) error {
	dir := VenvDir(in.cfg.Root)
	created := filepath.Join(dir, venvCreatedStamp)
	if _, err := os.Stat(created); err == nil {
		if _, err := installOutput(ctx, nil, VenvPython(in.cfg.Root), "-c", "import pip"); err == nil {
			return nil
		}
	}
	// Missing, half made, or broken (e.g. made by an interpreter since removed): start over.
	if err := checkPythonVersion(ctx, in.cfg.Python); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("removing the broken venv %s: %w", dir, err)
	}
	if err := installRun(ctx, in.log, in.cfg.Root, nil, in.cfg.Python, "-m", "venv", dir); err != nil {
		_ = os.RemoveAll(dir)
		if ctx.Err() == nil {
			err = fmt.Errorf("%w (on Debian/Ubuntu, `apt-get install python3-venv` provides the venv module)", err)
		}
		return fmt.Errorf("creating the venv: %w", err)
	}
	return atomicfile.Write(created, nil, 0o644)
}

// checkPythonVersion fails with a clear message when python is missing or older than 3.MinPythonMinor.
func checkPythonVersion(ctx context.Context, python string) error {
	out, err := installOutput(ctx, nil, python, "-c", "import sys; print('%d %d' % sys.version_info[:2])")
	if err != nil {
		return fmt.Errorf("python 3.%d or newer is needed to create the venv (setup -python selects one): %w",
			MinPythonMinor, err)
	}
	var major, minor int
	if _, err := fmt.Sscan(out, &major, &minor); err != nil {
		return fmt.Errorf("reading the version of %s from %q: %w", python, out, err)
	}
	if major != 3 || minor < MinPythonMinor {
		return fmt.Errorf("%s is Python %d.%d; %s needs Python 3.%d or newer (setup -python selects another)",
			python, major, minor, RequirementsFile, MinPythonMinor)
	}
	return nil
}

// goToolSpec is a Go program built from a pinned module into .textgen/bin.
type goToolSpec struct {
	name, module, version, pkg string
}

var (
	goImportsTool = goToolSpec{"goimports", "golang.org/x/tools", GoImportsVersion, "golang.org/x/tools/cmd/goimports"}
	goNBTool      = goToolSpec{"gonb", "github.com/janpfeifer/gonb", GoNBVersion, "github.com/janpfeifer/gonb"}
)

// binPath is the tool's binary in .textgen/bin.
func (t goToolSpec) binPath(root string) string {
	if runtime.GOOS == "windows" {
		return filepath.Join(BinDir(root), t.name+".exe")
	}
	return filepath.Join(BinDir(root), t.name)
}

// goTool builds t in a throwaway module (`go install pkg@version` can fail on proxies that refuse /@v/list):
// go mod init, go get pkg@version, go install pkg, with GOBIN=.textgen/bin.
func (in *installer) goTool(t goToolSpec) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		bin := t.binPath(in.cfg.Root)
		if v, err := binaryModuleVersion(bin, t.module); err == nil && v == t.version {
			return true, nil
		}
		tmp, err := os.MkdirTemp("", "textgen-"+t.name+"-")
		if err != nil {
			return false, fmt.Errorf("creating a temporary module for %s: %w", t.name, err)
		}
		defer os.RemoveAll(tmp)
		env := append(os.Environ(), "GOBIN="+BinDir(in.cfg.Root), "GOWORK=off", "GO111MODULE=on")
		for _, args := range [][]string{
			{"mod", "init", "textgen.local/tools"},
			{"get", t.pkg + "@" + t.version},
			{"install", t.pkg},
		} {
			if err := installRun(ctx, in.log, tmp, env, in.cfg.Go, args...); err != nil {
				return false, fmt.Errorf("building %s %s: %w", t.name, t.version, err)
			}
		}
		v, err := binaryModuleVersion(bin, t.module)
		if err != nil {
			return false, fmt.Errorf("checking the freshly built %s: %w", bin, err)
		}
		if v != t.version {
			return false, fmt.Errorf("%s was built from %s %s, want %s", bin, t.module, v, t.version)
		}
		return false, nil
	}
}

// binaryModuleVersion reads, from a Go binary's build info, the version of module it was built from.
func binaryModuleVersion(bin, module string) (string, error) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", fmt.Errorf("reading Go build info of %s: %w", bin, err)
	}
	if info.Main.Path == module {
		return info.Main.Version, nil
	}
	for _, d := range info.Deps {
		if d.Path == module {
			return d.Version, nil
		}
	}
	return "", fmt.Errorf("%s was not built from module %s", bin, module)
}

// kernelSpec runs `gonb --install` with JUPYTER_DATA_DIR=.textgen/jupyter, then points the spec at the
// gonb binary in .textgen/bin and gives the kernel a PATH with goimports and go.
func (in *installer) kernelSpec(ctx context.Context) (bool, error) {
	root := in.cfg.Root
	gonb := goNBTool.binPath(root)
	specPath := KernelSpecPath(root)
	env := kernelEnv(root, in.goBin)
	if data, err := os.ReadFile(specPath); err == nil && kernelSpecUpToDate(data, gonb, env) {
		return true, nil
	}
	runEnv := append(os.Environ(), "JUPYTER_DATA_DIR="+JupyterDataDir(root),
		"PATH="+BinDir(root)+string(os.PathListSeparator)+in.goBin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// --force_deps: gopls (auto-complete only) is not installed; goimports is checked above.
	err := installRun(ctx, in.log, root, runEnv, gonb, "--install", "--raw_error", "--force_deps")
	if err != nil {
		return false, fmt.Errorf("installing the GoNB kernel spec: %w", err)
	}
	fmt.Fprintln(in.log, "    (gopls only serves auto-complete in JupyterLab: GoNB's warning about it is expected)")
	data, err := os.ReadFile(specPath)
	if err != nil {
		return false, fmt.Errorf("gonb --install ran but wrote no kernel spec: %w", err)
	}
	patched, err := patchKernelSpec(data, gonb, env)
	if err != nil {
		return false, fmt.Errorf("%s: %w", specPath, err)
	}
	if err := atomicfile.Write(specPath, patched, 0o644); err != nil {
		return false, err
	}
	// Under /tmp, GoNB copies itself next to the spec (keeping the previous copy as gonb~); the spec now runs
	// .textgen/bin/gonb instead.
	copied := filepath.Join(filepath.Dir(specPath), filepath.Base(gonb))
	_ = os.Remove(copied)
	_ = os.Remove(copied + "~")
	return false, nil
}

// kernelEnv is the "env" stanza of the kernel spec: Jupyter expands ${PATH} when it starts the kernel, so
// GoNB finds goimports (.textgen/bin) and the go command that built it; GoMLX never downloads a plugin.
func kernelEnv(root, goBin string) map[string]string {
	sep := string(os.PathListSeparator)
	return map[string]string{
		"PATH":                  BinDir(root) + sep + goBin + sep + "${PATH}",
		"GOMLX_NO_AUTO_INSTALL": "1",
	}
}

// patchKernelSpec sets argv[0] to gonb (GoNB copies itself next to the spec when run from under /tmp) and
// merges env into the spec's "env", keeping every other field.
func patchKernelSpec(data []byte, gonb string, env map[string]string) ([]byte, error) {
	var spec map[string]json.RawMessage
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("parsing kernel spec: %w", err)
	}
	var argv []string
	if err := json.Unmarshal(spec["argv"], &argv); err != nil || len(argv) == 0 {
		return nil, fmt.Errorf("kernel spec has no usable \"argv\" (%s)", spec["argv"])
	}
	argv[0] = gonb
	specEnv := map[string]string{}
	if raw, ok := spec["env"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &specEnv); err != nil {
			return nil, fmt.Errorf("kernel spec \"env\": %w", err)
		}
	}
	for k, v := range env {
		specEnv[k] = v
	}
	var err error
	if spec["argv"], err = json.Marshal(argv); err != nil {
		return nil, err
	}
	if spec["env"], err = json.Marshal(specEnv); err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// kernelSpecUpToDate reports whether a kernel spec already runs gonb with --raw_error and env.
func kernelSpecUpToDate(data []byte, gonb string, env map[string]string) bool {
	var spec struct {
		Argv []string          `json:"argv"`
		Env  map[string]string `json:"env"`
	}
	if json.Unmarshal(data, &spec) != nil || len(spec.Argv) == 0 || spec.Argv[0] != gonb {
		return false
	}
	if !slices.Contains(spec.Argv, "-raw_error=true") {
		return false
	}
	for k, v := range env {
		if spec.Env[k] != v {
			return false
		}
	}
	_, err := os.Stat(gonb)
	return err == nil
}

// installWaitDelay bounds how long a killed command's children may keep its output pipes open.
const installWaitDelay = 5 * time.Second

// installRun runs name with args in dir (env nil: inherited) until it ends or ctx is done, copying its
// output to log. A failure carries the command line and the tail of the output.
func installRun(ctx context.Context, log io.Writer, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env, cmd.WaitDelay = dir, env, installWaitDelay
	tail := &tailbuf.Buffer{}
	w := io.MultiWriter(log, tail)
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return installCmdError(ctx, name, args, err, tail.String())
	}
	return nil
}

// installOutput runs name with args (env nil: inherited) and returns its standard output.
func installOutput(ctx context.Context, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.WaitDelay = env, installWaitDelay
	var stdout bytes.Buffer
	stderr := &tailbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Run(); err != nil {
		return "", installCmdError(ctx, name, args, err, stderr.String())
	}
	return stdout.String(), nil
}

// installCmdError describes a failed command: its line, why it ended and the end of its output.
func installCmdError(ctx context.Context, name string, args []string, err error, tail string) error {
	line := name
	for _, a := range args {
		if strings.Contains(a, "\n") {
			a = "<script>"
		} else if strings.ContainsAny(a, " \t'\"") {
			a = strconv.Quote(a)
		}
		line += " " + a
	}
	if ctx.Err() != nil {
		return fmt.Errorf("`%s` stopped: %w", line, ctx.Err())
	}
	if tail = strings.TrimSpace(tail); tail != "" {
		return fmt.Errorf("`%s`: %w; its output ended with:\n%s", line, err, tail)
	}
	return fmt.Errorf("`%s`: %w", line, err)
}
