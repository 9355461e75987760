package eval

import (
	"fmt"
	"math"
	"testing"
)

// This file holds the JSON exchanged with testdata/sacrebleu_ref.py and the comparison of its answers with
// this package's, shared by TestMatchesSacreBLEU (random corpora) and TestGolden (fixed cases in testdata).

// refRequest is sacrebleu_ref.py's input; see its docstring.
type refRequest struct {
	Tokenize []string   `json:"tokenize"`
	BLEU     []bleuCase `json:"bleu"`
	ChrF     []chrfCase `json:"chrf"`
	Unicode  bool       `json:"unicode,omitempty"`
}

// bleuCase is one BLEU computation: hyps[i], refs[k][i]; Sentence: one segment, scored with sentence_score.
type bleuCase struct {
	Name     string     `json:"name,omitempty"`
	Hyps     []string   `json:"hyps"`
	Refs     [][]string `json:"refs"`
	Sentence bool       `json:"sentence,omitempty"`
	Opts     bleuKwargs `json:"opts"`
}

// bleuKwargs are the keyword arguments of sacrebleu.BLEU; SmoothValue nil is Python's None.
type bleuKwargs struct {
	Tokenize       string   `json:"tokenize"`
	Lowercase      bool     `json:"lowercase"`
	SmoothMethod   string   `json:"smooth_method"`
	SmoothValue    *float64 `json:"smooth_value"`
	MaxNgramOrder  int      `json:"max_ngram_order"`
	EffectiveOrder bool     `json:"effective_order"`
}

// chrfCase is one chrF computation, laid out like bleuCase.
type chrfCase struct {
	Name     string     `json:"name,omitempty"`
	Hyps     []string   `json:"hyps"`
	Refs     [][]string `json:"refs"`
	Sentence bool       `json:"sentence,omitempty"`
	Opts     chrfKwargs `json:"opts"`
}

// chrfKwargs are the keyword arguments of sacrebleu.CHRF.
type chrfKwargs struct {
	CharOrder    int  `json:"char_order"`
	WordOrder    int  `json:"word_order"`
	Beta         int  `json:"beta"`
	Lowercase    bool `json:"lowercase"`
	Whitespace   bool `json:"whitespace"`
	EpsSmoothing bool `json:"eps_smoothing"`
}

// refResponse is sacrebleu_ref.py's output.
type refResponse struct {
	SacreBLEUVersion string `json:"sacrebleu_version"`
	PythonVersion    string `json:"python_version"`
	UnidataVersion   string `json:"unidata_version"`
	Tokenize         struct {
		T13a []string `json:"13a"`
		Zh   []string `json:"zh"`
	} `json:"tokenize"`
	BLEU    []bleuResult  `json:"bleu"`
	ChrF    []chrfResult  `json:"chrf"`
	Unicode *unicodeFacts `json:"unicode,omitempty"`
}

// bleuResult is sacreBLEU's BLEUScore. Counts and totals are floats because add-k adds its value to them.
type bleuResult struct {
	Score      float64   `json:"score"`
	Counts     []float64 `json:"counts"`
	Totals     []float64 `json:"totals"`
	Precisions []float64 `json:"precisions"`
	BP         float64   `json:"bp"`
	Ratio      float64   `json:"ratio"`
	SysLen     int       `json:"sys_len"`
	RefLen     int       `json:"ref_len"`
	Str        string    `json:"str"`
	Signature  string    `json:"signature"`
}

// chrfResult is sacreBLEU's CHRFScore.
type chrfResult struct {
	Score     float64 `json:"score"`
	Str       string  `json:"str"`
	Signature string  `json:"signature"`
}

// kwargs returns o as sacreBLEU's keyword arguments, defaults written out.
func (o BLEUOptions) kwargs() bleuKwargs {
	d, err := o.withDefaults()
	if err != nil {
		panic(err)
	}
	k := bleuKwargs{Tokenize: d.Tokenize, Lowercase: d.Lowercase, SmoothMethod: d.Smooth,
		MaxNgramOrder: d.MaxNgramOrder, EffectiveOrder: d.EffectiveOrder}
	if o.SmoothValue != 0 {
		k.SmoothValue = &o.SmoothValue
	}
	return k
}

// options is the inverse of BLEUOptions.kwargs.
func (k bleuKwargs) options() BLEUOptions {
	o := BLEUOptions{Tokenize: k.Tokenize, Lowercase: k.Lowercase, Smooth: k.SmoothMethod,
		MaxNgramOrder: k.MaxNgramOrder, EffectiveOrder: k.EffectiveOrder}
	if k.SmoothValue != nil {
		o.SmoothValue = *k.SmoothValue
	}
	return o
}

func (o ChrFOptions) kwargs() chrfKwargs {
	d, err := o.withDefaults()
	if err != nil {
		panic(err)
	}
	return chrfKwargs{CharOrder: d.CharOrder, WordOrder: d.WordOrder, Beta: d.Beta, Lowercase: d.Lowercase,
		Whitespace: d.Whitespace, EpsSmoothing: d.EpsSmoothing}
}

func (k chrfKwargs) options() ChrFOptions {
	return ChrFOptions{CharOrder: k.CharOrder, WordOrder: k.WordOrder, Beta: k.Beta, Lowercase: k.Lowercase,
		Whitespace: k.Whitespace, EpsSmoothing: k.EpsSmoothing}
}

// Tolerances of the comparison with sacreBLEU. Both sides do the same floating-point operations in the same
// order; only exp and log may differ in the last bit between Go's math package and the C library Python uses.
const (
	scoreTol = 1e-9 // BLEU and chrF, 0..100.
	exactTol = 1e-9 // Counts and totals after undoing add-k's non-integer additions.
)

// agreement sums up a comparison: cases compared and the largest |Go − sacreBLEU| of the scores.
type agreement struct {
	tokenized, bleu, chrf int
	maxBLEU, maxChrF      float64
}

// compareWithSacreBLEU computes every case of req with this package and reports, as test errors, every
// difference from sacreBLEU's answers in resp: tokenizer outputs, BLEU statistics, formatted scores and
// signatures must be identical, scores within scoreTol.
func compareWithSacreBLEU(t *testing.T, req refRequest, resp refResponse) (a agreement) {
	t.Helper()
	if len(resp.Tokenize.T13a) != len(req.Tokenize) || len(resp.Tokenize.Zh) != len(req.Tokenize) ||
		len(resp.BLEU) != len(req.BLEU) || len(resp.ChrF) != len(req.ChrF) {
		t.Fatalf("sacreBLEU answered %d/%d tokenizations, %d BLEU, %d chrF for %d lines, %d BLEU, %d chrF cases",
			len(resp.Tokenize.T13a), len(resp.Tokenize.Zh), len(resp.BLEU), len(resp.ChrF),
			len(req.Tokenize), len(req.BLEU), len(req.ChrF))
	}
	errs := 0
	report := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 30 {
			t.Errorf(format, args...)
		}
	}
	for i, line := range req.Tokenize {
		if got, want := Tokenize13a(line), resp.Tokenize.T13a[i]; got != want {
			report("Tokenize13a(%q)\n got %q\nwant %q (sacreBLEU)", line, got, want)
		}
		if got, want := TokenizeZh(line), resp.Tokenize.Zh[i]; got != want {
			report("TokenizeZh(%q)\n got %q\nwant %q (sacreBLEU)", line, got, want)
		}
		a.tokenized++
	}
	for i, c := range req.BLEU {
		want := resp.BLEU[i]
		got, err := scoreBLEUCase(c)
		if err != nil {
			report("BLEU case %d %s: %v", i, c.Name, err)
			continue
		}
		a.bleu++
		a.maxBLEU = max(a.maxBLEU, math.Abs(got.Score-want.Score))
		if msg := diffBLEU(got, want, c.Opts.options()); msg != "" {
			report("BLEU case %d %s (%+v, %d segments, %d refs): %s", i, c.Name, c.Opts, len(c.Hyps), len(c.Refs), msg)
		}
	}
	for i, c := range req.ChrF {
		want := resp.ChrF[i]
		got, err := scoreChrFCase(c)
		if err != nil {
			report("chrF case %d %s: %v", i, c.Name, err)
			continue
		}
		a.chrf++
		a.maxChrF = max(a.maxChrF, math.Abs(got.Score-want.Score))
		if math.Abs(got.Score-want.Score) > scoreTol || got.String() != want.Str || got.Signature != want.Signature {
			report("chrF case %d %s (%+v): got %s (%.17g) %s\nwant %s (%.17g) %s", i, c.Name, c.Opts,
				got, got.Score, got.Signature, want.Str, want.Score, want.Signature)
		}
	}
	if errs > 30 {
		t.Errorf("... and %d more differences", errs-30)
	}
	return a
}

func scoreBLEUCase(c bleuCase) (BLEU, error) {
	if c.Sentence {
		refs := make([]string, len(c.Refs))
		for k, r := range c.Refs {
			refs[k] = r[0]
		}
		return SentenceBLEU(c.Hyps[0], refs, c.Opts.options())
	}
	return CorpusBLEU(c.Hyps, c.Refs, c.Opts.options())
}

func scoreChrFCase(c chrfCase) (ChrF, error) {
	if c.Sentence {
		refs := make([]string, len(c.Refs))
		for k, r := range c.Refs {
			refs[k] = r[0]
		}
		return SentenceChrF(c.Hyps[0], refs, c.Opts.options())
	}
	return CorpusChrF(c.Hyps, c.Refs, c.Opts.options())
}

// diffBLEU describes how got differs from sacreBLEU's want, or returns "". sacreBLEU's add-k adds its value to
// the counts and totals of orders 2 and up that it reports (unless no n-gram matches at all); that is undone
// before comparing with the raw counts reported here.
func diffBLEU(got BLEU, want bleuResult, o BLEUOptions) string {
	o, _ = o.withDefaults()
	anyMatch := false
	for _, c := range got.Counts {
		anyMatch = anyMatch || c != 0
	}
	same := len(got.Counts) == len(want.Counts) && len(got.Totals) == len(want.Totals) &&
		len(got.Precisions) == len(want.Precisions)
	for n := 0; same && n < len(got.Counts); n++ {
		wc, wt := want.Counts[n], want.Totals[n]
		if o.Smooth == SmoothAddK && n > 0 && anyMatch {
			wc, wt = wc-o.SmoothValue, wt-o.SmoothValue
		}
		same = math.Abs(float64(got.Counts[n])-wc) <= exactTol && math.Abs(float64(got.Totals[n])-wt) <= exactTol &&
			math.Abs(got.Precisions[n]-want.Precisions[n]) <= scoreTol
	}
	same = same && got.SysLen == want.SysLen && got.RefLen == want.RefLen &&
		math.Abs(got.BP-want.BP) <= scoreTol && math.Abs(got.Ratio-want.Ratio) <= scoreTol &&
		math.Abs(got.Score-want.Score) <= scoreTol && got.String() == want.Str && got.Signature == want.Signature
	if same {
		return ""
	}
	const line = "%s %s\n     score %.17g counts %v totals %v precisions %v"
	return fmt.Sprintf("\n got "+line+"\nwant "+line,
		got, got.Signature, got.Score, got.Counts, got.Totals, got.Precisions,
		want.Str, want.Signature, want.Score, want.Counts, want.Totals, want.Precisions)
}
