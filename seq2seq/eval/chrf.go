package eval

import (
	"fmt"
	"strings"
)

// ChrFOptions are sacreBLEU's chrF parameters. The zero value means sacreBLEU's defaults (chrF2), which
// DefaultChrFOptions spells out; WordOrder 2 gives chrF++.
type ChrFOptions struct {
	// CharOrder is the highest character n-gram order; 0 means 6. (sacreBLEU: char_order=.)
	CharOrder int
	// WordOrder is the highest word n-gram order: 0 for chrF (default), 2 for chrF++. (sacreBLEU: word_order=.)
	WordOrder int
	// Beta weighs recall Beta times as much as precision; 0 means 2. (sacreBLEU: beta=.)
	Beta int
	// Lowercase lowercases every segment (Python's str.lower()). (sacreBLEU: lowercase=.)
	Lowercase bool
	// Whitespace keeps whitespace inside character n-grams; by default it is removed first.
	// (sacreBLEU: whitespace=.)
	Whitespace bool
	// EpsSmoothing averages per-order F-scores with an epsilon for empty orders, like chrF++.py, Moses and
	// NLTK; by default sacreBLEU averages precision and recall over the orders present ("effective order").
	// (sacreBLEU: eps_smoothing=.)
	EpsSmoothing bool
}

// DefaultChrFOptions returns sacreBLEU's chrF defaults: character 6-grams, no word n-grams, beta 2.
func DefaultChrFOptions() ChrFOptions { return ChrFOptions{CharOrder: 6, WordOrder: 0, Beta: 2} }

// withDefaults fills the zero fields with sacreBLEU's defaults and checks the rest.
func (o ChrFOptions) withDefaults() (ChrFOptions, error) {
	d := DefaultChrFOptions()
	if o.CharOrder == 0 {
		o.CharOrder = d.CharOrder
	}
	if o.Beta == 0 {
		o.Beta = d.Beta
	}
	switch {
	case o.CharOrder < 0:
		return o, fmt.Errorf("ChrFOptions.CharOrder: %w: %d is negative", ErrBadOption, o.CharOrder)
	case o.WordOrder < 0:
		return o, fmt.Errorf("ChrFOptions.WordOrder: %w: %d is negative", ErrBadOption, o.WordOrder)
	case o.Beta < 0:
		return o, fmt.Errorf("ChrFOptions.Beta: %w: %d is negative", ErrBadOption, o.Beta)
	}
	return o, nil
}

// Signature returns sacreBLEU's reproducibility signature for chrF with these options and nrefs references,
// such as "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0". Invalid options give "".
func (o ChrFOptions) Signature(nrefs int) string {
	o, err := o.withDefaults()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("nrefs:%d|case:%s|eff:%s|nc:%d|nw:%d|space:%s|version:%s", nrefs, caseName(o.Lowercase),
		yesNo(!o.EpsSmoothing), o.CharOrder, o.WordOrder, yesNo(o.Whitespace), SacreBLEUVersion)
}

// ChrF is a chrF score, as sacreBLEU's CHRFScore.
type ChrF struct {
	Score     float64 // chrF, 0 to 100.
	CharOrder int     // Character n-gram order used.
	WordOrder int     // Word n-gram order used (2 for chrF++).
	Beta      int     // Recall weight used.
	// Stats holds the corpus statistics, 3 numbers per order (character orders 1..CharOrder, then word orders
	// 1..WordOrder): hypothesis n-grams (0 where the reference has none of that order), reference n-grams,
	// matches. Summed over segments, each segment taking its best-scoring reference.
	Stats     []int
	Signature string // sacreBLEU's signature of the computation, see ChrFOptions.Signature.
}

// Name is sacreBLEU's name for the metric: "chrF" + Beta + one '+' per word order, such as "chrF2" or
// "chrF2++".
func (c ChrF) Name() string { return fmt.Sprintf("chrF%d%s", c.Beta, strings.Repeat("+", c.WordOrder)) }

// String formats c as sacreBLEU prints a chrF score without its signature: "chrF2 = 59.73".
func (c ChrF) String() string { return fmt.Sprintf("%s = %.2f", c.Name(), c.Score) }

// CorpusChrF computes corpus-level chrF (Popović 2015) or chrF++ (Popović 2017) exactly as sacreBLEU 2.6.0's
// CHRF(...).corpus_score(hyps, refs), with the same layout as CorpusBLEU: refs[k][i] is the reference of
// hyps[i] in the k-th stream.
func CorpusChrF(hyps []string, refs [][]string, opts ChrFOptions) (ChrF, error) {
	return corpusChrF("CorpusChrF", hyps, refs, opts)
}

// SentenceChrF computes chrF of one hypothesis against its references, as sacreBLEU's
// CHRF(...).sentence_score(hyp, refs).
func SentenceChrF(hyp string, refs []string, opts ChrFOptions) (ChrF, error) {
	streams := make([][]string, len(refs))
	for k, r := range refs {
		streams[k] = []string{r}
	}
	return corpusChrF("SentenceChrF", []string{hyp}, streams, opts)
}

// MustCorpusChrF is CorpusChrF for notebooks: it panics on error.
func MustCorpusChrF(hyps []string, refs [][]string, opts ChrFOptions) ChrF {
	c, err := CorpusChrF(hyps, refs, opts)
	if err != nil {
		panic(err)
	}
	return c
}

// corpusChrF is CorpusChrF; fn names the public function in errors.
func corpusChrF(fn string, hyps []string, refs [][]string, opts ChrFOptions) (ChrF, error) {
	opts, err := opts.withDefaults()
	if err == nil {
		err = checkStreams(hyps, refs)
	}
	if err != nil {
		return ChrF{}, fmt.Errorf("eval: %s: %w", fn, err)
	}
	order := opts.CharOrder + opts.WordOrder
	stats := make([]int, 3*order)
	segRefs := make([]chrfNgrams, len(refs))
	for i, hyp := range hyps {
		for k := range refs {
			segRefs[k] = extractChrF(refs[k][i], opts)
		}
		for j, v := range bestChrFStats(extractChrF(hyp, opts), segRefs, opts) {
			stats[j] += v
		}
	}
	return ChrF{Score: chrfScore(stats, opts), CharOrder: opts.CharOrder, WordOrder: opts.WordOrder,
		Beta: opts.Beta, Stats: stats, Signature: opts.Signature(len(refs))}, nil
}
