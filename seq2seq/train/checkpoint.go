package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Layout of a checkpoint folder (inside Trainer.CheckpointDir):
//
//	step-00000300/       one per saved step; the newest Config.KeepCheckpoints are kept
//	  weights/           every variable of the store as a GoMLX checkpoint: weights, Adam moments and step,
//	                     the global step, the learning rate and the RNG state (#rngState) of dropout and sampling
//	  state.json         CheckpointState: step, shuffler position, history, early-stopping state
//	best/                the same, for the best validation point by Config.Metric
//
// Each folder is written under a temporary name and renamed into place, so a crash mid-write leaves the
// previous checkpoints as they were.
const (
	BestCheckpoint  = "best"
	stepPrefix      = "step-"
	weightsDir      = "weights"
	stateFile       = "state.json"
	checkpointMagic = "textgen-checkpoint"
)

// CheckpointWeights is the GoMLX checkpoint folder inside checkpoint folder dir.
func CheckpointWeights(dir string) string { return filepath.Join(dir, weightsDir) }

// CheckpointState is a checkpoint's state.json: what besides the variables makes a resumed run continue
// exactly.
type CheckpointState struct {
	Format   string        `json:"format"` // Always "textgen-checkpoint".
	Version  int           `json:"version"`
	Step     int           `json:"step"`
	Shuffler ShufflerState `json:"shuffler"`
	History  *History      `json:"history"`
	Best     *float64      `json:"best,omitempty"` // Best validation metric so far; nil before the first validation.
	BadEvals int           `json:"bad_evals"`      // Validations since the last improvement.

	// Trainable lists the trainable variables: GoMLX's checkpoint does not keep the flag, and a loaded
	// variable is trainable by default (the RNG state would then get Adam moments).
	Trainable []string `json:"trainable"`
}

// ErrCheckpoint is wrapped by every error about a checkpoint's content.
var ErrCheckpoint = errors.New("invalid checkpoint")

// StepCheckpoint is the name of the checkpoint folder of a step.
func StepCheckpoint(step int) string { return fmt.Sprintf("%s%08d", stepPrefix, step) }

// Checkpoints lists the step checkpoints in dir, oldest first (partial folders are ignored).
func Checkpoints(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stepPrefix) && len(e.Name()) == len(stepPrefix)+8 {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// CheckFinite returns an ErrNonFinite naming the first variable of the store holding a NaN or an infinity.
func CheckFinite(store *model.Store) error {
	for v := range store.IterVariables() {
		val, err := v.Value()
		if err != nil || val == nil {
			continue
		}
		var bad bool
		switch val.DType() {
		case dtypes.Float32:
			for _, x := range tensors.MustCopyFlatData[float32](val) {
				if !isFinite(float64(x)) {
					bad = true
					break
				}
			}
		case dtypes.Float64:
			for _, x := range tensors.MustCopyFlatData[float64](val) {
				if !isFinite(x) {
					bad = true
					break
				}
			}
		}
		if bad {
			return fmt.Errorf("%w: variable %s holds NaN or infinite values", ErrNonFinite, v.Path())
		}
	}
	return nil
}

// Save writes a checkpoint of the trainer and shuffler to dir/name, atomically: into a temporary folder next
// to it, renamed into place (an existing dir/name is replaced only after the new one is complete). It refuses,
// with ErrNonFinite, to save non-finite weights.
func (t *Trainer) Save(dir, name string, shuffler *Shuffler) error {
	if err := CheckFinite(t.Store); err != nil {
		return fmt.Errorf("not saving checkpoint %s at step %d: %w", filepath.Join(dir, name), t.step, err)
	}
	sst, err := shuffler.State()
	if err != nil {
		return err
	}
	st := CheckpointState{Format: checkpointMagic, Version: 1, Step: t.step, Shuffler: sst, History: t.History,
		BadEvals: t.badEvals}
	if isFinite(t.best) {
		st.Best = &t.best
	}
	for v := range t.Store.IterVariables() {
		if v.Trainable {
			st.Trainable = append(st.Trainable, v.Path())
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the checkpoint folder: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "."+name+".partial-*")
	if err != nil {
		return fmt.Errorf("creating a checkpoint in %s: %w", dir, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	// GoMLX's checkpoint writes its files in place, hence the temporary folder around it.
	h, err := checkpoint.Build(t.Store).Dir(filepath.Join(tmp, weightsDir)).Done()
	if err != nil {
		return fmt.Errorf("creating checkpoint %s: %w", name, err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("saving checkpoint %s: %w", name, err)
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(tmp, stateFile), b); err != nil {
		return err
	}
	final := filepath.Join(dir, name)
	if _, err := os.Stat(final); errors.Is(err, os.ErrNotExist) {
		// A crash between the two renames below left the previous checkpoint as .name.old: put it back first.
		_ = os.Rename(filepath.Join(dir, "."+name+".old"), final)
	}
	var old string
	if _, err := os.Stat(final); err == nil {
		old = filepath.Join(dir, "."+name+".old")
		_ = os.RemoveAll(old)
		if err := os.Rename(final, old); err != nil {
			return fmt.Errorf("replacing checkpoint %s: %w", final, err)
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		if old != "" {
			_ = os.Rename(old, final)
		}
		return fmt.Errorf("moving checkpoint %s into place: %w", final, err)
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	return nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// saveStep saves the current step's checkpoint in CheckpointDir (if set) and prunes old step checkpoints.
func (t *Trainer) saveStep(shuffler *Shuffler) error {
	if t.CheckpointDir == "" {
		return nil
	}
	name := StepCheckpoint(t.step)
	if err := t.Save(t.CheckpointDir, name, shuffler); err != nil {
		return err
	}
	names, err := Checkpoints(t.CheckpointDir)
	if err != nil {
		return err
	}
	for len(names) > t.Config.keep() {
		if err := os.RemoveAll(filepath.Join(t.CheckpointDir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// saveBest saves the best checkpoint in CheckpointDir (if set).
func (t *Trainer) saveBest(shuffler *Shuffler) error {
	if t.CheckpointDir == "" {
		return nil
	}
	return t.Save(t.CheckpointDir, BestCheckpoint, shuffler)
}

// ReadCheckpointState reads and checks dir's state.json.
func ReadCheckpointState(dir string) (*CheckpointState, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	var st CheckpointState
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCheckpoint, path, err)
	}
	if st.Format != checkpointMagic || st.Version != 1 {
		return nil, fmt.Errorf("%w: %s: format %q version %d, want %q version 1", ErrCheckpoint, path, st.Format, st.Version, checkpointMagic)
	}
	if st.History == nil || st.Step < 0 {
		return nil, fmt.Errorf("%w: %s: no history or step %d", ErrCheckpoint, path, st.Step)
	}
	return &st, nil
}

// Restore loads the checkpoint in dir (a folder written by Save) into the trainer and the shuffler, so that
// Run continues exactly where the saved run was. It must be called before any step or evaluation.
func (t *Trainer) Restore(dir string, shuffler *Shuffler) (err error) {
	if t.ran {
		return errors.New("Restore must be called before the trainer runs any graph")
	}
	st, err := ReadCheckpointState(dir)
	if err != nil {
		return err
	}
	wdir := filepath.Join(dir, weightsDir)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: loading the variables in %s: %v", ErrCheckpoint, wdir, r)
		}
	}()
	if _, err := checkpoint.Load(t.Store).Dir(wdir).Immediate().Done(); err != nil {
		return fmt.Errorf("%w: loading the variables in %s: %v", ErrCheckpoint, wdir, err)
	}
	trainable := map[string]bool{}
	for _, p := range st.Trainable {
		trainable[p] = true
	}
	for v := range t.Store.IterVariables() {
		v.SetTrainable(trainable[v.Path()])
		delete(trainable, v.Path())
	}
	if len(trainable) > 0 {
		return fmt.Errorf("%w: %s: trainable variables missing from the weights: %v", ErrCheckpoint, dir, slices.Sorted(maps.Keys(trainable)))
	}
	if gs := optimizer.GetGlobalStep(t.Store); int(gs) != st.Step {
		return fmt.Errorf("%w: %s: state.json says step %d but the variables are at global step %d", ErrCheckpoint, dir, st.Step, gs)
	}
	if err := shuffler.SetState(st.Shuffler); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCheckpoint, dir, err)
	}
	t.step, t.History, t.badEvals = st.Step, st.History, st.BadEvals
	if st.Best != nil {
		t.best = *st.Best
	}
	return nil
}
