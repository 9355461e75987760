package train_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// everything turns on every feature that keeps state across steps: buckets (data order), dropout and
// scheduled sampling (GoMLX's RNG), a cosine schedule and clipping (the step), validation (early stopping).
func everything(t *testing.T) (*train.Examples, func() (*train.Trainer, *train.Shuffler)) {
	ex, m, l := tiny(t)
	m.EncoderLayers, m.Dropout = 2, 0.3
	l.Steps, l.EvalEvery, l.CheckpointEvery, l.Patience = 10, 4, 3, 5
	l.Buckets, l.Schedule, l.WarmupSteps, l.ClipNorm, l.LabelSmoothing = 2, train.ScheduleCosine, 2, 0.3, 0.1
	l.TeacherForcing = &train.TeacherForcing{Ratio: 1, Final: 0.3, DecaySteps: 8}
	return ex, func() (*train.Trainer, *train.Shuffler) {
		tr := newTrainer(t, m, l)
		s, err := train.NewBucketShuffler(ex, l.BatchSize, l.Seed, l.Buckets)
		if err != nil {
			t.Fatal(err)
		}
		return tr, s
	}
}

// A run interrupted at step 5 (context cancelled) and resumed from its checkpoint ends with the same loss
// curve, validation points and bit-identical variables (weights, Adam moments, RNG state) as one that never
// stopped.
func TestResumeIsExact(t *testing.T) {
	ex, build := everything(t)
	valid := &train.Examples{N: 32, S: ex.S, T: ex.T, Src: ex.Src[:32*ex.S], TgtIn: ex.TgtIn[:32*ex.T], TgtOut: ex.TgtOut[:32*ex.T]}
	testutil.Deadline(t, 4*time.Minute, func() {
		whole, s := build()
		whole.CheckpointDir = filepath.Join(t.TempDir(), "whole")
		hw, err := whole.Run(context.Background(), s, valid, train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}

		first, s := build()
		first.CheckpointDir = filepath.Join(t.TempDir(), "parts")
		ctx, cancel := context.WithCancel(context.Background())
		h1, err := first.Run(ctx, s, valid, train.Hooks{OnStep: func(step int, _ float64) {
			if step == 5 {
				cancel()
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h1.Stopped, "interrupted at step 5") || first.GlobalStep() != 5 {
			t.Fatalf("stopped at step %d: %q", first.GlobalStep(), h1.Stopped)
		}
		second, s := build()
		second.CheckpointDir = first.CheckpointDir
		if err := second.Restore(filepath.Join(first.CheckpointDir, train.StepCheckpoint(5)), s); err != nil {
			t.Fatal(err)
		}
		h2, err := second.Run(context.Background(), s, valid, train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("uninterrupted losses %.5f", hw.TrainLoss)
		t.Logf("resumed losses       %.5f", h2.TrainLoss)
		if !slices.Equal(hw.TrainLoss, h2.TrainLoss) || !slices.Equal(hw.GradNorm, h2.GradNorm) {
			t.Errorf("loss curves differ: %v vs %v; gradient norms %v vs %v", hw.TrainLoss, h2.TrainLoss, hw.GradNorm, h2.GradNorm)
		}
		if !slices.Equal(hw.Valid, h2.Valid) {
			t.Errorf("validation differs: %+v vs %+v", hw.Valid, h2.Valid)
		}
		a, b := variables(whole.Store), variables(second.Store)
		if len(a) != len(b) {
			t.Errorf("%d variables vs %d", len(a), len(b))
			for k := range b {
				if _, ok := a[k]; !ok {
					t.Errorf("extra variable %q after resuming", k)
				}
			}
		}
		for k, v := range a {
			if !slices.Equal(v, b[k]) {
				t.Errorf("variable %s differs after resuming", k)
			}
		}
		if _, ok := a["/#rngState"]; !ok {
			t.Error("no RNG state variable: dropout and sampling were not exercised")
		}
		// Checkpoints kept: the last 3 steps (3, 6, 9, 10 were saved) and the best.
		names, _ := train.Checkpoints(whole.CheckpointDir)
		if want := []string{train.StepCheckpoint(6), train.StepCheckpoint(9), train.StepCheckpoint(10)}; !slices.Equal(names, want) {
			t.Errorf("kept %v, want %v", names, want)
		}
		if _, err := train.ReadCheckpointState(filepath.Join(whole.CheckpointDir, train.BestCheckpoint)); err != nil {
			t.Errorf("best checkpoint: %v", err)
		}
	})
}

// Early stopping: with exact match stuck at 0.5, patience 2 and validation every step, the loop stops at step 3.
func TestEarlyStopping(t *testing.T) {
	ex, m, l := tiny(t)
	l.Steps, l.EvalEvery, l.Patience, l.Metric = 50, 1, 2, train.MetricExactMatch
	tr := newTrainer(t, m, l)
	testutil.Deadline(t, 2*time.Minute, func() {
		h, err := tr.Run(context.Background(), train.NewShuffler(ex, l.BatchSize, l.Seed), ex, train.Hooks{
			OnEval: func(p *train.Point) error { p.ExactMatch = 0.5; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		t.Log(h.Stopped)
		if tr.GlobalStep() != 3 || len(h.Valid) != 3 || h.BestStep != 1 || !strings.Contains(h.Stopped, "early stopping at step 3") {
			t.Errorf("stopped at step %d after %d validations, best %d: %q", tr.GlobalStep(), len(h.Valid), h.BestStep, h.Stopped)
		}
	})
}

// poisonAt returns an OnStep hook that, after the given step, overwrites the output bias with NaN: a
// divergence forced the same way on every backend (an absurd learning rate overflows on one backend and
// merely saturates on another).
func poisonAt(t *testing.T, tr *train.Trainer, at int) func(int, float64) {
	return func(step int, _ float64) {
		if step != at {
			return
		}
		v := tr.Store.GetVariable("/output/bias")
		if v == nil {
			t.Fatal("no variable /output/bias")
		}
		nan := make([]float32, v.Shape().Size())
		for i := range nan {
			nan[i] = float32(math.NaN())
		}
		v.MustSetValue(tensors.FromFlatDataAndDimensions(nan, v.Shape().Dimensions...))
	}
}

// A diverging run stops with ErrNonFinite naming the step, and the newest checkpoint on disk is still a good
// one; a store holding NaN is never saved.
func TestNonFiniteStopsAndKeepsGoodCheckpoint(t *testing.T) {
	ex, m, l := tiny(t)
	l.Steps, l.CheckpointEvery = 20, 2
	tr := newTrainer(t, m, l)
	tr.CheckpointDir = t.TempDir()
	s := train.NewShuffler(ex, l.BatchSize, l.Seed)
	testutil.Deadline(t, 2*time.Minute, func() {
		h, err := tr.Run(context.Background(), s, nil, train.Hooks{OnStep: poisonAt(t, tr, 3)})
		if !errors.Is(err, train.ErrNonFinite) {
			t.Fatalf("NaN weights after step 3: error %v, want ErrNonFinite (losses %v)", err, h.TrainLoss)
		}
		t.Log(err)
		if !strings.Contains(err.Error(), "at step 4 (loss NaN") || !strings.Contains(err.Error(), train.StepCheckpoint(2)) || tr.GlobalStep() != 4 {
			t.Errorf("stopped at step %d; error does not name step 4: %v", tr.GlobalStep(), err)
		}
		names, _ := train.Checkpoints(tr.CheckpointDir)
		if !slices.Equal(names, []string{train.StepCheckpoint(2)}) {
			t.Fatalf("checkpoints %v, want only step 2", names)
		}
		// The kept checkpoint loads and holds finite weights; a fresh trainer can resume from it.
		again := newTrainer(t, m, l)
		if err := again.Restore(filepath.Join(tr.CheckpointDir, names[0]), train.NewShuffler(ex, l.BatchSize, l.Seed)); err != nil {
			t.Fatal(err)
		}
		if err := train.CheckFinite(again.Store); err != nil {
			t.Error(err)
		}
		// Saving the diverged store is refused and leaves the folder as it was.
		err = tr.Save(tr.CheckpointDir, "diverged", s)
		if !errors.Is(err, train.ErrNonFinite) || !strings.Contains(err.Error(), "holds NaN") {
			t.Errorf("saving NaN weights: %v, want ErrNonFinite naming a variable", err)
		}
		if _, e := os.Stat(filepath.Join(tr.CheckpointDir, "diverged")); e == nil {
			t.Error("a checkpoint of NaN weights was written")
		}
		t.Log(err)
	})
	// Weights poisoned just before a checkpoint is due: the checkpoint is refused, the previous one stays.
	tr2 := newTrainer(t, m, l)
	tr2.CheckpointDir = t.TempDir()
	testutil.Deadline(t, 2*time.Minute, func() {
		_, err := tr2.Run(context.Background(), train.NewShuffler(ex, l.BatchSize, l.Seed), nil, train.Hooks{OnStep: poisonAt(t, tr2, 4)})
		if !errors.Is(err, train.ErrNonFinite) {
			t.Fatalf("error %v, want ErrNonFinite", err)
		}
		t.Log(err)
		if names, _ := train.Checkpoints(tr2.CheckpointDir); !slices.Equal(names, []string{train.StepCheckpoint(2)}) {
			t.Errorf("checkpoints %v, want only step 2", names)
		}
	})
}

// Damaged checkpoints are clear errors, not panics: missing or invalid state.json, truncated weights, a
// checkpoint of another data order.
func TestCorruptCheckpoints(t *testing.T) {
	ex, m, l := tiny(t)
	l.Steps = 2
	tr := newTrainer(t, m, l)
	dir := t.TempDir()
	tr.CheckpointDir = dir
	testutil.Deadline(t, 2*time.Minute, func() {
		if _, err := tr.Run(context.Background(), train.NewShuffler(ex, l.BatchSize, l.Seed), nil, train.Hooks{}); err != nil {
			t.Fatal(err)
		}
	})
	good := filepath.Join(dir, train.StepCheckpoint(2))
	// A checkpoint whose writing was cut short stays under its temporary name and is never listed.
	if err := os.MkdirAll(filepath.Join(dir, "."+train.StepCheckpoint(3)+".partial-123", "weights"), 0o755); err != nil {
		t.Fatal(err)
	}
	if names, _ := train.Checkpoints(dir); !slices.Equal(names, []string{train.StepCheckpoint(2)}) {
		t.Errorf("checkpoints listed: %v, want only step 2", names)
	}
	damage := func(name string, change func(dir string)) {
		t.Run(name, func(t *testing.T) {
			c := filepath.Join(t.TempDir(), "ckpt")
			if err := os.CopyFS(c, os.DirFS(good)); err != nil {
				t.Fatal(err)
			}
			change(c)
			err := newTrainer(t, m, l).Restore(c, train.NewShuffler(ex, l.BatchSize, l.Seed))
			if err == nil {
				t.Fatal("damaged checkpoint accepted")
			}
			t.Log(err)
		})
	}
	damage("no state", func(c string) { _ = os.Remove(filepath.Join(c, "state.json")) })
	damage("unknown field", func(c string) {
		b, _ := os.ReadFile(filepath.Join(c, "state.json"))
		_ = os.WriteFile(filepath.Join(c, "state.json"), []byte(strings.Replace(string(b), "{", `{"extra": 1,`, 1)), 0o644)
	})
	damage("truncated weights", func(c string) {
		files, _ := filepath.Glob(filepath.Join(c, "weights", "*.bin"))
		if len(files) == 0 {
			t.Fatal("no weights file")
		}
		_ = os.Truncate(files[0], 100)
	})
	damage("other batch size", func(c string) {
		b, _ := os.ReadFile(filepath.Join(c, "state.json"))
		_ = os.WriteFile(filepath.Join(c, "state.json"), []byte(strings.Replace(string(b), `"size": 16`, `"size": 8`, 1)), 0o644)
	})
}
