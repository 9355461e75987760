package backend

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gotextgen/textgen/internal/tailbuf"
)

// The PJRT CPU plugin installed by InstallCPUPlugin: XLA's CPU plugin as shipped, Apache-2.0, inside a PyPI
// wheel (PyPI is reachable where GitHub, go-xla's own download source, is not). It loads in go-xla v0.4.1
// (PJRT C API v0.115). The wheel is for Linux x86_64 (manylinux_2_27) only.
const (
	// PluginWheel is the PyPI distribution that ships the plugin.
	PluginWheel = "lammps-jax-pjrt-cpu"
	// PluginWheelVersion is the pinned version of PluginWheel.
	PluginWheelVersion = "0.11.2"
	// PluginWheelSHA256 is the SHA-256 of the pinned wheel file
	// (lammps_jax_pjrt_cpu-0.11.2-py3-none-manylinux_2_27_x86_64.whl).
	PluginWheelSHA256 = "1319390d948b39f69f7dade496b7c385149d9ca6097a6b62114da113216d9ad1"
	// PluginFileName is the installed plugin's file name, go-xla's convention for the plugin called "cpu".
	PluginFileName = "pjrt_c_api_cpu_plugin.so"
	// PluginSize is the size in bytes of the plugin inside the pinned wheel; an installed file of another size
	// is replaced.
	PluginSize = 201600336
)

// wheelSpec says which wheel to fetch and what to take out of it.
type wheelSpec struct {
	name, version, sha256 string
	member                string // Path of the plugin inside the wheel.
	size                  int64  // Expected size of member.
	outName               string // File name of the plugin in the install directory.
}

var cpuPluginWheel = wheelSpec{
	name: PluginWheel, version: PluginWheelVersion, sha256: PluginWheelSHA256,
	member: "lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so", size: PluginSize, outName: PluginFileName,
}

// wheelLicenseFiles are copied from the wheel's *.dist-info/licenses/ next to the plugin, as
// <PluginFileName>.<name>.
var wheelLicenseFiles = []string{"LICENSE", "THIRD_PARTY_NOTICES"}

// wheelWaitDelay bounds how long a killed pip's children may keep its output pipes open.
const wheelWaitDelay = 5 * time.Second

// CPUPluginInstalled returns the path of the CPU plugin in dir and whether a complete one is there.
func CPUPluginInstalled(dir string) (string, bool) { return wheelInstalled(cpuPluginWheel, dir) }

// InstallCPUPlugin puts the PJRT CPU plugin into dir (e.g. <root>/.textgen/pjrt) and returns its path.
// It runs `python -m pip download --no-deps` of the pinned wheel (its jax requirement is not needed) under
// ctx — give ctx a deadline — checks the wheel's SHA-256, and extracts the plugin through a temporary file and
// a rename, with the wheel's LICENSE and THIRD_PARTY_NOTICES beside it. python must have pip (the project
// venv's does). If the plugin is already there with the right size, nothing is downloaded.
// Use the result as GOMLX_BACKEND=xla:<path>, or put dir in PJRT_PLUGIN_LIBRARY_PATH.
func InstallCPUPlugin(ctx context.Context, dir string, python string, log io.Writer) (pluginPath string, err error) {
	return installWheelPlugin(ctx, cpuPluginWheel, dir, python, log)
}

// wheelInstalled reports whether spec's plugin is in dir with the expected size.
func wheelInstalled(spec wheelSpec, dir string) (string, bool) {
	p := filepath.Join(dir, spec.outName)
	st, err := os.Stat(p)
	return p, err == nil && st.Mode().IsRegular() && st.Size() == spec.size
}

func installWheelPlugin(ctx context.Context, spec wheelSpec, dir, python string, log io.Writer) (string, error) {
	if log == nil {
		log = io.Discard
	}
	if dir == "" || python == "" {
		return "", fmt.Errorf("installing PJRT plugin: empty install directory (%q) or python (%q)", dir, python)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("installing PJRT plugin into %q: %w", dir, err)
	}
	if p, ok := wheelInstalled(spec, dir); ok {
		fmt.Fprintf(log, "    ok (cached): %s\n", p)
		return p, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("installing PJRT plugin: %w", err)
	}
	tmp, err := os.MkdirTemp("", "textgen-wheel-")
	if err != nil {
		return "", fmt.Errorf("installing PJRT plugin: %w", err)
	}
	defer os.RemoveAll(tmp)
	whl, err := wheelDownload(ctx, spec, python, tmp, log)
	if err != nil {
		return "", err
	}
	if err := wheelCheckSHA256(whl, spec.sha256); err != nil {
		return "", err
	}
	fmt.Fprintf(log, "    sha256 ok: %s\n", filepath.Base(whl))
	p, err := wheelExtract(ctx, whl, spec, dir)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(log, "    extracted %s (%.1f MB)\n", p, float64(spec.size)/1e6)
	return p, nil
}

// wheelDownload runs pip download into tmp and returns the wheel's path.
func wheelDownload(ctx context.Context, spec wheelSpec, python, tmp string, log io.Writer) (string, error) {
	req := spec.name + "==" + spec.version
	args := []string{"-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
		"--timeout", "60", "--no-deps", "--only-binary=:all:", req, "-d", tmp}
	fmt.Fprintf(log, "    %s %s\n", python, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.WaitDelay = wheelWaitDelay
	var out tailbuf.Buffer
	w := io.MultiWriter(log, &out) // One writer for both: os/exec then never writes to it concurrently.
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("downloading %s from PyPI stopped (%w); raise the timeout or retry", req, ctx.Err())
		}
		hint := ""
		if strings.Contains(out.String(), "No matching distribution") {
			hint = " (the wheel exists for Linux x86_64 only; elsewhere install a plugin with go-xla's installer " +
				"or set GOMLX_BACKEND=go)"
		}
		return "", fmt.Errorf("downloading %s with %s -m pip: %w%s; pip said:\n%s", req, python, err, hint,
			strings.TrimSpace(out.String()))
	}
	wheels, _ := filepath.Glob(filepath.Join(tmp, "*.whl"))
	if len(wheels) != 1 {
		return "", fmt.Errorf("pip download of %s left %d wheel files in %s, want 1", req, len(wheels), tmp)
	}
	return wheels[0], nil
}

// wheelCheckSHA256 fails unless the file's SHA-256 is want (hex).
func wheelCheckSHA256(file, want string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("checking wheel: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("checking wheel %s: %w", file, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("wheel %s has sha256 %s, want %s: refusing to install it", filepath.Base(file), got, want)
	}
	return nil
}

// wheelExtract copies the license files and then the plugin from the wheel into dir. Each file goes through a
// temporary file and a rename, and is checked against the wheel's RECORD; the plugin comes last, so a
// plugin in dir means the install finished.
func wheelExtract(ctx context.Context, whl string, spec wheelSpec, dir string) (string, error) {
	zr, err := zip.OpenReader(whl)
	if err != nil {
		return "", fmt.Errorf("opening wheel %s: %w", whl, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	distInfo := fmt.Sprintf("%s-%s.dist-info/", strings.ReplaceAll(spec.name, "-", "_"), spec.version)
	record, err := wheelRecord(files[distInfo+"RECORD"])
	if err != nil {
		return "", fmt.Errorf("wheel %s: %w", filepath.Base(whl), err)
	}
	for _, name := range wheelLicenseFiles {
		member := distInfo + "licenses/" + name
		out := filepath.Join(dir, spec.outName+"."+name)
		if err := wheelExtractFile(ctx, files[member], member, record, -1, out, 0o644); err != nil {
			return "", fmt.Errorf("wheel %s: %w", filepath.Base(whl), err)
		}
	}
	out := filepath.Join(dir, spec.outName)
	if err := wheelExtractFile(ctx, files[spec.member], spec.member, record, spec.size, out, 0o755); err != nil {
		return "", fmt.Errorf("wheel %s: %w", filepath.Base(whl), err)
	}
	return out, nil
}

// wheelRecord parses a wheel's RECORD (path,sha256=<urlsafe base64>,size) into path -> raw digest.
func wheelRecord(f *zip.File) (map[string][]byte, error) {
	if f == nil {
		return nil, errors.New("no RECORD file in *.dist-info")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name, err)
	}
	defer rc.Close()
	rec := map[string][]byte{}
	sc := bufio.NewScanner(rc)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), ",")
		if len(fields) < 2 || fields[1] == "" {
			continue
		}
		digest, ok := strings.CutPrefix(fields[1], "sha256=")
		if !ok {
			return nil, fmt.Errorf("%s line %d: hash %q is not sha256", f.Name, n, fields[1])
		}
		sum, err := base64.RawURLEncoding.DecodeString(digest)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: bad hash %q: %w", f.Name, n, digest, err)
		}
		rec[fields[0]] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name, err)
	}
	return rec, nil
}

// wheelExtractFile writes member to out via a temporary file in out's directory, checking its size (when
// size >= 0) and its digest in record, then renames it into place. Nothing is left behind on failure.
func wheelExtractFile(ctx context.Context, f *zip.File, member string, record map[string][]byte, size int64,
	out string, perm os.FileMode) (err error) {
	if f == nil {
		return fmt.Errorf("no %s inside", member)
	}
	if size >= 0 && int64(f.UncompressedSize64) != size {
		return fmt.Errorf("%s is %d bytes, want %d", member, f.UncompressedSize64, size)
	}
	want, ok := record[member]
	if !ok {
		return fmt.Errorf("%s has no sha256 in RECORD", member)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("reading %s: %w", member, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("extracting %s: %w", member, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), wheelCtxReader{ctx, rc}); err != nil {
		return fmt.Errorf("extracting %s to %s: %w", member, out, err)
	}
	if got := h.Sum(nil); string(got) != string(want) {
		return fmt.Errorf("%s: sha256 %x does not match RECORD (%x)", member, got, want)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("extracting %s to %s: %w", member, out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("extracting %s to %s: %w", member, out, err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("extracting %s to %s: %w", member, out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("extracting %s: %w", member, err)
	}
	return nil
}

// wheelCtxReader stops a long copy when its context is done.
type wheelCtxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c wheelCtxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
