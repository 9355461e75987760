package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

const tinyJob = `{
  "task": "reverse", "train": 300, "valid": 16, "test": 16,
  "model": {"embed": 8, "hidden": 16, "attention": 8, "max_source": 6, "max_target": 6},
  "loop": {"steps": 6, "batch_size": 16, "eval_every": 0, "checkpoint_every": 2, "clip_norm": 1}
}`

func readMetrics(t *testing.T, dir string) run.Metrics {
	t.Helper()
	var m run.Metrics
	b, err := os.ReadFile(filepath.Join(dir, run.MetricsFile))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// textgen train writes a complete run folder; a run stopped at step 4 and resumed to step 6 has the same
// loss curve as one trained to step 6 at once.
func TestTrainCommandAndResume(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "job.json")
	if err := os.WriteFile(cfgPath, []byte(tinyJob), 0o644); err != nil {
		t.Fatal(err)
	}
	whole, parts := filepath.Join(dir, "whole"), filepath.Join(dir, "parts")
	testutil.Deadline(t, 6*time.Minute, func() {
		if err := runTrain([]string{"-config", cfgPath, "-out", whole}); err != nil {
			panic(err)
		}
		if err := runTrain([]string{"-config", cfgPath, "-out", parts, "-steps", "4"}); err != nil {
			panic(err)
		}
		if err := runTrain([]string{"-out", parts, "-resume", "-steps", "6"}); err != nil {
			panic(err)
		}
	})
	for _, f := range []string{"config.json", "vocab.json", "metrics.json", "model", "checkpoints", "loss.png", "attention.svg"} {
		if _, err := os.Stat(filepath.Join(whole, f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	a, b := readMetrics(t, whole).History, readMetrics(t, parts).History
	t.Logf("whole: %.4f\nparts: %.4f", a.TrainLoss, b.TrainLoss)
	if len(a.TrainLoss) != 6 || !slices.Equal(a.TrainLoss, b.TrainLoss) {
		t.Errorf("loss curves differ: %v vs %v", a.TrainLoss, b.TrainLoss)
	}
	if _, err := run.Load(parts); err != nil {
		t.Errorf("resumed run folder does not load: %v", err)
	}
	names, _ := train.Checkpoints(filepath.Join(whole, run.CheckpointsDir))
	if !slices.Equal(names, []string{train.StepCheckpoint(2), train.StepCheckpoint(4), train.StepCheckpoint(6)}) {
		t.Errorf("checkpoints %v", names)
	}
}

func TestTrainCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"task": "reverse", "loop": {"lr": 0.1}}`), 0o644)
	good := filepath.Join(dir, "good.json")
	_ = os.WriteFile(good, []byte(tinyJob), 0o644)
	existing := filepath.Join(dir, "exists")
	_ = os.Mkdir(existing, 0o755)
	for want, args := range map[string][]string{
		`unknown field "lr"`:       {"-config", bad, "-out", filepath.Join(dir, "a")},
		"-config is required":      {"-out", filepath.Join(dir, "b")},
		"-resume needs -out":       {"-resume"},
		"-lr cannot change":        {"-resume", "-out", existing, "-lr", "0.1"},
		"already exists":           {"-config", good, "-out", existing},
		`"steps" is 0`:             {"-config", good, "-out", filepath.Join(dir, "c"), "-steps", "0"},
		"config.json":              {"-resume", "-out", existing},
		`unknown task "limericks"`: {"-config", good, "-task", "limericks", "-out", filepath.Join(dir, "d")},
		"unexpected arguments":     {"-config", good, "extra"},
	} {
		err := runTrain(args)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want %q", args, err, want)
		}
	}
	for _, d := range []string{"a", "b", "c", "d"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("a failed command left run folder %s", d)
		}
	}
}

// Off a terminal, progress writes plain lines, about ten per run, and no escape codes.
func TestProgressLogLines(t *testing.T) {
	var buf bytes.Buffer
	h := progress(&buf, 20, 120)
	for s := 21; s <= 120; s++ {
		h.OnStep(s, 1.5)
	}
	_ = h.OnEval(&train.Point{Step: 120, Loss: 1, TokenAcc: 0.5, ExactMatch: 0.25})
	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 11 || !strings.HasPrefix(lines[9], "step 120/120  loss 1.5000") || strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("log:\n%s", out)
	}
	if !strings.Contains(lines[10], "validation at step 120: loss 1.0000, token accuracy 50.00%, exact match 25.00%") {
		t.Errorf("validation line %q", lines[10])
	}
}
