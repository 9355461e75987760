package backend

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakePlugin writes a file named like a plugin; elf chooses whether it starts like a shared library.
func fakePlugin(t *testing.T, dir, name string, elf bool) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, pluginFile(name))
	content := []byte("not a library")
	if elf {
		content = append([]byte("\x7fELF"), make([]byte, 60)...)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChoosePolicy(t *testing.T) {
	root := t.TempDir()
	local := filepath.Join(root, ".textgen", "pjrt")
	extra := filepath.Join(t.TempDir(), "plugins")
	cases := []struct {
		name       string
		env        Env
		setup      func()
		wantName   string
		wantDevice string
		wantPlugin string // suffix
		wantErr    error
		reason     string // substring of Reason
	}{
		{name: "no plugin falls back to go", env: Env{Root: root}, wantName: Go, reason: "no PJRT plugin in"},
		{name: "env go", env: Env{Backend: "go", Root: root}, wantName: Go, reason: `$GOMLX_BACKEND="go"`},
		{name: "env unknown", env: Env{Backend: "tpu", Root: root}, wantErr: ErrUnknownBackend},
		{name: "env xla missing plugin", env: Env{Backend: "xla:cpu", Root: root}, wantErr: ErrPluginNotFound},
		{name: "env xla bad config", env: Env{Backend: "xla:rocm", Root: root}, wantErr: ErrUnknownBackend},
		{name: "env xla missing abs path", env: Env{Backend: "xla:/nonexistent/p.so"}, wantErr: ErrPluginNotFound},
		{name: "local plugin found", env: Env{Root: root}, setup: func() { fakePlugin(t, local, "cpu", true) },
			wantName: XLA, wantDevice: "cpu", wantPlugin: ".textgen/pjrt/pjrt_c_api_cpu_plugin.so", reason: "found in"},
		{name: "PJRT_PLUGIN_LIBRARY_PATH first", env: Env{Root: root, PluginPath: []string{extra}},
			setup: func() { fakePlugin(t, extra, "cpu", true) }, wantName: XLA, wantPlugin: "plugins/pjrt_c_api_cpu_plugin.so"},
		{name: "env go wins over plugin", env: Env{Backend: "go", Root: root}, wantName: Go},
		{name: "env xla:cpu with plugin", env: Env{Backend: "xla:cpu", Root: root}, wantName: XLA, wantDevice: "cpu"},
		{name: "cuda needs a GPU", env: Env{Root: root}, setup: func() { fakePlugin(t, local, "cuda", true) },
			wantName: XLA, wantDevice: "cpu"},
		{name: "cuda with GPU", env: Env{Root: root, HasGPU: true}, wantName: XLA, wantDevice: "cuda"},
		{name: "corrupt plugin", env: Env{Root: root}, setup: func() {
			_ = os.Remove(filepath.Join(local, pluginFile("cuda")))
			fakePlugin(t, local, "cpu", false)
		}, wantErr: ErrBadPlugin},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup()
			}
			got, err := ChooseWith(c.env)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("ChooseWith(%+v) error = %v, want %v", c.env, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ChooseWith(%+v): %v", c.env, err)
			}
			if got.Name != c.wantName || (c.wantDevice != "" && got.Device != c.wantDevice) ||
				!strings.HasSuffix(got.Plugin, c.wantPlugin) || !strings.Contains(got.Reason, c.reason) {
				t.Errorf("ChooseWith(%+v) = %+v, want name %q device %q plugin …%q reason ⊇ %q",
					c.env, got, c.wantName, c.wantDevice, c.wantPlugin, c.reason)
			}
			if !strings.HasPrefix(got.String(), "backend "+got.Name) {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
}

func TestStartBadPluginIsAnError(t *testing.T) {
	dir := t.TempDir()
	// An ELF header that is not a real library: dlopen must fail with an error, not a crash.
	p := fakePlugin(t, dir, "cpu", true)
	_, err := Start(Choice{Name: XLA, Config: XLA + ":" + p, Plugin: p, Device: "cpu"})
	if !errors.Is(err, ErrBadPlugin) {
		t.Fatalf("Start(corrupt plugin) error = %v, want ErrBadPlugin", err)
	}
	t.Log(err)
}

func TestStartGo(t *testing.T) {
	b, err := Start(Choice{Name: Go, Config: goConfig("")})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	if b.Name() == "" {
		t.Error("empty backend name")
	}
}
