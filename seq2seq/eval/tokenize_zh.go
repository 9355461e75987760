package eval

import (
	"strings"
	"unicode/utf8"
)

// TokenizeZh is sacreBLEU's "zh" tokenizer (TokenizerZh, by Shujian Huang), byte for byte: strip whitespace
// from both ends, put a space on each side of every character of sacreBLEU's Chinese table (which, as Python
// reads it, also covers U+2001..U+2A6D: '—', '…', '€', '→'; see zhIntervals), then apply the same regular
// expressions as 13a (tokenizeRegexp). Unlike Tokenize13a it neither pads the line with spaces nor touches
// "<skipped>", newlines or HTML entities, so ".5" stays ".5" here but becomes ". 5" in 13a.
func TokenizeZh(line string) string {
	line = pyStrip(line)
	var b strings.Builder
	b.Grow(len(line) * 2)
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		if isChineseChar(r) {
			b.WriteByte(' ')
			b.WriteString(line[i : i+n])
			b.WriteByte(' ')
		} else {
			b.WriteString(line[i : i+n])
		}
		i += n
	}
	return tokenizeRegexp(b.String())
}

// zhRanges is sacreBLEU's _UCODE_RANGES (tokenizers/tokenizer_zh.py; Copyright (c) 2017 Shujian Huang, MIT
// License; Copyright 2017-2018 Amazon.com, Inc. or its affiliates, Apache License 2.0), copied literally,
// comments included.
// sacreBLEU tests a character c with the string comparison start <= c <= end. Go's "\uXXXX" escape, like
// Python's, takes exactly four hex digits, so "\u20000" is the two characters U+2000 '0' in both languages,
// and Go's byte-wise string order is code-point order: the comparison means the same here.
var zhRanges = [...]struct{ start, end string }{
	{"\u3400", "\u4db5"},   // CJK Unified Ideographs Extension A, release 3.0
	{"\u4e00", "\u9fa5"},   // CJK Unified Ideographs, release 1.1
	{"\u9fa6", "\u9fbb"},   // CJK Unified Ideographs, release 4.1
	{"\uf900", "\ufa2d"},   // CJK Compatibility Ideographs, release 1.1
	{"\ufa30", "\ufa6a"},   // CJK Compatibility Ideographs, release 3.2
	{"\ufa70", "\ufad9"},   // CJK Compatibility Ideographs, release 4.1
	{"\u20000", "\u2a6d6"}, // (UTF16) CJK Unified Ideographs Extension B, release 3.1
	{"\u2f800", "\u2fa1d"}, // (UTF16) CJK Compatibility Supplement, release 3.1
	{"\uff00", "\uffef"},   // Full width ASCII, full width of English punctuation,
	// half width Katakana, half wide half width kana, Korean alphabet
	{"\u2e80", "\u2eff"}, // CJK Radicals Supplement
	{"\u3000", "\u303f"}, // CJK punctuation mark
	{"\u31c0", "\u31ef"}, // CJK stroke
	{"\u2f00", "\u2fdf"}, // Kangxi Radicals
	{"\u2ff0", "\u2fff"}, // Chinese character structure
	{"\u3100", "\u312f"}, // Phonetic symbols
	{"\u31a0", "\u31bf"}, // Phonetic symbols (Taiwanese and Hakka expansion)
	{"\ufe10", "\ufe1f"},
	{"\ufe30", "\ufe4f"},
	{"\u2600", "\u26ff"},
	{"\u2700", "\u27bf"},
	{"\u3200", "\u32ff"},
	{"\u3300", "\u33ff"},
}

// zhIntervals holds zhRanges as code-point intervals [lo, hi]: exactly the characters c with
// start <= c <= end. The two five-digit entries thus become U+2001..U+2A6D (general punctuation, currency,
// arrows, mathematical operators, ... : '—', '…', '€', '→' count as Chinese) and U+2F81..U+2FA1; no
// character outside the BMP is accepted.
var zhIntervals = func() (iv [len(zhRanges)][2]rune) {
	for k, r := range zhRanges {
		lo, n := utf8.DecodeRuneInString(r.start)
		if n < len(r.start) {
			lo++ // string(lo) is a proper prefix of start, so it sorts before it.
		}
		hi, _ := utf8.DecodeRuneInString(r.end) // string(hi) is end or a prefix of it.
		iv[k] = [2]rune{lo, hi}
	}
	return iv
}()

// isChineseChar reports whether sacreBLEU's zh tokenizer treats r as a Chinese character (its
// _is_chinese_char), that is, whether r falls in one of the ranges of its table; see zhIntervals for what the
// table really covers.
func isChineseChar(r rune) bool {
	for _, iv := range zhIntervals {
		if iv[0] <= r && r <= iv[1] {
			return true
		}
	}
	return false
}
