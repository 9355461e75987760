// Package project locates the textgen checkout and its project-local tools folder.
//
// Setup (`textgen setup`) installs everything into <root>/.textgen/; the backend policy, the kernel installer
// and the CLI find that folder from the working directory (or from the executable's directory), so that
// `go run ./cmd/textgen demo`, `go test ./...` and notebooks in <root>/notebooks all see the same tools.
package project

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ModulePath is the module path declared by the project's go.mod.
const ModulePath = "github.com/gotextgen/textgen"

// ToolsDirName is the name of the git-ignored folder, at the root of the checkout, holding installed tools.
const ToolsDirName = ".textgen"

// ErrNoRoot is returned by FindRoot when no enclosing textgen checkout is found.
var ErrNoRoot = errors.New("not inside a textgen checkout")

// FindRoot walks up from start to the directory whose go.mod declares module ModulePath.
func FindRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("finding the textgen checkout from %q: %w", start, err)
	}
	for {
		if isRoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod declaring module %s in %s or its parents", ErrNoRoot, ModulePath, start)
		}
		dir = parent
	}
}

// RootEnvVar names an environment variable that, when set, is the checkout root.
const RootEnvVar = "TEXTGEN_ROOT"

// Root finds the checkout: $TEXTGEN_ROOT if set; else walking up from the working directory, from the
// notebook's directory ($GONB_DIR, set by GoNB for cell programs, which run in a temporary directory) and
// from the running executable's directory.
func Root() (string, error) {
	if r := os.Getenv(RootEnvVar); r != "" {
		return FindRoot(r)
	}
	wd, _ := os.Getwd()
	starts := []string{wd, os.Getenv("GONB_DIR")}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, s := range starts {
		if s == "" {
			continue
		}
		if root, err := FindRoot(s); err == nil {
			return root, nil
		}
	}
	return "", fmt.Errorf("%w (searched from %q, $GONB_DIR and the executable's directory; set $%s)",
		ErrNoRoot, wd, RootEnvVar)
}

// ToolsDir is <root>/.textgen.
func ToolsDir(root string) string { return filepath.Join(root, ToolsDirName) }

// PJRTDir is where `textgen setup` installs the PJRT CPU plugin: <root>/.textgen/pjrt.
func PJRTDir(root string) string { return filepath.Join(root, ToolsDirName, "pjrt") }

func isRoot(goMod string) bool {
	f, err := os.Open(goMod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == ModulePath
		}
	}
	return false
}
