package embed

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error about the content of a file is a [*FormatError]
// wrapping one of these, so callers can test the kind of problem with
// errors.Is and get at the position with errors.As.
var (
	// ErrEmpty: the file (or reader) holds no bytes at all, or a GloVe file no vectors.
	ErrEmpty = errors.New("empty input")
	// ErrHeader: the word2vec header is not two non-negative decimal integers "count dim".
	ErrHeader = errors.New("malformed header")
	// ErrTruncated: the input ends before the vectors the header announces (or, in the binary
	// format, in the middle of a vector); also a header announcing more vectors than the file size
	// allows.
	ErrTruncated = errors.New("truncated input")
	// ErrDimension: a vector has more or fewer values than the header (or, for GloVe, the first line) says.
	ErrDimension = errors.New("wrong number of values")
	// ErrNumber: a value is not a decimal floating-point number.
	ErrNumber = errors.New("invalid number")
	// ErrNonFinite: a value is NaN or ±Inf, or overflows float32. Gensim would load it; we refuse,
	// since one NaN poisons every model that uses the table.
	ErrNonFinite = errors.New("NaN or infinite value")
	// ErrUnicode: a word is not valid UTF-8 and the policy is [Strict].
	ErrUnicode = errors.New("invalid UTF-8")
	// ErrDuplicate: a word appears twice. Gensim keeps the first and logs a warning; we refuse.
	ErrDuplicate = errors.New("duplicate word")
	// ErrWord: a word is empty (possibly after Ignore dropped its bytes), too long, or, when
	// writing, holds a space or a newline, which the formats cannot represent.
	ErrWord = errors.New("invalid word")
	// ErrOption: an [Options] value, a format or a policy name is invalid.
	ErrOption = errors.New("invalid option")
)

// FormatError says what is wrong with a vector file and where. Err is one of
// the sentinel errors above; Unwrap returns it.
type FormatError struct {
	File   string // file name; "" when reading an io.Reader with no name
	Line   int    // 1-based line number in the text formats (binary: 1 for the header, else 0); 0 if unknown
	Vector int    // 1-based index of the vector at fault; 0 for the header or the whole file
	Offset int64  // byte offset, from the start of the input, of the first byte at fault; -1 if unknown
	Field  string // the part at fault: "header", "word", "value 3", "vector", ...
	Msg    string // what is wrong, e.g. `want 300 values, got 299`
	Err    error  // sentinel error (ErrTruncated, ErrDimension, ...)
}

// Error formats the error as "file:line: vector N: byte B: field: sentinel: msg",
// leaving out the parts that do not apply.
func (e *FormatError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("vectors")
	}
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Vector > 0 {
		b.WriteString(": vector " + strconv.Itoa(e.Vector))
	}
	if e.Offset >= 0 {
		b.WriteString(": byte " + strconv.FormatInt(e.Offset, 10))
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *FormatError) Unwrap() error { return e.Err }
