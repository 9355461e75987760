package data

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gotextgen/textgen/internal/project"
)

// Layout of the corpora folder that `go run ./cmd/textgen setup` fills (see docs/corpora.md):
//
//	<root>/.textgen/corpora/
//	  chinese-poetry/quantangshi/poet.tang.<N>.json   npm chinese-poetry: 全唐诗, traditional characters
//	  fortunes-zh/tang300, song100, chinese           Debian fortunes-zh: 唐诗三百首 etc., simplified, UTF-8
//	  fortunes/fortunes, literature, riddles, …       Debian fortunes-min + fortunes: English, ASCII
const (
	// CorporaDirName is the corpora folder inside <root>/.textgen.
	CorporaDirName = "corpora"
	// ChinesePoetryDir holds the files taken from the npm package chinese-poetry.
	ChinesePoetryDir = "chinese-poetry"
	// FortunesZhDir holds the fortune files of the Debian package fortunes-zh.
	FortunesZhDir = "fortunes-zh"
	// FortunesDir holds the English fortune files of the Debian packages fortunes-min and fortunes.
	FortunesDir = "fortunes"
)

// ErrCorporaMissing is returned (wrapped) by [CorporaDir] and the corpus loaders when the corpora are not
// installed.
var ErrCorporaMissing = errors.New("corpora not installed")

// Reasons a corpus file is rejected; a [*CorpusError] wraps one of them (or a JSON error).
var (
	ErrLineTooLong = errors.New("line longer than 1 MiB")
	ErrNoPoem      = errors.New("not a poem")
)

// CorporaDir returns <root>/.textgen/corpora of the textgen checkout found by internal/project (the
// working directory, $GONB_DIR or $TEXTGEN_ROOT). The error wraps [ErrCorporaMissing] and says to run
// `go run ./cmd/textgen setup` when the folder does not exist.
func CorporaDir() (string, error) {
	root, err := project.Root()
	if err != nil {
		return "", fmt.Errorf("locating the corpora: %w", err)
	}
	dir := filepath.Join(project.ToolsDir(root), CorporaDirName)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%w: no folder %s; run `go run ./cmd/textgen setup` to install them", ErrCorporaMissing, dir)
	}
	return dir, nil
}

// CorpusError reports bad content in a corpus file: the file, the 1-based line (0 when unknown), the
// field (a JSON key such as "paragraphs", or "" for the whole line) and the reason.
type CorpusError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error formats the error as "file:line: field: reason".
func (e *CorpusError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Field != "" {
		b.WriteString(": field " + strconv.Quote(e.Field))
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

// Unwrap returns the reason.
func (e *CorpusError) Unwrap() error { return e.Err }

// maxLineBytes bounds one line of a text corpus file.
const maxLineBytes = 1 << 20

// ReadLines reads a plain-text corpus, one sentence a line, and returns its non-blank lines with
// surrounding white space (and a trailing "\r") removed. A leading byte-order mark is skipped.
// Invalid UTF-8 or a line over 1 MiB is a [*CorpusError] naming the file and line.
func ReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseLines(f, path)
}

// ParseLines is [ReadLines] on a reader; name is used in errors.
func ParseLines(r io.Reader, name string) ([]string, error) {
	var out []string
	err := scanLines(r, name, func(n int, line string) error {
		if s := strings.TrimSpace(line); s != "" {
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// scanLines calls fn with each line (1-based number, without "\n" or "\r\n"), after checking it is valid
// UTF-8. A byte-order mark at the start of the input is dropped.
func scanLines(r io.Reader, name string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	n := 0
	for sc.Scan() {
		n++
		b := sc.Bytes()
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte(byteOrderMark))
		}
		b = bytes.TrimSuffix(b, []byte("\r"))
		if !utf8.Valid(b) {
			return &CorpusError{File: name, Line: n, Err: fmt.Errorf("%w at byte %d", ErrInvalidUTF8, invalidAt(b)+1)}
		}
		if err := fn(n, string(b)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &CorpusError{File: name, Line: n + 1, Err: ErrLineTooLong}
		}
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return nil
}

// invalidAt is the 0-based offset of the first invalid UTF-8 byte in b (len(b) if none).
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
