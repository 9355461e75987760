package embed

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seed corpora: testdata/fuzz/FuzzReadText, FuzzReadBinary, FuzzReadGloVe.
func FuzzReadText(f *testing.F)   { fuzzRead(f, Text) }
func FuzzReadBinary(f *testing.F) { fuzzRead(f, Binary) }
func FuzzReadGloVe(f *testing.F)  { fuzzRead(f, GloVe) }

var sentinels = []error{ErrEmpty, ErrHeader, ErrTruncated, ErrDimension, ErrNumber, ErrNonFinite,
	ErrUnicode, ErrDuplicate, ErrWord}

// fuzzRead checks that Read never panics, that every error is a FormatError with a sentinel and a
// position inside the input, that sized and unsized reads agree, and that whatever Read accepts is
// a valid table that writes and reads back bit-identical.
func fuzzRead(f *testing.F, format Format) {
	f.Fuzz(func(t *testing.T, data []byte, limit, policy uint8) {
		opts := Options{Limit: int(limit % 4), Unicode: UnicodePolicy(policy % 3)}
		v, err := Read(bytes.NewReader(data), "fuzz", format, opts)
		v2, err2 := Read(plain{bytes.NewReader(data)}, "fuzz", format, opts)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("sized read: %v; unsized read: %v", err, err2)
		}
		for _, e := range []error{err, err2} {
			if e != nil {
				checkFuzzError(t, e, len(data))
			}
		}
		if err != nil {
			return
		}
		sameVectors(t, v2, v)
		checkTable(t, v, opts)
		for _, w := range v.Words {
			if strings.Contains(w, "\n") { // binary words may hold a newline; the writers refuse it
				return
			}
		}
		for _, out := range []Format{format, Text} {
			var buf bytes.Buffer
			if err := Write(&buf, v, out); err != nil {
				t.Fatalf("writing what was read: %v", err)
			}
			back, err := Read(&buf, "back", out, Options{})
			if err != nil {
				t.Fatalf("reading back %q: %v", buf.Bytes(), err)
			}
			sameVectors(t, back, v)
		}
	})
}

func checkFuzzError(t *testing.T, err error, size int) {
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *FormatError", err)
	}
	known := false
	for _, s := range sentinels {
		known = known || fe.Err == s
	}
	if !known || fe.File != "fuzz" || fe.Offset < -1 || fe.Offset > int64(size) || fe.Msg == "" {
		t.Fatalf("bad error %#v", fe)
	}
}

func checkTable(t *testing.T, v *Vectors, opts Options) {
	if v.Dim < 1 || len(v.Data) != len(v.Words)*v.Dim || (opts.Limit > 0 && len(v.Words) > opts.Limit) {
		t.Fatalf("%d words, dim %d, %d values (limit %d)", len(v.Words), v.Dim, len(v.Data), opts.Limit)
	}
	seen := map[string]bool{}
	for i, w := range v.Words {
		if w == "" || !utf8.ValidString(w) || seen[w] || strings.HasPrefix(w, " ") {
			t.Fatalf("word %d: %q", i, w)
		}
		seen[w] = true
		if got, ok := v.Lookup(w); !ok || &got[0] != &v.Data[i*v.Dim] {
			t.Fatalf("Lookup(%q) does not give row %d", w, i)
		}
	}
	for _, x := range v.Data {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			t.Fatalf("value %v", x)
		}
	}
}
