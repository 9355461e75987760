package train

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Learning-rate schedules, the values of Config.Schedule (see LearningRate).
const (
	ScheduleConstant = "constant" // η, after an optional linear warm-up.
	ScheduleCosine   = "cosine"   // Linear warm-up, then cosine decay from η to min_lr at the last step.
	ScheduleNoam     = "noam"     // Linear warm-up, then inverse square root decay (Vaswani et al. 2017).
)

// Validation metrics, the values of Config.Metric: what early stopping and the best checkpoint look at.
const (
	MetricLoss       = "loss"        // Validation loss (lower is better).
	MetricExactMatch = "exact_match" // Greedy exact match on the validation set (higher is better).
)

// Config is the training loop's configuration; it is saved in each run folder. The zero value of every field
// added after steps…seed keeps the original loop (constant learning rate, no clipping, no smoothing, teacher
// forcing, no buckets, no early stopping).
type Config struct {
	Steps        int     `json:"steps"`         // Total optimizer steps of the run (a resumed run continues to this step).
	BatchSize    int     `json:"batch_size"`    // Examples per step.
	LearningRate float64 `json:"learning_rate"` // Adam's peak learning rate η.
	EvalEvery    int     `json:"eval_every"`    // Validate every this many steps (and at the end); 0: only at the end.
	Seed         int64   `json:"seed"`          // Seed of the batch shuffling.

	Schedule    string  `json:"schedule,omitempty"`     // "constant" (default when empty), "cosine" or "noam"; see LearningRateAt.
	WarmupSteps int     `json:"warmup_steps,omitempty"` // Steps of linear warm-up from η/warmup_steps to η; needed ≥ 1 by "noam".
	MinLR       float64 `json:"min_lr,omitempty"`       // Learning rate reached at the last step by "cosine"; in [0, η].

	ClipNorm       float64 `json:"clip_norm,omitempty"`       // Rescale the gradients when their global L2 norm exceeds this; 0: no clipping.
	LabelSmoothing float64 `json:"label_smoothing,omitempty"` // ε of label smoothing in [0,1); see model.SmoothedLoss.

	// TeacherForcing turns on scheduled sampling; nil feeds the gold previous token at every step.
	TeacherForcing *TeacherForcing `json:"teacher_forcing,omitempty"`

	Buckets int `json:"buckets,omitempty"` // Length buckets of the batches (see NewBucketShuffler); 0 or 1: every batch padded to the model's maximum lengths.

	Metric   string `json:"metric,omitempty"`   // Validation metric of early stopping and the best checkpoint: "loss" (default when empty) or "exact_match".
	Patience int    `json:"patience,omitempty"` // Stop after this many validations without improvement of metric; 0: never stop early.

	CheckpointEvery int `json:"checkpoint_every,omitempty"` // With a checkpoint folder: save every this many steps (and at the end); 0: only at the end.
	KeepCheckpoints int `json:"keep_checkpoints,omitempty"` // Step checkpoints kept besides the best; 0 means 3.
}

// TeacherForcing is the scheduled-sampling setting: at each decoder step after the first, a sequence is fed
// the gold previous token with probability p(step) and the model's own most likely token otherwise, where p
// goes linearly from Ratio to Final over DecaySteps steps:
//
//	p(s) = Ratio + (Final − Ratio)·min(1, (s−1)/DecaySteps)      s = 1, 2, … the optimizer step
//	p(s) = Ratio                                                  when DecaySteps = 0
type TeacherForcing struct {
	Ratio      float64 `json:"ratio"`                 // p at the first step, in [0,1]; 1 is plain teacher forcing.
	Final      float64 `json:"final,omitempty"`       // p after DecaySteps steps, in [0,1]; unused when decay_steps is 0.
	DecaySteps int     `json:"decay_steps,omitempty"` // Steps of the linear decay; 0: p stays at Ratio.
}

// DefaultConfig trains the default model on the date task to ≥95% exact match.
func DefaultConfig() Config {
	return Config{Steps: 1200, BatchSize: 64, LearningRate: 0.005, EvalEvery: 300, Seed: 1}
}

// ErrConfig is wrapped by every training configuration error.
var ErrConfig = errors.New("invalid train config")

// Validate reports every field that is out of range or contradicts another, each by its JSON name.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if c.Steps < 1 {
		bad("field \"steps\" is %d, must be ≥ 1", c.Steps)
	}
	if c.BatchSize < 1 {
		bad("field \"batch_size\" is %d, must be ≥ 1", c.BatchSize)
	}
	if !(c.LearningRate > 0) || !finite(c.LearningRate) {
		bad("field \"learning_rate\" is %g, must be > 0", c.LearningRate)
	}
	if c.EvalEvery < 0 {
		bad("field \"eval_every\" is %d, must be ≥ 0", c.EvalEvery)
	}
	if !slices.Contains([]string{"", ScheduleConstant, ScheduleCosine, ScheduleNoam}, c.Schedule) {
		bad("field \"schedule\" is %q, must be one of %q, %q, %q", c.Schedule, ScheduleConstant, ScheduleCosine, ScheduleNoam)
	}
	if c.WarmupSteps < 0 {
		bad("field \"warmup_steps\" is %d, must be ≥ 0", c.WarmupSteps)
	}
	if c.Schedule == ScheduleNoam && c.WarmupSteps < 1 {
		bad("field \"schedule\" is %q but \"warmup_steps\" is %d: the inverse square root schedule needs warmup_steps ≥ 1", c.Schedule, c.WarmupSteps)
	}
	if c.Schedule == ScheduleCosine && c.WarmupSteps >= c.Steps && c.Steps >= 1 {
		bad("field \"warmup_steps\" is %d but \"steps\" is %d: the cosine schedule needs warmup_steps < steps", c.WarmupSteps, c.Steps)
	}
	if !(c.MinLR >= 0) || !finite(c.MinLR) || c.MinLR > c.LearningRate {
		bad("field \"min_lr\" is %g, must be in [0, learning_rate=%g]", c.MinLR, c.LearningRate)
	}
	if c.MinLR > 0 && c.Schedule != ScheduleCosine {
		bad("field \"min_lr\" is %g but \"schedule\" is %q: min_lr is used only by %q", c.MinLR, c.Schedule, ScheduleCosine)
	}
	if !(c.ClipNorm >= 0) || !finite(c.ClipNorm) {
		bad("field \"clip_norm\" is %g, must be ≥ 0 (0: no clipping)", c.ClipNorm)
	}
	if !(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1) {
		bad("field \"label_smoothing\" is %g, must be in [0, 1)", c.LabelSmoothing)
	}
	if tf := c.TeacherForcing; tf != nil {
		if !(tf.Ratio >= 0 && tf.Ratio <= 1) {
			bad("field \"teacher_forcing.ratio\" is %g, must be in [0, 1]", tf.Ratio)
		}
		if !(tf.Final >= 0 && tf.Final <= 1) {
			bad("field \"teacher_forcing.final\" is %g, must be in [0, 1]", tf.Final)
		}
		if tf.DecaySteps < 0 {
			bad("field \"teacher_forcing.decay_steps\" is %d, must be ≥ 0", tf.DecaySteps)
		}
		if tf.DecaySteps == 0 && tf.Final != 0 && tf.Final != tf.Ratio {
			bad("field \"teacher_forcing.final\" is %g but \"teacher_forcing.decay_steps\" is 0: set decay_steps to decay from ratio to final", tf.Final)
		}
	}
	if c.Buckets < 0 {
		bad("field \"buckets\" is %d, must be ≥ 0", c.Buckets)
	}
	if !slices.Contains([]string{"", MetricLoss, MetricExactMatch}, c.Metric) {
		bad("field \"metric\" is %q, must be %q or %q", c.Metric, MetricLoss, MetricExactMatch)
	}
	if c.Patience < 0 {
		bad("field \"patience\" is %d, must be ≥ 0", c.Patience)
	}
	if c.CheckpointEvery < 0 {
		bad("field \"checkpoint_every\" is %d, must be ≥ 0", c.CheckpointEvery)
	}
	if c.KeepCheckpoints < 0 {
		bad("field \"keep_checkpoints\" is %d, must be ≥ 0 (0 means 3)", c.KeepCheckpoints)
	}
	return errors.Join(errs...)
}

// LearningRateAt is the learning rate of optimizer step s = 1, 2, …, Steps. With η = LearningRate,
// w = WarmupSteps, N = Steps:
//
//	warm-up (all schedules, s ≤ w):  η·s/w
//	constant:                        η
//	cosine:                          min_lr + (η − min_lr)·(1 + cos(π·(s−w)/(N−w)))/2
//	noam:                            η·√(w/s)          (so the peak, η, is at s = w)
//
// The training graph is fed exactly float32(LearningRateAt(s)).
func (c Config) LearningRateAt(s int) float64 {
	eta, w := c.LearningRate, float64(c.WarmupSteps)
	x := float64(s)
	if c.WarmupSteps > 0 && x <= w {
		return eta * x / w
	}
	switch c.Schedule {
	case ScheduleCosine:
		q := math.Min(1, (x-w)/math.Max(float64(c.Steps)-w, 1))
		return c.MinLR + (eta-c.MinLR)*(1+math.Cos(math.Pi*q))/2
	case ScheduleNoam:
		return eta * math.Sqrt(w/x)
	}
	return eta
}

// TeacherForcingRatio is p(s), the probability of feeding the gold token at optimizer step s (1 without
// scheduled sampling); see TeacherForcing.
func (c Config) TeacherForcingRatio(s int) float64 {
	tf := c.TeacherForcing
	if tf == nil {
		return 1
	}
	if tf.DecaySteps == 0 {
		return tf.Ratio
	}
	q := math.Min(1, float64(s-1)/float64(tf.DecaySteps))
	return tf.Ratio + (tf.Final-tf.Ratio)*q
}

// sampling reports whether the training graph needs the scheduled-sampling decoder (some step feeds the
// model's own tokens).
func (c Config) sampling() bool {
	tf := c.TeacherForcing
	return tf != nil && (tf.Ratio < 1 || (tf.DecaySteps > 0 && tf.Final < 1))
}

// keep is KeepCheckpoints with its default filled in.
func (c Config) keep() int {
	if c.KeepCheckpoints == 0 {
		return 3
	}
	return c.KeepCheckpoints
}

// metric is Metric with its default filled in.
func (c Config) metric() string {
	if c.Metric == "" {
		return MetricLoss
	}
	return c.Metric
}

// UnmarshalJSON reads either a number, the constant ratio ("teacher_forcing": 0.75), or the object
// {"ratio": …, "final": …, "decay_steps": …}, whose unknown fields are errors.
func (tf *TeacherForcing) UnmarshalJSON(b []byte) error {
	var ratio float64
	if err := json.Unmarshal(b, &ratio); err == nil {
		*tf = TeacherForcing{Ratio: ratio}
		return nil
	}
	type plain TeacherForcing // without this method
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("field \"teacher_forcing\" must be a number or {\"ratio\", \"final\", \"decay_steps\"}: %v", err)
	}
	*tf = TeacherForcing(p)
	return nil
}
