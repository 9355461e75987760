package decode

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/seq2seq/data"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Result is the decoding of one source.
type Result struct {
	Source       string      // The input text.
	SourceTokens []string    // Its tokens, with the end token, as the attention's columns.
	Tokens       []string    // Generated tokens up to (without) the end token.
	Text         string      // Tokens detokenized.
	Attention    [][]float32 // [len(Tokens)+1][len(SourceTokens)]: one row per generated token, the end token last (len(Tokens) rows when the hypothesis hit the length limit).

	// Filled by Decoder (the step-based strategies); the one-graph Greedy leaves them zero.
	IDs           []int     // Token ids of Tokens.
	TokenLogProbs []float64 // log p of every generated token under the model (temperature 1), the end token last when Finished.
	LogProb       float64   // Σ TokenLogProbs: log P(Y | X).
	Score         float64   // What hypotheses are ranked by: LogProb / LengthPenalty(len(TokenLogProbs), α) for beam search, LogProb otherwise.
	Finished      bool      // The hypothesis ended with the end token (false: it reached the length limit).
	NBest         []Result  // Every hypothesis returned for this source, best (or first drawn) first; NBest[0] is this result without NBest.
}

// Greedy decodes with the most likely token at every step, in batches of one compiled shape: the whole
// decoding unrolled in one graph (seqmodel.Seq2Seq.Greedy). Decoder with StrategyGreedy computes the same
// tokens with the step graph and also returns their scores.
type Greedy struct {
	model     *seqmodel.Seq2Seq
	vocab     *text.Vocab
	exec      *model.Exec
	BatchSize int // Rows per call; the last batch is padded to it.
}

// NewGreedy prepares a greedy decoder over the weights in store.
func NewGreedy(backend compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, v *text.Vocab) (*Greedy, error) {
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, src *Node) (*Node, *Node) {
		return m.Greedy(scope, src, m.Config.MaxTarget)
	})
	if err != nil {
		return nil, fmt.Errorf("building the greedy decoder: %w", err)
	}
	return &Greedy{model: m, vocab: v, exec: exec, BatchSize: 64}, nil
}

// Decode decodes every source. A source too long for the model is an error naming it.
func (g *Greedy) Decode(sources []string) ([]Result, error) {
	pairs := make([]data.Pair, len(sources))
	for i, s := range sources {
		pairs[i] = data.Pair{Source: s}
	}
	cfg := g.model.Config
	ex, err := train.Encode(g.vocab, pairs, cfg.MaxSource, cfg.MaxTarget)
	if err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(sources))
	for _, idx := range train.Chunks(ex.N, g.BatchSize) {
		padded := append([]int(nil), idx...)
		for len(padded) < g.BatchSize {
			padded = append(padded, idx[0])
		}
		b := ex.Rows(padded)
		_ = b.TgtIn.FinalizeAll()
		_ = b.TgtOut.FinalizeAll()
		out, err := g.exec.Exec(b.Src)
		if err != nil {
			return nil, fmt.Errorf("greedy decoding: %w", err)
		}
		toks := tensors.MustCopyFlatData[int32](out[0])
		att := tensors.MustCopyFlatData[float32](out[1])
		for _, t := range out {
			_ = t.FinalizeAll()
		}
		for r, i := range idx {
			results = append(results, g.result(sources[i], toks, att, r))
		}
	}
	return results, nil
}

// result unpacks row r of the batch outputs tokens [B,T] and attention [B,T,S].
func (g *Greedy) result(source string, toks []int32, att []float32, r int) Result {
	cfg := g.model.Config
	T, S := cfg.MaxTarget, cfg.MaxSource
	res := Result{Source: source}
	src := g.vocab.EncodeWithEOS(source)
	res.SourceTokens = g.vocab.Tokens(src)
	var ids []int
	for t := range T {
		id := int(toks[r*T+t])
		row := make([]float32, len(src))
		copy(row, att[(r*T+t)*S:(r*T+t)*S+len(src)])
		res.Attention = append(res.Attention, row)
		if id == text.EOSID || id == text.PadID {
			break
		}
		ids = append(ids, id)
	}
	res.Tokens = g.vocab.Tokens(ids)
	res.Text = g.vocab.Decode(ids)
	return res
}
