package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/go-xla/compute/xla"

	"github.com/gotextgen/textgen/internal/project"
)

func init() {
	// Never let go-xla download a plugin from GitHub behind the user's back (no timeout, no GitHub here).
	xla.EnableAutoInstall(false)
	_ = os.Setenv(xla.NoAutoInstallEnv, "1")
}

// EnvVar is the environment variable that overrides the backend choice (GoMLX's own).
const EnvVar = compute.ConfigEnvVar

// Backend names.
const (
	Go  = gobackend.BackendName // "go": pure Go, portable, slow.
	XLA = xla.BackendName       // "xla": OpenXLA through a PJRT plugin (CPU or CUDA).
)

// ErrUnknownBackend is returned for a backend name other than "go" or "xla".
var ErrUnknownBackend = errors.New("unknown backend")

// ErrPluginNotFound is returned when XLA is asked for explicitly but no matching PJRT plugin exists locally.
var ErrPluginNotFound = errors.New("PJRT plugin not found")

// ErrBadPlugin is returned for a plugin file that is not a loadable shared library.
var ErrBadPlugin = errors.New("invalid PJRT plugin file")

// Choice is a decided backend: what to start and why.
type Choice struct {
	Name   string // Go or XLA.
	Config string // Configuration passed to compute.NewWithConfig, e.g. "xla:/abs/pjrt_c_api_cpu_plugin.so".
	Plugin string // Absolute path of the PJRT plugin, for XLA.
	Device string // "cpu" or "cuda" for XLA; "cpu" for Go.
	Reason string // Why this backend was chosen, for the user.
}

// String is the one line shown to users, e.g.
// "backend xla (cpu, /repo/.textgen/pjrt/pjrt_c_api_cpu_plugin.so): PJRT plugin found in /repo/.textgen/pjrt".
func (c Choice) String() string {
	switch c.Name {
	case XLA:
		return fmt.Sprintf("backend xla (%s, %s): %s", c.Device, c.Plugin, c.Reason)
	default:
		return fmt.Sprintf("backend %s: %s", c.Name, c.Reason)
	}
}

// Env is what the policy reads from the environment; [Choose] uses the process's, tests pass their own.
type Env struct {
	Backend    string   // $GOMLX_BACKEND.
	PluginPath []string // Directories from $PJRT_PLUGIN_LIBRARY_PATH.
	Root       string   // Checkout root ("" if not inside one).
	Home       string   // User's home directory ("" if unknown).
	HasGPU     bool     // An NVIDIA device node exists.
}

// ProcessEnv reads Env from the running process.
func ProcessEnv() Env {
	e := Env{Backend: strings.TrimSpace(os.Getenv(EnvVar))}
	if p := os.Getenv("PJRT_PLUGIN_LIBRARY_PATH"); p != "" {
		e.PluginPath = filepath.SplitList(p)
	}
	e.Root, _ = project.Root()
	e.Home, _ = os.UserHomeDir()
	_, err := os.Stat("/dev/nvidiactl")
	e.HasGPU = err == nil
	return e
}

// SearchDirs lists, in order, the directories searched for PJRT plugins.
func (e Env) SearchDirs() []string {
	dirs := slices.Clone(e.PluginPath)
	if e.Root != "" {
		dirs = append(dirs, project.PJRTDir(e.Root))
	}
	if e.Home != "" {
		dirs = append(dirs, filepath.Join(e.Home, ".local", "lib", "go-xla"))
	}
	return append(dirs, "/usr/local/lib/go-xla")
}

// pluginFile is go-xla's naming convention for a plugin called name ("cpu", "cuda").
func pluginFile(name string) string { return "pjrt_c_api_" + name + "_plugin.so" }

// findPlugin returns the first plugin called name in the search directories, or "".
func (e Env) findPlugin(name string) string {
	for _, d := range e.SearchDirs() {
		p := filepath.Join(d, pluginFile(name))
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			if abs, err := filepath.Abs(p); err == nil {
				return abs
			}
			return p
		}
	}
	return ""
}

// Choose applies the policy to the running process's environment. It loads nothing.
func Choose() (Choice, error) { return ChooseWith(ProcessEnv()) }

// ChooseWith applies the policy to e. It checks plugin files but loads nothing.
func ChooseWith(e Env) (Choice, error) {
	if e.Backend != "" {
		return chooseExplicit(e)
	}
	if e.HasGPU {
		if p := e.findPlugin("cuda"); p != "" {
			return Choice{Name: XLA, Config: XLA + ":" + p, Plugin: p, Device: "cuda",
				Reason: "NVIDIA device and CUDA PJRT plugin found in " + filepath.Dir(p)}, checkPlugin(p)
		}
	}
	if p := e.findPlugin("cpu"); p != "" {
		return Choice{Name: XLA, Config: XLA + ":" + p, Plugin: p, Device: "cpu",
			Reason: "PJRT CPU plugin found in " + filepath.Dir(p)}, checkPlugin(p)
	}
	return Choice{Name: Go, Config: goConfig(""), Device: "cpu",
		Reason: fmt.Sprintf("no PJRT plugin in %s; run `go run ./cmd/textgen setup` to install the XLA CPU plugin "+
			"(or set %s=xla:/path/to/plugin.so)", strings.Join(e.SearchDirs(), ", "), EnvVar)}, nil
}

func chooseExplicit(e Env) (Choice, error) {
	name, cfg, _ := strings.Cut(e.Backend, ":")
	why := fmt.Sprintf("$%s=%q", EnvVar, e.Backend)
	switch name {
	case Go:
		return Choice{Name: Go, Config: goConfig(cfg), Device: "cpu", Reason: "set by " + why}, nil
	case XLA:
	default:
		return Choice{}, fmt.Errorf("%w %q in %s: valid backends are %q and %q (e.g. %s=xla:cpu)",
			ErrUnknownBackend, name, why, Go, XLA, EnvVar)
	}
	plugin, opts, _ := strings.Cut(cfg, ",")
	if opts != "" {
		opts = "," + opts
	}
	var path, device string
	switch {
	case filepath.IsAbs(plugin):
		path = plugin
		device = "cpu"
		if strings.Contains(filepath.Base(plugin), "cuda") {
			device = "cuda"
		}
		if _, err := os.Stat(path); err != nil {
			return Choice{}, fmt.Errorf("%w: %s names %s: %v", ErrPluginNotFound, why, path, err)
		}
	case plugin == "" || plugin == "cpu" || plugin == "cuda":
		device = plugin
		if device == "" {
			device = "cpu"
			if e.HasGPU && e.findPlugin("cuda") != "" {
				device = "cuda"
			}
		}
		path = e.findPlugin(device)
		if path == "" {
			return Choice{}, fmt.Errorf("%w: %s asks for the %s plugin (%s) but it is in none of %s; "+
				"run `go run ./cmd/textgen setup` or use %s=go", ErrPluginNotFound, why, device,
				pluginFile(device), strings.Join(e.SearchDirs(), ", "), EnvVar)
		}
	default:
		return Choice{}, fmt.Errorf("%w: %s: the xla configuration must be cpu, cuda or an absolute path to "+
			"a plugin file, got %q", ErrUnknownBackend, why, plugin)
	}
	return Choice{Name: XLA, Config: XLA + ":" + path + opts, Plugin: path, Device: device,
		Reason: "set by " + why}, checkPlugin(path)
}

// goConfig adds the Go backend's configuration. A hang has been seen in the Go backend's parallel op
// executor at GOMAXPROCS=2 (see docs/backends.md); unless the user configured it, textgen runs ops
// sequentially on small machines, which avoids that code path.
func goConfig(user string) string {
	if user != "" {
		return Go + ":" + user
	}
	if runtime.GOMAXPROCS(0) <= 2 {
		return Go + ":ops_sequential"
	}
	return Go
}

// elfMagic starts every Linux shared library.
var elfMagic = []byte{0x7f, 'E', 'L', 'F'}

// checkPlugin rejects files that cannot be a PJRT plugin before dlopen sees them.
func checkPlugin(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrBadPlugin, path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrBadPlugin, path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w %s: not a regular file", ErrBadPlugin, path)
	}
	head := make([]byte, 4)
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, elfMagic) {
		return fmt.Errorf("%w %s: not an ELF shared library (size %d bytes, starts with %q); "+
			"reinstall it with `go run ./cmd/textgen setup`", ErrBadPlugin, path, st.Size(), head)
	}
	return nil
}

// New chooses a backend by the policy and starts it.
func New() (compute.Backend, Choice, error) {
	c, err := Choose()
	if err != nil {
		return nil, c, err
	}
	b, err := Start(c)
	return b, c, err
}

// MustNew is New for notebooks and examples: it panics on error.
func MustNew() (compute.Backend, Choice) {
	b, c, err := New()
	if err != nil {
		panic(err)
	}
	return b, c
}

// Start starts the backend of a Choice. Errors and panics from the plugin loader become errors.
func Start(c Choice) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("starting backend %q: %v", c.Config, r)
		}
	}()
	b, err = compute.NewWithConfig(c.Config)
	if err != nil {
		if c.Plugin != "" {
			return nil, fmt.Errorf("%w %s: loading it failed: %v", ErrBadPlugin, c.Plugin, err)
		}
		return nil, fmt.Errorf("starting backend %q: %w", c.Config, err)
	}
	return b, nil
}
