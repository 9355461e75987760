package text

// Pipeline is a [Tokenizer] that normalises text before tokenizing it:
// Tokenize(s) is Normalizer.Filter(Tokenizer.Tokenize(Normalizer.Normalize(s))).
//
// Its name is the inner tokenizer's name; a [Vocab] built with a Pipeline
// stores the tokenizer name and the normalizer separately in its file and
// rebuilds the Pipeline on [Load].
//
// Normalisation is lossy: Detokenize(Tokenize(s)) gives the normalised text
// (lower-cased, with "<num>" for numbers, without dropped punctuation, ...)
// rather than s.
type Pipeline struct {
	Normalizer Normalizer // applied around Tokenizer
	Tokenizer  Tokenizer  // nil means CharTokenizer
}

// NewPipeline returns a Pipeline applying n around tok (nil: [CharTokenizer]).
func NewPipeline(n Normalizer, tok Tokenizer) Pipeline {
	return Pipeline{Normalizer: n, Tokenizer: tok}
}

// Name returns the inner tokenizer's name.
func (p Pipeline) Name() string { return p.inner().Name() }

// Tokenize normalises s, tokenizes it and filters the tokens.
func (p Pipeline) Tokenize(s string) []string {
	return p.Normalizer.Filter(p.inner().Tokenize(p.Normalizer.Normalize(s)))
}

// Detokenize joins tokens with the inner tokenizer. It cannot undo
// normalisation.
func (p Pipeline) Detokenize(tokens []string) string { return p.inner().Detokenize(tokens) }

func (p Pipeline) inner() Tokenizer {
	if p.Tokenizer == nil {
		return CharTokenizer{}
	}
	return p.Tokenizer
}

// splitNormalizer takes a Pipeline apart for vocabulary files: the
// normalizer (zero for other tokenizers) and the innermost tokenizer.
// Nested Pipelines cannot be stored with one normalizer, so ok is false
// for them unless all but one level is the identity.
func splitNormalizer(tok Tokenizer) (n Normalizer, inner Tokenizer, ok bool) {
	for {
		var p Pipeline
		switch t := tok.(type) {
		case Pipeline:
			p = t
		case *Pipeline:
			if t == nil {
				return n, CharTokenizer{}, true
			}
			p = *t
		default:
			return n, tok, true
		}
		if !p.Normalizer.IsIdentity() {
			if !n.IsIdentity() {
				return n, nil, false
			}
			n = p.Normalizer
		}
		tok = p.inner()
	}
}
