package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/gotextgen/textgen/internal/atomicfile"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// A training run folder (what `textgen train` works on) exists while the job trains:
//
//	config.json, vocab.json   written first, together (a temporary folder renamed into place)
//	checkpoints/              train.Trainer checkpoints: step-NNNNNNNN/ (the last loop.keep_checkpoints) and best/
//	model/, metrics.json      the final weights and measurements, each written atomically when training ends
//
// so a crash or an interrupt leaves a folder that Resume continues and Load reads (from its newest checkpoint).

// Start creates the run folder dir for the job (dir must not exist) with its config.json and vocab.json,
// and sends the trainer's checkpoints to dir/checkpoints.
func (j *Job) Start(dir string) error {
	w, err := Create(dir)
	if err != nil {
		return err
	}
	defer w.Abort() // no-op after Commit
	if err := w.WriteJSON(ConfigFile, j.Config); err != nil {
		return err
	}
	if err := j.Vocab.Save(w.Path(VocabFile)); err != nil {
		return err
	}
	if err := w.Commit(); err != nil {
		return err
	}
	j.attach(dir)
	return nil
}

func (j *Job) attach(dir string) {
	j.Dir = dir
	j.Trainer.CheckpointDir = filepath.Join(dir, CheckpointsDir)
}

// ResumeOptions are the changes allowed when resuming.
type ResumeOptions struct {
	Steps int // > 0: new loop.steps (train further than planned); saved to config.json.
	// Config, if set, must equal the folder's config.json except loop.steps (a -config given with -resume).
	Config *Config
}

// Resume reopens run folder dir for more training: config and vocabulary from the folder, the data made
// again (tasks are deterministic), and the newest checkpoint restored so that training continues exactly.
// Nothing in the folder changes when it returns an error.
func Resume(backend compute.Backend, dir string, opt ResumeOptions) (*Job, error) {
	cfg, err := ReadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, err
	}
	vocab, err := text.Load(filepath.Join(dir, VocabFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, err)
	}
	if vocab.Size() != cfg.Model.VocabSize {
		return nil, fmt.Errorf("%w: %s has %d tokens but %s says model.vocab_size=%d", ErrCorrupt,
			filepath.Join(dir, VocabFile), vocab.Size(), filepath.Join(dir, ConfigFile), cfg.Model.VocabSize)
	}
	if opt.Config != nil {
		want := *opt.Config
		want.Model.VocabSize, want.Loop.Steps = cfg.Model.VocabSize, cfg.Loop.Steps
		if d := diffFields(cfg, want); len(d) > 0 {
			return nil, fmt.Errorf("%w: the given config differs from %s in %q: only loop.steps may change when resuming",
				ErrConfig, filepath.Join(dir, ConfigFile), d)
		}
	}
	cdir := filepath.Join(dir, CheckpointsDir)
	names, err := train.Checkpoints(cdir)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", ErrCorrupt, cdir, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no checkpoint in %s to resume from", ErrCorrupt, cdir)
	}
	last := filepath.Join(cdir, names[len(names)-1])
	st, err := train.ReadCheckpointState(last)
	if err != nil {
		return nil, err
	}
	if opt.Steps > 0 {
		cfg.Loop.Steps = opt.Steps
	}
	if st.Step >= cfg.Loop.Steps {
		return nil, fmt.Errorf("%s is at step %d, loop.steps is %d: nothing to resume (give more steps)", dir, st.Step, cfg.Loop.Steps)
	}
	j, err := prepare(backend, cfg, vocab)
	if err != nil {
		return nil, err
	}
	if err := j.Trainer.Restore(last, j.batches); err != nil {
		return nil, err
	}
	if opt.Steps > 0 {
		if err := writeJSON(filepath.Join(dir, ConfigFile), j.Config); err != nil {
			return nil, err
		}
	}
	j.attach(dir)
	return j, nil
}

// writeJSON writes v as indented JSON to path, atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return atomicfile.Write(path, append(b, '\n'), 0o644)
}

// Finish writes the final weights (model/) and metrics.json into the job's run folder (see Start), each
// atomically; non-finite weights are refused.
func (j *Job) Finish(m Metrics) error {
	if j.Dir == "" {
		return errors.New("Finish: the job has no run folder (call Start or Resume)")
	}
	if err := train.CheckFinite(j.Store); err != nil {
		return fmt.Errorf("not writing %s: %w", filepath.Join(j.Dir, ModelDir), err)
	}
	tmp, err := os.MkdirTemp(j.Dir, "."+ModelDir+".partial-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	h, err := checkpoint.Build(j.Store).Dir(tmp).Done()
	if err != nil {
		return fmt.Errorf("creating the weights in %s: %w", tmp, err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("saving the weights in %s: %w", tmp, err)
	}
	final := filepath.Join(j.Dir, ModelDir)
	old := filepath.Join(j.Dir, "."+ModelDir+".old")
	_ = os.RemoveAll(old)
	if err := os.Rename(final, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Rename(old, final)
		return fmt.Errorf("moving the weights into %s: %w", final, err)
	}
	_ = os.RemoveAll(old)
	return writeJSON(filepath.Join(j.Dir, MetricsFile), m)
}

// FolderFiles lists the names in a run folder, for messages.
func FolderFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if e.Name()[0] != '.' {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}
