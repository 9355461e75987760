package embed

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestDecodeWordMatchesPython checks decodeWord against outputs of Python 3.11's
// bytes.decode('utf-8', 'replace') and bytes.decode('utf-8', 'ignore'), which gensim calls.
func TestDecodeWordMatchesPython(t *testing.T) {
	for _, tc := range []struct{ in, replace, ignore string }{
		{"abc", "abc", "abc"},
		{"\xe4\xb8", "\xef\xbf\xbd", ""},
		{"\xe4\xb8A", "\xef\xbf\xbdA", "A"},
		{"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", ""},
		{"\xf0\x9f\x98", "\xef\xbf\xbd", ""},
		{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
		{"\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd", ""},
		{"\xe0\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", ""},
		{"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", ""},
		{"\xf5", "\xef\xbf\xbd", ""},
		{"\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd", ""},
		{"\xe1\x80", "\xef\xbf\xbd", ""},
		{"\xef\xbf\xbf", "\xef\xbf\xbf", "\xef\xbf\xbf"},
		{"a\xffb\xfe", "a\xef\xbf\xbdb\xef\xbf\xbd", "ab"},
		{"\xf0\x90", "\xef\xbf\xbd", ""},
		{"\xc2", "\xef\xbf\xbd", ""},
		{"\xe0\xa0", "\xef\xbf\xbd", ""},
		{"\xf1\x80\x80", "\xef\xbf\xbd", ""},
		{"\xe0\xa0\xc2\xa9", "\xef\xbf\xbd\xc2\xa9", "\xc2\xa9"},
	} {
		if got, _ := decodeWord([]byte(tc.in), Replace); got != tc.replace {
			t.Errorf("replace %q: got %q, want %q", tc.in, got, tc.replace)
		}
		if got, _ := decodeWord([]byte(tc.in), Ignore); got != tc.ignore {
			t.Errorf("ignore %q: got %q, want %q", tc.in, got, tc.ignore)
		}
		got, bad := decodeWord([]byte(tc.in), Strict)
		if valid := utf8.ValidString(tc.in); valid != (bad < 0) || (valid && got != tc.in) {
			t.Errorf("strict %q: got %q, bad byte %d", tc.in, got, bad)
		}
	}
}

// TestUTF8SubpartAgreesWithGo checks, on random bytes, that utf8Subpart finds the same characters
// as Go's decoder, and that Ignore keeps exactly the bytes of those characters.
func TestUTF8SubpartAgreesWithGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(8)+1)
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(2) == 0 {
				b[i] = 0x80 | byte(rng.IntN(64)) // more continuation bytes, more near-misses
			}
		}
		var keep []byte
		for i := 0; i < len(b); {
			n, ok := utf8Subpart(b[i:])
			r, size := utf8.DecodeRune(b[i:])
			if ok != (r != utf8.RuneError || size > 1) || (ok && n != size) {
				t.Fatalf("%q at %d: utf8Subpart = %d, %v; utf8.DecodeRune = %U, %d", b, i, n, ok, r, size)
			}
			if ok {
				keep = append(keep, b[i:i+n]...)
			}
			i += n
		}
		if got, _ := decodeWord(b, Ignore); got != string(keep) {
			t.Fatalf("ignore %q: got %q, want %q", b, got, keep)
		}
		if got, _ := decodeWord(b, Replace); !utf8.ValidString(got) ||
			!bytes.Equal(bytes.ReplaceAll([]byte(got), []byte("\uFFFD"), nil), bytes.ReplaceAll(keep, []byte("\uFFFD"), nil)) {
			t.Fatalf("replace %q: got %q", b, got)
		}
	}
}
