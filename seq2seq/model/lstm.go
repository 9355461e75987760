package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// LSTM holds the weights of one LSTM cell as graph nodes. The math works in any float dtype: a literal
// &LSTM{...} over float64 nodes is how the gradient checks run it.
//
// Gates, for input x [B,I] and previous state h, c [B,H]:
//
//	z = x·Wx + h·Wh + b            [B,4H], split into i, f, g, o
//	i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
//	c' = f⊙c + i⊙g                 [B,H]
//	h' = o⊙tanh(c')                [B,H]
//
// PyTorch's torch.nn.LSTMCell computes the same with Wx = weight_ihᵀ, Wh = weight_hhᵀ, b = bias_ih + bias_hh
// (same gate order); testdata/torch_ref.py checks it.
type LSTM struct {
	Wx     *Node // [I,4H] input kernel, gate order i, f, g, o.
	Wh     *Node // [H,4H] recurrent kernel.
	B      *Node // [4H] bias; the forget slice starts at forgetBias.
	Hidden int   // H.
}

// NewLSTM creates (or reuses) the cell's variables in scope.
func NewLSTM(scope *model.Scope, g *Graph, inputSize, hidden int, forgetBias float64) *LSTM {
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	wx := init.VariableWithShape("wx", shapes.Make(dtypes.Float32, inputSize, 4*hidden))
	wh := init.VariableWithShape("wh", shapes.Make(dtypes.Float32, hidden, 4*hidden))
	bias := make([]float32, 4*hidden)
	for i := hidden; i < 2*hidden; i++ {
		bias[i] = float32(forgetBias)
	}
	b := scope.VariableWithValue("bias", bias)
	return &LSTM{Wx: wx.ValueGraph(g), Wh: wh.ValueGraph(g), B: b.ValueGraph(g), Hidden: hidden}
}

// Gates are the activations of one step, kept for teaching and plotting. Each is [B,H].
type Gates struct{ Input, Forget, Cell, Output *Node }

// Step advances the cell by one time step: x [B,I], h and c [B,H] → new h and c [B,H] and the gates.
func (l *LSTM) Step(x, h, c *Node) (newH, newC *Node, gates Gates) {
	return l.StepProjected(l.Project(x), h, c)
}

// Project computes the input's share of the gates, x·Wx + b, for x [...,I] → [...,4H]. Projecting a whole
// sequence [B,S,I] at once (one large matmul instead of S small ones) is the usual speed-up for encoders.
func (l *LSTM) Project(x *Node) *Node {
	dims := x.Shape().Dimensions
	flat := Reshape(x, -1, dims[len(dims)-1])
	xz := Add(MatMul(flat, l.Wx), InsertAxes(l.B, 0))
	out := append(append([]int{}, dims[:len(dims)-1]...), 4*l.Hidden)
	return Reshape(xz, out...)
}

// StepProjected is Step for an input already projected by Project: xz [B,4H].
func (l *LSTM) StepProjected(xz, h, c *Node) (newH, newC *Node, gates Gates) {
	z := Add(xz, MatMul(h, l.Wh))
	H := l.Hidden
	part := func(k int) *Node { return SliceAxis(z, -1, AxisRange(k*H, (k+1)*H)) }
	gates = Gates{Input: Sigmoid(part(0)), Forget: Sigmoid(part(1)), Cell: Tanh(part(2)), Output: Sigmoid(part(3))}
	newC = Add(Mul(gates.Forget, c), Mul(gates.Input, gates.Cell))
	newH = Mul(gates.Output, Tanh(newC))
	return newH, newC, gates
}

// Advance implements Cell: one Step with the state packed as State{H: h, C: c}.
func (l *LSTM) Advance(x *Node, s State) State {
	h, c, _ := l.Step(x, s.H, s.C)
	return State{H: h, C: c}
}

// ZeroState implements Cell: h and c are zeros [batch,H].
func (l *LSTM) ZeroState(batch int) State { return zeroState(l.Wh, batch, l.Hidden, true) }

// keep returns new where mask [B] is true and old elsewhere; new and old are [B,H].
// It is how padded steps leave the state untouched.
func keep(mask, newV, oldV *Node) *Node {
	return Where(BroadcastToShape(InsertAxes(mask, -1), newV.Shape()), newV, oldV)
}
