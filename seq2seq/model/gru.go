package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// GRU holds the weights of one gated recurrent unit (Cho et al., 2014) as graph nodes, in the convention of
// PyTorch's torch.nn.GRUCell. For input x [B,I] and previous state h [B,H]:
//
//	xz = x·Wx + bx                  [B,3H], split into xr, xu, xn (reset, update, candidate)
//	hz = h·Wh + bh                  [B,3H], split into hr, hu, hn
//	r  = σ(xr + hr)                 reset gate
//	z  = σ(xu + hu)                 update gate
//	n  = tanh(xn + r⊙hn)            candidate: r scales W_hn·h + b_hn, bias included
//	h' = (1−z)⊙n + z⊙h              [B,H]
//
// With PyTorch's names: Wx = weight_ihᵀ, Wh = weight_hhᵀ, bx = bias_ih, bh = bias_hh. The two biases cannot be
// merged (as the LSTM's can) because r multiplies bh's candidate slice. z close to 1 copies the old state
// through, which is how a GRU remembers; it has no separate memory cell. The math works in any float dtype.
type GRU struct {
	Wx     *Node // [I,3H] input kernel, gate order r, z, n.
	Wh     *Node // [H,3H] recurrent kernel, same order.
	Bx     *Node // [3H] input bias.
	Bh     *Node // [3H] recurrent bias.
	Hidden int   // H.
}

// NewGRU creates (or reuses) the cell's variables in scope: Xavier-uniform kernels "wx", "wh" and zero biases
// "bias_x", "bias_h".
func NewGRU(scope *model.Scope, g *Graph, inputSize, hidden int) *GRU {
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	wx := init.VariableWithShape("wx", shapes.Make(dtypes.Float32, inputSize, 3*hidden))
	wh := init.VariableWithShape("wh", shapes.Make(dtypes.Float32, hidden, 3*hidden))
	bx := scope.VariableWithValue("bias_x", make([]float32, 3*hidden))
	bh := scope.VariableWithValue("bias_h", make([]float32, 3*hidden))
	return &GRU{Wx: wx.ValueGraph(g), Wh: wh.ValueGraph(g), Bx: bx.ValueGraph(g), Bh: bh.ValueGraph(g), Hidden: hidden}
}

// GRUGates are the activations of one GRU step, kept for teaching and plotting. Each is [B,H].
type GRUGates struct{ Reset, Update, Candidate *Node }

// Step advances the cell by one time step: x [B,I] and h [B,H] → new h [B,H] and the gates.
func (c *GRU) Step(x, h *Node) (newH *Node, gates GRUGates) {
	return c.StepProjected(c.Project(x), h)
}

// Project computes the input's share of the gates, x·Wx + bx, for x [...,I] → [...,3H].
func (c *GRU) Project(x *Node) *Node {
	dims := x.Shape().Dimensions
	flat := Reshape(x, -1, dims[len(dims)-1])
	xz := Add(MatMul(flat, c.Wx), InsertAxes(c.Bx, 0))
	out := append(append([]int{}, dims[:len(dims)-1]...), 3*c.Hidden)
	return Reshape(xz, out...)
}

// StepProjected is Step for an input already projected by Project: xz [B,3H].
func (c *GRU) StepProjected(xz, h *Node) (newH *Node, gates GRUGates) {
	hz := Add(MatMul(h, c.Wh), InsertAxes(c.Bh, 0))
	H := c.Hidden
	part := func(z *Node, k int) *Node { return SliceAxis(z, -1, AxisRange(k*H, (k+1)*H)) }
	gates.Reset = Sigmoid(Add(part(xz, 0), part(hz, 0)))
	gates.Update = Sigmoid(Add(part(xz, 1), part(hz, 1)))
	gates.Candidate = Tanh(Add(part(xz, 2), Mul(gates.Reset, part(hz, 2))))
	newH = Add(Mul(OneMinus(gates.Update), gates.Candidate), Mul(gates.Update, h)) // (1−z)⊙n + z⊙h
	return newH, gates
}

// Advance implements Cell; the state's C stays nil.
func (c *GRU) Advance(x *Node, s State) State {
	h, _ := c.Step(x, s.H)
	return State{H: h}
}

// ZeroState implements Cell: h is zeros [batch,H], C is nil.
func (c *GRU) ZeroState(batch int) State { return zeroState(c.Wh, batch, c.Hidden, false) }
