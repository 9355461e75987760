package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Encoded is the encoder's result for a batch.
type Encoded struct {
	Outputs *Node // [B,S,K], the top layer's outputs, zero at padded positions: K = H, or 2H ([forward; backward]) when bidirectional.
	Mask    *Node // [B,S] bool, true at real tokens.
	H, C    *Node // [B,H] the decoder's initial state (see Encode); C is nil for a GRU or RNN.

	// Forward and Backward are the top layer's final state in each direction: the forward one at each sequence's
	// last real token, the backward one at its first token. Backward is empty unless Config.Bidirectional.
	Forward, Backward State
}

// State is the decoder's initial state.
func (e Encoded) State() State { return State{H: e.H, C: e.C} }

// Encode runs the encoder over src [B,S] int32 (text.PadID-padded): Config.EncoderLayers layers (1 when 0) of
// the cell of Config.Cell, each optionally bidirectional.
//
// Layer 0 reads the source embeddings; layer l > 0 reads layer l−1's outputs, through dropout of rate
// Config.Dropout when the graph is training (scope.IsTraining) and unchanged otherwise.
//
// Each direction updates its state only at real tokens (keepState) and outputs zeros at padding. The forward
// pass runs s = 0…S−1; the backward pass runs s = S−1…0, so over a row's trailing padding its state stays at its
// initial zero and it starts, exactly, at the row's last real token whatever the padding: for a row of n real
// tokens its output at s summarises tokens s…n−1, and its final state is the one after token 0. A bidirectional
// layer outputs [forward_s; backward_s], [B,2H] per position.
//
// The decoder starts from the top layer's final state. With Config.Bidirectional a learned bridge maps both
// directions' final states to H:
//
//	h₀ = tanh([h→; h←]·W_h + b_h)        W_h [2H,H], b_h [H]   (variables encoder/bridge/h_kernel, h_bias)
//	c₀ = tanh([c→; c←]·W_c + b_c)        LSTM only              (encoder/bridge/c_kernel, c_bias)
//
// Variables: layer 0's forward cell keeps the single-layer names under "encoder" (so older checkpoints load),
// its backward cell is under "encoder/backward", layer l > 0 under "encoder/layer_l" and "encoder/layer_l/backward".
func (m *Seq2Seq) Encode(scope *model.Scope, src *Node) Encoded {
	g := src.Graph()
	cfg := m.Config
	S := src.Shape().Dim(1)
	table := m.embedding(scope.In("source"), g)
	mask := NotEqual(src, Const(g, int32(text.PadID)))
	xs, masks := make([]*Node, S), make([]*Node, S)
	for s := range S {
		// Slice the integer ids, not the embedded sequence: the gradient of a slice is a padded copy of
		// the whole tensor, and S of those would be summed in the backward pass.
		ids := Squeeze(SliceAxis(src, 1, AxisElem(s)), 1) // [B]
		masks[s] = Squeeze(SliceAxis(mask, 1, AxisElem(s)), 1)
		xs[s] = embed(table, ids)
	}
	es := scope.In("encoder")
	var fwd, bwd State
	for l := range cfg.encoderLayers() {
		ls := es
		if l > 0 {
			ls = es.In("layer_%d", l)
			xs = dropoutSteps(es, xs, cfg.Dropout)
		}
		in := xs[0].Shape().Dim(-1)
		var backCell Cell
		if cfg.Bidirectional {
			backCell = newCell(ls.In("backward"), g, cfg, in)
		}
		xs, fwd, bwd = layerSteps(newCell(ls, g, cfg, in), backCell, xs, masks)
	}
	init := fwd
	if cfg.Bidirectional {
		init = bridge(es.In("bridge"), fwd, bwd, cfg.Hidden)
	}
	return Encoded{Outputs: Stack(xs, 1), Mask: mask, H: init.H, C: init.C, Forward: fwd, Backward: bwd}
}

// EncodeLayer runs one encoder layer exactly as Encode does, on given cells: fwd (and bwd, when not nil) over
// x [B,S,I] with mask [B,S] bool. Returns the outputs [B,S,H] — [B,S,2H], [forward; backward], with bwd — zero
// at padding, and each direction's final state (backward empty without bwd). Tests and notebooks use it to run
// a layer on chosen weights, e.g. literal &GRU{...} cells.
func EncodeLayer(fwd, bwd Cell, x, mask *Node) (outputs *Node, forward, backward State) {
	S := x.Shape().Dim(1)
	xs, masks := make([]*Node, S), make([]*Node, S)
	for s := range S {
		xs[s] = Squeeze(SliceAxis(x, 1, AxisElem(s)), 1)
		masks[s] = Squeeze(SliceAxis(mask, 1, AxisElem(s)), 1)
	}
	outs, forward, backward := layerSteps(fwd, bwd, xs, masks)
	return Stack(outs, 1), forward, backward
}

// layerSteps is one encoder layer over per-step inputs xs (S of [B,I]) and masks (S of [B] bool): the forward
// cell, and the backward cell when not nil, their outputs concatenated per step.
func layerSteps(fwd, bwd Cell, xs, masks []*Node) (outs []*Node, forward, backward State) {
	outs, forward = runDirection(fwd, xs, masks, false)
	if bwd != nil {
		var back []*Node
		back, backward = runDirection(bwd, xs, masks, true)
		for s := range outs {
			outs[s] = Concatenate([]*Node{outs[s], back[s]}, -1)
		}
	}
	return outs, forward, backward
}

// runDirection runs cell over the inputs xs (S of [B,I]) with masks (S of [B] bool): forward from position 0,
// or backward from position S−1. The state moves only at real tokens. Returns the outputs (S of [B,H], zero
// at padding) and the final state.
func runDirection(cell Cell, xs, masks []*Node, backward bool) (outs []*Node, state State) {
	S := len(xs)
	state = cell.ZeroState(xs[0].Shape().Dim(0))
	outs = make([]*Node, S)
	for k := range S {
		s := k
		if backward {
			s = S - 1 - k
		}
		next := cell.Advance(xs[s], state)
		state = keepState(masks[s], next, state)
		outs[s] = keep(masks[s], next.H, ZerosLike(next.H))
	}
	return outs, state
}

// dropoutSteps applies dropout of the given rate to the per-step inputs xs (S of [B,D]) when the graph is
// training, and returns xs unchanged otherwise. One GoMLX dropout mask [S,B,D] (entries 0 or 1/(1−rate),
// drawn from the store's seeded random state) is sliced per step: slicing the mask, which needs no gradient,
// keeps the unrolled graph as cheap as slicing the ids.
func dropoutSteps(scope *model.Scope, xs []*Node, rate float64) []*Node {
	g := xs[0].Graph()
	if rate <= 0 || !layers.IsDropoutActive(scope, g) {
		return xs
	}
	dims := append([]int{len(xs)}, xs[0].Shape().Dimensions...)
	keepMask := layers.DropoutStatic(scope, Ones(g, shapes.Make(xs[0].DType(), dims...)), rate)
	out := make([]*Node, len(xs))
	for s, x := range xs {
		out[s] = Mul(x, Squeeze(SliceAxis(keepMask, 0, AxisElem(s)), 0))
	}
	return out
}

// bridge maps the final states of the two directions ([B,H] each) to the decoder's initial state [B,H]:
// h₀ = tanh([h→; h←]·W_h + b_h), and likewise c₀ from the memories of an LSTM.
func bridge(scope *model.Scope, fwd, bwd State, hidden int) State {
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	project := func(name string, a, b *Node) *Node {
		g := a.Graph()
		w := init.VariableWithShape(name+"_kernel", shapes.Make(dtypes.Float32, 2*hidden, hidden)).ValueGraph(g)
		bias := scope.VariableWithValue(name+"_bias", make([]float32, hidden)).ValueGraph(g)
		return Tanh(Add(MatMul(Concatenate([]*Node{a, b}, -1), w), InsertAxes(bias, 0)))
	}
	s := State{H: project("h", fwd.H, bwd.H)}
	if fwd.C != nil {
		s.C = project("c", fwd.C, bwd.C)
	}
	return s
}
