package eval

import (
	"errors"
	"strings"
	"testing"
)

func TestCorpusBLEUErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		hyps []string
		refs [][]string
		opts BLEUOptions
		is   error
		says string
	}{
		{"no hypotheses", nil, [][]string{{}}, BLEUOptions{}, ErrEmpty, "no hypotheses"},
		{"no streams", []string{"a"}, nil, BLEUOptions{}, ErrEmpty, "no reference streams"},
		{"short stream", []string{"a", "b", "c"}, [][]string{{"a", "b", "c"}, {"a", "b"}}, BLEUOptions{},
			ErrLengthMismatch, "reference stream 1 (refs[1]) has 2 segments, the hypotheses have 3"},
		{"tokenizer", []string{"a"}, [][]string{{"a"}}, BLEUOptions{Tokenize: "intl"}, ErrBadOption,
			`eval: CorpusBLEU: BLEUOptions.Tokenize: bad option: tokenizer "intl" (want "13a", "zh" or "none")`},
		{"smoothing", []string{"a"}, [][]string{{"a"}}, BLEUOptions{Smooth: "add-1"}, ErrBadOption,
			`BLEUOptions.Smooth: bad option: "add-1"`},
		{"smooth value", []string{"a"}, [][]string{{"a"}}, BLEUOptions{Smooth: SmoothFloor, SmoothValue: -1},
			ErrBadOption, "SmoothValue"},
		{"order", []string{"a"}, [][]string{{"a"}}, BLEUOptions{MaxNgramOrder: -1}, ErrBadOption, "MaxNgramOrder"},
	} {
		_, err := CorpusBLEU(c.hyps, c.refs, c.opts)
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.says) ||
			!strings.HasPrefix(err.Error(), "eval: CorpusBLEU: ") {
			t.Errorf("%s: error %v, want %v saying %q", c.name, err, c.is, c.says)
		}
	}
	if _, err := SentenceBLEU("a", nil, BLEUOptions{}); !errors.Is(err, ErrEmpty) ||
		!strings.HasPrefix(err.Error(), "eval: SentenceBLEU: ") {
		t.Errorf("SentenceBLEU without references: error %v", err)
	}
}

func TestMustCorpusBLEUPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustCorpusBLEU(nil, nil) did not panic")
		}
	}()
	MustCorpusBLEU(nil, nil, BLEUOptions{})
}

// The zero BLEUOptions and DefaultBLEUOptions are the same computation.
func TestBLEUDefaults(t *testing.T) {
	zero, err := BLEUOptions{}.withDefaults()
	if err != nil || zero != DefaultBLEUOptions() {
		t.Errorf("BLEUOptions{} with defaults = %+v, %v; want %+v", zero, err, DefaultBLEUOptions())
	}
	for _, c := range []struct {
		o    BLEUOptions
		want string
	}{
		{BLEUOptions{}, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"},
		{BLEUOptions{Tokenize: TokZh, Lowercase: true, EffectiveOrder: true},
			"nrefs:1|case:lc|eff:yes|tok:zh|smooth:exp|version:2.6.0"},
		{BLEUOptions{Smooth: SmoothFloor}, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0"},
		{BLEUOptions{Smooth: SmoothAddK, SmoothValue: 0.5},
			"nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[0.50]|version:2.6.0"},
		{BLEUOptions{Smooth: "bad"}, ""},
	} {
		if got := c.o.Signature(1); got != c.want {
			t.Errorf("%+v.Signature(1) = %q, want %q", c.o, got, c.want)
		}
	}
}

func TestClosestRefLen(t *testing.T) {
	for _, c := range []struct {
		hyp  int
		refs []int
		want int
	}{{4, []int{3, 5, 6}, 3}, {4, []int{5, 3}, 3}, {4, []int{6, 4, 2}, 4}, {0, []int{2, 1}, 1}, {9, []int{1}, 1}} {
		if got := closestRefLen(c.hyp, c.refs); got != c.want {
			t.Errorf("closestRefLen(%d, %v) = %d, want %d", c.hyp, c.refs, got, c.want)
		}
	}
}

// computeBLEU on small statistics, for every smoothing, the early stop and effective order. The expected
// lines are what sacreBLEU 2.6.0 prints for BLEU.compute_bleu on the same numbers.
func TestComputeBLEU(t *testing.T) {
	opts := func(o BLEUOptions) BLEUOptions { o, _ = o.withDefaults(); return o }
	for _, c := range []struct {
		name           string
		correct, total []int
		sys, ref       int
		o              BLEUOptions
		want           string
	}{
		{"perfect", []int{4, 3, 2, 1}, []int{4, 3, 2, 1}, 4, 4, BLEUOptions{},
			"BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"},
		{"exp halves", []int{2, 0, 0, 0}, []int{4, 3, 2, 1}, 4, 8, BLEUOptions{},
			"BLEU = 6.99 50.0/16.7/12.5/12.5 (BP = 0.368 ratio = 0.500 hyp_len = 4 ref_len = 8)"},
		{"floor", []int{2, 0, 0, 0}, []int{4, 3, 2, 1}, 4, 4, BLEUOptions{Smooth: SmoothFloor},
			"BLEU = 9.55 50.0/3.3/5.0/10.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"},
		{"add-k", []int{2, 0, 0, 0}, []int{4, 3, 2, 1}, 4, 4, BLEUOptions{Smooth: SmoothAddK},
			"BLEU = 37.99 50.0/25.0/33.3/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"},
		{"none", []int{2, 1, 0, 0}, []int{4, 3, 2, 1}, 4, 4, BLEUOptions{Smooth: SmoothNone},
			"BLEU = 0.00 50.0/33.3/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"},
		{"no match", []int{0, 0, 0, 0}, []int{4, 3, 2, 1}, 4, 4, BLEUOptions{},
			"BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"},
		{"short, no effective order", []int{2, 1, 0, 0}, []int{2, 1, 0, 0}, 2, 2, BLEUOptions{},
			"BLEU = 0.00 100.0/100.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 2 ref_len = 2)"},
		{"short, effective order", []int{2, 1, 0, 0}, []int{2, 1, 0, 0}, 2, 2, BLEUOptions{EffectiveOrder: true},
			"BLEU = 100.00 100.0/100.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 2 ref_len = 2)"},
		{"empty hypotheses", []int{0, 0, 0, 0}, []int{0, 0, 0, 0}, 0, 3, BLEUOptions{},
			"BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 3)"},
	} {
		if got := computeBLEU(c.correct, c.total, c.sys, c.ref, opts(c.o)).String(); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// Reference n-grams are merged by their maximum count over references, not their sum.
func TestBLEUClipsToBestReference(t *testing.T) {
	b, err := SentenceBLEU("the the the the", []string{"the cat", "the the mat"}, BLEUOptions{
		Tokenize: TokNone, Smooth: SmoothNone, MaxNgramOrder: 1})
	if err != nil || b.Counts[0] != 2 || b.Totals[0] != 4 || b.RefLen != 3 {
		t.Errorf("got %v counts %v totals %v, %v; want 2 of 4 unigrams, ref_len 3", b, b.Counts, b.Totals, err)
	}
}
