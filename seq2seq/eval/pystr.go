package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reproduces the few Python str methods sacreBLEU relies on, whose Go look-alikes differ:
// str.split() / strip() / rstrip() split on a wider whitespace set than strings.Fields, and str.lower() maps
// 'İ' to two characters and a final capital sigma to 'ς'.
//
// Python strings are sequences of code points; Go strings are bytes. On valid UTF-8 the two views agree. An
// invalid byte is kept as it is and counts as one ordinary character (not whitespace, not cased, not Chinese):
// Python cannot hold such a string, so there is no sacreBLEU behaviour to match.

// pyIsSpace reports whether Python's str.isspace() is true for r: general category Zs or bidirectional class
// WS, B or S. That is Go's unicode.IsSpace plus the four separators U+001C..U+001F, which Python's str.split()
// also splits on.
func pyIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0,
		0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200a
}

// pySplit is Python's s.split() with no argument: the runs of non-whitespace characters.
func pySplit(s string) []string { return strings.FieldsFunc(s, pyIsSpace) }

// pyJoinSplit is Python's ' '.join(s.split()): words separated by single spaces, no space at either end.
func pyJoinSplit(s string) string { return strings.Join(pySplit(s), " ") }

// pyStrip is Python's s.strip() with no argument.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyRStrip is Python's s.rstrip() with no argument.
func pyRStrip(s string) string { return strings.TrimRightFunc(s, pyIsSpace) }

// Characters with special lowercase handling in Python's str.lower().
const (
	capitalDottedI = 'İ' // U+0130 lowercases to "i\u0307" (SpecialCasing.txt, unconditional).
	capitalSigma   = 'Σ' // U+03A3 lowercases to 'ς' in the Final_Sigma context, to 'σ' elsewhere.
)

// pyLower is Python 3's str.lower(): the full lowercase mapping of every character, with U+0130 becoming two
// characters and capital sigma becoming final 'ς' or medial 'σ' by the Final_Sigma rule (CPython's
// handle_capital_sigma). The character tables are Go's (unicode.Version); Python's are those of its own
// Unicode version, so characters added in between may differ.
func pyLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteByte(s[i]) // An invalid byte stays as it is.
		case r == capitalDottedI:
			b.WriteString("i\u0307")
		case r == capitalSigma:
			if finalSigma(s, i, i+n) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
		i += n
	}
	return b.String()
}

// finalSigma reports whether the capital sigma at s[start:end] is in Unicode's Final_Sigma context, as CPython
// decides it: a cased character before it (skipping case-ignorable ones), and no cased character after it
// (again skipping case-ignorable ones).
func finalSigma(s string, start, end int) bool {
	before := false
	for j := start; j > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !pyIsCaseIgnorable(r) {
			before = pyIsCased(r)
			break
		}
		j -= n
	}
	if !before {
		return false
	}
	for j := end; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !pyIsCaseIgnorable(r) {
			return !pyIsCased(r)
		}
		j += n
	}
	return true
}

// pyIsCased is Unicode's Cased property (DerivedCoreProperties.txt), which CPython's _PyUnicode_IsCased reads:
// Lowercase, Uppercase or general category Lt.
func pyIsCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// pyIsCaseIgnorable is Unicode's Case_Ignorable property (DerivedCoreProperties.txt), which CPython's
// _PyUnicode_IsCaseIgnorable reads: general category Mn, Me, Cf, Lm or Sk, or Word_Break MidLetter, MidNumLet
// or Single_Quote (the list below, from WordBreakProperty.txt, Unicode 14 and 15).
func pyIsCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
