// Package testutil holds helpers shared by textgen's tests: the backend chosen by the project's policy,
// and a watchdog that turns a hang into a test failure with a goroutine dump.
package testutil

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/compute"

	"github.com/gotextgen/textgen/seq2seq/backend"
)

var (
	once    sync.Once
	shared  compute.Backend
	choice  backend.Choice
	initErr error
)

// Backend returns the backend chosen by the project's policy ($GOMLX_BACKEND in CI), shared by a package's tests.
func Backend(t testing.TB) compute.Backend {
	t.Helper()
	once.Do(func() {
		shared, choice, initErr = backend.New()
		if initErr == nil {
			println("testutil:", choice.String())
		}
	})
	if initErr != nil {
		t.Fatalf("starting the backend: %v", initErr)
	}
	return shared
}

// Deadline runs fn and fails the test, with every goroutine's stack, if it does not finish within d.
// It turns a backend hang into a bounded failure instead of a stuck CI job.
func Deadline(t testing.TB, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		fn()
	}()
	select {
	case <-done:
		if panicked != nil {
			t.Fatalf("panic: %v", panicked)
		}
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("did not finish within %s (a backend hang?); goroutines:\n%s", d, buf[:n])
	}
}
