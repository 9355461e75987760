package decode

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// maxShapes is the number of compiled shapes each graph keeps.
const maxShapes = 256

// steps holds the two compiled graphs of the step API (see seqmodel.Seq2Seq.StartDecoding and DecodeStep).
// The decoder's state stays in backend tensors between calls; only the previous tokens and the parent rows
// go in, and only the log-probabilities and attention weights come out to Go.
type steps struct {
	m           *seqmodel.Seq2Seq
	start, step *model.Exec
}

func newSteps(backend compute.Backend, store *model.Store, m *seqmodel.Seq2Seq) (*steps, error) {
	// start: src [B,S] int32, rows [N] int32 → encoder outputs [N,S,K], mask [N,S], initial state (row n is
	// source rows[n]).
	start, err := model.NewExec(backend, store, func(scope *model.Scope, src, rows *Node) []*Node {
		enc, st := m.StartDecoding(scope, src)
		enc = seqmodel.GatherEncodedRows(enc, rows)
		return append([]*Node{enc.Outputs, enc.Mask}, st.GatherRows(rows).Nodes()...)
	})
	if err != nil {
		return nil, fmt.Errorf("building the encoder graph: %w", err)
	}
	// step: prev [N] int32, parent [N] int32, encoder outputs, mask, state → log-probs [N,V], attention
	// [N,S], next state. Row n continues the hypothesis of row parent[n] (beam search reorders rows).
	step, err := model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		prev, parent := in[0], in[1]
		enc := seqmodel.Encoded{Outputs: in[2], Mask: in[3]}
		st, _ := m.DecoderStateFromNodes(in[4:])
		lp, next, att := m.DecodeStep(scope, enc, prev, st.GatherRows(parent))
		return append([]*Node{lp, att}, next.Nodes()...)
	})
	if err != nil {
		return nil, fmt.Errorf("building the decoder step graph: %w", err)
	}
	// One shape per (batch bucket, rows per source): a notebook trying many beam widths and n-best sizes
	// goes past GoMLX's default of 32 cached graphs.
	start.SetMaxCache(maxShapes)
	step.SetMaxCache(maxShapes)
	return &steps{m: m, start: start, step: step}, nil
}

// session is the decoding of one batch: N rows over sources of S positions, vocabulary V.
type session struct {
	s        *steps
	enc      []*tensors.Tensor // encoder outputs, mask
	state    []*tensors.Tensor
	N, S, V  int
	numSteps int
}

// begin encodes src [B,S] (flat, row-major) and places source rows[n] on decoder row n.
func (s *steps) begin(src []int32, B, S int, rows []int32) (*session, error) {
	out, err := s.start.Exec(tensors.FromFlatDataAndDimensions(src, B, S), tensors.FromFlatDataAndDimensions(rows, len(rows)))
	if err != nil {
		return nil, fmt.Errorf("encoding: %w", err)
	}
	return &session{s: s, enc: out[:2], state: out[2:], N: len(rows), S: S, V: s.m.Config.VocabSize}, nil
}

// next feeds prev [N] (row n's previous token) after reordering the state rows by parent [N], and returns
// the log-probabilities [N·V] and attention weights [N·S] of the next position.
func (ss *session) next(prev, parent []int32) (logProbs, attention []float32, err error) {
	in := []any{tensors.FromFlatDataAndDimensions(prev, ss.N), tensors.FromFlatDataAndDimensions(parent, ss.N), ss.enc[0], ss.enc[1]}
	for _, t := range ss.state {
		in = append(in, t)
	}
	out, err := ss.s.step.Exec(in...)
	if err != nil {
		return nil, nil, fmt.Errorf("decoder step %d: %w", ss.numSteps, err)
	}
	ss.numSteps++
	for _, t := range ss.state {
		_ = t.FinalizeAll()
	}
	ss.state = out[2:]
	logProbs = tensors.MustCopyFlatData[float32](out[0])
	attention = tensors.MustCopyFlatData[float32](out[1])
	_ = out[0].FinalizeAll()
	_ = out[1].FinalizeAll()
	return logProbs, attention, nil
}

// close releases the session's tensors.
func (ss *session) close() {
	for _, t := range append(ss.enc, ss.state...) {
		_ = t.FinalizeAll()
	}
}
