package testutil

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/project"
)

// MissingModuleExit is the exit status a reference script uses to say "this Python lacks the module I need":
// RunReference then tries the next interpreter.
const MissingModuleExit = 3

// RunReference runs a Python reference script (an independent implementation the tests compare against:
// PyTorch, sacreBLEU, …) with the first candidate interpreter that has what it needs. It returns that
// interpreter, or "" and what each candidate said when none could run it (the caller decides between failing
// with install instructions and skipping). Any other failure of the script fails the test.
func RunReference(t testing.TB, candidates []string, timeout time.Duration, script string, args ...string) (python string, tried []string) {
	t.Helper()
	for _, py := range candidates {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		var stderr strings.Builder
		cmd := exec.CommandContext(ctx, py, append([]string{script}, args...)...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return py, tried
		case errors.As(err, &exit) && exit.ExitCode() == MissingModuleExit:
			tried = append(tried, strings.TrimSpace(stderr.String()))
		case errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist):
			tried = append(tried, py+": not found")
		default:
			t.Fatalf("%s %s %s failed: %v\n%s", py, script, strings.Join(args, " "), err, stderr.String())
		}
	}
	return "", tried
}

// TorchPythonEnv names a Python that can import torch; when set, it is the only one TorchPythons lists.
const TorchPythonEnv = "TEXTGEN_TORCH_PYTHON"

// TorchPythons lists the interpreters to try for PyTorch reference scripts: $TEXTGEN_TORCH_PYTHON alone when
// set; else the project's virtual environment, python3 on PATH and Debian's /usr/bin/python3 (where
// python3-torch installs).
func TorchPythons() []string {
	if py := os.Getenv(TorchPythonEnv); py != "" {
		return []string{py}
	}
	var c []string
	if root, err := project.Root(); err == nil {
		c = append(c, filepath.Join(root, project.ToolsDirName, "venv", "bin", "python"))
	}
	if py, err := exec.LookPath("python3"); err == nil {
		c = append(c, py)
	}
	return append(c, "/usr/bin/python3")
}
