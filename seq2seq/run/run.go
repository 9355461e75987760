package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// File names inside a run folder.
const (
	ConfigFile     = "config.json"
	VocabFile      = "vocab.json"
	MetricsFile    = "metrics.json"
	ModelDir       = "model"
	CheckpointsDir = "checkpoints" // Training checkpoints (see train.Trainer.Save), written while training.
)

// Metrics is saved as metrics.json.
type Metrics struct {
	Backend    string         `json:"backend"`     // Which backend trained it and why.
	History    *train.History `json:"history"`     // Loss curve and validation points.
	TestExact  float64        `json:"test_exact"`  // Held-out exact-match accuracy.
	TestCount  int            `json:"test_count"`  // Held-out examples.
	TrainSecs  float64        `json:"train_secs"`  // Training wall time.
	DecodeSecs float64        `json:"decode_secs"` // Held-out greedy decoding wall time.
}

// ErrCorrupt is wrapped by every error about a run folder's content.
var ErrCorrupt = errors.New("invalid run folder")

// Writer builds a run folder under a temporary name; Commit renames it into place.
type Writer struct {
	Final, Tmp string
}

// Create starts a run folder that will appear at dir on Commit. dir must not exist yet.
func Create(dir string) (*Writer, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("run folder %s already exists: choose another -out or remove it", dir)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("creating the run folder in %s: %w", parent, err)
	}
	return &Writer{Final: dir, Tmp: tmp}, nil
}

// Path is the path of name inside the (temporary) folder.
func (w *Writer) Path(name string) string { return filepath.Join(w.Tmp, name) }

// WriteJSON writes v as indented JSON to name.
func (w *Writer) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", name, err)
	}
	return os.WriteFile(w.Path(name), append(b, '\n'), 0o644)
}

// SaveModel writes config, vocabulary and weights.
func (w *Writer) SaveModel(cfg Config, v *text.Vocab, store *model.Store) error {
	if err := w.WriteJSON(ConfigFile, cfg); err != nil {
		return err
	}
	if err := v.Save(w.Path(VocabFile)); err != nil {
		return err
	}
	h, err := checkpoint.Build(store).Dir(w.Path(ModelDir)).Done()
	if err != nil {
		return fmt.Errorf("creating the checkpoint in %s: %w", w.Path(ModelDir), err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("saving the weights in %s: %w", w.Path(ModelDir), err)
	}
	return nil
}

// Commit moves the finished folder into place.
func (w *Writer) Commit() error {
	if err := os.Rename(w.Tmp, w.Final); err != nil {
		return fmt.Errorf("moving the finished run into %s: %w", w.Final, err)
	}
	return nil
}

// Abort removes the temporary folder.
func (w *Writer) Abort() { _ = os.RemoveAll(w.Tmp) }

// Loaded is a run folder read back: enough to decode or continue training.
type Loaded struct {
	Dir    string
	Config Config
	Vocab  *text.Vocab
	Store  *model.Store // Weights, loaded from the checkpoint.
	// Weights is the folder the weights came from: model/, or the newest checkpoint of an unfinished run.
	Weights string
}

// Load reads a run folder: config, vocabulary and weights. Every problem is an error naming the file.
func Load(dir string) (l *Loaded, err error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a directory", ErrCorrupt, dir)
	}
	cfg, err := ReadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, err
	}
	v, err := text.Load(filepath.Join(dir, VocabFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if v.Size() != cfg.Model.VocabSize {
		return nil, fmt.Errorf("%w: %s has %d tokens but %s says model.vocab_size=%d", ErrCorrupt,
			filepath.Join(dir, VocabFile), v.Size(), filepath.Join(dir, ConfigFile), cfg.Model.VocabSize)
	}
	store := model.NewStore()
	mdir := filepath.Join(dir, ModelDir)
	if _, err := os.Stat(mdir); errors.Is(err, os.ErrNotExist) {
		// A training run that has not finished: its newest checkpoint holds the weights.
		names, _ := train.Checkpoints(filepath.Join(dir, CheckpointsDir))
		if len(names) == 0 {
			return nil, fmt.Errorf("%w: %s has neither weights (%s/) nor checkpoints (%s/)", ErrCorrupt, dir, ModelDir, CheckpointsDir)
		}
		mdir = train.CheckpointWeights(filepath.Join(dir, CheckpointsDir, names[len(names)-1]))
	}
	defer func() {
		if r := recover(); r != nil {
			l, err = nil, fmt.Errorf("%w: loading the weights in %s: %v", ErrCorrupt, mdir, r)
		}
	}()
	if _, err := checkpoint.Load(store).Dir(mdir).Immediate().Done(); err != nil {
		return nil, fmt.Errorf("%w: loading the weights in %s: %v", ErrCorrupt, mdir, err)
	}
	return &Loaded{Dir: dir, Config: cfg, Vocab: v, Store: store, Weights: mdir}, nil
}
