package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// NumToken is the token that [NumberToken] puts in place of every number.
// It is an ordinary token, not one of the four special tokens: BuildVocab
// gives it an ID like any other token.
const NumToken = "<num>"

// CaseMode says how a [Normalizer] treats letter case.
type CaseMode string

// Letter case modes.
const (
	// CaseKeep leaves letter case alone: "Apple" and "apple" are two tokens.
	CaseKeep CaseMode = ""
	// CaseLower lower-cases text with Unicode rules (golang.org/x/text/cases,
	// language-neutral): "Apple" → "apple", "ΟΔΟΣ" → "οδος" with a final ς.
	CaseLower CaseMode = "lower"
	// CaseFold applies Unicode full case folding (cases.Fold), meant for
	// caseless matching rather than display: "Straße" → "strasse",
	// "ﬁ" stays a ligature unless NFKC is on as well.
	CaseFold CaseMode = "fold"
)

// PunctMode says what a [Normalizer] does with punctuation tokens.
type PunctMode string

// Punctuation modes.
const (
	// PunctKeep keeps punctuation as tokens of their own (the tokenizer
	// decides how to split them off).
	PunctKeep PunctMode = ""
	// PunctDrop removes every token made only of Unicode punctuation
	// (general category P: . , ! ? " ' - ( ) 。 ， 、 《 》 …). Symbols
	// (category S: $ + © emoji) and tokens that mix punctuation with letters
	// or digits ("don't", "U.S.", "3.14") are kept.
	PunctDrop PunctMode = "drop"
)

// NumberMode says what a [Normalizer] does with number tokens.
type NumberMode string

// Number modes. A number token is one made of decimal digits (Unicode
// category Nd, so "２０２１" and "٣" count) with optional single '.' or ','
// between digits: "7", "2021", "3.14", "1,000". Chinese numerals (三, 二〇二一)
// are words, not numbers.
const (
	// NumberKeep keeps number tokens as they are.
	NumberKeep NumberMode = ""
	// NumberToken replaces every number token with [NumToken] ("<num>"), so
	// that a small vocabulary is not filled with one-off numbers.
	NumberToken NumberMode = "num"
	// NumberDigits splits every number token into one token per digit and
	// separator ("3.14" → "3" "." "1" "4"), so that any number can be
	// written with a dozen tokens.
	NumberDigits NumberMode = "digits"
)

// Normalizer says how to clean text before and after tokenizing. The zero
// value changes nothing (the identity normalizer); vocabulary files without a
// "normalizer" object load with it. [DefaultNormalizer] is the recommended
// starting point for new vocabularies.
//
// [Normalizer.Normalize] applies the string-level steps in this order: NFKC,
// half-width, case (then NFKC again if both NFKC and a case mode are on, as
// case mapping can leave text unnormalised). [Normalizer.Filter] applies the
// token-level steps (punctuation, numbers) to a tokenizer's output. A
// [Pipeline] does both around a [Tokenizer].
//
// Normalizer is a small value; it is comparable and safe for concurrent use.
// It is stored in vocabulary files as a JSON object:
//
//	"normalizer": {"nfkc": true, "half_width": true, "case": "lower",
//	               "punctuation": "keep", "numbers": "num"}
type Normalizer struct {
	// NFKC applies Unicode compatibility normalisation (NFKC): "e\u0301" and
	// "é" become the same string, ligatures such as "ﬁ" become "fi",
	// full-width "ＡＢＣ１２３，" becomes "ABC123,", circled "①" becomes "1" and
	// "㎏" becomes "kg". CJK ideographs and CJK punctuation (。、「」) are kept.
	NFKC bool
	// HalfWidth maps full-width forms of ASCII (U+FF01–U+FF5E, and the
	// ideographic space U+3000) to ASCII: "Ｈｅｌｌｏ，ｗｏｒｌｄ！" →
	// "Hello,world!". Only characters with an ASCII twin change: CJK
	// punctuation with no ASCII twin (。、「」《》·) is kept, so Chinese
	// sentences keep their full stops; note that the Chinese comma "，"
	// (U+FF0C) is the full-width form of ',' and does change. NFKC does all of
	// this too; HalfWidth is for when NFKC is off.
	HalfWidth bool
	// Case says how to treat letter case: keep, lower or fold.
	Case CaseMode
	// Punct says whether punctuation tokens are kept or dropped.
	Punct PunctMode
	// Numbers says whether number tokens are kept, replaced by "<num>" or
	// split into digits.
	Numbers NumberMode
}

// DefaultNormalizer returns the recommended normalizer for new
// vocabularies: NFKC and half-width on (so visually identical text gets the
// same tokens), case, punctuation and numbers kept (so generated text reads
// like the training text). For small English corpora consider Case:
// CaseLower; see docs/text.md.
func DefaultNormalizer() Normalizer {
	return Normalizer{NFKC: true, HalfWidth: true, Case: CaseKeep, Punct: PunctKeep, Numbers: NumberKeep}
}

// IsIdentity reports whether n changes nothing (it is the zero value).
func (n Normalizer) IsIdentity() bool { return n == Normalizer{} }

// Validate reports an unknown mode, naming the field.
func (n Normalizer) Validate() error {
	switch n.Case {
	case CaseKeep, CaseLower, CaseFold:
	default:
		return fmt.Errorf("normalizer: unknown case mode %q (want \"\", %q or %q)", n.Case, CaseLower, CaseFold)
	}
	switch n.Punct {
	case PunctKeep, PunctDrop:
	default:
		return fmt.Errorf("normalizer: unknown punctuation mode %q (want \"\" or %q)", n.Punct, PunctDrop)
	}
	switch n.Numbers {
	case NumberKeep, NumberToken, NumberDigits:
	default:
		return fmt.Errorf("normalizer: unknown number mode %q (want \"\", %q or %q)", n.Numbers, NumberToken, NumberDigits)
	}
	return nil
}

// Normalize applies the string-level steps (NFKC, half-width, case) to s.
// Invalid UTF-8 is passed through unchanged by every step. Unknown case
// modes are treated as CaseKeep; see [Normalizer.Validate].
func (n Normalizer) Normalize(s string) string {
	if n.NFKC {
		s = norm.NFKC.String(s)
	}
	if n.HalfWidth {
		s = halfWidth(s)
	}
	switch n.Case {
	case CaseLower:
		s = cases.Lower(language.Und).String(s)
	case CaseFold:
		s = cases.Fold().String(s)
	}
	if n.NFKC && (n.Case == CaseLower || n.Case == CaseFold) {
		s = norm.NFKC.String(s)
	}
	return s
}

// Filter applies the token-level steps (punctuation, numbers) to tokens and
// returns the result; tokens itself is not changed. It returns no empty
// tokens of its own making. Unknown modes are treated as keep; see
// [Normalizer.Validate] ([Vocab.Save] refuses them).
func (n Normalizer) Filter(tokens []string) []string {
	if n.Punct == PunctKeep && n.Numbers == NumberKeep {
		return tokens
	}
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		switch {
		case n.Punct == PunctDrop && IsPunct(t):
			continue
		case n.Numbers == NumberToken && IsNumber(t):
			out = append(out, NumToken)
		case n.Numbers == NumberDigits && IsNumber(t):
			for _, r := range t {
				out = append(out, string(r))
			}
		default:
			out = append(out, t)
		}
	}
	return out
}

// IsPunct reports whether t is non-empty and every rune in it is Unicode
// punctuation (category P). This is the test [PunctDrop] uses.
func IsPunct(t string) bool {
	if t == "" || !utf8.ValidString(t) {
		return false
	}
	for _, r := range t {
		if !unicode.IsPunct(r) {
			return false
		}
	}
	return true
}

// IsNumber reports whether t is a number token: decimal digits (category
// Nd), with single '.' or ',' allowed between two digits. This is the test
// [NumberToken] and [NumberDigits] use.
func IsNumber(t string) bool {
	if t == "" || !utf8.ValidString(t) {
		return false
	}
	prevDigit := false
	for _, r := range t {
		switch {
		case unicode.IsDigit(r):
			prevDigit = true
		case (r == '.' || r == ',') && prevDigit:
			prevDigit = false
		default:
			return false
		}
	}
	return prevDigit
}

// halfWidth maps full-width forms whose narrow form is printable ASCII
// (including U+3000 → ' ') to that ASCII character.
func halfWidth(s string) string {
	if !hasFullWidth(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if nr, ok := narrowASCII(r); ok && !(r == utf8.RuneError && size == 1) {
			b.WriteRune(nr)
		} else {
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

func hasFullWidth(s string) bool {
	for _, r := range s {
		if _, ok := narrowASCII(r); ok {
			return true
		}
	}
	return false
}

// narrowASCII returns the ASCII twin of a full-width rune.
func narrowASCII(r rune) (rune, bool) {
	if r < 0x3000 {
		return r, false
	}
	p := width.LookupRune(r)
	if p.Kind() != width.EastAsianFullwidth {
		return r, false
	}
	nr := p.Narrow()
	if nr >= 0x20 && nr <= 0x7e {
		return nr, true
	}
	return r, false
}
