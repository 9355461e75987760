package kernel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// doctorTimeout bounds each local command Doctor runs (no network).
const doctorTimeout = 30 * time.Second

// doctorPythonScript prints the venv's Python version and the versions of the Jupyter packages.
const doctorPythonScript = `import sys, importlib.metadata as m
print("python", "%d.%d.%d" % sys.version_info[:3])
for p in ("jupyterlab", "notebook", "nbclient", "nbconvert", "nbformat", "jupyter_client"):
    try:
        print(p, m.version(p))
    except m.PackageNotFoundError:
        print(p, "-")
`

// Doctor writes to w what is installed under root/.textgen — venv Python and Jupyter versions, gonb,
// goimports, the kernel spec, PJRT plugins — and returns an error listing what is missing or outdated.
// It runs only local commands, each with a timeout.
func Doctor(root string, w io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), doctorTimeout)
	defer cancel()
	var missing []string
	line := func(what, status string) { fmt.Fprintf(w, "  %-12s %s\n", what, status) }
	bad := func(what, status string) {
		line(what, "MISSING: "+status)
		missing = append(missing, what)
	}
	fmt.Fprintf(w, "textgen tools in %s\n", ToolsDir(root))

	if v, err := installOutput(ctx, nil, "go", "version"); err != nil {
		bad("go", err.Error())
	} else {
		line("go", strings.TrimSpace(v))
	}

	doctorPython(ctx, root, line, bad)

	for _, t := range []goToolSpec{goNBTool, goImportsTool} {
		bin := t.binPath(root)
		_, statErr := os.Stat(bin)
		switch v, err := binaryModuleVersion(bin, t.module); {
		case statErr != nil:
			bad(t.name, "no "+bin)
		case err != nil:
			bad(t.name, err.Error())
		case v != t.version:
			bad(t.name, fmt.Sprintf("%s is %s, want %s", bin, v, t.version))
		default:
			line(t.name, v+" "+bin)
		}
	}

	spec := KernelSpecPath(root)
	if data, err := os.ReadFile(spec); err != nil {
		bad("kernel spec", "no "+spec)
	} else if !kernelSpecUpToDate(data, goNBTool.binPath(root), map[string]string{"GOMLX_NO_AUTO_INSTALL": "1"}) {
		bad("kernel spec", spec+" does not run "+goNBTool.binPath(root)+" with -raw_error")
	} else {
		line("kernel spec", spec+" (JUPYTER_DATA_DIR="+JupyterDataDir(root)+")")
	}

	plugins, _ := filepath.Glob(filepath.Join(PJRTDir(root), "pjrt_c_api_*_plugin.so"))
	if len(plugins) == 0 {
		bad("pjrt plugin", "none in "+PJRTDir(root)+" (XLA backend unavailable; setup installs the CPU plugin)")
	}
	for _, p := range plugins {
		if st, err := os.Stat(p); err == nil {
			line("pjrt plugin", fmt.Sprintf("%s (%.1f MB)", p, float64(st.Size())/1e6))
		}
	}

	// Corpora and the CJK font are optional (setup -skip-corpora): absent ones are notes, not failures.
	corpora, absent := CorporaReport(root)
	for _, l := range corpora {
		line("corpora", l)
	}
	for _, a := range absent {
		line("corpora", "not installed: "+a+" (`go run ./cmd/textgen setup` installs it)")
	}

	if len(missing) > 0 {
		return fmt.Errorf("missing or outdated: %s; run `go run ./cmd/textgen setup`", strings.Join(missing, ", "))
	}
	fmt.Fprintf(w, "  to open the notebooks: JUPYTER_DATA_DIR=%s %s -m jupyter lab notebooks/\n",
		JupyterDataDir(root), VenvPython(root))
	return nil
}

// doctorPython reports the venv's Python and Jupyter packages, and whether the requirements changed since.
func doctorPython(ctx context.Context, root string, line, bad func(what, status string)) {
	if _, err := os.Stat(VenvPython(root)); err != nil {
		bad("python venv", "no "+VenvPython(root))
		return
	}
	out, err := installOutput(ctx, nil, VenvPython(root), "-c", doctorPythonScript)
	if err != nil {
		bad("python venv", err.Error())
		return
	}
	var pkgs, absent []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		name, version, _ := strings.Cut(l, " ")
		switch {
		case name == "python":
			line("python venv", "Python "+version+" "+VenvPython(root))
		case version == "-":
			absent = append(absent, name)
		default:
			pkgs = append(pkgs, name+" "+version)
		}
	}
	line("jupyter", strings.Join(pkgs, ", "))
	if len(absent) > 0 {
		bad("jupyter", "not installed in the venv: "+strings.Join(absent, ", "))
	}
	data, err := os.ReadFile(filepath.Join(root, RequirementsFile))
	stamp, serr := os.ReadFile(filepath.Join(VenvDir(root), requirementsStamp))
	sum := sha256.Sum256(data)
	if err != nil || serr != nil || strings.TrimSpace(string(stamp)) != hex.EncodeToString(sum[:]) {
		bad("requirements", RequirementsFile+" changed (or was never installed) since the venv was set up")
	}
}
