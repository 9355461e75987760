package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/run"
)

// The main job end to end, briefly: it trains, evaluates and writes a complete run folder that loads back.
func TestDemoWritesRunFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	testutil.Deadline(t, 8*time.Minute, func() {
		if err := runDemo([]string{"-steps", "12", "-train", "400", "-test", "40", "-show", "3", "-out", out}); err != nil {
			panic(err)
		}
	})
	for _, f := range []string{"config.json", "vocab.json", "metrics.json", "loss.png", "loss.svg", "attention.png", "attention.svg"} {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	if _, err := run.Load(out); err != nil {
		t.Fatalf("the demo's run folder does not load: %v", err)
	}
	if err := runDemo([]string{"-steps", "1", "-out", out}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("demo over an existing run folder: error %v, want 'already exists'", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".demo.partial-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

func TestDemoBadFlags(t *testing.T) {
	if err := runDemo([]string{"-steps", "0", "-out", filepath.Join(t.TempDir(), "x")}); err == nil {
		t.Error("-steps 0 accepted")
	}
	if err := runDemo([]string{"-nonsense"}); err == nil {
		t.Error("unknown flag accepted")
	}
}
