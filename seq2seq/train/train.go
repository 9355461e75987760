package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Point is one validation result.
type Point struct {
	Step       int     `json:"step"`
	Loss       float64 `json:"loss"`        // Mean masked cross-entropy per target token.
	TokenAcc   float64 `json:"token_acc"`   // Teacher-forced accuracy over real target tokens.
	ExactMatch float64 `json:"exact_match"` // Fraction of greedy decodings equal to the target (set by OnEval).
}

// History is what a run measured. A resumed run continues the history saved in its checkpoint.
type History struct {
	Steps     []int     `json:"steps"`               // Step numbers (1-based) of TrainLoss.
	TrainLoss []float64 `json:"train_loss"`          // Loss of each step's batch (label-smoothed when label_smoothing > 0).
	GradNorm  []float64 `json:"grad_norm,omitempty"` // Global L2 norm of each step's gradients, before clipping.
	LR        []float64 `json:"lr,omitempty"`        // Learning rate of each step.
	Valid     []Point   `json:"valid"`               // Validation points.
	Seconds   float64   `json:"seconds"`             // Wall time of the loop (summed over resumed sessions).
	BestStep  int       `json:"best_step,omitempty"` // Step of the best validation point by Config.Metric.
	Stopped   string    `json:"stopped,omitempty"`   // Why the loop ended before Config.Steps, if it did.
}

// ErrNonFinite is returned when the loss or the gradients become NaN or infinite, or when a checkpoint would
// hold non-finite weights.
var ErrNonFinite = errors.New("training diverged: not finite")

// Trainer trains one model held in a store.
type Trainer struct {
	Config  Config
	Model   *seqmodel.Seq2Seq
	Store   *model.Store
	History *History // What Run measured so far (restored by Restore).

	// CheckpointDir, when set, receives checkpoints during Run: every Config.CheckpointEvery steps, at the end,
	// when the context is cancelled, and "best" whenever the validation metric improves (see checkpoint.go).
	CheckpointDir string

	backend compute.Backend
	stepExe *model.Exec
	gradExe *model.Exec
	eval    *model.Exec
	adam    gradientUpdater
	step    int
	ran     bool // A graph has run: Restore is no longer allowed.

	best     float64 // Best value of the validation metric so far (NaN: none yet).
	badEvals int     // Validations since the last improvement.
}

// gradientUpdater is what GoMLX's Adam implements besides optimizer.Interface: it applies given gradients,
// which lets the trainer clip them first (GoMLX v0.28 has no global-norm clipping).
type gradientUpdater interface {
	UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
}

// New prepares training of m with the weights in store (created on the first step, seeded by m.Config.Seed).
func New(backend compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := m.Config.Validate(); err != nil {
		return nil, err
	}
	store.SetParam(model.ParamInitialSeed, m.Config.Seed)
	adam, ok := optimizer.Adam().LearningRate(cfg.LearningRate).Done().(gradientUpdater)
	if !ok {
		return nil, errors.New("GoMLX's Adam no longer takes gradients (UpdateGraphWithGradients): update train.New")
	}
	t := &Trainer{Config: cfg, Model: m, Store: store, backend: backend, adam: adam, History: &History{}, best: math.NaN()}
	var err error
	if t.stepExe, err = model.NewExec(backend, store, t.stepGraph); err != nil {
		return nil, fmt.Errorf("building the training graph: %w", err)
	}
	if t.gradExe, err = model.NewExec(backend, store, t.gradGraph); err != nil {
		return nil, fmt.Errorf("building the gradient graph: %w", err)
	}
	t.eval, err = model.NewExec(backend, store, func(scope *model.Scope, src, tgtIn, tgtOut *Node) (*Node, *Node) {
		logits := m.TrainLogits(scope, src, tgtIn)
		mask := NotEqual(tgtOut, ZerosLike(tgtOut))
		correct := LogicalAnd(mask, Equal(ArgMax(logits, -1, tgtOut.DType()), tgtOut))
		lossSum := Mul(seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{logits}), ReduceAllSum(ConvertDType(mask, logits.DType())))
		return lossSum, ReduceAllSum(ConvertDType(correct, logits.DType()))
	})
	if err != nil {
		return nil, fmt.Errorf("building the evaluation graph: %w", err)
	}
	return t, nil
}

// lossAndGrads builds the training loss of inputs (src [B,S], tgtIn [B,T], tgtOut [B,T] int32, teacher-forcing
// ratio float32 scalar) and the gradients of the trainable variables, in the store's iteration order.
func (t *Trainer) lossAndGrads(scope *model.Scope, in []*Node) (loss *Node, grads []*Node) {
	g := in[0].Graph()
	scope.Store().SetTraining(g, true)
	var logits *Node
	if t.Config.sampling() {
		logits = t.Model.ScheduledSampling(scope, in[0], in[1], in[3])
	} else {
		logits = t.Model.TrainLogits(scope, in[0], in[1])
	}
	loss = seqmodel.SmoothedLoss(t.Config.LabelSmoothing)([]*Node{in[2]}, []*Node{logits})
	return loss, scope.BuildTrainableVariablesGradientsGraph(loss)
}

// globalNorm is √(Σ_i ‖g_i‖²) over all gradients, a float32 scalar, summed in the order of the variables'
// paths: the store's iteration order differs after a restore, and float32 sums depend on the order.
func globalNorm(scope *model.Scope, grads []*Node) *Node {
	g := grads[0].Graph()
	var paths []string
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			paths = append(paths, v.Path())
		}
	}
	order := make([]int, len(grads))
	for i := range order {
		order[i] = i
	}
	if len(paths) == len(grads) {
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(paths[a], paths[b]) })
	}
	var sum *Node
	for _, i := range order {
		gr := grads[i]
		sq := ReduceAllSum(Square(ConvertDType(gr, dtypes.Float32)))
		if sum == nil {
			sum = sq
		} else {
			sum = Add(sum, sq)
		}
	}
	return Sqrt(sum)
}

// stepGraph is one optimizer step. Inputs: src [B,S], tgtIn [B,T], tgtOut [B,T] int32, the teacher-forcing
// ratio and the learning rate (float32 scalars). Outputs: the loss and the gradients' global norm before
// clipping. With Config.ClipNorm = c > 0 the gradients are scaled by min(1, c/‖g‖) before Adam.
func (t *Trainer) stepGraph(scope *model.Scope, in []*Node) []*Node {
	loss, grads := t.lossAndGrads(scope, in)
	norm := globalNorm(scope, grads)
	if c := t.Config.ClipNorm; c > 0 {
		clip := Scalar(norm.Graph(), dtypes.Float32, c)
		scale := Where(GreaterThan(norm, clip), Div(clip, norm), OnesLike(norm))
		for i, gr := range grads {
			grads[i] = Mul(gr, ConvertDType(scale, gr.DType()))
		}
	}
	optimizer.LearningRateVar(scope, loss.DType(), t.Config.LearningRate).SetNodeValue(ConvertDType(in[4], loss.DType()))
	t.adam.UpdateGraphWithGradients(scope, grads, loss.DType())
	return []*Node{loss, norm}
}

// gradGraph returns the loss and the unclipped gradients (same inputs as stepGraph but the learning rate).
func (t *Trainer) gradGraph(scope *model.Scope, in []*Node) []*Node {
	loss, grads := t.lossAndGrads(scope, in)
	return append([]*Node{loss}, grads...)
}

// GlobalStep is the number of steps taken so far.
func (t *Trainer) GlobalStep() int { return t.step }

// StepStats is what one optimizer step measured.
type StepStats struct {
	Step           int     // 1-based number of the step.
	Loss           float64 // Training loss of the batch (before the update).
	GradNorm       float64 // Global L2 norm of the gradients, before clipping.
	LR             float64 // Learning rate used: Config.LearningRateAt(Step).
	TeacherForcing float64 // Teacher-forcing ratio used: Config.TeacherForcingRatio(Step).
}

// Step runs one optimizer step on b (which it consumes) and returns the batch loss.
func (t *Trainer) Step(b Batch) (float64, error) {
	s, err := t.StepStats(b)
	return s.Loss, err
}

// StepStats runs one optimizer step on b (which it consumes). A non-finite loss or gradient norm is an
// ErrNonFinite naming the step; the weights are then unusable (Run keeps the last good checkpoint).
func (t *Trainer) StepStats(b Batch) (StepStats, error) {
	s := StepStats{Step: t.step + 1, LR: t.Config.LearningRateAt(t.step + 1), TeacherForcing: t.Config.TeacherForcingRatio(t.step + 1)}
	t.ran = true
	out, err := t.stepExe.Exec(b.Src, b.TgtIn, b.TgtOut, float32(s.TeacherForcing), float32(s.LR))
	finalize(b.Src, b.TgtIn, b.TgtOut)
	if err != nil {
		return s, fmt.Errorf("training step %d: %w", s.Step, err)
	}
	s.Loss = float64(tensors.ToScalar[float32](out[0]))
	s.GradNorm = float64(tensors.ToScalar[float32](out[1]))
	finalize(out...)
	t.step++
	if !isFinite(s.Loss) || !isFinite(s.GradNorm) {
		return s, fmt.Errorf("%w at step %d (loss %v, gradient norm %v, learning rate %g): lower \"learning_rate\" or set \"clip_norm\"",
			ErrNonFinite, s.Step, s.Loss, s.GradNorm, s.LR)
	}
	return s, nil
}

// Gradients returns the training loss of b and the gradients (before clipping) of every trainable variable
// by its path in the store, without changing anything but the store's RNG state (used by scheduled sampling
// and dropout). It consumes b. The teacher-forcing ratio is that of the next step.
func (t *Trainer) Gradients(b Batch) (loss float64, grads map[string]*tensors.Tensor, err error) {
	t.ran = true
	out, err := t.gradExe.Exec(b.Src, b.TgtIn, b.TgtOut, float32(t.Config.TeacherForcingRatio(t.step+1)))
	finalize(b.Src, b.TgtIn, b.TgtOut)
	if err != nil {
		return 0, nil, fmt.Errorf("computing gradients: %w", err)
	}
	loss = float64(tensors.ToScalar[float32](out[0]))
	finalize(out[0])
	grads = map[string]*tensors.Tensor{}
	i := 1
	for v := range t.Store.IterVariables() {
		if v.Trainable && i < len(out) {
			grads[v.Path()] = out[i]
			i++
		}
	}
	if i != len(out) {
		return 0, nil, fmt.Errorf("computing gradients: %d gradients for %d trainable variables", len(out)-1, i-1)
	}
	return loss, grads, nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func finalize(ts ...*tensors.Tensor) {
	for _, x := range ts {
		_ = x.FinalizeAll()
	}
}

// Evaluate returns the teacher-forced loss (plain cross-entropy, without label smoothing) and token accuracy
// over all of ex, in batches of batchSize.
func (t *Trainer) Evaluate(ex *Examples, batchSize int) (Point, error) {
	var lossSum, correct, tokens float64
	t.ran = true
	for _, idx := range Chunks(ex.N, batchSize) {
		b := ex.Rows(idx)
		for _, v := range ex.TgtOut[idx[0]*ex.T : (idx[len(idx)-1]+1)*ex.T] {
			if v != 0 {
				tokens++
			}
		}
		out, err := t.eval.Exec(b.Src, b.TgtIn, b.TgtOut)
		finalize(b.Src, b.TgtIn, b.TgtOut)
		if err != nil {
			return Point{}, fmt.Errorf("evaluating: %w", err)
		}
		lossSum += float64(tensors.ToScalar[float32](out[0]))
		correct += float64(tensors.ToScalar[float32](out[1]))
		finalize(out...)
	}
	return Point{Step: t.step, Loss: lossSum / max(tokens, 1), TokenAcc: correct / max(tokens, 1)}, nil
}

// Hooks are called by Run; any may be nil.
type Hooks struct {
	OnStep func(step int, loss float64) // After every step.
	OnEval func(p *Point) error         // After each validation; may set p.ExactMatch.
	OnDone func(h *History)             // Once, after the loop.
}

// improved records validation point p for early stopping and reports whether it is the best so far.
func (t *Trainer) improved(p Point) bool {
	v, better := p.Loss, func(a, b float64) bool { return a < b }
	if t.Config.metric() == MetricExactMatch {
		v, better = p.ExactMatch, func(a, b float64) bool { return a > b }
	}
	if math.IsNaN(t.best) || better(v, t.best) {
		t.best, t.badEvals = v, 0
		return true
	}
	t.badEvals++
	return false
}

// Run trains until the global step reaches Config.Steps on batches from train, validating on valid (may be
// nil) every Config.EvalEvery steps and at the end. It returns early, with what it has, when:
//   - ctx is cancelled: History.Stopped says so and, with a CheckpointDir, a checkpoint of the current step
//     is saved first (the error is nil; a later Restore continues exactly);
//   - the validation metric has not improved for Config.Patience validations (early stopping);
//   - the loss or the gradients are not finite: an ErrNonFinite naming the step; no checkpoint is written
//     after that, so the last good one stays the newest.
func (t *Trainer) Run(ctx context.Context, train *Shuffler, valid *Examples, hooks Hooks) (*History, error) {
	h := t.History
	h.Stopped = ""
	start, before := time.Now(), h.Seconds
	defer func() { h.Seconds = before + time.Since(start).Seconds() }()
	validate := func() (stop bool, err error) {
		if valid == nil {
			return false, nil
		}
		p, err := t.Evaluate(valid, 256)
		if err != nil {
			return false, err
		}
		if hooks.OnEval != nil {
			if err := hooks.OnEval(&p); err != nil {
				return false, err
			}
		}
		h.Valid = append(h.Valid, p)
		if t.improved(p) {
			h.BestStep = p.Step
			if err := t.saveBest(train); err != nil {
				return false, err
			}
		}
		if t.Config.Patience > 0 && t.badEvals >= t.Config.Patience {
			h.Stopped = fmt.Sprintf("early stopping at step %d: validation %s has not improved for %d validations (best at step %d)",
				t.step, t.Config.metric(), t.badEvals, h.BestStep)
			return true, nil
		}
		return false, nil
	}
	end := t.Config.Steps
	validated := -1
	for t.step < end {
		if err := ctx.Err(); err != nil {
			h.Stopped = fmt.Sprintf("interrupted at step %d", t.step)
			return h, t.saveStep(train)
		}
		s, err := t.StepStats(train.Next())
		if err != nil {
			if errors.Is(err, ErrNonFinite) && t.CheckpointDir != "" {
				if names, _ := Checkpoints(t.CheckpointDir); len(names) > 0 {
					err = fmt.Errorf("%w; the last good checkpoint is %s", err, filepath.Join(t.CheckpointDir, names[len(names)-1]))
				}
			}
			h.Stopped = err.Error()
			return h, err
		}
		h.Steps = append(h.Steps, s.Step)
		h.TrainLoss = append(h.TrainLoss, s.Loss)
		h.GradNorm = append(h.GradNorm, s.GradNorm)
		h.LR = append(h.LR, s.LR)
		h.Seconds = before + time.Since(start).Seconds() // saved with checkpoints
		if hooks.OnStep != nil {
			hooks.OnStep(t.step, s.Loss)
		}
		if t.Config.EvalEvery > 0 && t.step%t.Config.EvalEvery == 0 && t.step < end {
			validated = t.step
			stop, err := validate()
			if err != nil {
				return h, err
			}
			if stop {
				break
			}
		}
		if t.Config.CheckpointEvery > 0 && t.step%t.Config.CheckpointEvery == 0 && t.step < end {
			if err := t.saveStep(train); err != nil {
				return h, err
			}
		}
	}
	if validated != t.step && h.Stopped == "" {
		if _, err := validate(); err != nil {
			return h, err
		}
	}
	if err := t.saveStep(train); err != nil {
		return h, err
	}
	h.Seconds = before + time.Since(start).Seconds()
	if hooks.OnDone != nil {
		hooks.OnDone(h)
	}
	return h, nil
}
