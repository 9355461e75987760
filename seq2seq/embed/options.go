package embed

import (
	"fmt"
	"strings"
)

// Format is a vector file layout.
type Format int

const (
	// Text is the word2vec text format: a header line "count dim", then one line per vector,
	// "word v1 v2 ... vdim", fields separated by single spaces. Gensim:
	// load_word2vec_format(binary=False) / save_word2vec_format(binary=False).
	Text Format = iota
	// Binary is the word2vec binary format: the same header line, then per vector the word's UTF-8
	// bytes, a space and dim little-endian float32s, optionally followed by '\n' (word2vec.c writes
	// it, gensim does not). Gensim: load_word2vec_format(binary=True).
	Binary
	// GloVe is the text format without a header: the dimension is the number of values on the first
	// line. Gensim: load_word2vec_format(no_header=True) / save_word2vec_format(write_header=False).
	GloVe
)

// String returns the name used by [ParseFormat] and the command line: "text", "binary" or "glove".
func (f Format) String() string {
	switch f {
	case Text:
		return "text"
	case Binary:
		return "binary"
	case GloVe:
		return "glove"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat returns the Format named s: "text", "binary" or "glove" (case-insensitive).
func ParseFormat(s string) (Format, error) {
	for _, f := range []Format{Text, Binary, GloVe} {
		if strings.EqualFold(s, f.String()) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown vector file format %q (want text, binary or glove)", ErrOption, s)
}

// UnicodePolicy says what the readers do with words that are not valid UTF-8, as gensim's
// unicode_errors argument does. Files cut by word2vec.c at its byte limit often end a word in the
// middle of a character.
type UnicodePolicy int

const (
	// Strict rejects the file with [ErrUnicode], naming the line and byte offset (gensim's 'strict',
	// its default).
	Strict UnicodePolicy = iota
	// Replace turns each invalid sequence into U+FFFD exactly as Python's 'replace' does: one U+FFFD
	// per maximal invalid subpart, so a character cut short gives one U+FFFD.
	Replace
	// Ignore drops the invalid bytes (Python's 'ignore'). A word left empty is an [ErrWord] error.
	Ignore
)

// String returns the name used by [ParseUnicodePolicy]: "strict", "replace" or "ignore".
func (p UnicodePolicy) String() string {
	switch p {
	case Strict:
		return "strict"
	case Replace:
		return "replace"
	case Ignore:
		return "ignore"
	}
	return fmt.Sprintf("UnicodePolicy(%d)", int(p))
}

// ParseUnicodePolicy returns the policy named s: "strict", "replace" or "ignore" (case-insensitive).
func ParseUnicodePolicy(s string) (UnicodePolicy, error) {
	for _, p := range []UnicodePolicy{Strict, Replace, Ignore} {
		if strings.EqualFold(s, p.String()) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown unicode policy %q (want strict, replace or ignore)", ErrOption, s)
}

// Options controls the readers. The zero value is the default: read every vector, reject invalid UTF-8.
type Options struct {
	// Limit, when positive, reads only the first Limit vectors and ignores the rest of the file, as
	// gensim's limit does (nothing after them is checked). 0 reads all; negative is an error.
	Limit int
	// Unicode is the policy for words that are not valid UTF-8 (gensim's unicode_errors).
	Unicode UnicodePolicy
}

// DefaultOptions returns the defaults: no limit, [Strict] UTF-8.
func DefaultOptions() Options { return Options{Limit: 0, Unicode: Strict} }

// check validates o.
func (o Options) check() error {
	if o.Limit < 0 {
		return fmt.Errorf("%w: Options.Limit is %d; want 0 (no limit) or more", ErrOption, o.Limit)
	}
	if o.Unicode < Strict || o.Unicode > Ignore {
		return fmt.Errorf("%w: Options.Unicode is %v", ErrOption, o.Unicode)
	}
	return nil
}
