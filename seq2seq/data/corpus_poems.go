package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Poem is one classical Chinese poem.
type Poem struct {
	Title  string
	Author string
	// Lines are the verses: the text split at the verse delimiters ，。？！； (and their ASCII twins),
	// with the delimiters, quotation and title marks, ：、· and spaces removed and editorial notes dropped;
	// see [SplitVerses]. Every line is non-empty and holds Han characters only.
	Lines []string
}

// Script selects the characters the Tang loaders return.
type Script string

const (
	// ScriptSimplified converts traditional characters to simplified ones with OpenCC's t2s dictionaries
	// (see [ToSimplified]). It is the default: the course's prompts, tang300 and the Chinese word
	// segmenter all use simplified characters.
	ScriptSimplified Script = "simplified"
	// ScriptOriginal keeps the characters as published (traditional for chinese-poetry's 全唐诗).
	ScriptOriginal Script = "original"
)

// TangOptions configures [ReadTang].
type TangOptions struct {
	// Limit keeps the first Limit poems in corpus order; 0 or less keeps all (about 57,000).
	Limit int
	// Script is ScriptSimplified (also when empty) or ScriptOriginal.
	Script Script
}

// tangFilePrefix and tangFileSuffix frame the number N of chinese-poetry's poet.tang.<N>.json files.
const (
	tangFilePrefix = "poet.tang."
	tangFileSuffix = ".json"
	tangSubdir     = "quantangshi"
)

// TangDir is the folder holding poet.tang.<N>.json inside a corpora folder.
func TangDir(corpora string) string { return filepath.Join(corpora, ChinesePoetryDir, tangSubdir) }

// TangPoems reads up to limit poems (all when limit <= 0) of chinese-poetry's 全唐诗 from the corpora
// folder dir (see [CorporaDir]), converted to simplified characters. It is
// ReadTang(dir, TangOptions{Limit: limit}).
func TangPoems(dir string, limit int) ([]Poem, error) {
	return ReadTang(dir, TangOptions{Limit: limit})
}

// ReadTang reads chinese-poetry's 全唐诗 from dir/chinese-poetry/quantangshi/poet.tang.<N>.json, files
// in increasing N and poems in file order, so the result is the same on every run.
//
// Poems whose text has characters that are lost or have no Unicode code point (□, {…} descriptions,
// ● and the like; about 1% of the corpus) and poems without verses are skipped; see [SplitVerses]. A
// malformed file is a [*CorpusError] naming the file, line and JSON field.
func ReadTang(dir string, opts TangOptions) ([]Poem, error) {
	convert, err := scriptConverter(opts.Script)
	if err != nil {
		return nil, err
	}
	files, err := tangFiles(TangDir(dir))
	if err != nil {
		return nil, err
	}
	var poems []Poem
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		got, err := ParseTangJSON(data, f)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			if opts.Limit > 0 && len(poems) == opts.Limit {
				return poems, nil
			}
			poems = append(poems, convert(p))
		}
	}
	return poems, nil
}

// scriptConverter returns the per-poem conversion for s.
func scriptConverter(s Script) (func(Poem) Poem, error) {
	switch s {
	case ScriptSimplified, "":
		return SimplifyPoem, nil
	case ScriptOriginal:
		return func(p Poem) Poem { return p }, nil
	}
	return nil, fmt.Errorf("TangOptions.Script %q: want %q or %q", s, ScriptSimplified, ScriptOriginal)
}

// tangFiles lists poet.tang.<N>.json in dir by increasing N.
func tangFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v; run `go run ./cmd/textgen setup` to install them",
			ErrCorporaMissing, dir, err)
	}
	type numbered struct {
		n    int
		path string
	}
	var files []numbered
	for _, e := range entries {
		num, ok := strings.CutPrefix(e.Name(), tangFilePrefix)
		if !ok {
			continue
		}
		num, ok = strings.CutSuffix(num, tangFileSuffix)
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		files = append(files, numbered{n, filepath.Join(dir, e.Name())})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no %s<N>%s files in %s; run `go run ./cmd/textgen setup`",
			ErrCorporaMissing, tangFilePrefix, tangFileSuffix, dir)
	}
	slices.SortFunc(files, func(a, b numbered) int { return a.n - b.n })
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.path
	}
	return paths, nil
}

// tangRecord is one element of a chinese-poetry JSON array; other keys (id, tags, notes) are ignored.
type tangRecord struct {
	Title      *string   `json:"title"`
	Author     *string   `json:"author"`
	Paragraphs *[]string `json:"paragraphs"`
}

// ParseTangJSON parses one chinese-poetry file: a JSON array of objects with string fields "title" and
// "author" and a string array "paragraphs". It returns the poems as published (no script conversion),
// skipping those [SplitVerses] rejects. name is used in errors, which are [*CorpusError] values giving
// the line and the JSON field at fault.
func ParseTangJSON(data []byte, name string) ([]Poem, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	jsonErr := func(err error, offset int64) error {
		field := ""
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			// The offset is relative to the value being decoded.
			field, offset = te.Field, valueStart(data, offset)+te.Offset
		case errors.As(err, &se):
			offset = se.Offset
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			offset, err = int64(len(data)), errors.New("unexpected end of JSON input")
		}
		return &CorpusError{File: name, Line: lineAt(data, offset), Field: field, Err: err}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err, dec.InputOffset())
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &CorpusError{File: name, Line: lineAt(data, dec.InputOffset()), Err: errors.New("want a JSON array of poems")}
	}
	var poems []Poem
	for i := 0; dec.More(); i++ {
		start := dec.InputOffset()
		var rec tangRecord
		if err := dec.Decode(&rec); err != nil {
			return nil, jsonErr(err, start)
		}
		line := lineAt(data, valueStart(data, start)+1)
		for _, f := range []struct {
			name    string
			missing bool
		}{{"title", rec.Title == nil}, {"author", rec.Author == nil}, {"paragraphs", rec.Paragraphs == nil}} {
			if f.missing {
				return nil, &CorpusError{File: name, Line: line, Field: f.name,
					Err: fmt.Errorf("poem %d has no %q", i, f.name)}
			}
		}
		lines, ok := SplitVerses(strings.Join(*rec.Paragraphs, "\n"))
		if !ok || len(lines) == 0 {
			continue
		}
		poems = append(poems, Poem{Title: strings.TrimSpace(*rec.Title), Author: strings.TrimSpace(*rec.Author), Lines: lines})
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonErr(err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &CorpusError{File: name, Line: lineAt(data, dec.InputOffset()), Err: errors.New("data after the JSON array")}
	}
	return poems, nil
}

// valueStart is where the array element after offset begins, past white space and a comma, as the
// json.Decoder sees it.
func valueStart(data []byte, offset int64) int64 {
	for offset < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[offset])) {
		offset++
	}
	if offset < int64(len(data)) && data[offset] == ',' {
		offset++
	}
	return offset
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// Verse delimiters, marks that are dropped, and the brackets of editorial notes.
const (
	verseDelimiters = "，。？！；,.?!;\n"
	droppedMarks    = "「」『』“”‘’《》〈〉：:、·・…[]〔〕 \t\u3000"
	noteOpen        = "（(〖"
	noteClose       = "）)〗"
)

// SplitVerses splits the text of a poem into verses at ，。？！； (and , . ? ! ; and newlines) and cleans
// them:
//
//   - editorial notes in （…）, (…) and 〖…〗 are removed, nested ones included (chinese-poetry marks
//     variant readings so: 水急客舟（一作「行」）疾 → 水急客舟疾);
//   - quotation and title marks 「」『』“”‘’《》〈〉, the marks ：、·・…, the brackets [] 〔〕 of emended
//     characters (their content is kept) and spaces are dropped;
//   - empty verses are dropped.
//
// ok is false when a verse still holds a rune that is not a Han character — □ for a lost character,
// {𥫗/戢} describing one that has no code point, ●, digits, Latin letters — or a note is not closed:
// such a poem cannot be used as clean training text.
func SplitVerses(s string) (lines []string, ok bool) {
	ok = true
	var cur strings.Builder
	depth := 0
	flush := func() {
		if cur.Len() > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune(noteOpen, r):
			depth++
		case strings.ContainsRune(noteClose, r):
			depth = max(depth-1, 0)
		case depth > 0:
		case strings.ContainsRune(verseDelimiters, r):
			flush()
		case strings.ContainsRune(droppedMarks, r):
		default:
			if !unicode.Is(unicode.Han, r) {
				ok = false
			}
			cur.WriteRune(r)
		}
	}
	flush()
	if depth > 0 {
		ok = false
	}
	return lines, ok
}

// Tang300 reads 唐诗三百首 from Debian's fortunes-zh (dir/fortunes-zh/tang300, 313 poems in simplified
// characters; dir is the corpora folder). Each fortune is a poem: a line 《title》, a line 作者：author,
// then the verses. Errors are [*CorpusError] values naming the file and line.
func Tang300(dir string) ([]Poem, error) {
	return readFortunePoems(filepath.Join(dir, FortunesZhDir, "tang300"))
}

// readFortunePoems reads a fortunes-zh poem file (tang300, song100).
func readFortunePoems(path string) ([]Poem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v; run `go run ./cmd/textgen setup` to install them", ErrCorporaMissing, err)
	}
	defer f.Close()
	return ParseFortunePoems(f, path)
}

// ParseFortunePoems parses poems in fortunes-zh's layout (see [Tang300]) from r; name is used in errors.
func ParseFortunePoems(r io.Reader, name string) ([]Poem, error) {
	fortunes, err := parseFortunes(r, name)
	if err != nil {
		return nil, err
	}
	poems := make([]Poem, 0, len(fortunes))
	for _, f := range fortunes {
		head := strings.SplitN(f.text, "\n", 3)
		bad := func(line int, what string) error {
			return &CorpusError{File: name, Line: f.line + line, Err: fmt.Errorf("%w: %s", ErrNoPoem, what)}
		}
		if len(head) < 3 {
			return nil, bad(0, "want a title line, an author line and verses")
		}
		title, okT := strings.CutPrefix(strings.TrimSpace(head[0]), "《")
		title, okT2 := strings.CutSuffix(title, "》")
		if !okT || !okT2 || title == "" {
			return nil, bad(0, fmt.Sprintf("title line %q is not 《title》", head[0]))
		}
		author, okA := strings.CutPrefix(strings.TrimSpace(head[1]), "作者：")
		if !okA || author == "" {
			return nil, bad(1, fmt.Sprintf("author line %q is not 作者：author", head[1]))
		}
		lines, ok := SplitVerses(head[2])
		if !ok || len(lines) == 0 {
			return nil, bad(2, "verses hold a character that is not Han, or none at all")
		}
		poems = append(poems, Poem{Title: title, Author: author, Lines: lines})
	}
	return poems, nil
}

// NextLinePairs turns each verse into a pair whose target is the next verse of the same poem: a poem of
// n lines gives n-1 pairs, in poem order. These are the examples of the poetry next-line task.
func NextLinePairs(poems []Poem) []Pair {
	var pairs []Pair
	for _, p := range poems {
		for i := 0; i+1 < len(p.Lines); i++ {
			pairs = append(pairs, Pair{Source: p.Lines[i], Target: p.Lines[i+1]})
		}
	}
	return pairs
}

// Sentences returns one token sequence per poem for word2vec: the characters (grapheme clusters, as
// split by text.CharTokenizer) of all its lines in order, punctuation already removed. Poems without
// lines give no sentence.
func Sentences(poems []Poem) [][]string {
	var tok text.CharTokenizer
	out := make([][]string, 0, len(poems))
	for _, p := range poems {
		var s []string
		for _, l := range p.Lines {
			s = append(s, tok.Tokenize(l)...)
		}
		if len(s) > 0 {
			out = append(out, s)
		}
	}
	return out
}
