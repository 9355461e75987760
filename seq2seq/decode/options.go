package decode

import (
	"errors"
	"fmt"
	"math"
)

// Strategies, the values of Options.Strategy.
const (
	StrategyGreedy = "greedy" // The most likely token at every step.
	StrategySample = "sample" // Ancestral sampling, shaped by Temperature, TopK and TopP.
	StrategyBeam   = "beam"   // Beam search of width Beam with a GNMT length penalty.
)

// Options choose a decoding strategy and its settings. Zero values mean "off" or "the default" as noted;
// DefaultOptions is greedy decoding.
type Options struct {
	Strategy string // StrategyGreedy (default when empty), StrategySample or StrategyBeam.

	MaxLen        int // Generated tokens at most, the end token included; 0 means the model's Config.MaxTarget.
	MinLen        int // Tokens before the end token at least: the end token is forbidden until then. 0 = off.
	NoRepeatNgram int // Never generate an n-gram of this size twice in one hypothesis (the end token counts); 0 = off.

	// Sampling (StrategySample). The next token is drawn from softmax(log p / Temperature), restricted to the
	// TopK most likely tokens and then to the smallest set whose probability reaches TopP.
	Temperature float64 // > 0: 1 samples the model's own distribution, lower sharpens it, higher flattens it. 0 means 1 (use StrategyGreedy for the argmax).
	TopK        int     // Keep the k most likely tokens; 0 = all.
	TopP        float64 // Nucleus: keep the most likely tokens up to cumulative probability TopP, in (0,1]; 0 = 1 (all).
	Seed        int64   // Seed of the sampler: the same seed gives the same samples, whatever the batch size.

	// Beam search (StrategyBeam).
	Beam          int     // Beam width K ≥ 1; 0 means 4.
	LengthPenalty float64 // α of GNMT's lp(Y) = ((5+|Y|)/6)^α; hypotheses rank by log P(Y) / lp(Y). 0 = raw sum.

	// NBest is the number of hypotheses returned per source: the best NBest ≤ Beam of a beam search, or NBest
	// independent samples (in drawing order) when sampling. 0 means 1. Greedy decoding has one.
	NBest int

	BatchSize int // Sources decoded together (each with Beam or NBest rows); 0 means 64. Batches are padded to 1, 4, 16, 64, … rows of sources so that few graph shapes compile.
}

// DefaultOptions is greedy decoding up to the model's MaxTarget, 64 sources at a time.
func DefaultOptions() Options { return Options{Strategy: StrategyGreedy} }

// ErrOptions is wrapped by every error about Options.
var ErrOptions = errors.New("invalid decoding options")

// withDefaults fills zero values and checks ranges; maxTarget is the model's Config.MaxTarget.
func (o Options) withDefaults(maxTarget int) (Options, error) {
	if o.Strategy == "" {
		o.Strategy = StrategyGreedy
	}
	if o.MaxLen == 0 {
		o.MaxLen = maxTarget
	}
	if o.Beam == 0 {
		o.Beam = 4
	}
	if o.NBest == 0 {
		o.NBest = 1
	}
	if o.TopP == 0 {
		o.TopP = 1
	}
	if o.Temperature == 0 {
		o.Temperature = 1
	}
	if o.BatchSize == 0 {
		o.BatchSize = 64
	}
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s is %v, %s", ErrOptions, field, v, want)
	}
	var errs []error
	switch o.Strategy {
	case StrategyGreedy, StrategySample, StrategyBeam:
	default:
		errs = append(errs, bad("strategy", fmt.Sprintf("%q", o.Strategy), "must be greedy, sample or beam"))
	}
	if o.MaxLen < 1 {
		errs = append(errs, bad("max length", o.MaxLen, "must be ≥ 1"))
	}
	if o.MinLen < 0 || o.MinLen >= o.MaxLen {
		errs = append(errs, bad("min length", o.MinLen, fmt.Sprintf("must be in [0, max length %d)", o.MaxLen)))
	}
	if o.NoRepeatNgram < 0 {
		errs = append(errs, bad("no-repeat n-gram size", o.NoRepeatNgram, "must be ≥ 0"))
	}
	if !(o.Temperature > 0) || math.IsInf(o.Temperature, 0) {
		errs = append(errs, bad("temperature", o.Temperature, "must be a finite number > 0"))
	}
	if o.TopK < 0 {
		errs = append(errs, bad("top-k", o.TopK, "must be ≥ 0"))
	}
	if !(o.TopP > 0 && o.TopP <= 1) {
		errs = append(errs, bad("top-p", o.TopP, "must be in (0, 1]"))
	}
	if o.Beam < 1 {
		errs = append(errs, bad("beam width", o.Beam, "must be ≥ 1"))
	}
	if math.IsNaN(o.LengthPenalty) || math.IsInf(o.LengthPenalty, 0) {
		errs = append(errs, bad("length penalty", o.LengthPenalty, "must be finite"))
	}
	if o.NBest < 1 {
		errs = append(errs, bad("n-best", o.NBest, "must be ≥ 1"))
	}
	if o.Strategy == StrategyBeam && o.NBest > o.Beam {
		errs = append(errs, bad("n-best", o.NBest, fmt.Sprintf("must be ≤ the beam width %d", o.Beam)))
	}
	if o.Strategy == StrategyGreedy && o.NBest > 1 {
		errs = append(errs, bad("n-best", o.NBest, "must be 1 for greedy decoding (use sample or beam)"))
	}
	if o.BatchSize < 1 {
		errs = append(errs, bad("batch size", o.BatchSize, "must be ≥ 1"))
	}
	return o, errors.Join(errs...)
}

// rowsPerSource is the number of decoder rows one source takes.
func (o Options) rowsPerSource() int {
	switch o.Strategy {
	case StrategyBeam:
		return o.Beam
	case StrategySample:
		return o.NBest
	}
	return 1
}

// LengthPenalty is GNMT's length normalisation lp(Y) = ((5+|Y|)/6)^α (Wu et al. 2016, eq. 14) for a hypothesis
// of n tokens, its end token included. α = 0 gives 1 (rank by the raw sum of log-probabilities); α > 0 favours
// longer hypotheses.
func LengthPenalty(n int, alpha float64) float64 {
	if alpha == 0 {
		return 1
	}
	return math.Pow((5+float64(n))/6, alpha)
}
