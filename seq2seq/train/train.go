package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	gomlxtrain "github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Config is the training loop's configuration; it is saved in each run folder.
type Config struct {
	Steps        int     `json:"steps"`         // Optimizer steps.
	BatchSize    int     `json:"batch_size"`    // Examples per step.
	LearningRate float64 `json:"learning_rate"` // Adam's learning rate.
	EvalEvery    int     `json:"eval_every"`    // Validate every this many steps (and at the end); 0: only at the end.
	Seed         int64   `json:"seed"`          // Seed of the batch shuffling.
}

// DefaultConfig trains the default model on the date task to ≥95% exact match.
func DefaultConfig() Config {
	return Config{Steps: 1200, BatchSize: 64, LearningRate: 0.005, EvalEvery: 300, Seed: 1}
}

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Steps < 1:
		return fmt.Errorf("invalid train config: field \"steps\" is %d, must be ≥ 1", c.Steps)
	case c.BatchSize < 1:
		return fmt.Errorf("invalid train config: field \"batch_size\" is %d, must be ≥ 1", c.BatchSize)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return fmt.Errorf("invalid train config: field \"learning_rate\" is %g, must be > 0", c.LearningRate)
	case c.EvalEvery < 0:
		return fmt.Errorf("invalid train config: field \"eval_every\" is %d, must be ≥ 0", c.EvalEvery)
	}
	return nil
}

// Point is one validation result.
type Point struct {
	Step       int     `json:"step"`
	Loss       float64 `json:"loss"`        // Mean masked cross-entropy per target token.
	TokenAcc   float64 `json:"token_acc"`   // Teacher-forced accuracy over real target tokens.
	ExactMatch float64 `json:"exact_match"` // Fraction of greedy decodings equal to the target (set by OnEval).
}

// History is what a run measured.
type History struct {
	Steps     []int     `json:"steps"`      // Step numbers (1-based) of TrainLoss.
	TrainLoss []float64 `json:"train_loss"` // Loss of each step's batch.
	Valid     []Point   `json:"valid"`      // Validation points.
	Seconds   float64   `json:"seconds"`    // Wall time of the loop.
}

// ErrNonFinite is returned when the loss becomes NaN or infinite.
var ErrNonFinite = errors.New("training loss is not finite")

// Trainer trains one model held in a store.
type Trainer struct {
	Config  Config
	Model   *seqmodel.Seq2Seq
	Store   *model.Store
	backend compute.Backend
	inner   *gomlxtrain.Trainer
	eval    *model.Exec
	step    int
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
	opt := optimizer.Adam().LearningRate(cfg.LearningRate).Done()
	modelFn := func(scope *model.Scope, inputs []*Node) *Node { return m.TrainLogits(scope, inputs[0], inputs[1]) }
	inner := gomlxtrain.NewTrainer(backend, store, modelFn, seqmodel.MaskedLoss, opt, nil, nil)
	eval, err := model.NewExec(backend, store, func(scope *model.Scope, src, tgtIn, tgtOut *Node) (*Node, *Node) {
		logits := m.TrainLogits(scope, src, tgtIn)
		mask := NotEqual(tgtOut, ZerosLike(tgtOut))
		correct := LogicalAnd(mask, Equal(ArgMax(logits, -1, tgtOut.DType()), tgtOut))
		lossSum := Mul(seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{logits}), ReduceAllSum(ConvertDType(mask, logits.DType())))
		return lossSum, ReduceAllSum(ConvertDType(correct, logits.DType()))
	})
	if err != nil {
		return nil, fmt.Errorf("building the evaluation graph: %w", err)
	}
	return &Trainer{Config: cfg, Model: m, Store: store, backend: backend, inner: inner, eval: eval}, nil
}

// GlobalStep is the number of steps taken so far.
func (t *Trainer) GlobalStep() int { return t.step }

// Step runs one optimizer step on b (which it consumes) and returns the batch loss.
func (t *Trainer) Step(b Batch) (float64, error) {
	metrics, err := t.inner.TrainStep(gomlxtrain.Batch{
		Inputs: []*tensors.Tensor{b.Src, b.TgtIn}, Labels: []*tensors.Tensor{b.TgtOut}})
	if err != nil {
		return 0, fmt.Errorf("training step %d: %w", t.step+1, err)
	}
	loss := tensors.ToScalar[float32](metrics[0])
	for _, m := range metrics {
		_ = m.FinalizeAll()
	}
	t.step++
	if math.IsNaN(float64(loss)) || math.IsInf(float64(loss), 0) {
		return float64(loss), fmt.Errorf("%w at step %d (loss %v): lower the learning rate", ErrNonFinite, t.step, loss)
	}
	return float64(loss), nil
}

// Evaluate returns the teacher-forced loss and token accuracy over all of ex, in batches of batchSize.
func (t *Trainer) Evaluate(ex *Examples, batchSize int) (Point, error) {
	var lossSum, correct, tokens float64
	for _, idx := range Chunks(ex.N, batchSize) {
		b := ex.Rows(idx)
		for _, v := range ex.TgtOut[idx[0]*ex.T : (idx[len(idx)-1]+1)*ex.T] {
			if v != 0 {
				tokens++
			}
		}
		out, err := t.eval.Exec(b.Src, b.TgtIn, b.TgtOut)
		if err != nil {
			return Point{}, fmt.Errorf("evaluating: %w", err)
		}
		lossSum += float64(tensors.ToScalar[float32](out[0]))
		correct += float64(tensors.ToScalar[float32](out[1]))
		for _, o := range out {
			_ = o.FinalizeAll()
		}
		for _, x := range []*tensors.Tensor{b.Src, b.TgtIn, b.TgtOut} {
			_ = x.FinalizeAll()
		}
	}
	return Point{Step: t.step, Loss: lossSum / max(tokens, 1), TokenAcc: correct / max(tokens, 1)}, nil
}

// Hooks are called by Run; any may be nil.
type Hooks struct {
	OnStep func(step int, loss float64) // After every step.
	OnEval func(p *Point) error         // After each validation; may set p.ExactMatch.
	OnDone func(h *History)             // Once, after the loop.
}

// Run trains for Config.Steps more steps on batches from train, validating on valid (may be nil).
// It stops early, returning what it has, when ctx is cancelled.
func (t *Trainer) Run(ctx context.Context, train *Shuffler, valid *Examples, hooks Hooks) (*History, error) {
	h := &History{}
	start := time.Now()
	validate := func() error {
		if valid == nil {
			return nil
		}
		p, err := t.Evaluate(valid, 256)
		if err != nil {
			return err
		}
		if hooks.OnEval != nil {
			if err := hooks.OnEval(&p); err != nil {
				return err
			}
		}
		h.Valid = append(h.Valid, p)
		return nil
	}
	end := t.step + t.Config.Steps
	for t.step < end {
		if err := ctx.Err(); err != nil {
			break
		}
		loss, err := t.Step(train.Next())
		if err != nil {
			return h, err
		}
		h.Steps = append(h.Steps, t.step)
		h.TrainLoss = append(h.TrainLoss, loss)
		if hooks.OnStep != nil {
			hooks.OnStep(t.step, loss)
		}
		if t.Config.EvalEvery > 0 && t.step%t.Config.EvalEvery == 0 && t.step < end {
			if err := validate(); err != nil {
				return h, err
			}
		}
	}
	if err := validate(); err != nil {
		return h, err
	}
	h.Seconds = time.Since(start).Seconds()
	if hooks.OnDone != nil {
		hooks.OnDone(h)
	}
	return h, nil
}
