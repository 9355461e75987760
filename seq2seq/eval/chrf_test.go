package eval

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSplitPunct(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Hello, world!", []string{"Hello", ",", "world", "!"}},
		{"(hi) 'x' a . -", []string{"(hi", ")", "'x", "'", "a", ".", "-"}}, // sacreBLEU issue #124: one split.
		{"\"quoted", []string{"\"", "quoted"}},
		{"中文。 x。", []string{"中文。", "x。"}}, // Only ASCII punctuation (Python's string.punctuation).
		{"", nil},
	} {
		if got := splitPunct(c.in); !slices.Equal(got, c.want) {
			t.Errorf("splitPunct(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestChrFNameAndDefaults(t *testing.T) {
	if d, err := (ChrFOptions{}).withDefaults(); err != nil || d != DefaultChrFOptions() {
		t.Errorf("ChrFOptions{} with defaults = %+v, %v; want %+v", d, err, DefaultChrFOptions())
	}
	for _, c := range []struct {
		o          ChrFOptions
		name, sign string
	}{
		{ChrFOptions{}, "chrF2", "nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"},
		{ChrFOptions{WordOrder: 2}, "chrF2++", "nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0"},
		{ChrFOptions{Beta: 1, CharOrder: 4, Lowercase: true, Whitespace: true, EpsSmoothing: true}, "chrF1",
			"nrefs:2|case:lc|eff:no|nc:4|nw:0|space:yes|version:2.6.0"},
	} {
		got, err := CorpusChrF([]string{"a bc"}, [][]string{{"a bc"}, {"a c"}}, c.o)
		if err != nil || got.Name() != c.name || got.Signature != c.sign || got.String() != c.name+" = 100.00" {
			t.Errorf("CorpusChrF with %+v = %v (%s), %v; want %s = 100.00 (%s)", c.o, got, got.Signature, err,
				c.name, c.sign)
		}
	}
}

func TestCorpusChrFErrors(t *testing.T) {
	for _, c := range []struct {
		hyps []string
		refs [][]string
		opts ChrFOptions
		is   error
	}{
		{nil, [][]string{{}}, ChrFOptions{}, ErrEmpty},
		{[]string{"a"}, [][]string{{"a", "b"}}, ChrFOptions{}, ErrLengthMismatch},
		{[]string{"a"}, [][]string{{"a"}}, ChrFOptions{WordOrder: -1}, ErrBadOption},
	} {
		if _, err := CorpusChrF(c.hyps, c.refs, c.opts); !errors.Is(err, c.is) ||
			!strings.HasPrefix(err.Error(), "eval: CorpusChrF: ") {
			t.Errorf("CorpusChrF(%q, %q, %+v): error %v, want %v", c.hyps, c.refs, c.opts, err, c.is)
		}
	}
}

// Each segment takes the reference with the best chrF, the first one on a tie.
func TestChrFBestReference(t *testing.T) {
	best, _ := SentenceChrF("the cat", []string{"the cat"}, ChrFOptions{})
	worse, _ := SentenceChrF("the cat", []string{"a dog"}, ChrFOptions{})
	both, err := SentenceChrF("the cat", []string{"a dog", "the cat"}, ChrFOptions{})
	if err != nil || both.Score != best.Score || best.Score <= worse.Score || !slices.Equal(both.Stats, best.Stats) {
		t.Errorf("best of two references: %v (stats %v), want %v (stats %v)", both, both.Stats, best, best.Stats)
	}
}
