package text

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/rivo/uniseg"
)

// Tokenizer splits text into tokens and joins tokens back into text.
//
// Implementations must be deterministic and safe for concurrent use.
// Detokenize(Tokenize(s)) should give back s; tokenizers that normalise text
// (for example by lower-casing) document where they do not.
type Tokenizer interface {
	// Name identifies the tokenizer in vocabulary files; see TokenizerByName.
	Name() string
	// Tokenize splits s into tokens. It never returns empty tokens.
	Tokenize(s string) []string
	// Detokenize joins tokens back into text.
	Detokenize(tokens []string) string
}

// CharTokenizerName is the name of [CharTokenizer] in vocabulary files.
const CharTokenizerName = "char"

// ErrUnknownTokenizer is returned (wrapped) by [TokenizerByName] for a name
// that no tokenizer has.
var ErrUnknownTokenizer = errors.New("unknown tokenizer")

// tokenizers maps tokenizer names to constructors. It is fixed at compile
// time; add new tokenizers here.
var tokenizers = map[string]func() Tokenizer{
	CharTokenizerName:       func() Tokenizer { return CharTokenizer{} },
	WordTokenizerName:       func() Tokenizer { return WordTokenizer{} },
	WhitespaceTokenizerName: func() Tokenizer { return WhitespaceTokenizer{} },
}

// TokenizerByName returns the tokenizer with the given name, as stored in the
// "tokenizer" field of a vocabulary file. For an unknown name the error wraps
// [ErrUnknownTokenizer] and lists the known names.
func TokenizerByName(name string) (Tokenizer, error) {
	if newTok, ok := tokenizers[name]; ok {
		return newTok(), nil
	}
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownTokenizer, name,
		strings.Join(TokenizerNames(), ", "))
}

// TokenizerNames returns the names accepted by [TokenizerByName], sorted.
func TokenizerNames() []string {
	names := make([]string, 0, len(tokenizers))
	for name := range tokenizers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// CharTokenizer splits text into user-perceived characters: Unicode extended
// grapheme clusters (UAX #29, as implemented by github.com/rivo/uniseg).
//
// Each Chinese character is one token; an emoji ZWJ sequence (👩‍👩‍👧), a flag
// (🇨🇳), an emoji with a skin-tone modifier (👍🏽) and a letter followed by
// combining marks ("e\u0301") are each one token; "\r\n" is one token.
// Text is not normalised, so "é" (U+00E9) and "e\u0301" are different tokens.
// Each byte of invalid UTF-8 becomes a token of its own, so
// Detokenize(Tokenize(s)) == s for every string s.
//
// The zero value is ready to use.
type CharTokenizer struct{}

// Name returns [CharTokenizerName].
func (CharTokenizer) Name() string { return CharTokenizerName }

// Tokenize splits s into grapheme clusters. The tokens are substrings of s.
func (CharTokenizer) Tokenize(s string) []string {
	var tokens []string
	state := -1
	for s != "" {
		var cluster string
		cluster, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		tokens = append(tokens, cluster)
	}
	return tokens
}

// Detokenize concatenates tokens.
func (CharTokenizer) Detokenize(tokens []string) string {
	return strings.Join(tokens, "")
}
