package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gotextgen/textgen/internal/atomicfile"
)

// Vocabulary file format name and version, stored in the "format" and
// "version" fields. Readers reject other formats and newer versions.
//
// Version 1 has no "normalizer" object; version 2 adds it. Writers use
// version 1 when the normalizer is the identity (so such files still load in
// builds that only know version 1) and version 2 otherwise (so those builds
// refuse the file rather than silently tokenizing without normalising).
// Readers accept both; a missing or null "normalizer" means the identity.
const (
	VocabFormat  = "textgen-vocab"
	VocabVersion = 2 // newest version this build reads and writes

	vocabVersionNoNormalizer = 1
)

// vocabFile is the JSON layout of a vocabulary file.
type vocabFile struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	Tokenizer  string          `json:"tokenizer"`
	Normalizer *normalizerFile `json:"normalizer,omitempty"`
	Tokens     []string        `json:"tokens"`
}

// normalizerFile is the JSON layout of a Normalizer. Modes are written out
// in full ("keep" rather than the empty string).
type normalizerFile struct {
	NFKC      bool   `json:"nfkc"`
	HalfWidth bool   `json:"half_width"`
	Case      string `json:"case"`
	Punct     string `json:"punctuation"`
	Numbers   string `json:"numbers"`
}

const modeKeep = "keep"

func toNormalizerFile(n Normalizer) *normalizerFile {
	orKeep := func(s string) string {
		if s == "" {
			return modeKeep
		}
		return s
	}
	return &normalizerFile{NFKC: n.NFKC, HalfWidth: n.HalfWidth,
		Case: orKeep(string(n.Case)), Punct: orKeep(string(n.Punct)), Numbers: orKeep(string(n.Numbers))}
}

// normalizer checks f and converts it; errors name the field at fault.
func (f *normalizerFile) normalizer() (Normalizer, *VocabError) {
	if f == nil {
		return Normalizer{}, nil
	}
	mode := func(field, s string, allowed ...string) (string, *VocabError) {
		if s == "" || s == modeKeep {
			return "", nil
		}
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
		return "", &VocabError{Offset: -1, Field: "normalizer." + field,
			Reason: fmt.Sprintf("unknown mode %q (want %q, %s)", s, modeKeep, quoteAll(allowed))}
	}
	c, e := mode("case", f.Case, string(CaseLower), string(CaseFold))
	if e != nil {
		return Normalizer{}, e
	}
	p, e := mode("punctuation", f.Punct, string(PunctDrop))
	if e != nil {
		return Normalizer{}, e
	}
	num, e := mode("numbers", f.Numbers, string(NumberToken), string(NumberDigits))
	if e != nil {
		return Normalizer{}, e
	}
	return Normalizer{NFKC: f.NFKC, HalfWidth: f.HalfWidth,
		Case: CaseMode(c), Punct: PunctMode(p), Numbers: NumberMode(num)}, nil
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}

// VocabError reports what is wrong with a vocabulary file or token list, and
// where. Use errors.As to get at the fields.
type VocabError struct {
	Path   string // file the data came from; "" when it did not come from a file
	Offset int64  // for JSON syntax and type errors, bytes read up to and including the bad one; else -1
	Field  string // JSON field at fault ("format", "version", "tokenizer", "normalizer.case", "tokens", ...), or ""
	Reason string // what is wrong, e.g. `duplicate token "a" at index 7 (first at index 5)`
	Err    error  // underlying error (*json.SyntaxError, ErrUnknownTokenizer, ...), or nil
}

// Error formats the error as "path: byte N: field: reason", leaving out the
// parts that do not apply.
func (e *VocabError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
	} else {
		b.WriteString("vocabulary")
	}
	if e.Offset >= 0 {
		b.WriteString(": byte ")
		b.WriteString(strconv.FormatInt(e.Offset, 10))
	}
	if e.Field != "" {
		b.WriteString(": field ")
		b.WriteString(strconv.Quote(e.Field))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *VocabError) Unwrap() error { return e.Err }

// checkTokens checks a token list for NewVocab and for files: specials first,
// then non-empty, valid UTF-8, distinct tokens.
func checkTokens(tokens []string) *VocabError {
	bad := func(format string, args ...any) *VocabError {
		return &VocabError{Offset: -1, Field: "tokens", Reason: fmt.Sprintf(format, args...)}
	}
	if len(tokens) == 0 {
		return bad("token list is empty (want at least the %d special tokens)", NumSpecial)
	}
	for id, want := range SpecialTokens() {
		if id >= len(tokens) {
			return bad("token list ends at %d tokens; special token %q must be at index %d", len(tokens), want, id)
		}
		if tokens[id] != want {
			return bad("index %d is %q; want special token %q there", id, tokens[id], want)
		}
	}
	first := make(map[string]int, len(tokens))
	for i, t := range tokens {
		switch {
		case t == "":
			return bad("empty token at index %d", i)
		case !utf8.ValidString(t):
			return bad("token %q at index %d is not valid UTF-8", t, i)
		}
		if j, dup := first[t]; dup {
			return bad("duplicate token %q at index %d (first at index %d)", t, i, j)
		}
		first[t] = i
	}
	return nil
}

// parseVocab decodes and checks a vocabulary file; path only labels errors.
func parseVocab(data []byte, path string) (*Vocab, error) {
	fail := func(e *VocabError) error {
		e.Path = path
		return e
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(&VocabError{Offset: -1, Reason: "empty file"})
	}
	var f vocabFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fail(jsonError(err))
	}
	if f.Format != VocabFormat {
		reason := fmt.Sprintf("unknown format %q (want %q)", f.Format, VocabFormat)
		if f.Format == "" {
			reason = fmt.Sprintf("missing format (want %q)", VocabFormat)
		}
		return nil, fail(&VocabError{Offset: -1, Field: "format", Reason: reason})
	}
	if f.Version < vocabVersionNoNormalizer || f.Version > VocabVersion {
		return nil, fail(&VocabError{Offset: -1, Field: "version",
			Reason: fmt.Sprintf("unsupported version %d (this build reads versions %d to %d)",
				f.Version, vocabVersionNoNormalizer, VocabVersion)})
	}
	tok, err := TokenizerByName(f.Tokenizer)
	if err != nil {
		return nil, fail(&VocabError{Offset: -1, Field: "tokenizer", Reason: err.Error(), Err: err})
	}
	n, e := f.Normalizer.normalizer()
	if e != nil {
		return nil, fail(e)
	}
	if !n.IsIdentity() {
		tok = Pipeline{Normalizer: n, Tokenizer: tok}
	}
	if e := checkTokens(f.Tokens); e != nil {
		return nil, fail(e)
	}
	return newVocab(tok, f.Tokens), nil
}

// jsonError turns an encoding/json error into a VocabError with the byte
// offset and field it reports.
func jsonError(err error) *VocabError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		reason := "invalid JSON: " + syn.Error()
		if syn.Error() == "unexpected end of JSON input" {
			reason = "truncated JSON: unexpected end of input"
		}
		return &VocabError{Offset: syn.Offset, Reason: reason, Err: err}
	case errors.As(err, &typ):
		if typ.Field == "" {
			return &VocabError{Offset: typ.Offset, Err: err,
				Reason: fmt.Sprintf("got a JSON %s, want an object", typ.Value)}
		}
		return &VocabError{Offset: typ.Offset, Field: typ.Field, Err: err,
			Reason: fmt.Sprintf("got a JSON %s, want %s", typ.Value, typ.Type)}
	default:
		return &VocabError{Offset: -1, Reason: "invalid JSON: " + err.Error(), Err: err}
	}
}

// file returns the JSON layout of v, or an error for a vocabulary that
// could not be loaded back: the zero Vocab, one whose tokenizer is not
// known to TokenizerByName, or one whose Normalizer has an unknown mode.
func (v *Vocab) file() (*vocabFile, error) {
	if e := checkTokens(v.tokens); e != nil {
		return nil, e
	}
	n, inner, ok := splitNormalizer(v.tokenizer())
	if !ok {
		return nil, &VocabError{Offset: -1, Field: "normalizer",
			Reason: "nested Pipelines with more than one non-identity Normalizer cannot be stored"}
	}
	if err := n.Validate(); err != nil {
		return nil, &VocabError{Offset: -1, Field: "normalizer", Reason: err.Error(), Err: err}
	}
	name := inner.Name()
	if _, err := TokenizerByName(name); err != nil {
		// Refuse to write a file that Load could not read back.
		return nil, &VocabError{Offset: -1, Field: "tokenizer", Reason: err.Error(), Err: err}
	}
	f := &vocabFile{Format: VocabFormat, Version: vocabVersionNoNormalizer,
		Tokenizer: name, Tokens: v.tokens}
	if !n.IsIdentity() {
		f.Version = VocabVersion
		f.Normalizer = toNormalizerFile(n)
	}
	return f, nil
}

// MarshalJSON encodes v in the vocabulary file format.
func (v *Vocab) MarshalJSON() ([]byte, error) {
	f, err := v.file()
	if err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// UnmarshalJSON decodes and checks a vocabulary in the file format, replacing
// v. Errors are [*VocabError] values. On error v is left unchanged. A JSON
// null is a no-op, following the encoding/json convention.
func (v *Vocab) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	nv, err := parseVocab(data, "")
	if err != nil {
		return err
	}
	*v = *nv
	return nil
}

// WriteTo writes v to w in the vocabulary file format, one token per line,
// and returns the number of bytes written. It fails, writing nothing, if the
// tokenizer's name is unknown to [TokenizerByName], since such a file could
// not be loaded.
func (v *Vocab) WriteTo(w io.Writer) (int64, error) {
	f, err := v.file()
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<pad>" readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// ReadVocab reads a vocabulary file from r. name labels errors (usually the
// file name); errors in the data are [*VocabError] values.
func ReadVocab(r io.Reader, name string) (*Vocab, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read vocabulary: %w", name, err)
	}
	return parseVocab(data, name)
}

// Load reads the vocabulary file at path. Errors in the file are
// [*VocabError] values naming path; see [ReadVocab].
func Load(path string) (*Vocab, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load vocabulary: %w", err)
	}
	return parseVocab(data, path)
}

// Save writes v to path atomically: it writes a temporary file in the same
// folder, syncs it and renames it over path, so readers see either the old
// file or the complete new one. The file gets mode 0644.
func (v *Vocab) Save(path string) error {
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		return fmt.Errorf("save vocabulary %s: %w", path, err)
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save vocabulary: %w", err)
	}
	return nil
}
