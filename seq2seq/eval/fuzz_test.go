package eval

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// removeSpace deletes Python whitespace: what is left is the content a tokenizer must keep.
func removeSpace(s string) string { return strings.Join(pySplit(s), "") }

// preprocess13a is Tokenize13a's first two steps (what it keeps, before inserting spaces). The entities are
// replaced one after the other, as in Python: "&amp;lt;" becomes "<".
func preprocess13a(s string) string {
	for _, r := range [][2]string{{"<skipped>", ""}, {"-\n", ""}, {"\n", " "},
		{"&quot;", `"`}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

// refines reports whether the tokens of fine regroup into the tokens of coarse: same characters, and every
// boundary between two tokens of coarse is also one of fine.
func refines(fine, coarse string) bool {
	f, c := pySplit(fine), pySplit(coarse)
	i := 0
	for _, tok := range c {
		var b strings.Builder
		for b.Len() < len(tok) && i < len(f) {
			b.WriteString(f[i])
			i++
		}
		if b.String() != tok {
			return false
		}
	}
	return i == len(f)
}

// FuzzTokenizers checks properties that follow from how the tokenizers are built, on any input:
//
//   - the scanners agree with Go's regexp running sacreBLEU's patterns (naiveTokenizeRegexp);
//   - output is normalized: single spaces between tokens, none at the ends, valid UTF-8 in, valid UTF-8 out;
//   - tokenizing only inserts and normalizes whitespace: 13a keeps the characters of its preprocessed input,
//     zh all non-whitespace characters of its input;
//   - idempotent up to refinement: tokenizing again only splits tokens further, never merges or changes them.
//     (Exact idempotence does not hold, "a.,1" -> "a . ,1" -> "a . , 1", in sacreBLEU as here.) For 13a this
//     holds because its output contains no entity, "<skipped>" or newline: the first pattern pads '&', ';',
//     '<' and '>'; and the four patterns only insert spaces;
//   - 13a pads the line with spaces itself, so extra spaces at the ends change nothing;
//   - in zh output every character of sacreBLEU's Chinese table is a token by itself;
//   - TokenizeNone and pyJoinSplit are exactly idempotent.
//
// The seed corpus is testdata/fuzz/FuzzTokenizers plus tokenizerEdgeCases.
func FuzzTokenizers(f *testing.F) {
	for _, s := range tokenizerEdgeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, line := range []string{s, " " + s + " "} {
			if got, want := tokenizeRegexp(line), naiveTokenizeRegexp(line); got != want {
				t.Fatalf("tokenizeRegexp(%q) = %q, regexp reference %q", line, got, want)
			}
		}
		t13a, tzh := Tokenize13a(s), TokenizeZh(s)
		for name, out := range map[string]string{"13a": t13a, "zh": tzh} {
			if out != pyJoinSplit(out) {
				t.Fatalf("%s(%q) = %q is not whitespace-normalized", name, s, out)
			}
			if utf8.ValidString(s) && !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, out)
			}
		}
		if got, want := removeSpace(t13a), removeSpace(preprocess13a(s)); got != want {
			t.Fatalf("Tokenize13a(%q) = %q changed the content %q", s, t13a, want)
		}
		if got, want := removeSpace(tzh), removeSpace(s); got != want {
			t.Fatalf("TokenizeZh(%q) = %q changed the content %q", s, tzh, want)
		}
		if again := Tokenize13a(t13a); !refines(again, t13a) {
			t.Fatalf("Tokenize13a(%q) = %q, again %q: not a refinement", s, t13a, again)
		}
		if again := TokenizeZh(tzh); !refines(again, tzh) {
			t.Fatalf("TokenizeZh(%q) = %q, again %q: not a refinement", s, tzh, again)
		}
		if padded := Tokenize13a(" " + s + "  "); padded != t13a {
			t.Fatalf("Tokenize13a(%q) = %q but with spaces around %q", s, t13a, padded)
		}
		for _, tok := range pySplit(tzh) {
			for i, r := range tok {
				if isChineseChar(r) && len(tok) != utf8.RuneLen(r) {
					t.Fatalf("TokenizeZh(%q) = %q: token %q holds Chinese %q at %d", s, tzh, tok, r, i)
				}
			}
		}
		if TokenizeNone(s) != s || pyJoinSplit(pyJoinSplit(s)) != pyJoinSplit(s) {
			t.Fatalf("TokenizeNone or pyJoinSplit not idempotent on %q", s)
		}
	})
}

// FuzzScores checks that BLEU and chrF of any hypothesis and reference stay within 0..100 without panicking,
// and that a segment scored against itself gets 100: BLEU with effective order once it has a token, chrF once
// it has a non-space character.
func FuzzScores(f *testing.F) {
	f.Add("The cat sat on the mat.", "The cat sat.")
	f.Add("", "a")
	f.Add("我们是学生。", "我们是老师。")
	f.Fuzz(func(t *testing.T, hyp, ref string) {
		for _, tok := range []string{Tok13a, TokZh, TokNone} {
			for _, o := range []BLEUOptions{{Tokenize: tok}, {Tokenize: tok, Lowercase: true, EffectiveOrder: true}} {
				b, err := SentenceBLEU(hyp, []string{ref, hyp + " x"}, o)
				if err != nil || !(b.Score >= 0 && b.Score <= 100+1e-9) {
					t.Fatalf("SentenceBLEU(%q, %q, %+v) = %v, %v", hyp, ref, o, b, err)
				}
			}
			self, err := SentenceBLEU(ref, []string{ref}, BLEUOptions{Tokenize: tok, EffectiveOrder: true})
			tokenize, _ := tokenizer(tok)
			nonEmpty := len(pySplit(preprocessBLEU(ref, tokenize, false))) > 0
			if err != nil || (nonEmpty && math.Abs(self.Score-100) > 1e-9) {
				t.Fatalf("SentenceBLEU(%q, itself, tok %s) = %v, %v; want 100", ref, tok, self, err)
			}
		}
		for _, o := range []ChrFOptions{{}, {WordOrder: 2, Lowercase: true, Whitespace: true}} {
			c, err := SentenceChrF(hyp, []string{ref}, o)
			if err != nil || !(c.Score >= 0 && c.Score <= 100+1e-9) {
				t.Fatalf("SentenceChrF(%q, %q, %+v) = %v, %v", hyp, ref, o, c, err)
			}
		}
		if self, err := SentenceChrF(ref, []string{ref}, ChrFOptions{}); err != nil ||
			(removeSpace(ref) != "" && math.Abs(self.Score-100) > 1e-9) {
			t.Fatalf("SentenceChrF(%q, itself) = %v, %v; want 100", ref, self, err)
		}
	})
}
