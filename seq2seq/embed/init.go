package embed

import (
	"math/rand/v2"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// MaxMissingTokens is how many missing tokens [Coverage.MissingTokens] lists.
const MaxMissingTokens = 20

// Coverage says how much of a vocabulary a vector table covers. Special tokens are not counted:
// Found + Missing = vocabulary size - text.NumSpecial.
type Coverage struct {
	Found         int      // ordinary tokens whose vector came from the table
	Missing       int      // ordinary tokens not in the table, initialised at random
	MissingTokens []string // the first MaxMissingTokens missing tokens, in ID order (most frequent first)
}

// InitMatrix builds an embedding matrix for vocab from pretrained vectors: shape [V, Dim] row-major,
// V = vocab.Size(), Dim = vecs.Dim; row id is the embedding of vocab.Token(id).
//
//   - text.PadID gets zeros, so padding adds nothing to sums and averages.
//   - The other special tokens (<bos>, <eos>, <unk>) and ordinary tokens missing from vecs get small
//     random values, uniform in [-0.5/Dim, 0.5/Dim): the range gensim's Word2Vec starts its vectors
//     in. Specials are never looked up in vecs, even if a file happens to hold "<unk>".
//   - Ordinary tokens found in vecs (exact match: no case folding, no Unicode normalisation) get a
//     copy of their vector.
//
// The random row of a token depends only on seed and its ID, so the same vocabulary and seed give
// the same matrix, whatever the table holds. The matrix is a copy: changing it leaves vecs alone.
// Whether the model keeps it frozen or trains it further is the model's choice, not made here.
// A nil vocab or vecs, or vecs with Dim < 1, gives a nil matrix and a zero Coverage.
func InitMatrix(vocab *text.Vocab, vecs *Vectors, seed int64) ([]float32, Coverage) {
	var cov Coverage
	if vocab == nil || vecs == nil || vecs.Dim < 1 || len(vecs.Data) != len(vecs.Words)*vecs.Dim {
		return nil, cov
	}
	dim, size := vecs.Dim, vocab.Size()
	index := vecs.index
	if index == nil { // a Vectors made as a literal: index it once rather than scan per token
		index = make(map[string]int, len(vecs.Words))
		for i, w := range vecs.Words {
			if _, dup := index[w]; !dup {
				index[w] = i
			}
		}
	}
	matrix := make([]float32, size*dim)
	scale := float32(1) / float32(dim)
	for id := range size {
		row := matrix[id*dim : (id+1)*dim]
		if id == text.PadID {
			continue
		}
		if id >= text.NumSpecial {
			tok := vocab.Token(id)
			if i, ok := index[tok]; ok {
				copy(row, vecs.Data[i*dim:(i+1)*dim])
				cov.Found++
				continue
			}
			cov.Missing++
			if len(cov.MissingTokens) < MaxMissingTokens {
				cov.MissingTokens = append(cov.MissingTokens, tok)
			}
		}
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(id)))
		for k := range row {
			row[k] = (rng.Float32() - 0.5) * scale
		}
	}
	return matrix, cov
}
