package text

import "strings"

// WhitespaceTokenizerName is the name of [WhitespaceTokenizer] in
// vocabulary files.
const WhitespaceTokenizerName = "whitespace"

// WhitespaceTokenizer splits pre-tokenised text (words already separated by
// spaces, as many corpora and the output of other segmenters are) on Unicode
// white space, like [strings.Fields], and joins tokens with single spaces.
//
// Detokenize(Tokenize(s)) == strings.Join(strings.Fields(s), " "): runs of
// white space, tabs and newlines become one space, and leading and trailing
// space is lost. Tokens are substrings of s, so invalid UTF-8 in s stays in
// the tokens ([BuildVocab] skips such tokens).
//
// The zero value is ready to use.
type WhitespaceTokenizer struct{}

// Name returns [WhitespaceTokenizerName].
func (WhitespaceTokenizer) Name() string { return WhitespaceTokenizerName }

// Tokenize splits s around runs of white space.
func (WhitespaceTokenizer) Tokenize(s string) []string { return strings.Fields(s) }

// Detokenize joins tokens with single spaces.
func (WhitespaceTokenizer) Detokenize(tokens []string) string { return strings.Join(tokens, " ") }
