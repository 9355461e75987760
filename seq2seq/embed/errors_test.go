package embed

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestReadErrors checks the sentinel, and where given the position, of each kind of bad input.
// Line, Vector and Offset of -1 are not checked (they differ between sized and unsized reads).
func TestReadErrors(t *testing.T) {
	nan := float32(math.NaN())
	long := strings.Repeat("a", MaxWordBytes+10)
	for _, tc := range []struct {
		name   string
		format Format
		in     string
		want   error
		line   int
		vector int
		offset int64
		msg    string // substring of the message
	}{
		{"text empty", Text, "", ErrEmpty, 1, 0, 0, ""},
		{"text blank header", Text, "\n", ErrHeader, 1, 0, 0, ""},
		{"text header word", Text, "abc 1\n", ErrHeader, 1, 0, 0, `count "abc"`},
		{"text header dim", Text, "2 x\n", ErrHeader, 1, 0, 0, `dim "x"`},
		{"text header dim 0", Text, "2 0\n", ErrHeader, 1, 0, 0, "dim is 0"},
		{"text header negative", Text, "-1 2\n", ErrHeader, 1, 0, 0, ""},
		{"text header 3 fields", Text, "1 2 3\n", ErrHeader, 1, 0, 0, "3 fields"},
		{"text header underscore", Text, "1_0 2\n", ErrHeader, 1, 0, 0, ""},
		{"glove read as text", Text, "the 0.1 0.2 0.3\n", ErrHeader, 1, 0, 0, "read it as glove"},
		{"text fewer vectors", Text, "3 2\na 1 2\nb 3 4\n", ErrTruncated, -1, -1, -1, ""},
		{"text fewer values", Text, "1 2\na 1\n", ErrDimension, 2, 1, 4, "want 2 values"},
		{"text more values", Text, "1 2\na 1 2 3\n", ErrDimension, 2, 1, 4, "got 3"},
		{"text double space", Text, "1 2\na 1  2\n", ErrDimension, 2, 1, 4, ""},
		{"text blank line", Text, "2 1\na 1\n\nb 2\n", ErrWord, 3, 2, 8, "empty word"},
		{"text bad number", Text, "1 2\na 1 x\n", ErrNumber, 2, 1, 8, "value 2"},
		{"text underscore", Text, "1 1\na 1_0\n", ErrNumber, 2, 1, 6, ""},
		{"text hex", Text, "1 1\na 0x10\n", ErrNumber, 2, 1, 6, ""},
		{"text arabic digit", Text, "1 1\na ١\n", ErrNumber, 2, 1, 6, ""},
		{"text tab in number", Text, "1 2\na 1\t2\n", ErrDimension, 2, 1, 4, ""},
		{"text nan", Text, "1 1\na nan\n", ErrNonFinite, 2, 1, 6, "refused"},
		{"text -Infinity", Text, "1 1\na -Infinity\n", ErrNonFinite, 2, 1, 6, ""},
		{"text overflow", Text, "1 1\na 1e39\n", ErrNonFinite, 2, 1, 6, "overflows float32"},
		{"text duplicate", Text, "3 1\na 1\nb 2\na 3\n", ErrDuplicate, 4, 3, 12, "already line 2"},
		{"text empty word", Text, "1 1\n 1\n", ErrWord, 2, 1, 4, ""},
		{"text bad utf8", Text, "1 1\nab\xff 1\n", ErrUnicode, 2, 1, 6, "0xff"},
		{"text bad utf8 in value", Text, "1 1\na 1\xff\n", ErrUnicode, 2, 1, 7, "value 1"},

		{"binary empty", Binary, "", ErrEmpty, 1, 0, 0, ""},
		{"binary header", Binary, "x y\n", ErrHeader, 1, 0, 0, ""},
		{"binary fewer vectors", Binary, "2 2\n" + binVec("a", 1, 2), ErrTruncated, -1, -1, -1, ""},
		{"binary short vector", Binary, "1 2\n" + binVec("a", 1), ErrTruncated, -1, -1, -1, ""},
		{"binary word only", Binary, "1 2\nabcdefghijklmn", ErrTruncated, -1, -1, -1, ""},
		{"binary nan", Binary, "1 2\n" + binVec("a", 1, nan), ErrNonFinite, 0, 1, 10, "value 2"},
		{"binary inf", Binary, "1 1\n" + binVec("a", float32(math.Inf(-1))), ErrNonFinite, 0, 1, 6, ""},
		{"binary duplicate", Binary, "2 1\n" + binVec("a", 1) + binVec("a", 2), ErrDuplicate, 0, 2, 10, "already vector 1"},
		{"binary newline word", Binary, "1 1\n" + binVec("\n", 1), ErrWord, 0, 1, 4, "empty"},
		{"binary bad utf8", Binary, "1 1\n" + binVec("\xc3", 1), ErrUnicode, 0, 1, 4, ""},
		{"binary no space", Binary, "1 1\n" + long + " 1234", ErrWord, 0, 1, 4, "no space"},

		{"glove empty", GloVe, "", ErrEmpty, 1, 0, 0, ""},
		{"glove no values", GloVe, "a\n", ErrDimension, 1, 1, 0, "first line"},
		{"glove wrong dim", GloVe, "a 1\nb 1 2\n", ErrDimension, 2, 2, 4, "line 1"},
		{"text read as glove", GloVe, "3 2\na 1 2\n", ErrDimension, 2, 2, 4, "word2vec header"},
		{"glove blank line", GloVe, "a 1\n\n", ErrWord, 2, 2, 4, ""},
		{"glove nan", GloVe, "a 1\nb NaN\n", ErrNonFinite, 2, 2, 6, ""},
		{"glove duplicate", GloVe, "a 1\na 2\n", ErrDuplicate, 2, 2, 4, "already line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBoth(t, tc.in, tc.format, Options{})
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, tc.want) {
				t.Fatalf("got %v; want a *FormatError wrapping %v", err, tc.want)
			}
			if fe.File != "in" || (tc.line >= 0 && fe.Line != tc.line) || (tc.vector >= 0 && fe.Vector != tc.vector) ||
				(tc.offset >= 0 && fe.Offset != tc.offset) || !strings.Contains(fe.Error(), tc.msg) {
				t.Errorf("got %q: file %q, line %d, vector %d, byte %d; want file \"in\", line %d, vector %d, byte %d, message with %q",
					err, fe.File, fe.Line, fe.Vector, fe.Offset, tc.line, tc.vector, tc.offset, tc.msg)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Read(strings.NewReader("1 2\nword 1 oops\n"), "vecs.txt", Text, Options{})
	want := `vecs.txt:2: vector 1: byte 11: value 2: invalid number: "oops" is not a decimal number`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestOptionErrors(t *testing.T) {
	if _, err := Read(strings.NewReader("a 1\n"), "", Format(7), Options{}); !errors.Is(err, ErrOption) {
		t.Errorf("bad format: %v", err)
	}
	if _, err := Read(strings.NewReader("a 1\n"), "", GloVe, Options{Unicode: 9}); !errors.Is(err, ErrOption) {
		t.Errorf("bad policy: %v", err)
	}
	if _, err := ParseFormat("csv"); !errors.Is(err, ErrOption) {
		t.Errorf("ParseFormat: %v", err)
	}
	if _, err := ParseUnicodePolicy("lenient"); !errors.Is(err, ErrOption) {
		t.Errorf("ParseUnicodePolicy: %v", err)
	}
	for _, f := range []Format{Text, Binary, GloVe} {
		if g, err := ParseFormat(strings.ToUpper(f.String())); err != nil || g != f {
			t.Errorf("ParseFormat(%v) = %v, %v", f, g, err)
		}
	}
	for _, p := range []UnicodePolicy{Strict, Replace, Ignore} {
		if q, err := ParseUnicodePolicy(p.String()); err != nil || q != p {
			t.Errorf("ParseUnicodePolicy(%v) = %v, %v", p, q, err)
		}
	}
	if _, err := ReadFile("testdata/does-not-exist.txt", Text, Options{}); err == nil ||
		!strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("missing file: %v", err)
	}
}
