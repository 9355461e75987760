package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// quickConfig is a few steps of reversal with a tiny model, checkpoints every 2 steps, validation every 3.
func quickConfig() run.Config {
	cfg := run.DefaultConfig()
	cfg.Task, cfg.Train, cfg.Valid, cfg.Test = "reverse", 200, 16, 16
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention, cfg.Model.MaxSource, cfg.Model.MaxTarget = 8, 16, 8, 6, 6
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.EvalEvery, cfg.Loop.CheckpointEvery = 7, 16, 3, 2
	cfg.Loop.TeacherForcing = &train.TeacherForcing{Ratio: 0.8} // buckets are exercised in train (one compiled shape keeps XLA quick)
	return cfg
}

// variables copies every variable of the store (weights, optimizer state, RNG) by path.
func variables(store *model.Store) map[string][]byte {
	out := map[string][]byte{}
	for v := range store.IterVariables() {
		_ = v.MustValue().ConstBytes(func(b []byte) { out[v.Path()] = slices.Clone(b) })
	}
	return out
}

// snapshot is every file of a folder with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return nil
	})
	return out
}

// A run folder interrupted mid-training and resumed ends like a run that never stopped: same loss curve,
// same validation, bit-identical weights; it loads with nothing else.
func TestRunFolderResume(t *testing.T) {
	be := testutil.Backend(t)
	base := t.TempDir()
	testutil.Deadline(t, 4*time.Minute, func() {
		whole, err := run.Prepare(be, quickConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := whole.Start(filepath.Join(base, "whole")); err != nil {
			t.Fatal(err)
		}
		hw, err := whole.Train(context.Background(), train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		if err := whole.Finish(run.Metrics{History: hw}); err != nil {
			t.Fatal(err)
		}

		dir := filepath.Join(base, "parts")
		part, err := run.Prepare(be, quickConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := part.Start(dir); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := part.Train(ctx, train.Hooks{OnStep: func(step int, _ float64) {
			if step == 4 {
				cancel()
			}
		}}); err != nil {
			t.Fatal(err)
		}
		// Unfinished: Load reads the newest checkpoint.
		l, err := run.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(l.Weights, train.StepCheckpoint(4)) {
			t.Errorf("unfinished run loaded weights from %s, want the step-4 checkpoint", l.Weights)
		}
		rest, err := run.Resume(be, dir, run.ResumeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		hr, err := rest.Train(context.Background(), train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rest.Finish(run.Metrics{History: hr}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(hw.TrainLoss, hr.TrainLoss) || !slices.Equal(hw.Valid, hr.Valid) {
			t.Errorf("resumed history differs:\n %v\n %v\n %+v\n %+v", hw.TrainLoss, hr.TrainLoss, hw.Valid, hr.Valid)
		}
		a, b := variables(whole.Store), variables(rest.Store)
		for k, v := range a {
			if !slices.Equal(v, b[k]) {
				t.Errorf("variable %s differs after resuming", k)
			}
		}
		l, err = run.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(l.Weights) != run.ModelDir {
			t.Errorf("finished run loaded weights from %s", l.Weights)
		}
		t.Logf("run folder: %v; losses %.4f", run.FolderFiles(dir), hr.TrainLoss)

		// Nothing left to do: a clear error, folder unchanged.
		before := snapshot(t, dir)
		if _, err := run.Resume(be, dir, run.ResumeOptions{}); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
			t.Errorf("resuming a finished run: %v", err)
		}
		// A -config that changes more than loop.steps is refused, naming the field.
		other := quickConfig()
		other.Loop.LearningRate = 0.1
		if _, err := run.Resume(be, dir, run.ResumeOptions{Steps: 9, Config: &other}); err == nil || !strings.Contains(err.Error(), "loop.learning_rate") {
			t.Errorf("resuming with another learning rate: %v", err)
		}
		if after := snapshot(t, dir); len(after) != len(before) {
			t.Errorf("refused resumes changed the folder: %d files, then %d", len(before), len(after))
		} else {
			for k, v := range before {
				if after[k] != v {
					t.Errorf("refused resumes changed %s", k)
				}
			}
		}
		// More steps: continues from step 7 and saves the new total in config.json.
		more, err := run.Resume(be, dir, run.ResumeOptions{Steps: 8})
		if err != nil {
			t.Fatal(err)
		}
		if more.Trainer.GlobalStep() != 7 {
			t.Errorf("resumed at step %d, want 7", more.Trainer.GlobalStep())
		}
		if cfg, err := run.ReadConfig(filepath.Join(dir, run.ConfigFile)); err != nil || cfg.Loop.Steps != 8 {
			t.Errorf("config.json after -steps 8: %v, %v", cfg.Loop.Steps, err)
		}
	})
}

// A run folder missing its vocabulary or with a broken config cannot be resumed, and stays as it was.
func TestResumeBrokenFolder(t *testing.T) {
	be := testutil.Backend(t)
	dir := filepath.Join(t.TempDir(), "r")
	testutil.Deadline(t, 2*time.Minute, func() {
		j, err := run.Prepare(be, quickConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Start(dir); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := j.Train(ctx, train.Hooks{OnStep: func(int, float64) { cancel() }}); err != nil {
			t.Fatal(err)
		}
	})
	for name, damage := range map[string]func(){
		"no vocabulary": func() { _ = os.Remove(filepath.Join(dir, run.VocabFile)) },
		"unknown field": func() {
			_ = os.WriteFile(filepath.Join(dir, run.ConfigFile), []byte(`{"task": "reverse", "loop": {"stepz": 3}}`), 0o644)
		},
		"no checkpoints": func() { _ = os.RemoveAll(filepath.Join(dir, run.CheckpointsDir)) },
	} {
		t.Run(name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "copy")
			if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			saved := dir
			dir = d
			damage()
			dir = saved
			before := snapshot(t, d)
			_, err := run.Resume(be, d, run.ResumeOptions{Steps: 20})
			if !errors.Is(err, run.ErrCorrupt) {
				t.Errorf("error %v, want ErrCorrupt", err)
			}
			t.Log(err)
			if after := snapshot(t, d); len(after) != len(before) {
				t.Error("the folder changed")
			}
		})
	}
}

// Job configs: defaults fill what a file leaves out; unknown and contradictory fields are errors naming them.
func TestParseConfig(t *testing.T) {
	ok, err := run.DecodeConfig(strings.NewReader(`{"task": "reverse", "loop": {"steps": 50, "clip_norm": 1}}`), "a.json")
	if err != nil {
		t.Fatal(err)
	}
	if ok.Loop.Steps != 50 || ok.Loop.ClipNorm != 1 || ok.Loop.BatchSize != run.DefaultConfig().Loop.BatchSize || ok.Model.Hidden != 64 {
		t.Errorf("defaults not kept: %+v", ok)
	}
	tf, err := run.DecodeConfig(strings.NewReader(`{"loop": {"teacher_forcing": 0.75}}`), "b.json")
	if err != nil || *tf.Loop.TeacherForcing != (train.TeacherForcing{Ratio: 0.75}) {
		t.Errorf("teacher_forcing as a number: %+v, %v", tf.Loop.TeacherForcing, err)
	}
	for in, want := range map[string]string{
		`{"loop": {"stepz": 3}}`:                                  `unknown field "stepz"`,
		`{"colour": 1}`:                                           `unknown field "colour"`,
		`{"task": "poems"}`:                                       `unknown task "poems"`,
		`{"task": "tsv"}`:                                         `"train_file" and "valid_file"`,
		`{"train_file": "x.tsv"}`:                                 `field "train_file" is set but task "dates"`,
		`{"model": {"dropout": 0.5}}`:                             `"dropout"`,
		`{"loop": {"schedule": "noam"}}`:                          `"warmup_steps"`,
		`{"loop": {"batch_size": "big"}}`:                         `field "loop.batch_size"`,
		"{\n\"task\": \"dates\",\n}":                              `a.json:3`,
		`{"train": 10, "loop": {"batch_size": 64}}`:               `need train ≥ loop.batch_size`,
		`{"loop": {"teacher_forcing": {"ratio": 1, "rate": 2}}}`:  `unknown field "rate"`,
		`{"loop": {"teacher_forcing": "half"}}`:                   `"teacher_forcing" must be a number`,
		`{"loop": {"teacher_forcing": {"ratio": 2}}}`:             `"teacher_forcing.ratio"`,
		`{"model": {"max_source": 3}, "loop": {"buckets": 4}}`:    `"loop.buckets"`,
		`{"format": "textgen-run", "version": 2}`:                 `"version"`,
		`{"task": "dates"} {"task": "reverse"}`:                   `more than one JSON value`,
		`{"loop": {"metric": "bleu", "label_smoothing": 1.5}}`:    `"label_smoothing"`,
		`{"loop": {"min_lr": 0.001, "schedule": "constant"}}`:     `"min_lr"`,
		`{"loop": {"warmup_steps": 2000, "schedule": "cosine"}}`:  `"warmup_steps"`,
		`{"loop": {"keep_checkpoints": -1, "patience": -2}}`:      `"patience"`,
		`{"loop": {"checkpoint_every": -1, "learning_rate": -1}}`: `"learning_rate"`,
		`{"vocab_min_freq": -1}`:                                  `"vocab_min_freq"`,
		`{"vocab_max_size": 3}`:                                   `"vocab_max_size"`,
	} {
		_, err := run.DecodeConfig(strings.NewReader(in), "a.json")
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, run.ErrConfig) {
			t.Errorf("%s: error %v, want one mentioning %s", in, err, want)
		}
	}
}

// The tsv task reads train/valid(/test) files.
func TestTSVTask(t *testing.T) {
	dir := t.TempDir()
	pairs := data.Reverse(64, 5, 2, 5)
	if err := data.WriteTSV(filepath.Join(dir, "train.tsv"), pairs[:48]); err != nil {
		t.Fatal(err)
	}
	if err := data.WriteTSV(filepath.Join(dir, "valid.tsv"), pairs[48:]); err != nil {
		t.Fatal(err)
	}
	cfg := quickConfig()
	cfg.Task, cfg.TrainFile, cfg.ValidFile = "tsv", filepath.Join(dir, "train.tsv"), filepath.Join(dir, "valid.tsv")
	j, err := run.Prepare(testutil.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.TrainPairs) != 48 || len(j.ValidPairs) != 16 || !slices.Equal(j.TestPairs, j.ValidPairs) || j.TrainPairs[0] != pairs[0] {
		t.Errorf("tsv task: %d/%d/%d pairs", len(j.TrainPairs), len(j.ValidPairs), len(j.TestPairs))
	}
	// vocab_min_freq / vocab_max_size reach the vocabulary built from the training pairs.
	counts := map[string]int{}
	for _, p := range pairs[:48] {
		for _, r := range p.Source + p.Target {
			counts[string(r)]++
		}
	}
	frequent := 0
	for _, n := range counts {
		if n >= 20 {
			frequent++
		}
	}
	cfg.VocabMinFreq = 20
	small, err := run.Prepare(testutil.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := small.Vocab.Size(), text.NumSpecial+frequent; got != want || got >= j.Vocab.Size() {
		t.Errorf("vocab_min_freq 20: %d tokens, want %d (all: %d)", got, want, j.Vocab.Size())
	}
	cfg.VocabMinFreq, cfg.VocabMaxSize = 0, text.NumSpecial+3
	if capped, err := run.Prepare(testutil.Backend(t), cfg); err != nil || capped.Vocab.Size() != text.NumSpecial+3 {
		t.Errorf("vocab_max_size %d: %v", cfg.VocabMaxSize, err)
	}
	cfg.ValidFile = filepath.Join(dir, "missing.tsv")
	if _, err := run.Prepare(testutil.Backend(t), cfg); err == nil || !strings.Contains(err.Error(), "valid_file") {
		t.Errorf("missing file: %v", err)
	}
}
