package embed

import (
	"errors"
	"fmt"
	"math"
)

// ErrConfig is wrapped by every error of [Word2VecConfig.Validate].
var ErrConfig = errors.New("invalid word2vec config")

// ErrNoVocabulary is returned when no word of the corpus reaches min_count.
var ErrNoVocabulary = errors.New("no word reaches min_count")

// MaxSentenceLen is the longest sentence trained, in words kept after sub-sampling; the rest of a
// longer sentence is dropped, as gensim's MAX_WORDS_IN_BATCH (10,000) does.
const MaxSentenceLen = 10000

// Word2VecConfig holds the settings of [TrainWord2Vec]. Field names and JSON tags follow gensim 4's
// Word2Vec arguments; BatchSize is ours (gensim updates after every pair, we after every batch).
type Word2VecConfig struct {
	// SG selects the model: 1 skip-gram (each context word predicts the centre word), 0 CBOW (the
	// mean, or sum, of the context predicts the centre word). Gensim's default is 0; ours is 1.
	SG int `json:"sg"`
	// VectorSize is the dimension D of the vectors.
	VectorSize int `json:"vector_size"`
	// Window is the largest distance between the centre word and a context word.
	Window int `json:"window"`
	// ShrinkWindows draws, for every centre word, a window uniformly from 1..Window (gensim's
	// shrink_windows, default true), so near words count more.
	ShrinkWindows bool `json:"shrink_windows"`
	// MinCount drops words seen fewer times than this.
	MinCount int `json:"min_count"`
	// MaxFinalVocab, when positive, raises MinCount just enough that at most this many words remain
	// (gensim's max_final_vocab); 0: no limit.
	MaxFinalVocab int `json:"max_final_vocab"`
	// Sample is the frequent-word down-sampling threshold (gensim's sample): a word of count c is
	// kept with probability (sqrt(c/t)+1)·t/c, t = Sample·(words retained) if Sample < 1, else
	// t = Sample·(3+√5)/2. 0 disables it.
	Sample float64 `json:"sample"`
	// Negative is the number of noise words drawn per positive pair (≥ 1; hierarchical softmax is
	// not implemented).
	Negative int `json:"negative"`
	// NSExponent shapes the noise distribution: count^NSExponent (gensim's ns_exponent).
	NSExponent float64 `json:"ns_exponent"`
	// CBOWMean uses the mean of the context vectors in CBOW (gensim's cbow_mean=1); false sums them.
	CBOWMean bool `json:"cbow_mean"`
	// Alpha is the initial learning rate; it decays linearly to MinAlpha over all words of all epochs.
	Alpha float64 `json:"alpha"`
	// MinAlpha is the final learning rate.
	MinAlpha float64 `json:"min_alpha"`
	// Epochs is the number of passes over the corpus.
	Epochs int `json:"epochs"`
	// Seed seeds every random choice (initial vectors, sub-sampling, windows, noise words): same
	// seed, corpus and backend → same vectors on CPU.
	Seed int64 `json:"seed"`
	// BatchSize is the number of (input, target) examples per GoMLX step: skip-gram pairs, or CBOW
	// windows. Larger batches run faster; each step sums the updates of its examples.
	BatchSize int `json:"batch_size"`
}

// GensimParams returns gensim 4's Word2Vec keyword arguments for the same settings (negative sampling,
// hs=0, workers=1; max_final_vocab only when set). Seed and BatchSize have no gensim counterpart: gensim
// is seeded per run, and it updates after every pair. The cross-checks, the notebook and bench/word2vec
// pass these to seq2seq/embed/testdata/word2vec_gensim.py.
func (c Word2VecConfig) GensimParams() map[string]any {
	cbowMean := 0
	if c.CBOWMean {
		cbowMean = 1
	}
	p := map[string]any{"sg": c.SG, "vector_size": c.VectorSize, "window": c.Window, "min_count": c.MinCount,
		"sample": c.Sample, "negative": c.Negative, "hs": 0, "ns_exponent": c.NSExponent, "cbow_mean": cbowMean,
		"alpha": c.Alpha, "min_alpha": c.MinAlpha, "epochs": c.Epochs, "shrink_windows": c.ShrinkWindows,
		"workers": 1}
	if c.MaxFinalVocab > 0 {
		p["max_final_vocab"] = c.MaxFinalVocab
	}
	return p
}

// DefaultWord2VecConfig returns gensim 4.4's defaults (except sg=1, skip-gram) with batches of 1,024 examples
// (on a 2-core CPU, 1,024–4,096 ran 2–3× faster than 8,192 on both backends: the working set fits the caches).
func DefaultWord2VecConfig() Word2VecConfig {
	return Word2VecConfig{SG: 1, VectorSize: 100, Window: 5, ShrinkWindows: true, MinCount: 5, Sample: 1e-3,
		Negative: 5, NSExponent: 0.75, CBOWMean: true, Alpha: 0.025, MinAlpha: 0.0001, Epochs: 5, Seed: 1,
		BatchSize: 1024}
}

// Validate reports the first field out of range, naming its JSON key.
func (c Word2VecConfig) Validate() error {
	bad := func(field string, value any, want string) error {
		return fmt.Errorf("%w: field %q is %v, must be %s", ErrConfig, field, value, want)
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case c.SG != 0 && c.SG != 1:
		return bad("sg", c.SG, "0 (CBOW) or 1 (skip-gram)")
	case c.VectorSize < 1:
		return bad("vector_size", c.VectorSize, "≥ 1")
	case c.Window < 1:
		return bad("window", c.Window, "≥ 1")
	case c.MinCount < 1:
		return bad("min_count", c.MinCount, "≥ 1")
	case c.MaxFinalVocab < 0:
		return bad("max_final_vocab", c.MaxFinalVocab, "≥ 0 (0: no limit)")
	case !(c.Sample >= 0) || !finite(c.Sample):
		return bad("sample", c.Sample, "≥ 0")
	case c.Negative < 1:
		return bad("negative", c.Negative, "≥ 1 (hierarchical softmax is not implemented)")
	case !finite(c.NSExponent):
		return bad("ns_exponent", c.NSExponent, "finite")
	case !(c.Alpha > 0) || !finite(c.Alpha):
		return bad("alpha", c.Alpha, "> 0")
	case !(c.MinAlpha >= 0) || c.MinAlpha > c.Alpha:
		return bad("min_alpha", c.MinAlpha, "between 0 and alpha")
	case c.Epochs < 1:
		return bad("epochs", c.Epochs, "≥ 1")
	case c.BatchSize < 1:
		return bad("batch_size", c.BatchSize, "≥ 1")
	}
	return nil
}

// Word2VecProgress is what [TrainWord2Vec] reports after each step.
type Word2VecProgress struct {
	Epoch       int     // 1-based epoch of the step
	WordsDone   int64   // corpus words (before sub-sampling) consumed so far, all epochs
	WordsTotal  int64   // corpus words × epochs
	WordsPerSec float64 // WordsDone / seconds since training started (graph compilation included)
	Loss        float64 // mean negative-sampling loss per example of this step
	Alpha       float64 // learning rate of this step
}

// Word2VecStats describes a finished training run.
type Word2VecStats struct {
	VocabSize     int       `json:"vocab_size"`     // words kept
	MinCount      int       `json:"min_count"`      // effective min_count (raised by max_final_vocab)
	CorpusWords   int64     `json:"corpus_words"`   // words in the corpus (one epoch)
	RetainedWords int64     `json:"retained_words"` // corpus words that are in the vocabulary (one epoch)
	TrainedWords  int64     `json:"trained_words"`  // words kept after sub-sampling, all epochs
	Examples      int64     `json:"examples"`       // skip-gram pairs or CBOW windows trained, all epochs
	Steps         int       `json:"steps"`          // GoMLX steps
	EpochLoss     []float64 `json:"epoch_loss"`     // mean loss per example, per epoch
	Seconds       float64   `json:"seconds"`        // training time, vocabulary excluded
	WordsPerSec   float64   `json:"words_per_sec"`  // corpus words × epochs / Seconds (gensim's measure)
}
