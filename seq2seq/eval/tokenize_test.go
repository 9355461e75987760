package eval

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokenizerEdgeCases are lines that hit one rule each; TestMatchesSacreBLEU also sends them to sacreBLEU.
var tokenizerEdgeCases = []string{
	"", " ", "\n", "a", ".", ",", "-", "a.", ".a", "a.b", "1.5", "1.5,3", "a.,1", "a..", ".,.,", "1,a", "a,1",
	" .5", ".5", "5.", "x-1-2", "1-", "-1", "1--2", "(hi)", "don't", "rock'n'roll", "$5.00", "100%", "C++",
	"&amp;quot;", "&quot;&amp;&lt;&gt;", "&AMP;", "&&", "<skipped>", "<skip<skipped>ped>", "a<skipped>b",
	"end-\nof line", "two\nlines", "trail-\n", "a\r\nb", "\ttab\t", "x\x1cy", "x\u00a0y", "x\u2009y", "x\u200by",
	"x\u3000y", "x\u2028y", "x\u0085y", "ab—cd", "e—f", "…", "€5", "→", "☃", "A\u3000B", "中文，测试。",
	"我们是学生", "（中国）", "ＡＢＣ１２３", "𠀀𠀁", "👍🏽👩\u200d👩\u200d👧🇨🇳", "cafe\u0301.", "İ.Σ",
	"  leading and trailing  ", "a\u2001b", "a\u2a6db", "a\u2a6eb", "\u2f80\u2f81\u2fa1\u2fa2", "\ufeff",
}

func TestTokenize13a(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Hello, world!", "Hello , world !"},
		{"It wasn't surprising.", "It wasn't surprising ."},
		{"The price is $5.00, isn't it?", "The price is $ 5.00 , isn't it ?"},
		{"1,000.5 and 3.14", "1,000.5 and 3.14"},
		{"a.,1", "a . ,1"}, // Not idempotent: tokenizing again gives "a . , 1", as in sacreBLEU.
		{"x-1-2", "x-1 - 2"},
		{"(hi)", "( hi )"},
		{" .5", ". 5"},
		{"&amp;quot;", "& quot ;"},
		{"&quot;Hi&quot; &lt;b&gt;", `" Hi " < b >`},
		{"<skip<skipped>ped>", "< skipped >"},
		{"end-\nof line", "endof line"},
		{"ab—cd 中文", "ab—cd 中文"},
		{"x\x1cy", "x y"}, // Python splits on U+001C; strings.Fields would not.
	} {
		if got := Tokenize13a(c.in); got != c.want {
			t.Errorf("Tokenize13a(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokenizeZh(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"我们是学生。", "我 们 是 学 生 。"},
		{"中文，English words, 3.5元", "中 文 ， English words , 3.5 元"},
		{" .5", ".5"},                           // strip, no padding: unlike 13a.
		{"ab—cd", "ab — cd"},                    // U+2014 is inside sacreBLEU's table by accident.
		{"a\u2000b a\u2010b", "a b a \u2010 b"}, // U+2000 is whitespace; U+2010 (hyphen) is "Chinese".
		{"𠀀", "𠀀"},                              // Extension B is not in the table as Python reads it.
		{"&amp; <skipped>", "& amp ; < skipped >"},
	} {
		if got := TokenizeZh(c.in); got != c.want {
			t.Errorf("TokenizeZh(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	for name, want := range map[string]string{"": "a , b", Tok13a: "a , b", TokZh: "a , b", TokNone: "a, b"} {
		if got, err := Tokenize(name, "a, b"); err != nil || got != want {
			t.Errorf("Tokenize(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := Tokenize("intl", "a"); err == nil || !strings.Contains(err.Error(), `"intl"`) {
		t.Errorf("Tokenize(intl): error %v, want one naming the tokenizer", err)
	}
}

// regexpTokenizer is sacreBLEU's TokenizerRegexp written with Go's regexp and sacreBLEU's patterns, verbatim:
// the naive reference for tokenizeRegexp's hand-written scanners. Go's regexp, like Python's re.sub, replaces
// leftmost non-overlapping matches, and its [^0-9] matches newlines and invalid bytes.
var regexpTokenizer = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`([\{-\~\[-\` + "`" + ` -\&\(-\+\:-\@\/])`), " ${1} "},
	{regexp.MustCompile(`([^0-9])([\.,])`), "${1} ${2} "},
	{regexp.MustCompile(`([\.,])([^0-9])`), " ${1} ${2}"},
	{regexp.MustCompile(`([0-9])(-)`), "${1} ${2} "},
}

func naiveTokenizeRegexp(line string) string {
	for _, r := range regexpTokenizer {
		line = r.re.ReplaceAllString(line, r.repl)
	}
	return pyJoinSplit(line)
}

func TestTokenizeRegexpMatchesRegexp(t *testing.T) {
	for _, s := range append(tokenizerEdgeCases, "\xff.\xfe,1", "a.\xff", "1-\xff", "\xff-") {
		for _, line := range []string{s, " " + s + " "} {
			if got, want := tokenizeRegexp(line), naiveTokenizeRegexp(line); got != want {
				t.Errorf("tokenizeRegexp(%q) = %q, regexp reference %q", line, got, want)
			}
		}
	}
}

// isSymbol13a is the first pattern's character class.
func TestIsSymbol13a(t *testing.T) {
	re := regexpTokenizer[0].re
	for r := rune(0); r < 0x3000; r++ {
		if got, want := isSymbol13a(r), re.MatchString(string(r)); got != want {
			t.Errorf("isSymbol13a(%q) = %v, the regexp says %v", r, got, want)
		}
	}
}

// zhIntervals holds exactly the characters that sacreBLEU's string comparisons, start <= c <= end, accept.
func TestZhIntervalsMatchStringComparison(t *testing.T) {
	var buf [utf8.UTFMax]byte
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(buf[:utf8.EncodeRune(buf[:], r)])
		want := false
		for _, rg := range zhRanges {
			want = want || (rg.start <= c && c <= rg.end)
		}
		if got := isChineseChar(r); got != want {
			t.Fatalf("isChineseChar(%U) = %v, string comparison with the table says %v", r, got, want)
		}
	}
	if iv := zhIntervals[6]; iv != [2]rune{0x2001, 0x2a6d} {
		t.Errorf(`"\u20000".."\u2a6d6" covers %U..%U, want U+2001..U+2A6D`, iv[0], iv[1])
	}
}

func TestTokenizeNone(t *testing.T) {
	for _, s := range tokenizerEdgeCases {
		if got := TokenizeNone(s); got != s {
			t.Errorf("TokenizeNone(%q) = %q", s, got)
		}
	}
}
