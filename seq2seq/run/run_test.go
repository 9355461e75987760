package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// tinyConfig is sequence reversal with a small model: it learns in a few hundred steps on either backend.
func tinyConfig(steps int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Task = "reverse"
	cfg.Train, cfg.Valid, cfg.Test = 3000, 64, 64
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 64, 32
	cfg.Model.MaxSource, cfg.Model.MaxTarget = 7, 7
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = steps, 32, 0.01, 0
	return cfg
}

var (
	tinyOnce sync.Once
	tinyJob  *run.Job
	tinyErr  error
)

// trained returns the tiny model trained once per test binary (bounded in time: a hang fails the test).
func trained(t *testing.T) *run.Job {
	t.Helper()
	be := testutil.Backend(t)
	testutil.Deadline(t, 8*time.Minute, func() {
		tinyOnce.Do(func() {
			tinyJob, tinyErr = run.Prepare(be, tinyConfig(400))
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

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func TestShortTrainingLowersLoss(t *testing.T) {
	j := trained(t)
	h := j.History
	first, last := mean(h.TrainLoss[:20]), mean(h.TrainLoss[len(h.TrainLoss)-20:])
	t.Logf("mean loss of the first 20 steps %.4f, last 20 steps %.4f; validation %+v", first, last, h.Valid)
	if !(last < first/4) {
		t.Errorf("training did not lower the loss enough: first %.4f, last %.4f", first, last)
	}
}

// A trained model reproduces known outputs: the reversal of inputs it has not been trained on.
func TestGreedyKnownOutputs(t *testing.T) {
	j := trained(t)
	inputs := []string{"abc", "ponm", "aabbcc", "hello", "pjdak"}
	g, err := j.Greedy()
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Decode(inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := []rune(inputs[i])
		slices.Reverse(want)
		if r.Text != string(want) {
			t.Errorf("greedy(%q) = %q, want %q", inputs[i], r.Text, string(want))
		}
	}
	exact, _, _, err := j.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held-out exact match %.1f%%", 100*exact)
	if exact < 0.9 {
		t.Errorf("held-out exact match %.3f < 0.9", exact)
	}
}

// The greedy decoder (one graph, feeding back its own tokens) agrees with the naive reference: the
// teacher-forced graph run on the greedy tokens, whose argmax at every position must be the same token,
// with the same attention weights.
func TestGreedyMatchesTeacherForcedReference(t *testing.T) {
	j := trained(t)
	g, err := j.Greedy()
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Decode([]string{"abcdef", "pop", "kjihg"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := j.Model.Config
	exec, err := model.NewExec(j.Backend, j.Store, func(scope *model.Scope, src, in *Node) (*Node, *Node) {
		logits, att := j.Model.TeacherForced(scope, src, in)
		return ArgMax(logits, -1, dtypes.Int32), att
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		src := make([]int32, cfg.MaxSource)
		for i, id := range j.Vocab.EncodeWithEOS(r.Source) {
			src[i] = int32(id)
		}
		in := make([]int32, cfg.MaxTarget)
		in[0] = text.BOSID
		ids := append(j.Vocab.Encode(r.Text), text.EOSID)
		for i := 0; i+1 < len(ids) && i+1 < cfg.MaxTarget; i++ {
			in[i+1] = int32(ids[i])
		}
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(src, 1, cfg.MaxSource),
			tensors.FromFlatDataAndDimensions(in, 1, cfg.MaxTarget))
		if err != nil {
			t.Fatal(err)
		}
		argmax := tensors.MustCopyFlatData[int32](out[0])
		att := tensors.MustCopyFlatData[float32](out[1])
		for i, id := range ids {
			if int(argmax[i]) != id {
				t.Fatalf("%q: position %d: reference argmax %d, greedy %d", r.Source, i, argmax[i], id)
			}
			for s, w := range r.Attention[i] {
				if d := w - att[i*cfg.MaxSource+s]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("%q: attention[%d][%d] greedy %g, reference %g", r.Source, i, s, w, att[i*cfg.MaxSource+s])
				}
			}
		}
	}
}

// Same config and seeds → the same losses, bit for bit.
func TestSameSeedSameLoss(t *testing.T) {
	be := testutil.Backend(t)
	losses := func() []float64 {
		var h []float64
		testutil.Deadline(t, 5*time.Minute, func() {
			cfg := tinyConfig(6)
			j, err := run.Prepare(be, cfg)
			if err != nil {
				panic(err)
			}
			hist, err := j.Train(context.Background(), train.Hooks{})
			if err != nil {
				panic(err)
			}
			h = hist.TrainLoss
		})
		return h
	}
	a, b := losses(), losses()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different losses:\n%v\n%v", a, b)
	}
	t.Logf("losses: %v", a)
}

// saveRun writes j's model as a complete run folder at dir.
func saveRun(t *testing.T, j *run.Job, dir string) {
	t.Helper()
	w, err := run.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SaveModel(j.Config, j.Vocab, j.Store); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// A run folder round-trips: loading it decodes exactly as the model that wrote it.
func TestRunFolderRoundTrip(t *testing.T) {
	j := trained(t)
	dir := filepath.Join(t.TempDir(), "run")
	saveRun(t, j, dir)
	if _, err := run.Create(dir); err == nil {
		t.Error("Create over an existing run folder succeeded")
	}
	l, err := run.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{"abc", "mnop", "??"}
	g1, _ := j.Greedy()
	want, err := g1.Decode(inputs)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := decode.NewGreedy(j.Backend, l.Store, j.Model, l.Vocab)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g2.Decode(inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].Text != want[i].Text {
			t.Errorf("decode(%q) after reload = %q, before %q", inputs[i], got[i].Text, want[i].Text)
		}
	}
}

// Corrupt run folders give errors that name the file; nothing panics.
func TestCorruptRunFolder(t *testing.T) {
	j := trained(t)
	base := filepath.Join(t.TempDir(), "good")
	saveRun(t, j, base)
	cases := map[string]func(dir string){
		"missing config": func(d string) { os.Remove(filepath.Join(d, run.ConfigFile)) },
		"truncated JSON": func(d string) {
			os.WriteFile(filepath.Join(d, run.ConfigFile), []byte(`{"format":"textgen-run",`), 0o644)
		},
		"unknown field": func(d string) {
			os.WriteFile(filepath.Join(d, run.ConfigFile), []byte(`{"format":"textgen-run","version":1,"colour":1}`), 0o644)
		},
		"wrong format": func(d string) {
			os.WriteFile(filepath.Join(d, run.ConfigFile), []byte(`{"format":"other","version":1}`), 0o644)
		},
		"missing vocab": func(d string) { os.Remove(filepath.Join(d, run.VocabFile)) },
		"vocab mismatch": func(d string) {
			text.BuildVocab([]string{"xyz"}, nil, text.DefaultVocabConfig()).Save(filepath.Join(d, run.VocabFile))
		},
		"missing weights": func(d string) { os.RemoveAll(filepath.Join(d, run.ModelDir)) },
		"corrupt weights": func(d string) {
			files, _ := filepath.Glob(filepath.Join(d, run.ModelDir, "*"))
			for _, f := range files {
				os.WriteFile(f, []byte("garbage"), 0o644)
			}
		},
		"not a folder": func(d string) { os.RemoveAll(d); os.WriteFile(d, nil, 0o644) },
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			breakIt(dir)
			_, err := run.Load(dir)
			if !errors.Is(err, run.ErrCorrupt) {
				t.Fatalf("Load(%s) error = %v, want ErrCorrupt", name, err)
			}
			t.Log(err)
		})
	}
}
