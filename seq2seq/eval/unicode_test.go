package eval

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode"
)

// unicodeFacts is what sacrebleu_ref.py reports about Python's string handling, per code point (surrogates
// excluded). Interval lists are sorted [lo, hi] pairs.
type unicodeFacts struct {
	Space        []rune         `json:"space"`           // str.isspace()
	Assigned     [][2]rune      `json:"assigned"`        // unicodedata.category(c) != "Cn"
	Lower        []lowerMapping `json:"lower"`           // c.lower() where it is not c
	SigmaAfterC  [][2]rune      `json:"sigma_after_c"`   // (c+"Σ").lower() ends in ς
	SigmaAfterAC [][2]rune      `json:"sigma_after_a_c"` // ("A"+c+"Σ").lower() ends in ς
	SigmaBeforeC [][2]rune      `json:"sigma_before_c"`  // ("AΣ"+c).lower()[1] is ς
	ZhChecked    [][2]rune      `json:"zh_checked"`      // asked to _is_chinese_char: BMP, every 61st above
	Zh           [][2]rune      `json:"zh"`              // TokenizerZh._is_chinese_char(c)
}

// lowerMapping is one [code point, lowercase string] pair.
type lowerMapping struct {
	R     rune
	Lower string
}

func (m *lowerMapping) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return fmt.Errorf("lower mapping %s: want [code point, string]", b)
	}
	if err := json.Unmarshal(pair[0], &m.R); err != nil {
		return err
	}
	return json.Unmarshal(pair[1], &m.Lower)
}

// set returns the intervals as a lookup table over all code points.
func set(iv [][2]rune) []bool {
	s := make([]bool, unicode.MaxRune+1)
	for _, p := range iv {
		for r := p[0]; r <= p[1]; r++ {
			s[r] = true
		}
	}
	return s
}

// goAssigned reports whether Go's unicode tables give r a general category other than Cn. (unicode.C is not
// used: it covers unassigned code points too.)
func goAssigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc,
		unicode.Cf, unicode.Co, unicode.Cs)
}

// compareUnicode checks, over every code point, that pyIsSpace is Python's str.isspace(), that pyLower
// lowercases each character and decides the final sigma as Python does, and that isChineseChar is sacreBLEU's
// _is_chinese_char. Lowercasing depends on the Unicode version of each side; code points that only one side
// assigns are left out and counted.
func compareUnicode(t *testing.T, f *unicodeFacts) {
	t.Helper()
	space := make([]bool, unicode.MaxRune+1)
	for _, r := range f.Space {
		space[r] = true
	}
	lower := map[rune]string{}
	for _, m := range f.Lower {
		lower[m.R] = m.Lower
	}
	pyAssigned := set(f.Assigned)
	afterC, afterAC, beforeC := set(f.SigmaAfterC), set(f.SigmaAfterAC), set(f.SigmaBeforeC)
	zhChecked, zh := set(f.ZhChecked), set(f.Zh)
	errs, skipped, compared := 0, 0, 0
	report := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if 0xd800 <= r && r <= 0xdfff {
			continue
		}
		if pyIsSpace(r) != space[r] {
			report("pyIsSpace(%U) = %v, Python's isspace() %v", r, pyIsSpace(r), space[r])
		}
		if zhChecked[r] && isChineseChar(r) != zh[r] {
			report("isChineseChar(%U) = %v, sacreBLEU's _is_chinese_char %v", r, isChineseChar(r), zh[r])
		}
		if pyAssigned[r] != goAssigned(r) {
			skipped++
			continue
		}
		if !pyAssigned[r] {
			continue
		}
		compared++
		c := string(r)
		want, ok := lower[r]
		if !ok {
			want = c
		}
		if got := pyLower(c); got != want {
			report("pyLower(%q) = %q, Python %q", c, got, want)
		}
		for _, s := range []struct {
			in   string
			at   int // Rune index of the sigma in the lowercased string; -1: last.
			want bool
		}{{c + "Σ", -1, afterC[r]}, {"A" + c + "Σ", -1, afterAC[r]}, {"AΣ" + c, 1, beforeC[r]}} {
			out := []rune(pyLower(s.in))
			at := s.at
			if at < 0 {
				at = len(out) - 1
			}
			if got := out[at] == 'ς'; got != s.want {
				report("pyLower(%q) = %q: final sigma %v, Python %v", s.in, string(out), got, s.want)
			}
		}
	}
	if errs > 20 {
		t.Errorf("... and %d more differences", errs-20)
	}
	t.Logf("whitespace compared on all code points, the zh table on the BMP and every 61st above; "+
		"lowercase and final sigma on the %d assigned by both Go (Unicode %s) and Python, %d assigned by only "+
		"one left out", compared, unicode.Version, skipped)
}
