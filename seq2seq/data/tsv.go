package data

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gotextgen/textgen/internal/atomicfile"
)

// Reasons a TSV line or pair is rejected; a [*TSVError] wraps one of them.
var (
	ErrMissingTab  = errors.New("no tab between source and target")
	ErrEmptyField  = errors.New("empty or only white space")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	ErrControlChar = errors.New("contains a tab, newline or carriage return")
)

// byteOrderMark is U+FEFF in UTF-8; a TSV file may start with one.
const byteOrderMark = "\uFEFF"

// TSVError reports a bad line when reading a TSV file, or a bad pair when
// writing one. Use errors.Is with ErrMissingTab, ErrEmptyField,
// ErrInvalidUTF8 or ErrControlChar to tell the reasons apart.
type TSVError struct {
	File  string // file name, or the name given to ParseTSV or EncodeTSV
	Line  int    // 1-based line number when reading; 0 when writing
	Pair  int    // 0-based pair index when writing; -1 when reading
	Field string // "source" or "target"; "" when the line as a whole is bad
	Err   error  // what is wrong
}

// Error formats the error as "file:line: field: reason" when reading and
// "file: pair N: field: reason" when writing.
func (e *TSVError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Pair >= 0 {
		b.WriteString(": pair " + strconv.Itoa(e.Pair))
	}
	if e.Field != "" {
		col := "1"
		if e.Field == "target" {
			col = "2"
		}
		b.WriteString(": " + e.Field + " (column " + col + ")")
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

// Unwrap returns the reason.
func (e *TSVError) Unwrap() error { return e.Err }

// checkField returns why s cannot be a source or target, or nil.
func checkField(s string) error {
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return fmt.Errorf("%w at byte %d", ErrInvalidUTF8, i+1)
			}
			i += size
		}
	}
	if i := strings.IndexAny(s, "\t\n\r"); i >= 0 {
		return fmt.Errorf("%w (%q at byte %d)", ErrControlChar, s[i], i+1)
	}
	if strings.TrimSpace(s) == "" {
		return ErrEmptyField
	}
	return nil
}

// ReadTSV reads sentence pairs from the TSV file at path; see [ParseTSV].
func ReadTSV(path string) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read pairs: %w", err)
	}
	defer f.Close()
	return ParseTSV(f, path)
}

// ParseTSV reads sentence pairs in the Tatoeba/Anki layout, one a line:
//
//	source<TAB>target[<TAB>extra columns, ignored]
//
// Lines end in "\n" or "\r\n"; a UTF-8 byte order mark at the start of the
// input and empty lines are skipped. Fields are kept exactly as written (no
// trimming). A line without a tab, or with a source or target that is empty,
// only white space, invalid UTF-8 or holds a carriage return, stops the read
// with a [*TSVError] naming name, the line and the field. Read errors of r
// are returned wrapped, with name.
func ParseTSV(r io.Reader, name string) ([]Pair, error) {
	br := bufio.NewReader(r)
	pairs := []Pair{}
	for lineNo := 1; ; lineNo++ {
		line, readErr := br.ReadString('\n')
		if readErr != nil && readErr != io.EOF {
			return nil, fmt.Errorf("%s:%d: %w", name, lineNo, readErr)
		}
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, byteOrderMark)
		}
		if line != "" {
			p, err := parseLine(line)
			if err != nil {
				err.File, err.Line = name, lineNo
				return nil, err
			}
			pairs = append(pairs, p)
		}
		if readErr == io.EOF {
			return pairs, nil
		}
	}
}

// parseLine parses one non-empty line without its line ending.
func parseLine(line string) (Pair, *TSVError) {
	src, rest, ok := strings.Cut(line, "\t")
	if !ok {
		return Pair{}, &TSVError{Pair: -1, Err: ErrMissingTab}
	}
	tgt, _, _ := strings.Cut(rest, "\t")
	if err := checkField(src); err != nil {
		return Pair{}, &TSVError{Pair: -1, Field: "source", Err: err}
	}
	if err := checkField(tgt); err != nil {
		return Pair{}, &TSVError{Pair: -1, Field: "target", Err: err}
	}
	return Pair{Source: src, Target: tgt}, nil
}

// EncodeTSV writes pairs to w as "source<TAB>target\n" lines. It checks every
// pair first and writes nothing if one is bad: a field that is empty, only
// white space, invalid UTF-8 or contains a tab, newline or carriage return
// gives a [*TSVError] naming name, the pair's index and the field. If the
// first source starts with a byte order mark, a byte order mark is written
// first so that [ParseTSV] gives the pairs back exactly.
func EncodeTSV(w io.Writer, name string, pairs []Pair) error {
	for i, p := range pairs {
		if err := checkField(p.Source); err != nil {
			return &TSVError{File: name, Pair: i, Field: "source", Err: err}
		}
		if err := checkField(p.Target); err != nil {
			return &TSVError{File: name, Pair: i, Field: "target", Err: err}
		}
	}
	bw := bufio.NewWriter(w)
	if len(pairs) > 0 && strings.HasPrefix(pairs[0].Source, byteOrderMark) {
		bw.WriteString(byteOrderMark)
	}
	for _, p := range pairs {
		bw.WriteString(p.Source)
		bw.WriteByte('\t')
		bw.WriteString(p.Target)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: write pairs: %w", name, err)
	}
	return nil
}

// WriteTSV writes pairs to the file at path with [EncodeTSV], atomically: it
// writes a temporary file in the same folder and renames it over path, so
// path holds either its old content or all the pairs. Bad pairs are reported
// before anything is written. The file gets mode 0644.
func WriteTSV(path string, pairs []Pair) error {
	var buf bytes.Buffer
	if err := EncodeTSV(&buf, path, pairs); err != nil {
		return err
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write pairs: %w", err)
	}
	return nil
}
