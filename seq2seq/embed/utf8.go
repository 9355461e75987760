package embed

import (
	"strings"
	"unicode/utf8"
)

// decodeWord turns the raw bytes of a word into a string under policy p, the way Python's
// bytes.decode('utf-8', errors=...) does. bad is the index in b of the first invalid byte, or -1;
// under Strict the string is empty when bad >= 0.
func decodeWord(b []byte, p UnicodePolicy) (s string, bad int) {
	if utf8.Valid(b) {
		return string(b), -1
	}
	bad = -1
	var sb strings.Builder
	sb.Grow(len(b) + 2)
	for i := 0; i < len(b); {
		n, ok := utf8Subpart(b[i:])
		if ok {
			sb.Write(b[i : i+n])
		} else {
			if bad < 0 {
				bad = i
				if p == Strict {
					return "", bad
				}
			}
			if p == Replace {
				sb.WriteRune(utf8.RuneError)
			}
		}
		i += n
	}
	return sb.String(), bad
}

// utf8Subpart looks at the sequence starting at b[0] (len(b) > 0). If it is a well-formed UTF-8
// character it returns its length and true. Otherwise it returns the length of the maximal
// subpart of an ill-formed sequence (the longest prefix of a well-formed character, at least one
// byte) and false: Unicode's "substitution of maximal subparts" (Unicode 15, §3.9, Table 3-7), the
// practice CPython follows for errors='replace'. Go's utf8.DecodeRune, which consumes one byte per
// error, gives more U+FFFD for a character cut short.
func utf8Subpart(b []byte) (n int, ok bool) {
	c := b[0]
	if c < utf8.RuneSelf {
		return 1, true
	}
	lo, hi := byte(0x80), byte(0xBF) // range of the second byte
	var need int                     // continuation bytes
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default: // 0x80..0xC1, 0xF5..0xFF never start a character
		return 1, false
	}
	for i := 1; i <= need; i++ {
		if i >= len(b) {
			return i, false
		}
		if x := b[i]; (i == 1 && (x < lo || x > hi)) || (i > 1 && (x < 0x80 || x > 0xBF)) {
			return i, false
		}
	}
	return need + 1, true
}
