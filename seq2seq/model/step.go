package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
)

// The step API splits decoding in two graphs so that a Go loop can drive it (sampling, beam search):
//
//	enc, state := m.StartDecoding(scope, src)                      once per batch of sources
//	logProbs, state, att := m.DecodeStep(scope, enc, prev, state)  once per generated position
//
// Between calls the graphs' outputs travel as tensors: DecoderState.Nodes lists them in a fixed order and
// Seq2Seq.DecoderStateFromNodes reads them back. Rows may be repeated and reordered between steps (beams,
// several samples per source) with GatherRows, as long as the encoder rows follow their decoder rows.
// The step computes exactly what the unrolled decoders (TeacherForced, Greedy) compute at each position.

// DecoderState is the decoder's state between steps: H [N,H]; C [N,H] for an LSTM (nil otherwise); Feed [N,H]
// the previous attentional vector h̃ with Config.InputFeeding (zeros before the first step; nil otherwise).
type DecoderState struct {
	H, C, Feed *Node
}

// Nodes lists the state's tensors in the fixed order H, C, Feed, leaving out the nil ones.
func (s DecoderState) Nodes() []*Node {
	out := []*Node{s.H}
	if s.C != nil {
		out = append(out, s.C)
	}
	if s.Feed != nil {
		out = append(out, s.Feed)
	}
	return out
}

// GatherRows returns the state with rows [N'] int32 selected: row i of the result is row rows[i] of s.
func (s DecoderState) GatherRows(rows *Node) DecoderState {
	g := func(x *Node) *Node {
		if x == nil {
			return nil
		}
		return Gather(x, InsertAxes(rows, -1))
	}
	return DecoderState{H: g(s.H), C: g(s.C), Feed: g(s.Feed)}
}

// DecoderStateSize is the number of tensors in the decoder state of this model: 1 (H), +1 for an LSTM's C,
// +1 for input feeding.
func (m *Seq2Seq) DecoderStateSize() int {
	n := 1
	if m.Config.cell() == CellLSTM {
		n++
	}
	if m.Config.Attention > 0 && m.Config.InputFeeding {
		n++
	}
	return n
}

// DecoderStateFromNodes is the inverse of DecoderState.Nodes for this model: it reads the first
// DecoderStateSize nodes and returns the state and the remaining nodes.
func (m *Seq2Seq) DecoderStateFromNodes(nodes []*Node) (s DecoderState, rest []*Node) {
	s.H, nodes = nodes[0], nodes[1:]
	if m.Config.cell() == CellLSTM {
		s.C, nodes = nodes[0], nodes[1:]
	}
	if m.Config.Attention > 0 && m.Config.InputFeeding {
		s.Feed, nodes = nodes[0], nodes[1:]
	}
	return s, nodes
}

// GatherEncodedRows returns the parts of enc that DecodeStep reads — Outputs [N',S,K] and Mask [N',S] — with
// rows [N'] int32 selected (e.g. each source repeated once per beam).
func GatherEncodedRows(enc Encoded, rows *Node) Encoded {
	idx := InsertAxes(rows, -1)
	return Encoded{Outputs: Gather(enc.Outputs, idx), Mask: Gather(enc.Mask, idx)}
}

// StartDecoding encodes src [B,S] int32 and returns the encoder's result (Outputs [B,S,K], Mask [B,S]) with the
// decoder's state before its first step (fed text.BOSID).
func (m *Seq2Seq) StartDecoding(scope *model.Scope, src *Node) (enc Encoded, state DecoderState) {
	enc = m.Encode(scope, src)
	s := decState{State: enc.State()}
	if m.Config.Attention > 0 && m.Config.InputFeeding {
		s.Feed = ZerosLike(s.H)
	}
	return enc, DecoderState{H: s.H, C: s.C, Feed: s.Feed}
}

// DecodeStep runs one decoder step (see decoder.step for the wiring) for N rows: enc.Outputs [N,S,K] and
// enc.Mask [N,S] (only these two fields are read), prev [N] int32 the previous tokens (text.BOSID first) and
// state. Returns the log-probabilities of the next token logProbs [N,V] (log-softmax of the logits), the
// next state and the attention weights [N,S] (zeros without attention).
//
// The decoder's weights are read from scope exactly as the unrolled decoders read them; the attention keys are
// recomputed from enc.Outputs at every step (cheap at these sizes, and it keeps the step's inputs few).
func (m *Seq2Seq) DecodeStep(scope *model.Scope, enc Encoded, prev *Node, state DecoderState) (logProbs *Node, next DecoderState, attention *Node) {
	d := m.newDecoder(scope, enc)
	s := decState{State: State{H: state.H, C: state.C}, Feed: state.Feed}
	logits, ns, w := d.step(prev, s)
	if w == nil {
		w = Zeros(prev.Graph(), shapes.Make(dtypes.Float32, enc.Mask.Shape().Dim(0), enc.Mask.Shape().Dim(1)))
	}
	return LogSoftmax(logits), DecoderState{H: ns.H, C: ns.C, Feed: ns.Feed}, w
}
