package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// addCorpusSeeds adds every fixture file under testdata/corpus whose path contains sub as a fuzz seed.
func addCorpusSeeds(f *testing.F, sub string) {
	f.Helper()
	err := filepath.WalkDir(fixtureCorpora, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(filepath.ToSlash(p), sub) {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

// checkCorpusError fails unless err is nil or a *CorpusError naming name with a line inside data.
func checkCorpusError(t *testing.T, err error, name string, data []byte) {
	t.Helper()
	if err == nil {
		return
	}
	var ce *CorpusError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a *CorpusError", err)
	}
	if ce.File != name || ce.Line < 0 || ce.Line > strings.Count(string(data), "\n")+2 || !strings.HasPrefix(err.Error(), name) {
		t.Fatalf("error %q: file %q, line %d of %d lines", err, ce.File, ce.Line, strings.Count(string(data), "\n")+1)
	}
}

func FuzzParseFortunes(f *testing.F) {
	addCorpusSeeds(f, "fortunes")
	f.Add([]byte("a\r\n%\r\n\x1b[1;31mred\x1b[m\n%\n_\bu\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseFortunes(strings.NewReader(string(data)), "f")
		checkCorpusError(t, err, "f", data)
		if err != nil {
			return
		}
		for _, s := range got {
			if s == "" || !utf8.ValidString(s) || strings.TrimSpace(s) == "" {
				t.Fatalf("bad fortune %q", s)
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }) {
				t.Fatalf("fortune %q keeps a control character", s)
			}
			for _, l := range strings.Split(s, "\n") {
				if l == "%" {
					t.Fatalf("fortune %q holds a separator line", s)
				}
			}
		}
		// Writing the fortunes back in the same format and parsing again gives the same fortunes.
		again, err := ParseFortunes(strings.NewReader(strings.Join(got, "\n%\n")), "again")
		if err != nil || strings.Join(again, "\x00") != strings.Join(got, "\x00") {
			t.Fatalf("round trip: %q, %v; want %q", again, err, got)
		}
	})
}

func FuzzParseFortunePoems(f *testing.F) {
	addCorpusSeeds(f, "fortunes-zh")
	f.Fuzz(func(t *testing.T, data []byte) {
		poems, err := ParseFortunePoems(strings.NewReader(string(data)), "t300")
		checkCorpusError(t, err, "t300", data)
		for _, p := range poems {
			checkPoem(t, p)
		}
	})
}

func FuzzParseTangJSON(f *testing.F) {
	addCorpusSeeds(f, "chinese-poetry")
	f.Add([]byte(`[{"title": "a", "author": "b", "paragraphs": ["山（注）水，", 1]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		poems, err := ParseTangJSON(data, "p.json")
		checkCorpusError(t, err, "p.json", data)
		for _, p := range poems {
			checkPoem(t, p)
			if s := SimplifyPoem(p); len(s.Lines) != len(p.Lines) {
				t.Fatalf("SimplifyPoem changed the number of lines: %q", s)
			}
		}
	})
}

// checkPoem fails unless every line of p is non-empty Han text.
func checkPoem(t *testing.T, p Poem) {
	t.Helper()
	if len(p.Lines) == 0 {
		t.Fatalf("poem %q without lines", p.Title)
	}
	for _, l := range p.Lines {
		if l == "" || strings.ContainsFunc(l, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			t.Fatalf("poem %q: line %q is not Han text", p.Title, l)
		}
	}
}

func FuzzSplitVerses(f *testing.F) {
	for _, s := range []string{"床前明月光，疑是地上霜。", "水急客舟（一作「行」）疾，", "冰□已鏤津。", "a,b.c", "（（）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines, ok := SplitVerses(s)
		for _, l := range lines {
			if l == "" || strings.ContainsAny(l, verseDelimiters+droppedMarks+noteOpen+noteClose) {
				t.Fatalf("SplitVerses(%q): line %q is empty or keeps a delimiter, mark or bracket", s, l)
			}
			if ok && strings.ContainsFunc(l, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
				t.Fatalf("SplitVerses(%q) = ok with non-Han line %q", s, l)
			}
		}
		// Splitting the joined verses again is the identity.
		if again, ok2 := SplitVerses(strings.Join(lines, "。")); ok && (!ok2 || strings.Join(again, "|") != strings.Join(lines, "|")) {
			t.Fatalf("SplitVerses is not idempotent on %q: %q then %q", s, lines, again)
		}
		if got := ToSimplified(s); utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("ToSimplified(%q) = %q is not valid UTF-8", s, got)
		}
	})
}

func FuzzParseLines(f *testing.F) {
	f.Add([]byte("\uFEFF这是一个句子。\r\n\nsecond\n"))
	f.Add([]byte("a\n\xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := ParseLines(strings.NewReader(string(data)), "x.txt")
		checkCorpusError(t, err, "x.txt", data)
		for _, l := range lines {
			if l == "" || l != strings.TrimSpace(l) || strings.Contains(l, "\n") || !utf8.ValidString(l) {
				t.Fatalf("bad line %q", l)
			}
		}
	})
}
