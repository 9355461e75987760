package text

import (
	"sort"
	"unicode/utf8"
)

// IDs of the special tokens. They are the same in every [Vocab].
const (
	PadID = 0 // padding in batches
	BOSID = 1 // beginning of sequence: the decoder's first input
	EOSID = 2 // end of sequence: the decoder's last target
	UnkID = 3 // any token not in the vocabulary
)

// Strings of the special tokens, at IDs [PadID], [BOSID], [EOSID] and [UnkID].
const (
	PadToken = "<pad>"
	BOSToken = "<bos>"
	EOSToken = "<eos>"
	UnkToken = "<unk>"
)

// NumSpecial is the number of special tokens; ordinary tokens start at this ID.
const NumSpecial = 4

// SpecialTokens returns the special tokens in ID order:
// "<pad>", "<bos>", "<eos>", "<unk>".
func SpecialTokens() []string {
	return []string{PadToken, BOSToken, EOSToken, UnkToken}
}

// VocabConfig controls [BuildVocab].
type VocabConfig struct {
	// MinFreq leaves out tokens seen fewer than MinFreq times in the corpus;
	// they encode as UnkID. Values below 1 mean 1 (keep every token).
	MinFreq int
	// MaxSize caps the vocabulary size, special tokens included, keeping the
	// most frequent tokens. 0 or less means no cap. The four special tokens
	// are always present, so a cap below NumSpecial still gives NumSpecial.
	MaxSize int
}

// DefaultVocabConfig returns the defaults: keep every token (MinFreq 1), no
// size cap (MaxSize 0).
func DefaultVocabConfig() VocabConfig {
	return VocabConfig{MinFreq: 1, MaxSize: 0}
}

// Vocab maps tokens to IDs and back for one [Tokenizer].
//
// IDs 0..NumSpecial-1 are the special tokens; ordinary tokens follow. A Vocab
// is immutable after construction and safe for concurrent use.
type Vocab struct {
	tok    Tokenizer
	tokens []string       // tokens[id] is the token with that ID
	ids    map[string]int // inverse of tokens
}

// BuildVocab tokenizes texts with tok and builds a vocabulary of the tokens
// found, filtered and capped by cfg.
//
// Ordinary tokens get IDs from NumSpecial on, by frequency descending; tokens
// with equal frequency are ordered by byte order of the token string, so the
// result depends only on the corpus and cfg (not on map iteration order or
// the order of texts). Tokens equal to a special token string and tokens that
// are not valid UTF-8 are skipped, so every built vocabulary can be saved.
// A nil tok means [CharTokenizer].
func BuildVocab(texts []string, tok Tokenizer, cfg VocabConfig) *Vocab {
	if tok == nil {
		tok = CharTokenizer{}
	}
	counts := make(map[string]int)
	for _, s := range texts {
		for _, t := range tok.Tokenize(s) {
			counts[t]++
		}
	}
	special := make(map[string]bool, NumSpecial)
	for _, t := range SpecialTokens() {
		special[t] = true
	}
	minFreq := max(cfg.MinFreq, 1)
	kept := make([]string, 0, len(counts))
	for t, n := range counts {
		if n >= minFreq && t != "" && !special[t] && utf8.ValidString(t) {
			kept = append(kept, t)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		ni, nj := counts[kept[i]], counts[kept[j]]
		if ni != nj {
			return ni > nj
		}
		return kept[i] < kept[j]
	})
	if cfg.MaxSize > 0 {
		kept = kept[:min(len(kept), max(cfg.MaxSize-NumSpecial, 0))]
	}
	return newVocab(tok, append(SpecialTokens(), kept...))
}

// NewVocab returns a vocabulary with the given tokens at IDs 0, 1, 2, ...
// The list must start with the special tokens in ID order (see
// [SpecialTokens]) and must not hold duplicates, empty tokens or invalid
// UTF-8; otherwise the error is a [*VocabError] saying which token is wrong.
// tokens is copied. A nil tok means [CharTokenizer].
func NewVocab(tokens []string, tok Tokenizer) (*Vocab, error) {
	if tok == nil {
		tok = CharTokenizer{}
	}
	if e := checkTokens(tokens); e != nil {
		return nil, e
	}
	return newVocab(tok, append([]string(nil), tokens...)), nil
}

// newVocab builds the index; tokens must already be valid.
func newVocab(tok Tokenizer, tokens []string) *Vocab {
	ids := make(map[string]int, len(tokens))
	for id, t := range tokens {
		ids[t] = id
	}
	return &Vocab{tok: tok, tokens: tokens, ids: ids}
}

// Size returns the number of tokens, special tokens included. Valid IDs are
// 0..Size()-1.
func (v *Vocab) Size() int { return len(v.tokens) }

// Tokenizer returns the tokenizer the vocabulary was built for.
func (v *Vocab) Tokenizer() Tokenizer { return v.tokenizer() }

// Normalizer returns the normalizer applied by the vocabulary's tokenizer:
// the [Pipeline]'s normalizer if the tokenizer is a Pipeline, else the
// identity (zero) Normalizer.
func (v *Vocab) Normalizer() Normalizer {
	n, _, _ := splitNormalizer(v.tokenizer())
	return n
}

// ID returns the ID of token, or [UnkID] if it is not in the vocabulary.
func (v *Vocab) ID(token string) int {
	if id, ok := v.ids[token]; ok {
		return id
	}
	return UnkID
}

// Lookup returns the ID of token and whether it is in the vocabulary.
func (v *Vocab) Lookup(token string) (id int, ok bool) {
	id, ok = v.ids[token]
	return id, ok
}

// Token returns the token with the given ID, or [UnkToken] if id is out of
// range.
func (v *Vocab) Token(id int) string {
	if id < 0 || id >= len(v.tokens) {
		return UnkToken
	}
	return v.tokens[id]
}

// Encode tokenizes s and returns the token IDs, without BOS or EOS.
// Tokens not in the vocabulary become [UnkID].
func (v *Vocab) Encode(s string) []int {
	tokens := v.tokenizer().Tokenize(s)
	ids := make([]int, len(tokens), len(tokens)+1)
	for i, t := range tokens {
		ids[i] = v.ID(t)
	}
	return ids
}

// EncodeWithEOS is [Vocab.Encode] followed by [EOSID]: the usual target
// sequence for a decoder.
func (v *Vocab) EncodeWithEOS(s string) []int {
	return append(v.Encode(s), EOSID)
}

// Decode turns IDs back into text: it stops at the first [EOSID], skips
// [PadID] and [BOSID], maps every other ID with [Vocab.Token] (so UnkID and
// out-of-range IDs give "<unk>") and joins the tokens with the tokenizer.
func (v *Vocab) Decode(ids []int) string {
	tokens := make([]string, 0, len(ids))
	for _, id := range ids {
		if id == EOSID {
			break
		}
		if id == PadID || id == BOSID {
			continue
		}
		tokens = append(tokens, v.Token(id))
	}
	return v.tokenizer().Detokenize(tokens)
}

// Tokens maps every ID to its token with [Vocab.Token], special tokens
// included and without stopping at EOS: labels for attention plots and
// debugging output.
func (v *Vocab) Tokens(ids []int) []string {
	tokens := make([]string, len(ids))
	for i, id := range ids {
		tokens[i] = v.Token(id)
	}
	return tokens
}

// tokenizer returns v.tok, or CharTokenizer for the zero Vocab.
func (v *Vocab) tokenizer() Tokenizer {
	if v.tok == nil {
		return CharTokenizer{}
	}
	return v.tok
}
