package kernel

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// tinyConfig is reversal of 2 to 5 letters with a tiny model, trained for steps steps.
func tinyConfig(steps int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Task, cfg.Train, cfg.Valid, cfg.Test = "reverse", 300, 40, 20
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 8, 16, 8
	cfg.Model.MaxSource, cfg.Model.MaxTarget = 6, 6
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = steps, 16, 0.02, 0
	return cfg
}

var (
	tinyOnce sync.Once
	tinyJob  *run.Job
	tinyErr  error
)

// trainedTiny is a tinyConfig(40) job trained once per test binary, on the test backend.
func trainedTiny(t *testing.T) *run.Job {
	t.Helper()
	testutil.Deadline(t, 3*time.Minute, func() {
		tinyOnce.Do(func() {
			tinyJob, tinyErr = run.Prepare(testutil.Backend(t), tinyConfig(40))
			if tinyErr == nil {
				_, tinyErr = tinyJob.Train(context.Background(), train.Hooks{})
			}
		})
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyJob
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestMaskingLosses(t *testing.T) {
	j := trainedTiny(t)
	testutil.Deadline(t, time.Minute, func() {
		idx := make([]int, j.ValidEx.N)
		for i := range idx {
			idx[i] = i
		}
		m, err := MaskingLosses(j, j.ValidEx.Rows(idx))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.NLL) != j.ValidEx.N || len(m.NLL[0]) != j.ValidEx.T {
			t.Fatalf("NLL is %d×%d, want %d×%d", len(m.NLL), len(m.NLL[0]), j.ValidEx.N, j.ValidEx.T)
		}
		// The graph's losses against the per-position values averaged in Go, and the trainer's own loss.
		if !near(m.Masked, m.MeanNLL(true), 1e-5) {
			t.Errorf("masked loss %v, mean NLL over real tokens %v", m.Masked, m.MeanNLL(true))
		}
		if !near(m.Unmasked, m.MeanNLL(false), 1e-5) {
			t.Errorf("unmasked loss %v, mean NLL over all positions %v", m.Unmasked, m.MeanNLL(false))
		}
		p, err := j.Trainer.Evaluate(j.ValidEx, 256)
		if err != nil {
			t.Fatal(err)
		}
		if !near(m.Masked, p.Loss, 1e-5) {
			t.Errorf("masked loss %v, trainer's validation loss %v", m.Masked, p.Loss)
		}
		if f := m.PaddingFraction(); f <= 0 || f >= 1 {
			t.Errorf("padding fraction %v, want in (0,1) for strings of 2 to 5 letters in 6 positions", f)
		}
		if near(m.Masked, m.Unmasked, 1e-3) {
			t.Errorf("masked and unmasked losses agree (%v): padding should change the mean", m.Masked)
		}
	})
}

func TestGlobalNormMatchesTrainer(t *testing.T) {
	j, err := run.Prepare(testutil.Backend(t), tinyConfig(5))
	if err != nil {
		t.Fatal(err)
	}
	testutil.Deadline(t, time.Minute, func() {
		idx := []int{0, 1, 2, 3, 4, 5, 6, 7}
		_, grads, err := j.Trainer.Gradients(j.TrainEx.Rows(idx))
		if err != nil {
			t.Fatal(err)
		}
		g, err := GradientValues(grads)
		if err != nil {
			t.Fatal(err)
		}
		s, err := j.Trainer.StepStats(j.TrainEx.Rows(idx))
		if err != nil {
			t.Fatal(err)
		}
		if norm := GlobalNorm(g); !near(norm, s.GradNorm, 1e-4) || norm == 0 {
			t.Errorf("global norm in Go %v, trainer's %v", norm, s.GradNorm)
		}
		c := GlobalNorm(g) / 3
		clipped, scale := ClipGlobalNorm(g, c)
		if !near(GlobalNorm(clipped), c, 1e-5) || !near(scale, 1.0/3, 1e-9) {
			t.Errorf("clipped to %v: norm %v, scale %v", c, GlobalNorm(clipped), scale)
		}
	})
}

func TestClipGlobalNormByHand(t *testing.T) {
	g := map[string][]float32{"a": {3}, "b": {0, 4}}
	if n := GlobalNorm(g); n != 5 {
		t.Fatalf("norm %v, want 5", n)
	}
	c, scale := ClipGlobalNorm(g, 1)
	if scale != 0.2 || math.Abs(float64(c["a"][0])-0.6) > 1e-7 || math.Abs(float64(c["b"][1])-0.8) > 1e-7 {
		t.Errorf("clip to 1: %v, scale %v; want a=[0.6] b=[0 0.8], 0.2", c, scale)
	}
	if c, scale := ClipGlobalNorm(g, 10); scale != 1 || c["a"][0] != 3 {
		t.Errorf("clip to 10 (above the norm) changed the gradients: %v, scale %v", c, scale)
	}
	if _, scale := ClipGlobalNorm(g, 0); scale != 1 {
		t.Errorf("clip 0 (off): scale %v", scale)
	}
}

func TestScheduleSeries(t *testing.T) {
	cfg := train.Config{Steps: 100, LearningRate: 0.01, Schedule: train.ScheduleNoam, WarmupSteps: 10}
	s := ScheduleSeries("noam", cfg)
	if len(s.X) != 100 || s.X[0] != 1 || s.X[99] != 100 {
		t.Fatalf("steps %v…, want 1…100", s.X[:3])
	}
	peak := 0
	for i, y := range s.Y {
		if y != cfg.LearningRateAt(i+1) {
			t.Fatalf("step %d: %v, LearningRateAt %v", i+1, y, cfg.LearningRateAt(i+1))
		}
		if y > s.Y[peak] {
			peak = i
		}
	}
	if peak+1 != 10 || s.Y[peak] != 0.01 {
		t.Errorf("peak %v at step %d, want 0.01 at the end of warm-up (10)", s.Y[peak], peak+1)
	}
}

func TestBestValidAndHistorySeries(t *testing.T) {
	h := &train.History{Steps: []int{1, 2, 3}, GradNorm: []float64{3, 2, 1},
		Valid: []train.Point{{Step: 1, Loss: 3}, {Step: 2, Loss: 1}, {Step: 3, Loss: 1}, {Step: 4, Loss: 2}}}
	if b, ok := BestValid(h); !ok || b.Step != 2 {
		t.Errorf("best %+v, want step 2 (the first of the equal lowest)", b)
	}
	if _, ok := BestValid(&train.History{}); ok {
		t.Error("best of an empty history")
	}
	s, err := HistorySeries("norm", h, h.GradNorm)
	if err != nil || s.X[2] != 3 || s.Y[2] != 1 {
		t.Errorf("series %+v, %v", s, err)
	}
	if _, err := HistorySeries("lr", h, []float64{1}); err == nil {
		t.Error("no error for 1 value for 3 steps")
	}
}

func TestWeightsDiff(t *testing.T) {
	// Stores filled from Go values: no graph to compile on any backend.
	store := func(w []float32, extra bool) *model.Store {
		s := model.NewStore()
		s.RootScope().In("layer").VariableWithValue("w", w)
		s.RootScope().In("layer").VariableWithValue("step", int64(7)) // not a float: ignored
		if extra {
			s.RootScope().In("layer").VariableWithValue("b", []float32{0})
		}
		return s
	}
	a := store([]float32{1, 2, 3}, false)
	if d, err := WeightsDiff(a, store([]float32{1, 2, 3}, false)); err != nil || d != 0 {
		t.Errorf("equal stores: diff %v, %v; want 0", d, err)
	}
	if d, err := WeightsDiff(a, store([]float32{1, 2.5, 2}, false)); err != nil || d != 1 {
		t.Errorf("diff %v, %v; want 1 (the largest of 0, 0.5, 1)", d, err)
	}
	for name, b := range map[string]*model.Store{
		"other shape":    store([]float32{1, 2}, false),
		"extra variable": store([]float32{1, 2, 3}, true),
	} {
		if _, err := WeightsDiff(a, b); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, err := WeightsDiff(b, a); err == nil {
			t.Errorf("%s (swapped): no error", name)
		}
	}
}
