package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// RNN holds the weights of a plain (Elman) recurrent cell as graph nodes. For input x [B,I] and previous
// state h [B,H]:
//
//	h' = tanh(x·Wx + h·Wh + b)      [B,H]
//
// It has no gates: every step squashes the whole state through Wh and tanh, so gradients through many steps
// shrink (or blow up) geometrically — the "vanishing gradient" that the LSTM's additive memory and the GRU's
// update gate avoid. It is here for that comparison. PyTorch's torch.nn.RNNCell (nonlinearity "tanh")
// computes the same with Wx = weight_ihᵀ, Wh = weight_hhᵀ, b = bias_ih + bias_hh; testdata/torch_ref.py
// checks it. The math works in any float dtype.
type RNN struct {
	Wx     *Node // [I,H] input kernel.
	Wh     *Node // [H,H] recurrent kernel.
	B      *Node // [H] bias.
	Hidden int   // H.
}

// NewRNN creates (or reuses) the cell's variables in scope: Xavier-uniform kernels "wx", "wh" and a zero
// "bias".
func NewRNN(scope *model.Scope, g *Graph, inputSize, hidden int) *RNN {
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	wx := init.VariableWithShape("wx", shapes.Make(dtypes.Float32, inputSize, hidden))
	wh := init.VariableWithShape("wh", shapes.Make(dtypes.Float32, hidden, hidden))
	b := scope.VariableWithValue("bias", make([]float32, hidden))
	return &RNN{Wx: wx.ValueGraph(g), Wh: wh.ValueGraph(g), B: b.ValueGraph(g), Hidden: hidden}
}

// Step advances the cell by one time step: x [B,I] and h [B,H] → new h [B,H].
func (c *RNN) Step(x, h *Node) *Node {
	return Tanh(Add(Add(MatMul(x, c.Wx), MatMul(h, c.Wh)), InsertAxes(c.B, 0)))
}

// Advance implements Cell; the state's C stays nil.
func (c *RNN) Advance(x *Node, s State) State { return State{H: c.Step(x, s.H)} }

// ZeroState implements Cell: h is zeros [batch,H], C is nil.
func (c *RNN) ZeroState(batch int) State { return zeroState(c.Wh, batch, c.Hidden, false) }
