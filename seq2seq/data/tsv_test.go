package data

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseTSV(t *testing.T) {
	in := "\uFEFFGo.\t去吧。\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\r\n" +
		"\n" +
		"Hi.\t你好。\n" +
		"e\u0301 👩‍👩‍👧\t🇨🇳 👍🏽\textra\textra\n" +
		"  spaced  \t kept \r\n" +
		"last\tno newline"
	got, err := ParseTSV(strings.NewReader(in), "cmn.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{
		{"Go.", "去吧。"},
		{"Hi.", "你好。"},
		{"e\u0301 👩‍👩‍👧", "🇨🇳 👍🏽"},
		{"  spaced  ", " kept "},
		{"last", "no newline"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ParseTSV = %q, want %q", got, want)
	}
	if got, err := ParseTSV(strings.NewReader(""), "empty"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty input: %#v, %v; want empty non-nil", got, err)
	}
}

func TestParseTSVErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		reason error
		want   string
	}{
		{"missing tab", "a\tb\nno tab here\n", ErrMissingTab, "in.tsv:2: no tab between source and target"},
		{"empty source", "a\tb\n\n\tb\n", ErrEmptyField, "in.tsv:3: source (column 1): empty or only white space"},
		{"blank target", "a\t  \n", ErrEmptyField, "in.tsv:1: target (column 2): empty or only white space"},
		{"empty target before extra", "a\t\tc\n", ErrEmptyField, "in.tsv:1: target (column 2): empty"},
		{"invalid utf8 source", "ok\tfine\nab\xffc\tb\n", ErrInvalidUTF8, "in.tsv:2: source (column 1): invalid UTF-8 at byte 3"},
		{"invalid utf8 target", "a\t\xc3\n", ErrInvalidUTF8, "in.tsv:1: target (column 2): invalid UTF-8 at byte 1"},
		{"carriage return", "a\rb\tc\n", ErrControlChar, `in.tsv:1: source (column 1): contains a tab, newline or carriage return ('\r' at byte 2)`},
		{"double CR", "a\tb\r\r\n", ErrControlChar, "in.tsv:1: target (column 2)"},
		{"blank line with spaces", "   \n", ErrMissingTab, "in.tsv:1: no tab"},
		{"BOM only first line", "x\t\uFEFF\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTSV(strings.NewReader(tt.in), "in.tsv")
			if tt.reason == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var te *TSVError
			if !errors.As(err, &te) || !errors.Is(err, tt.reason) {
				t.Fatalf("error %v (%T), want a *TSVError wrapping %v", err, err, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want prefix %q", err, tt.want)
			}
		})
	}
}

type brokenReader struct{ data io.Reader }

func (r brokenReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, errors.New("cable unplugged")
	}
	return n, err
}

func TestParseTSVReadError(t *testing.T) {
	_, err := ParseTSV(brokenReader{strings.NewReader("a\tb\nc\td")}, "net.tsv")
	if err == nil || !strings.Contains(err.Error(), "net.tsv:2: cable unplugged") {
		t.Errorf("error = %v", err)
	}
}

func TestReadWriteTSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dates.tsv")
	pairs := append(Dates(500, 9), Pair{"这是一个测试", "test 👍🏽"}, Pair{"cafe\u0301", "café"})
	if err := WriteTSV(path, pairs); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, pairs) {
		t.Error("ReadTSV(WriteTSV(pairs)) differs from pairs")
	}
	data, _ := os.ReadFile(path)
	if first, _, _ := strings.Cut(string(data), "\n"); first != pairs[0].Source+"\t"+pairs[0].Target {
		t.Errorf("first line %q", first)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode())
	}

	// A bad pair is reported before anything is written: the old file stays.
	err = WriteTSV(path, []Pair{{"ok", "ok"}, {"ok", "ok"}, {"bad\tsource", "x"}})
	var te *TSVError
	if !errors.As(err, &te) || !errors.Is(err, ErrControlChar) || te.Pair != 2 || te.Field != "source" {
		t.Fatalf("error %v, want a *TSVError for pair 2's source", err)
	}
	if want := path + ": pair 2: source (column 1): contains a tab"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
	if again, _ := ReadTSV(path); !slices.Equal(again, pairs) {
		t.Error("failed WriteTSV changed the existing file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only dates.tsv", len(entries))
	}
}

func TestWriteTSVRejects(t *testing.T) {
	tests := []struct {
		pair   Pair
		field  string
		reason error
	}{
		{Pair{"a\nb", "c"}, "source", ErrControlChar},
		{Pair{"a", "b\r"}, "target", ErrControlChar},
		{Pair{"a", "b\tc"}, "target", ErrControlChar},
		{Pair{"", "c"}, "source", ErrEmptyField},
		{Pair{"a", " "}, "target", ErrEmptyField},
		{Pair{"\xff", "c"}, "source", ErrInvalidUTF8},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := EncodeTSV(&buf, "out.tsv", []Pair{tt.pair})
		var te *TSVError
		if !errors.As(err, &te) || te.Field != tt.field || te.Pair != 0 || !errors.Is(err, tt.reason) {
			t.Errorf("EncodeTSV(%q) error = %v, want %v in %s", tt.pair, err, tt.reason, tt.field)
		}
		if buf.Len() != 0 {
			t.Errorf("EncodeTSV(%q) wrote %q before failing", tt.pair, buf.String())
		}
	}
	missing := filepath.Join(t.TempDir(), "no", "dir", "x.tsv")
	if err := WriteTSV(missing, Dates(1, 1)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WriteTSV into missing folder: %v", err)
	}
	if _, err := ReadTSV(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadTSV of missing file: %v", err)
	}
}

func TestEncodeTSVByteOrderMark(t *testing.T) {
	pairs := []Pair{{"\uFEFFstarts with BOM", "x"}, {"b", "y"}}
	var buf bytes.Buffer
	if err := EncodeTSV(&buf, "bom.tsv", pairs); err != nil {
		t.Fatal(err)
	}
	got, err := ParseTSV(&buf, "bom.tsv")
	if err != nil || !slices.Equal(got, pairs) {
		t.Errorf("round trip = %q, %v; want %q", got, err, pairs)
	}
}

// FuzzReadTSV checks that ParseTSV never panics, reports errors as
// *TSVError values naming the input and a line, and that whatever it accepts
// survives an EncodeTSV/ParseTSV round trip.
func FuzzReadTSV(f *testing.F) {
	f.Add([]byte("Hi.\t你好。\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pairs, err := ParseTSV(bytes.NewReader(in), "fuzz.tsv")
		if err != nil {
			var te *TSVError
			if !errors.As(err, &te) || te.Line < 1 || !strings.HasPrefix(err.Error(), "fuzz.tsv:") {
				t.Fatalf("error %q (%T) should be a *TSVError naming fuzz.tsv and a line", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := EncodeTSV(&buf, "again.tsv", pairs); err != nil {
			t.Fatalf("EncodeTSV rejected parsed pairs: %v", err)
		}
		again, err := ParseTSV(&buf, "again.tsv")
		if err != nil {
			t.Fatalf("re-parsing: %v", err)
		}
		if !slices.Equal(again, pairs) {
			t.Fatalf("round trip changed the pairs: %q -> %q", pairs, again)
		}
	})
}
