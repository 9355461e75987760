package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Additive is Bahdanau's additive attention:
//
//	score(s, q) = vᵀ tanh(W_k·enc_s + W_q·q)      for every source position s
//	α = masked softmax over s (padding gets exactly 0)
//	context = Σ_s α_s · enc_s
type Additive struct {
	Keys   *Node // [B,S,A] W_k·enc, computed once per source.
	Values *Node // [B,S,H] encoder outputs.
	Mask   *Node // [B,S] bool, true at real source tokens.
	Wq     *Node // [H,A] query kernel.
	V      *Node // [A] score vector.
}

// NewAdditive creates the attention's variables in scope and precomputes the keys.
// enc is [B,S,H], mask is [B,S] bool.
func NewAdditive(scope *model.Scope, enc, mask *Node, size int) *Additive {
	g := enc.Graph()
	H := enc.Shape().Dim(-1)
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	wk := init.VariableWithShape("wk", shapes.Make(dtypes.Float32, H, size)).ValueGraph(g)
	wq := init.VariableWithShape("wq", shapes.Make(dtypes.Float32, H, size)).ValueGraph(g)
	v := init.VariableWithShape("v", shapes.Make(dtypes.Float32, size)).ValueGraph(g)
	return &Additive{Keys: Einsum("bsh,ha->bsa", enc, wk), Values: enc, Mask: mask, Wq: wq, V: v}
}

// Attend scores query q [B,H] against every source position: returns context [B,H] and weights [B,S].
func (a *Additive) Attend(q *Node) (context, weights *Node) {
	query := InsertAxes(MatMul(q, a.Wq), 1)              // [B,1,A]
	energy := Tanh(Add(a.Keys, query))                   // [B,S,A]
	scores := Einsum("bsa,a->bs", energy, a.V)           // [B,S]
	weights = MaskedSoftmax(scores, a.Mask, -1)          // [B,S]
	weights = Where(a.Mask, weights, ZerosLike(weights)) // exact zeros at padding
	context = Einsum("bs,bsh->bh", weights, a.Values)    // [B,H]
	return context, weights
}
