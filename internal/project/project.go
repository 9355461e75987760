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

// Root finds the checkout from the working directory, then from the running executable's directory.
func Root() (string, error) {
	wd, err := os.Getwd()
	if err == nil {
		if root, err := FindRoot(wd); err == nil {
			return root, nil
		}
	}
	if exe, err := os.Executable(); err == nil {
		if root, err := FindRoot(filepath.Dir(exe)); err == nil {
			return root, nil
		}
	}
	return "", fmt.Errorf("%w (searched from the working directory %q and the executable's directory)", ErrNoRoot, wd)
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
