package eval

import (
	"fmt"
	"strings"
)

// SacreBLEUVersion is the sacreBLEU release whose results this package reproduces; it is the version field
// of the signatures it writes.
const SacreBLEUVersion = "2.6.0"

// Smoothing methods accepted by BLEUOptions.Smooth, as sacreBLEU spells them (Chen & Cherry, WMT 2014).
const (
	SmoothExp   = "exp"   // Method 3, NIST's (mteval-v13a): the k-th order with no match counts 1/2^k matches.
	SmoothFloor = "floor" // Method 1: an order with no match counts SmoothValue (default 0.1) matches.
	SmoothAddK  = "add-k" // Method 2: add SmoothValue (default 1) to matches and totals of orders 2 and up.
	SmoothNone  = "none"  // No smoothing: any order without matches makes BLEU 0.
)

// BLEUOptions are sacreBLEU's BLEU parameters. The zero value means sacreBLEU's defaults, which
// DefaultBLEUOptions spells out.
type BLEUOptions struct {
	// Tokenize is the tokenizer applied to hypotheses and references: Tok13a (sacreBLEU's default), TokZh or
	// TokNone. "" means Tok13a. (sacreBLEU: tokenize=.)
	Tokenize string
	// Lowercase lowercases every segment (Python's str.lower()) before tokenizing. (sacreBLEU: lowercase=.)
	Lowercase bool
	// Smooth is the smoothing method: SmoothExp (default), SmoothFloor, SmoothAddK or SmoothNone; "" means
	// SmoothExp. (sacreBLEU: smooth_method=.)
	Smooth string
	// SmoothValue is the value for SmoothFloor and SmoothAddK; 0 means sacreBLEU's defaults, 0.1 and 1.
	// (sacreBLEU: smooth_value=; None there is 0 here.)
	SmoothValue float64
	// MaxNgramOrder is the highest n-gram order; 0 means 4. (sacreBLEU: max_ngram_order=.)
	MaxNgramOrder int
	// EffectiveOrder averages only the orders that have n-grams in the hypotheses, for sentence-level BLEU.
	// sacreBLEU's BLEU class and corpus_bleu() default to false, its sentence_bleu() function to true.
	// (sacreBLEU: effective_order= / use_effective_order=.)
	EffectiveOrder bool
}

// DefaultBLEUOptions returns sacreBLEU's defaults: 13a tokenizer, mixed case, exp smoothing, n-grams up to 4,
// no effective order. It equals BLEUOptions{} once defaults are filled in.
func DefaultBLEUOptions() BLEUOptions {
	return BLEUOptions{Tokenize: Tok13a, Smooth: SmoothExp, MaxNgramOrder: 4}
}

// withDefaults fills the zero fields with sacreBLEU's defaults and checks the rest.
func (o BLEUOptions) withDefaults() (BLEUOptions, error) {
	d := DefaultBLEUOptions()
	if o.Tokenize == "" {
		o.Tokenize = d.Tokenize
	}
	if o.Smooth == "" {
		o.Smooth = d.Smooth
	}
	if o.MaxNgramOrder == 0 {
		o.MaxNgramOrder = d.MaxNgramOrder
	}
	if _, err := tokenizer(o.Tokenize); err != nil {
		return o, fmt.Errorf("BLEUOptions.Tokenize: %w", err)
	}
	switch o.Smooth {
	case SmoothExp, SmoothNone:
	case SmoothFloor:
		if o.SmoothValue == 0 {
			o.SmoothValue = 0.1
		}
	case SmoothAddK:
		if o.SmoothValue == 0 {
			o.SmoothValue = 1
		}
	default:
		return o, fmt.Errorf("BLEUOptions.Smooth: %w: %q (want %q, %q, %q or %q)",
			ErrBadOption, o.Smooth, SmoothExp, SmoothFloor, SmoothAddK, SmoothNone)
	}
	if o.SmoothValue < 0 {
		return o, fmt.Errorf("BLEUOptions.SmoothValue: %w: %g is negative", ErrBadOption, o.SmoothValue)
	}
	if o.MaxNgramOrder < 0 {
		return o, fmt.Errorf("BLEUOptions.MaxNgramOrder: %w: %d is negative", ErrBadOption, o.MaxNgramOrder)
	}
	return o, nil
}

// Signature returns sacreBLEU's reproducibility signature for BLEU with these options and nrefs references,
// such as "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0" (the format of sacreBLEU's
// BLEU.get_signature(); version is SacreBLEUVersion). Invalid options give an empty string.
func (o BLEUOptions) Signature(nrefs int) string {
	o, err := o.withDefaults()
	if err != nil {
		return ""
	}
	smooth := o.Smooth
	if o.Smooth == SmoothFloor || o.Smooth == SmoothAddK {
		smooth += fmt.Sprintf("[%.2f]", o.SmoothValue)
	}
	return fmt.Sprintf("nrefs:%d|case:%s|eff:%s|tok:%s|smooth:%s|version:%s",
		nrefs, caseName(o.Lowercase), yesNo(o.EffectiveOrder), o.Tokenize, smooth, SacreBLEUVersion)
}

// BLEU is a BLEU score with the statistics it comes from, as sacreBLEU's BLEUScore.
type BLEU struct {
	Score      float64   // BLEU, 0 to 100.
	Counts     []int     // Counts[n-1]: n-gram matches, clipped by the reference counts; n = 1..MaxNgramOrder.
	Totals     []int     // Totals[n-1]: n-grams in the hypotheses.
	Precisions []float64 // Precisions[n-1]: smoothed n-gram precision in percent.
	BP         float64   // Brevity penalty: 1 if SysLen >= RefLen, else exp(1 - RefLen/SysLen) (0 if SysLen = 0).
	Ratio      float64   // SysLen / RefLen (0 if RefLen = 0).
	SysLen     int       // Tokens in the hypotheses.
	RefLen     int       // Tokens in the references, taking per segment the length closest to the hypothesis'.
	Signature  string    // sacreBLEU's signature of the computation, see BLEUOptions.Signature.
}

// String formats b as sacreBLEU prints a BLEU score without its signature:
// "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)".
func (b BLEU) String() string {
	prec := make([]string, len(b.Precisions))
	for i, p := range b.Precisions {
		prec[i] = fmt.Sprintf("%.1f", p)
	}
	return fmt.Sprintf("BLEU = %.2f %s (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
		b.Score, strings.Join(prec, "/"), b.BP, b.Ratio, b.SysLen, b.RefLen)
}

// CorpusBLEU computes corpus-level BLEU exactly as sacreBLEU 2.6.0's BLEU(...).corpus_score(hyps, refs):
// hyps[i] is the i-th hypothesis segment and refs[k][i] its reference in the k-th reference stream (the same
// layout as sacreBLEU's). Every stream must have len(hyps) segments (ErrLengthMismatch); there must be at least
// one hypothesis and one stream (ErrEmpty). Statistics are summed over segments before the score is computed.
func CorpusBLEU(hyps []string, refs [][]string, opts BLEUOptions) (BLEU, error) {
	return corpusBLEU("CorpusBLEU", hyps, refs, opts)
}

// SentenceBLEU computes BLEU of one hypothesis against its references, as sacreBLEU's
// BLEU(...).sentence_score(hyp, refs). sacreBLEU's sentence_bleu() function turns EffectiveOrder on; set it
// here to get the same numbers.
func SentenceBLEU(hyp string, refs []string, opts BLEUOptions) (BLEU, error) {
	streams := make([][]string, len(refs))
	for k, r := range refs {
		streams[k] = []string{r}
	}
	return corpusBLEU("SentenceBLEU", []string{hyp}, streams, opts)
}

// corpusBLEU is CorpusBLEU; fn names the public function in errors.
func corpusBLEU(fn string, hyps []string, refs [][]string, opts BLEUOptions) (BLEU, error) {
	opts, err := opts.withDefaults()
	if err == nil {
		err = checkStreams(hyps, refs)
	}
	if err != nil {
		return BLEU{}, fmt.Errorf("eval: %s: %w", fn, err)
	}
	tok, _ := tokenizer(opts.Tokenize)
	N := opts.MaxNgramOrder
	correct, total := make([]int, N), make([]int, N)
	sysLen, refLen := 0, 0
	segRefs := make([]string, len(refs))
	for i, hyp := range hyps {
		for k := range refs {
			segRefs[k] = refs[k][i]
		}
		s := segmentBLEUStats(hyp, segRefs, tok, opts)
		sysLen += s.hypLen
		refLen += s.refLen
		for n := range N {
			correct[n] += s.correct[n]
			total[n] += s.total[n]
		}
	}
	b := computeBLEU(correct, total, sysLen, refLen, opts)
	b.Signature = opts.Signature(len(refs))
	return b, nil
}

// MustCorpusBLEU is CorpusBLEU for notebooks: it panics on error.
func MustCorpusBLEU(hyps []string, refs [][]string, opts BLEUOptions) BLEU {
	b, err := CorpusBLEU(hyps, refs, opts)
	if err != nil {
		panic(err)
	}
	return b
}

// checkStreams returns an ErrEmpty or ErrLengthMismatch error unless there are hypotheses and every reference
// stream has one segment per hypothesis.
func checkStreams(hyps []string, refs [][]string) error {
	if len(hyps) == 0 {
		return fmt.Errorf("%w: no hypotheses", ErrEmpty)
	}
	if len(refs) == 0 {
		return fmt.Errorf("%w: no reference streams", ErrEmpty)
	}
	for k, r := range refs {
		if len(r) != len(hyps) {
			return fmt.Errorf("%w: reference stream %d (refs[%d]) has %d segments, the hypotheses have %d",
				ErrLengthMismatch, k, k, len(r), len(hyps))
		}
	}
	return nil
}

func caseName(lowercase bool) string {
	if lowercase {
		return "lc"
	}
	return "mixed"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
