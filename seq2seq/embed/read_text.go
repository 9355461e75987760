package embed

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
)

// readText reads the Text format (header, then count lines) and GloVe (no header; lines to EOF).
func (r *reader) readText() error {
	n, count := -1, 0 // vectors to read (-1: until the end of the input), vectors announced
	if r.format == Text {
		c, dim, err := r.readHeader()
		if err != nil {
			return err
		}
		count = c
		r.dim, n = dim, r.want(count)
		if r.size < 0 {
			r.allocate(n, growCap, growWords)
		} else {
			// Each line holds at least 2*dim bytes (" x" per value), and '\n' but for the last.
			rest := r.size - r.off
			if n > 0 && int64(n) > (rest+1)/(2*int64(dim)+1) {
				return r.fail(ErrTruncated, 0, 0, "header",
					"the header announces %d vectors of %d values, which cannot fit in the %d bytes after it (at least %d bytes each)",
					n, dim, rest, 2*dim+1)
			}
			r.allocate(n, math.MaxInt, math.MaxInt)
		}
	} else {
		line, err := r.readLine()
		if err == io.EOF {
			return r.fail(ErrEmpty, 0, 0, "", "no vectors")
		}
		if err != nil {
			return err
		}
		line = trimRightSpace(line)
		r.dim = countValues(line)
		if f := strings.Fields(string(line)); r.dim == 1 && len(f) == 2 {
			_, ok1 := parseCount(f[0])
			_, ok2 := parseCount(f[1])
			r.header = ok1 && ok2
		}
		if r.dim < 1 {
			return r.fail(ErrDimension, 1, r.lineOff, "vector",
				"line 1 has no values after the word; a GloVe file's dimension is the number of values on its first line")
		}
		switch {
		case r.lines >= 0:
			n = r.lines
			r.allocate(n, int(min(r.size/2+1, math.MaxInt/2)), math.MaxInt)
		case r.opts.Limit > 0:
			n = r.opts.Limit
			r.allocate(n, growCap, growWords)
		default:
			r.allocate(growWords, growCap, growWords)
		}
		if err := r.parseVector(line); err != nil {
			return err
		}
	}
	for i := len(r.words); n < 0 || i < n; i++ {
		line, err := r.readLine()
		if err == io.EOF {
			if r.format == GloVe && r.lines < 0 { // GloVe from a pipe: n is the limit, or -1
				break
			}
			if r.format == GloVe {
				return r.fail(ErrTruncated, 0, r.off, "", "the file shrank while being read: %d lines, then %d", n, i)
			}
			return r.fail(ErrTruncated, 0, r.off, "", "the header announces %d vectors; the file ends after %d vectors", count, i)
		}
		if err != nil {
			return err
		}
		if err := r.parseVector(trimRightSpace(line)); err != nil {
			return err
		}
	}
	return nil
}

// countLines counts the lines in r (a last line without '\n' counts), stopping at limit if positive:
// gensim's first pass over a file without a header.
func countLines(r io.Reader, limit int) (int, error) {
	buf := make([]byte, 1<<16)
	n, last := 0, byte('\n')
	for {
		k, err := r.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if limit > 0 && n >= limit {
			return limit, nil
		}
		if err == io.EOF {
			if last != '\n' {
				n++
			}
			if limit > 0 {
				n = min(n, limit)
			}
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// trimRightSpace removes trailing ASCII whitespace, as Python's bytes.rstrip() does.
func trimRightSpace(b []byte) []byte {
	return bytes.TrimRight(b, " \t\n\r\v\f")
}

// countValues returns the number of values after the word on a line trimmed by trimRightSpace.
func countValues(line []byte) int {
	i := bytes.IndexByte(line, ' ')
	if i < 0 {
		return 0
	}
	return bytes.Count(line[i+1:], []byte{' '}) + 1
}

// parseVector parses one line, trimmed by trimRightSpace, of dim values (gensim: the line split on
// single spaces, the first field the word) and appends it to the table.
func (r *reader) parseVector(line []byte) error {
	vector := len(r.words) + 1
	end := bytes.IndexByte(line, ' ')
	if end < 0 {
		end = len(line)
	}
	word, err := r.decode(line[:end], r.lineOff)
	if err != nil {
		return err
	}
	if got := countValues(line); got != r.dim {
		msg := "want %d values after the word %q, got %d"
		if r.format == GloVe {
			msg += " (a GloVe file's dimension is the number of values on line 1)"
			if r.line == 2 && r.header {
				msg += "; is line 1 a word2vec header? then read the file as text"
			}
		}
		return r.fail(ErrDimension, vector, r.lineOff, "vector", msg, r.dim, word, got)
	}
	pos := end + 1
	for k := 1; k <= r.dim; k++ {
		stop := bytes.IndexByte(line[pos:], ' ')
		if stop < 0 {
			stop = len(line)
		} else {
			stop += pos
		}
		x, err := r.value(line[pos:stop], r.lineOff+int64(pos), vector, k)
		if err != nil {
			return err
		}
		r.data = append(r.data, x)
		pos = stop + 1
	}
	return r.addWord(word, r.lineOff)
}

// value parses the k-th value (1-based) of a vector, at offset off.
func (r *reader) value(tok []byte, off int64, vector, k int) (float32, error) {
	field := func() string { return "value " + strconv.Itoa(k) } // only on error: this is the hot loop
	for _, c := range tok {
		if c >= 0x80 { // gensim decodes the whole line under the policy, numbers included
			s, bad := decodeWord(tok, r.opts.Unicode)
			if bad >= 0 && r.opts.Unicode == Strict {
				return 0, r.fail(ErrUnicode, vector, off+int64(bad), field(), "byte 0x%02x in %s", tok[bad], quote(tok))
			}
			tok = []byte(s)
			break
		}
	}
	x, res := parseFloat32(tok)
	switch res {
	case parsedNumber:
		return x, nil
	case parsedNonFinite:
		return 0, r.fail(ErrNonFinite, vector, off, field(), "%s: NaN and infinite values are refused", quote(tok))
	case parsedOverflow:
		return 0, r.fail(ErrNonFinite, vector, off, field(), "%s overflows float32 (gensim would read +-inf)", quote(tok))
	}
	return 0, r.fail(ErrNumber, vector, off, field(), "%s is not a decimal number", quote(tok))
}

// Results of parseFloat32.
const (
	parsedNumber = iota
	parsedInvalid
	parsedNonFinite // nan, inf, infinity
	parsedOverflow  // finite decimal beyond float32's range
)

// parseFloat32 parses a decimal number [+-](digits[.digits]|.digits)[(e|E)[+-]digits] and rounds it
// to float32 through float64, as numpy's np.float32(str) does (gensim reads text values that way).
// Rounding twice differs from rounding straight to float32 for a few inputs; matching gensim here
// keeps Go and gensim bit-identical on every file. It rejects what Python's float() accepts beyond
// that grammar (underscores, non-ASCII digits, surrounding whitespace).
func parseFloat32(b []byte) (float32, int) {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(b) && isDigit(b[i]); i++ {
		digits++
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && isDigit(b[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		rest := b
		if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
			rest = rest[1:]
		}
		switch strings.ToLower(string(rest)) {
		case "nan", "inf", "infinity":
			return 0, parsedNonFinite
		}
		return 0, parsedInvalid
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for ; i < len(b) && isDigit(b[i]); i++ {
		}
		if i == start {
			return 0, parsedInvalid
		}
	}
	if i != len(b) {
		return 0, parsedInvalid
	}
	d, _ := strconv.ParseFloat(string(b), 64) // syntax checked; overflow gives ±Inf
	x := float32(d)
	if math.IsInf(float64(x), 0) {
		return 0, parsedOverflow
	}
	return x, parsedNumber
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
