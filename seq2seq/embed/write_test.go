package embed

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// trickyValues are float32s that are easy to get wrong in text: signed zero, subnormals, the
// extremes, values whose shortest decimal needs an exponent, and 7.038531e-26, whose shortest
// float32 decimal reads back as a different float32 when rounded through float64 (as numpy does).
var trickyValues = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0.1, -0.3, 1.0 / 3,
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1.1754942e-38, 1.1754944e-38,
	math.MaxFloat32, -math.MaxFloat32, 1e-5, 123456.7, 16777217, 3.4028233e38,
	math.Float32frombits(363742205), // 7.038531e-26
}

// sampleVectors holds ASCII, Chinese and emoji words and the tricky values.
func sampleVectors(t testing.TB) *Vectors {
	words := []string{"the", "这是", "一个", "😀", "👩‍👩‍👧", "e\u0301", "<unk>", "a\tb", "Ω"}
	dim := 6
	data := make([]float32, len(words)*dim)
	for i := range data {
		data[i] = trickyValues[i%len(trickyValues)]
	}
	v, err := New(words, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWriteReadRoundTrip(t *testing.T) {
	want := sampleVectors(t)
	for _, format := range []Format{Text, Binary, GloVe} {
		var buf bytes.Buffer
		if err := Write(&buf, want, format); err != nil {
			t.Fatal(err)
		}
		got, err := readBoth(t, buf.String(), format, Options{})
		if err != nil {
			t.Fatalf("%v: %v", format, err)
		}
		sameVectors(t, got, want)
	}
}

// TestAppendValue checks, on random float32s, that the printed value reads back bit-identical
// both straight to float32 and through float64, and is no longer than needed.
func TestAppendValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(x float32) {
		s := string(AppendValue(nil, x))
		d32, err1 := strconv.ParseFloat(s, 32)
		d64, err2 := strconv.ParseFloat(s, 64)
		if err1 != nil || err2 != nil || math.Float32bits(float32(d32)) != math.Float32bits(x) ||
			math.Float32bits(float32(d64)) != math.Float32bits(x) {
			t.Fatalf("%v (%#08x) printed as %q", x, math.Float32bits(x), s)
		}
		if short := strconv.FormatFloat(float64(x), 'g', -1, 32); s != short && x != math.Float32frombits(363742205) {
			// Only the rare values that fail through float64 may be longer; list any new one here.
			y, _ := strconv.ParseFloat(short, 64)
			if float32(y) == x {
				t.Fatalf("%v printed as %q, want %q", x, s, short)
			}
		}
	}
	for _, x := range trickyValues {
		check(x)
	}
	for range 200000 {
		x := math.Float32frombits(rng.Uint32())
		if !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) {
			check(x)
		}
	}
	if got := string(AppendValue(nil, math.Float32frombits(363742205))); got != "7.038530691851209e-26" {
		t.Errorf("7.038531e-26 printed as %q", got)
	}
}

func TestGolden(t *testing.T) {
	v := sampleVectors(t)
	for _, tc := range []struct {
		format Format
		file   string
	}{{Text, "sample.txt"}, {Binary, "sample.bin"}, {GloVe, "sample.glove.txt"}} {
		var buf bytes.Buffer
		if err := Write(&buf, v, tc.format); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", tc.file)
		if *update {
			if err := WriteFile(path, v, tc.format); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test -run TestGolden -update writes it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: Write output differs from the golden file (go test -run TestGolden -update rewrites it)\ngot:\n%q\nwant:\n%q",
				path, buf.Bytes(), want)
		}
		got, err := ReadFile(path, tc.format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sameVectors(t, got, v)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
		dim   int
		data  []float32
		want  error
	}{
		{"dim 0", []string{"a"}, 0, nil, ErrDimension},
		{"short data", []string{"a", "b"}, 2, []float32{1, 2, 3}, ErrDimension},
		{"empty word", []string{""}, 1, []float32{1}, ErrWord},
		{"space", []string{"a b"}, 1, []float32{1}, ErrWord},
		{"newline", []string{"a\nb"}, 1, []float32{1}, ErrWord},
		{"bad utf8", []string{"a\xff"}, 1, []float32{1}, ErrWord},
		{"duplicate", []string{"a", "b", "a"}, 1, []float32{1, 2, 3}, ErrDuplicate},
		{"nan", []string{"a"}, 2, []float32{1, float32(math.NaN())}, ErrNonFinite},
		{"inf", []string{"a"}, 1, []float32{float32(math.Inf(1))}, ErrNonFinite},
	} {
		if _, err := New(tc.words, tc.dim, tc.data); !errors.Is(err, tc.want) {
			t.Errorf("New %s: got %v, want %v", tc.name, err, tc.want)
		}
		var buf bytes.Buffer
		v := &Vectors{Words: tc.words, Dim: tc.dim, Data: tc.data}
		if err := Write(&buf, v, Text); !errors.Is(err, tc.want) || buf.Len() != 0 {
			t.Errorf("Write %s: got %v after %d bytes; want %v and nothing written", tc.name, err, buf.Len(), tc.want)
		}
	}
	if err := Write(&bytes.Buffer{}, nil, Text); !errors.Is(err, ErrOption) {
		t.Errorf("nil vectors: %v", err)
	}
}

// TestWriteFileAtomic checks that a failed WriteFile leaves the old file and no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vecs.bin")
	if err := WriteFile(path, sampleVectors(t), Binary); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	bad := &Vectors{Words: []string{"a", "a"}, Dim: 1, Data: []float32{1, 2}}
	err := WriteFile(path, bad, Binary)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.File != path {
		t.Errorf("got %v; want a FormatError naming %s", err, path)
	}
	err = WriteFile(filepath.Join(dir, "missing", "v.txt"), sampleVectors(t), Text)
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("write into a missing folder: %v", err)
	}
	now, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if !bytes.Equal(old, now) || len(entries) != 1 {
		t.Errorf("after failed writes: file changed %v, folder holds %d entries", !bytes.Equal(old, now), len(entries))
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode: %v, %v", info, err)
	}
}

func TestVectorsAccessors(t *testing.T) {
	v := sampleVectors(t)
	lit := &Vectors{Words: v.Words, Dim: v.Dim, Data: v.Data} // no index: Lookup scans
	for i, w := range v.Words {
		for _, vv := range []*Vectors{v, lit} {
			got, ok := vv.Lookup(w)
			if !ok || &got[0] != &v.Data[i*v.Dim] || len(got) != v.Dim || cap(got) != v.Dim {
				t.Fatalf("Lookup(%q): %v, %v", w, got, ok)
			}
		}
	}
	if v.Len() != 9 || v.Vector(-1) != nil || v.Vector(9) != nil || len(v.Vector(8)) != 6 {
		t.Errorf("Len %d, Vector(-1) %v, Vector(9) %v", v.Len(), v.Vector(-1), v.Vector(9))
	}
	if _, ok := lit.Lookup("missing"); ok {
		t.Error("Lookup(missing) found something")
	}
}
