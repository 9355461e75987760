package testutil

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
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
