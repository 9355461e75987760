package embed

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
)

// plain hides Seek and Len, so Read cannot know the input size.
type plain struct{ r io.Reader }

func (p plain) Read(b []byte) (int, error) { return p.r.Read(b) }

// readBoth reads in with a known size and with an unknown one, and checks that both agree.
func readBoth(t *testing.T, in string, format Format, opts Options) (*Vectors, error) {
	t.Helper()
	v1, err1 := Read(strings.NewReader(in), "in", format, opts)
	v2, err2 := Read(plain{strings.NewReader(in)}, "in", format, opts)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("sized read: %v; unsized read: %v", err1, err2)
	}
	if err1 != nil {
		var fe1, fe2 *FormatError
		if errors.As(err1, &fe1) != errors.As(err2, &fe2) || (fe1 != nil && fe1.Err != fe2.Err) {
			t.Fatalf("sized read: %v; unsized read: %v", err1, err2)
		}
		return nil, err1
	}
	sameVectors(t, v1, v2)
	return v1, nil
}

// sameVectors checks that got and want hold the same words and bit-identical values.
func sameVectors(t *testing.T, got, want *Vectors) {
	t.Helper()
	if got.Dim != want.Dim || len(got.Words) != len(want.Words) || len(got.Data) != len(want.Data) {
		t.Fatalf("got %d words of dim %d (%d values); want %d of dim %d (%d values)",
			len(got.Words), got.Dim, len(got.Data), len(want.Words), want.Dim, len(want.Data))
	}
	for i := range want.Words {
		if got.Words[i] != want.Words[i] {
			t.Fatalf("word %d: got %q, want %q", i, got.Words[i], want.Words[i])
		}
	}
	for i := range want.Data {
		if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
			t.Fatalf("value %d (word %q): got %v (%#08x), want %v (%#08x)", i, want.Words[i/want.Dim],
				got.Data[i], math.Float32bits(got.Data[i]), want.Data[i], math.Float32bits(want.Data[i]))
		}
	}
}

func mustVectors(t *testing.T, words []string, dim int, data []float32) *Vectors {
	t.Helper()
	v, err := New(words, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReadText(t *testing.T) {
	in := "3 2\r\n" + // CRLF and trailing whitespace are stripped, as bytes.rstrip() does
		"这是 0.5 -1e-3\r\n" +
		"😀 1 2  \t\n" +
		"a\tb -0.0 .25" // no final newline; a tab inside a word is part of it
	v, err := readBoth(t, in, Text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := mustVectors(t, []string{"这是", "😀", "a\tb"}, 2,
		[]float32{0.5, -1e-3, 1, 2, float32(math.Copysign(0, -1)), 0.25})
	sameVectors(t, v, want)
	if got, ok := v.Lookup("😀"); !ok || got[1] != 2 {
		t.Errorf("Lookup(😀) = %v, %v", got, ok)
	}
	if _, ok := v.Lookup("a"); ok {
		t.Error(`Lookup("a") found a word`)
	}
}

func TestReadGloVe(t *testing.T) {
	v, err := readBoth(t, "the 0.1 0.2 0.3\n的 1 2 3\n🇨🇳 4 5 6\n", GloVe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, v, mustVectors(t, []string{"the", "的", "🇨🇳"}, 3, []float32{0.1, 0.2, 0.3, 1, 2, 3, 4, 5, 6}))
}

// binVec is one binary record: word, space, little-endian float32s.
func binVec(word string, xs ...float32) string {
	b := []byte(word + " ")
	for _, x := range xs {
		u := math.Float32bits(x)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	}
	return string(b)
}

func TestReadBinary(t *testing.T) {
	want := mustVectors(t, []string{"中文", "🙂", "x"}, 2, []float32{1, -2, 0.5, 3e-40, -1, 7})
	for name, in := range map[string]string{
		"gensim (no newline)":   "3 2\n" + binVec("中文", 1, -2) + binVec("🙂", 0.5, 3e-40) + binVec("x", -1, 7),
		"word2vec.c (newlines)": "3 2\n" + binVec("中文", 1, -2) + "\n" + binVec("🙂", 0.5, 3e-40) + "\n" + binVec("x", -1, 7) + "\n",
		"trailing junk ignored": "3 2\n" + binVec("中文", 1, -2) + binVec("🙂", 0.5, 3e-40) + binVec("x", -1, 7) + "junk",
	} {
		t.Run(name, func(t *testing.T) {
			v, err := readBoth(t, in, Binary, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sameVectors(t, v, want)
		})
	}
}

func TestLimit(t *testing.T) {
	// Everything after the first two vectors is broken; with Limit 2 it is never looked at.
	cases := map[Format]string{
		Text:   "9 1\na 1\nb 2\nc nan\n",
		GloVe:  "a 1\nb 2\nc 1 2 3\n",
		Binary: "9 1\n" + binVec("a", 1) + binVec("b", 2) + "c",
	}
	for format, in := range cases {
		v, err := readBoth(t, in, format, Options{Limit: 2})
		if err != nil {
			t.Fatalf("%v: %v", format, err)
		}
		sameVectors(t, v, mustVectors(t, []string{"a", "b"}, 1, []float32{1, 2}))
		if _, err := Read(strings.NewReader(in), "", format, Options{}); err == nil {
			t.Errorf("%v without a limit: no error", format)
		}
	}
	// A limit above the number of vectors reads them all.
	for format, in := range map[Format]string{Text: "2 1\na 1\nb 2\n", GloVe: "a 1\nb 2", Binary: "2 1\n" + binVec("a", 1) + binVec("b", 2)} {
		v, err := readBoth(t, in, format, Options{Limit: 5})
		if err != nil {
			t.Fatalf("%v, limit 5: %v", format, err)
		}
		sameVectors(t, v, mustVectors(t, []string{"a", "b"}, 1, []float32{1, 2}))
	}
	if _, err := Read(strings.NewReader("a 1\n"), "", GloVe, Options{Limit: -1}); !errors.Is(err, ErrOption) {
		t.Errorf("Limit -1: got %v, want ErrOption", err)
	}
}

func TestUnicodePolicies(t *testing.T) {
	// "\xe4\xb8" is 中 cut after two bytes (as word2vec.c's byte limit leaves it); "\xff" never
	// occurs in UTF-8. Python gives one U+FFFD for each.
	word := "ab\xe4\xb8c\xff"
	want := map[UnicodePolicy]string{Replace: "ab\uFFFDc\uFFFD", Ignore: "abc"}
	ins := map[Format]string{
		Text:   "1 1\n" + word + " 1\n",
		GloVe:  word + " 1\n",
		Binary: "1 1\n" + binVec(word, 1),
	}
	for format, in := range ins {
		_, err := readBoth(t, in, format, Options{Unicode: Strict})
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Err != ErrUnicode || fe.Offset != int64(strings.Index(in, "\xe4")) {
			t.Errorf("%v strict: got %#v, want ErrUnicode at byte %d", format, err, strings.Index(in, "\xe4"))
		}
		for policy, w := range want {
			v, err := readBoth(t, in, format, Options{Unicode: policy})
			if err != nil {
				t.Fatalf("%v %v: %v", format, policy, err)
			}
			if v.Words[0] != w {
				t.Errorf("%v %v: got %q, want %q", format, policy, v.Words[0], w)
			}
		}
	}
	// Gensim decodes whole text lines, so 'ignore' also drops invalid bytes inside numbers.
	v, err := readBoth(t, "w 1.\xff5\n", GloVe, Options{Unicode: Ignore})
	if err != nil || v.Data[0] != 1.5 {
		t.Errorf("ignore inside a number: %v, %v", v, err)
	}
	if _, err := readBoth(t, "\xff 1\n", GloVe, Options{Unicode: Ignore}); !errors.Is(err, ErrWord) {
		t.Errorf("word emptied by ignore: got %v, want ErrWord", err)
	}
}

// TestHugeHeaderAllocatesLittle checks that a header announcing terabytes allocates nothing of
// the kind, whether or not the input size is known.
func TestHugeHeaderAllocatesLittle(t *testing.T) {
	for _, tc := range []struct {
		format Format
		in     string
	}{
		{Binary, "4000000000 300000\n" + binVec("a", 1, 2)},
		{Text, "4000000000 300000\na 1 2\n"},
		{Text, "1 4000000000000\na 1 2\n"},
		{Binary, "1 4000000000000\n" + binVec("a", 1, 2)},
	} {
		for _, sized := range []bool{true, false} {
			var r io.Reader = bytes.NewReader([]byte(tc.in))
			if !sized {
				r = plain{r}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Read(r, "", tc.format, Options{})
			runtime.ReadMemStats(&after)
			allocs := int64(after.TotalAlloc - before.TotalAlloc)
			if err == nil {
				t.Errorf("%v %q: no error", tc.format, tc.in[:20])
			}
			if limit := int64(4*growCap + 1<<20); allocs > limit {
				t.Errorf("%v %q sized=%v: allocated %d bytes per read; want at most %d",
					tc.format, tc.in[:20], sized, allocs, limit)
			}
		}
	}
}
