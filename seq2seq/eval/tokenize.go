package eval

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Tokenizer names accepted by BLEUOptions.Tokenize, as sacreBLEU spells them (its --tokenize flag).
const (
	Tok13a  = "13a"  // mteval-v13a, sacreBLEU's default: Tokenize13a.
	TokZh   = "zh"   // Chinese characters one per token, then 13a-like rules: TokenizeZh.
	TokNone = "none" // No tokenization, split on whitespace only: TokenizeNone.
)

// Tokenize applies the tokenizer named name (Tok13a, TokZh or TokNone; "" means Tok13a) to line.
func Tokenize(name, line string) (string, error) {
	f, err := tokenizer(name)
	if err != nil {
		return "", fmt.Errorf("eval: Tokenize: %w", err)
	}
	return f(line), nil
}

// tokenizer returns the function for a tokenizer name, or an ErrBadOption error.
func tokenizer(name string) (func(string) string, error) {
	switch name {
	case "", Tok13a:
		return Tokenize13a, nil
	case TokZh:
		return TokenizeZh, nil
	case TokNone:
		return TokenizeNone, nil
	}
	return nil, fmt.Errorf("%w: tokenizer %q (want %q, %q or %q)", ErrBadOption, name, Tok13a, TokZh, TokNone)
}

// TokenizeNone is sacreBLEU's "none" tokenizer: it returns line unchanged (BLEU then splits it on whitespace).
func TokenizeNone(line string) string { return line }

// Tokenize13a is sacreBLEU's default "13a" tokenizer (Tokenizer13a, equivalent to mteval-v13a.pl used by WMT),
// byte for byte:
//
//  1. remove "<skipped>", remove "-\n", turn "\n" into a space;
//  2. if the line holds '&': replace "&quot;", "&amp;", "&lt;", "&gt;" by '"', '&', '<', '>', in that order;
//  3. pad the line with a space at each end and apply sacreBLEU's TokenizerRegexp (see tokenizeRegexp).
//
// The result has tokens separated by single spaces and no space at either end. It is not idempotent:
// "a.,1" becomes "a . ,1" and then "a . , 1", as in sacreBLEU.
func Tokenize13a(line string) string {
	line = strings.ReplaceAll(line, "<skipped>", "")
	line = strings.ReplaceAll(line, "-\n", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.Contains(line, "&") {
		line = strings.ReplaceAll(line, "&quot;", `"`)
		line = strings.ReplaceAll(line, "&amp;", "&")
		line = strings.ReplaceAll(line, "&lt;", "<")
		line = strings.ReplaceAll(line, "&gt;", ">")
	}
	return tokenizeRegexp(" " + line + " ")
}

// tokenizeRegexp is sacreBLEU's TokenizerRegexp, shared by the 13a and zh tokenizers. It applies, in order,
// Python's re.sub with
//
//	([\{-\~\[-\` -\&\(-\+\:-\@\/])  ->  ' \1 '   ASCII symbols (isSymbol13a) get a space on each side
//	([^0-9])([\.,])                 ->  '\1 \2 ' period and comma, unless preceded by a digit
//	([\.,])([^0-9])                 ->  ' \1 \2' period and comma, unless followed by a digit
//	([0-9])(-)                      ->  '\1 \2 ' dash preceded by a digit
//
// and then Python's ' '.join(line.split()). The patterns are written out as scanners (sub2) that find the
// same leftmost, non-overlapping matches; the tests check them against Go's regexp with the original patterns.
func tokenizeRegexp(line string) string {
	var b strings.Builder
	b.Grow(len(line) + len(line)/2)
	for i := 0; i < len(line); i++ {
		if c := line[i]; isSymbol13a(rune(c)) {
			b.WriteByte(' ')
			b.WriteByte(c)
			b.WriteByte(' ')
		} else {
			b.WriteByte(c) // Bytes of multi-byte characters are never ASCII, so copying them byte-wise is safe.
		}
	}
	line = b.String()
	line = sub2(line, isNotDigit, isPeriodComma, "", " ", " ")
	line = sub2(line, isPeriodComma, isNotDigit, " ", " ", "")
	line = sub2(line, isDigit, isDash, "", " ", " ")
	return pyJoinSplit(line)
}

// isSymbol13a is the character class [\{-\~\[-\` -\&\(-\+\:-\@\/] of the 13a tokenizer: the ASCII printable
// symbols except '\”, ',', '-', '.', and space itself; note '&', '"', '<' and '>' are in it.
func isSymbol13a(r rune) bool {
	return ('{' <= r && r <= '~') || ('[' <= r && r <= '`') || (' ' <= r && r <= '&') ||
		('(' <= r && r <= '+') || (':' <= r && r <= '@') || r == '/'
}

func isDigit(r rune) bool       { return '0' <= r && r <= '9' }
func isNotDigit(r rune) bool    { return !isDigit(r) }
func isPeriodComma(r rune) bool { return r == '.' || r == ',' }
func isDash(r rune) bool        { return r == '-' }

// sub2 is Python's re.sub for a pattern of two one-character groups, (first)(second), with the replacement
// pre + \1 + mid + \2 + post. Like re.sub it scans left to right and resumes after each match, so matches
// never overlap. Characters are code points; an invalid UTF-8 byte is one character (utf8.RuneError), kept as
// it is.
func sub2(s string, first, second func(rune) bool, pre, mid, post string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); {
		r1, n1 := utf8.DecodeRuneInString(s[i:])
		if j := i + n1; j < len(s) && first(r1) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if second(r2) {
				b.WriteString(pre)
				b.WriteString(s[i:j])
				b.WriteString(mid)
				b.WriteString(s[j : j+n2])
				b.WriteString(post)
				i = j + n2
				continue
			}
		}
		b.WriteString(s[i : i+n1])
		i += n1
	}
	return b.String()
}
