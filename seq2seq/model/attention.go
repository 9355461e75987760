package model

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Attention score functions, the values of Config.AttentionType. They differ only in how a query q [B,H] (the
// decoder state) is scored against the encoder outputs enc_s [B,K] of each source position s; the masked
// softmax, the context and the decoder's wiring are shared. K = H, or 2H with a bidirectional encoder.
const (
	AttentionAdditive = "additive" // Bahdanau: vᵀ tanh(W_k·enc_s + W_q·q) (the default).
	AttentionDot      = "dot"      // Luong dot: qᵀ enc_s; no weights.
	AttentionGeneral  = "general"  // Luong general: qᵀ W_a enc_s.
	AttentionConcat   = "concat"   // Luong concat: vᵀ tanh(W_c·[q; enc_s] + b).
)

// Attention scores a decoder query against a source's encoder outputs. *Additive and *Luong implement it.
type Attention interface {
	// Attend scores query q [B,H] against every source position: returns context [B,K] (the weighted sum of
	// the encoder outputs) and weights [B,S], which sum to 1 over real positions and are exactly 0 on padding.
	Attend(q *Node) (context, weights *Node)
}

// newAttention creates the attention named by cfg.AttentionType in scope over enc [B,S,K] and mask [B,S] bool,
// for queries of size cfg.Hidden.
func newAttention(scope *model.Scope, cfg Config, enc, mask *Node) Attention {
	switch kind := cfg.attentionType(); kind {
	case AttentionAdditive:
		return NewAdditive(scope, enc, mask, cfg.Hidden, cfg.Attention)
	case AttentionDot, AttentionGeneral, AttentionConcat:
		return NewLuong(scope, kind, enc, mask, cfg.Hidden, cfg.Attention)
	}
	panic(fmt.Sprintf("model: unknown attention type %q (Config.Validate rejects it)", cfg.AttentionType))
}

// Additive is Bahdanau's additive attention:
//
//	score(s, q) = vᵀ tanh(W_k·enc_s + W_q·q)      for every source position s
//	α = masked softmax over s (padding gets exactly 0)
//	context = Σ_s α_s · enc_s
type Additive struct {
	Keys   *Node // [B,S,A] W_k·enc, computed once per source.
	Values *Node // [B,S,K] encoder outputs.
	Mask   *Node // [B,S] bool, true at real source tokens.
	Wq     *Node // [H,A] query kernel.
	V      *Node // [A] score vector.
}

// NewAdditive creates the attention's variables in scope — "wk" [K,size], "wq" [querySize,size], "v" [size] —
// and precomputes the keys. enc is [B,S,K], mask is [B,S] bool.
func NewAdditive(scope *model.Scope, enc, mask *Node, querySize, size int) *Additive {
	g := enc.Graph()
	K := enc.Shape().Dim(-1)
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	wk := init.VariableWithShape("wk", shapes.Make(dtypes.Float32, K, size)).ValueGraph(g)
	wq := init.VariableWithShape("wq", shapes.Make(dtypes.Float32, querySize, size)).ValueGraph(g)
	v := init.VariableWithShape("v", shapes.Make(dtypes.Float32, size)).ValueGraph(g)
	return AdditiveFromWeights(enc, mask, wk, wq, v)
}

// AdditiveFromWeights builds additive attention over enc [B,S,K] and mask [B,S] bool from given weights:
// wk [K,A], wq [Hq,A] and v [A], of enc's dtype (any float dtype). Tests and notebooks use it to run the
// attention on chosen values.
func AdditiveFromWeights(enc, mask, wk, wq, v *Node) *Additive {
	return &Additive{Keys: Einsum("bsh,ha->bsa", enc, wk), Values: enc, Mask: mask, Wq: wq, V: v}
}

// Attend scores query q [B,H] against every source position: returns context [B,K] and weights [B,S].
func (a *Additive) Attend(q *Node) (context, weights *Node) {
	query := InsertAxes(MatMul(q, a.Wq), 1)    // [B,1,A]
	energy := Tanh(Add(a.Keys, query))         // [B,S,A]
	scores := Einsum("bsa,a->bs", energy, a.V) // [B,S]
	return attend(scores, a.Mask, a.Values)
}

// attend turns scores [B,S] into weights [B,S] — a softmax over the real positions of mask [B,S], exactly 0
// at padding — and returns them with the context Σ_s α_s·values_s [B,K] for values [B,S,K].
func attend(scores, mask, values *Node) (context, weights *Node) {
	weights = MaskedSoftmax(scores, mask, -1)          // [B,S]
	weights = Where(mask, weights, ZerosLike(weights)) // exact zeros at padding
	context = Einsum("bs,bsh->bh", weights, values)    // [B,H]
	return context, weights
}
