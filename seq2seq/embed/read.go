package embed

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep a damaged or hostile file from making the readers hold arbitrary amounts of memory.
const (
	// MaxWordBytes is the longest word accepted, in bytes (word2vec.c stops at 100).
	MaxWordBytes = 1 << 16
	// MaxLineBytes is the longest line accepted in the text formats, in bytes.
	MaxLineBytes = 1 << 26
)

// When the input size is unknown, at most growCap floats and growWords words are pre-allocated;
// Data and Words grow beyond that as vectors actually arrive.
const (
	growCap   = 1 << 18
	growWords = 1 << 10
)

// ReadFile reads the vector file name in the given format. It is [Read] on the opened file; knowing
// the file size, it allocates Data once, at its final size, and rejects a header announcing more
// than the file can hold before allocating anything.
func ReadFile(name string, format Format, opts Options) (*Vectors, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read vectors: %w", err)
	}
	defer f.Close()
	return Read(f, name, format, opts)
}

// MustReadFile is [ReadFile] that panics on error, for notebooks.
func MustReadFile(name string, format Format, opts Options) *Vectors {
	v, err := ReadFile(name, format, opts)
	if err != nil {
		panic(err)
	}
	return v
}

// Read reads vectors in the given format from r; name labels errors (usually the file name; may be
// ""). It reads the way gensim's KeyedVectors.load_word2vec_format does (see the package
// documentation for the mapping and the few deliberate differences). Problems with the content are
// [*FormatError] values wrapping a sentinel such as [ErrTruncated]; I/O errors are wrapped as they come.
//
// When r can seek (a file, a bytes.Reader) or reports its length (a bytes.Buffer), Read uses the size
// to bound what the header may announce, and reads GloVe files twice, first to count the lines (as
// gensim does), so that Data is allocated once. Otherwise it pre-allocates at most a few MiB and
// grows Data as vectors arrive.
func Read(r io.Reader, name string, format Format, opts Options) (*Vectors, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if format < Text || format > GloVe {
		return nil, fmt.Errorf("read vectors: %w: format %v", ErrOption, format)
	}
	rd := &reader{name: name, opts: opts, format: format, size: -1}
	seeker, _ := r.(io.Seeker)
	if seeker != nil {
		rd.size = seekSize(seeker)
	} else if l, ok := r.(interface{ Len() int }); ok {
		rd.size = int64(l.Len())
	}
	if rd.size <= 0 { // 0 may be a special file (/proc, /dev) whose size says nothing; empty reads fail anyway
		rd.size, seeker = -1, nil
	}
	rd.lines = -1
	if format == GloVe && seeker != nil {
		n, err := countLines(r, opts.Limit)
		if err == nil {
			_, err = seeker.Seek(-rd.size, io.SeekEnd)
		}
		if err != nil {
			return nil, rd.ioErr(err)
		}
		rd.lines = n
	}
	rd.br = bufio.NewReaderSize(r, 1<<16)
	var err error
	switch format {
	case Binary:
		err = rd.readBinary()
	default:
		err = rd.readText()
	}
	if err != nil {
		return nil, err
	}
	return &Vectors{Words: rd.words, Dim: rd.dim, Data: rd.data, index: rd.index}, nil
}

// seekSize returns the number of bytes from the current position to the end, leaving the position
// unchanged, or -1 if s cannot seek (a pipe).
func seekSize(s io.Seeker) int64 {
	cur, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return -1
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return -1
	}
	if _, err := s.Seek(cur, io.SeekStart); err != nil || end < cur {
		return -1
	}
	return end - cur
}

// reader holds the state of one Read.
type reader struct {
	name   string
	opts   Options
	format Format
	size   int64 // bytes from the start of the input to its end; -1 if unknown
	lines  int   // GloVe: lines counted by the first pass (up to the limit); -1 if not counted
	header bool  // GloVe: the first line looks like a word2vec header "count dim"

	br      *bufio.Reader
	off     int64  // offset of the next unread byte
	line    int    // number of the last line returned by readLine
	lineOff int64  // offset of the first byte of that line
	buf     []byte // holds lines longer than br's buffer

	dim   int
	words []string
	data  []float32
	index map[string]int
}

// fail returns a FormatError at the current line (text formats) and the given vector (1-based, 0: none).
func (r *reader) fail(sentinel error, vector int, off int64, field, format string, args ...any) error {
	e := &FormatError{File: r.name, Vector: vector, Offset: off, Field: field, Err: sentinel,
		Msg: fmt.Sprintf(format, args...)}
	if r.format != Binary || vector == 0 {
		e.Line = r.line
	}
	return e
}

// ioErr wraps an I/O error with the input's name.
func (r *reader) ioErr(err error) error {
	name := r.name
	if name == "" {
		name = "vectors"
	}
	return fmt.Errorf("%s: read: %w", name, err)
}

// readLine returns the next line without its '\n'; the last line may lack one. It returns io.EOF
// when no bytes are left. The line is valid until the next read.
func (r *reader) readLine() ([]byte, error) {
	r.lineOff = r.off
	r.line++
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.off += int64(len(chunk))
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(r.buf)+len(chunk) > MaxLineBytes {
				return nil, r.fail(ErrDimension, 0, r.lineOff, "line", "longer than %d bytes", MaxLineBytes)
			}
			r.buf = append(r.buf, chunk...)
			continue
		}
		line := chunk
		if len(r.buf) > 0 {
			r.buf = append(r.buf, chunk...)
			line = r.buf
		}
		switch {
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return line, nil
		case err != nil:
			return nil, r.ioErr(err)
		}
		return line[:len(line)-1], nil
	}
}

// readHeader reads and parses the word2vec header line "count dim".
func (r *reader) readHeader() (count, dim int, err error) {
	line, err := r.readLine()
	if err == io.EOF {
		return 0, 0, r.fail(ErrEmpty, 0, 0, "", "no header and no vectors")
	}
	if err != nil {
		return 0, 0, err
	}
	bad := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return r.fail(ErrHeader, 0, 0, "header", "%s; want \"count dim\", e.g. \"400000 300\"", msg)
	}
	if !utf8.Valid(line) {
		return 0, 0, bad("%s is not valid UTF-8", quote(line))
	}
	fields := strings.Fields(string(line))
	if len(fields) != 2 {
		msg := fmt.Sprintf("%s has %d fields", quote(line), len(fields))
		if len(fields) > 2 && r.format == Text {
			msg += " (a GloVe file has no header: read it as glove)"
		}
		return 0, 0, bad("%s", msg)
	}
	count, ok1 := parseCount(fields[0])
	dim, ok2 := parseCount(fields[1])
	switch {
	case !ok1:
		return 0, 0, bad("count %q is not a non-negative integer", fields[0])
	case !ok2:
		return 0, 0, bad("dim %q is not a non-negative integer", fields[1])
	case dim < 1:
		return 0, 0, bad("dim is %d", dim)
	}
	return count, dim, nil
}

// parseCount parses a header field: decimal digits with an optional '+', below 2^62.
func parseCount(s string) (int, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n >= 1<<62 {
		return 0, false
	}
	return int(n), true
}

// want returns how many vectors to read given the header's count and the limit.
func (r *reader) want(count int) int {
	if r.opts.Limit > 0 {
		return min(count, r.opts.Limit)
	}
	return count
}

// addWord records word as vector number len(r.words)+1, rejecting duplicates.
func (r *reader) addWord(word string, off int64) error {
	if r.index == nil {
		r.index = make(map[string]int)
	}
	if j, dup := r.index[word]; dup {
		where := fmt.Sprintf("vector %d", j+1)
		if r.format != Binary {
			where = fmt.Sprintf("line %d", r.line-len(r.words)+j)
		}
		return r.fail(ErrDuplicate, len(r.words)+1, off, "word",
			"%q is already %s (gensim would keep the first and ignore this one)", word, where)
	}
	r.index[word] = len(r.words)
	r.words = append(r.words, word)
	return nil
}

// decode turns the bytes of a word, starting at offset off, into a string under the policy.
func (r *reader) decode(b []byte, off int64) (string, error) {
	vector := len(r.words) + 1
	if len(b) > MaxWordBytes {
		return "", r.fail(ErrWord, vector, off, "word", "%d bytes long; at most %d", len(b), MaxWordBytes)
	}
	s, bad := decodeWord(b, r.opts.Unicode)
	if bad >= 0 && r.opts.Unicode == Strict {
		return "", r.fail(ErrUnicode, vector, off+int64(bad), "word",
			"byte 0x%02x in %s (the unicode policy replace or ignore would accept it)", b[bad], quote(b))
	}
	if r.format == Binary {
		s = strings.TrimLeft(s, "\n") // gensim: word.lstrip('\n'), after decoding
	}
	if s == "" {
		return "", r.fail(ErrWord, vector, off, "word", "empty word %s", quote(b))
	}
	return s, nil
}

// quote shows at most 40 bytes of b, Go-quoted.
func quote(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "..."
	}
	return strconv.Quote(string(b))
}

// allocate pre-allocates Data for n vectors of r.dim values, and Words for n words, but at most
// maxFloats floats and maxWords words: they grow past that as vectors arrive.
func (r *reader) allocate(n, maxFloats, maxWords int) {
	words, floats := min(n, maxWords), maxFloats
	if n == 0 || r.dim <= maxFloats/n {
		floats = n * r.dim
	}
	r.data = make([]float32, 0, floats)
	r.words = make([]string, 0, words)
	r.index = make(map[string]int, words)
}
