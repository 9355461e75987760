package model

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Luong holds one of the three score functions of Luong, Pham and Manning (2015), "Effective approaches to
// attention-based neural machine translation", for a query q [B,H] and encoder outputs enc_s [B,K]
// (K = H, or 2H with a bidirectional encoder):
//
//	dot:      score(s, q) = qᵀ enc_s                          K = H
//	          score(s, q) = [q; q]ᵀ enc_s = qᵀ(enc→_s + enc←_s)   K = 2H: the query tiled, still no weights
//	general:  score(s, q) = qᵀ W_a enc_s                      W_a [H,K]
//	concat:   score(s, q) = vᵀ tanh(W_c·[q; enc_s] + b)       W_c [H+K,A], b [A], v [A]
//	α = masked softmax over s (padding gets exactly 0)
//	context = Σ_s α_s · enc_s
//
// Only the scores are Luong's: the decoder queries with its previous state and feeds the context to the cell
// and the output layer, as it does for additive attention, so the variants can be compared one for one.
// Concat is additive attention with a bias: W_c·[q; k] = W_q·q + W_k·k for W_c's two row blocks.
// The part of each score that depends only on the source is precomputed once, in Keys:
//
//	dot:      Keys_s = enc_s                  [B,S,K]
//	general:  Keys_s = W_a·enc_s              [B,S,H]   so score = qᵀ Keys_s
//	concat:   Keys_s = W_k·enc_s + b          [B,S,A]   so score = vᵀ tanh(W_q·q + Keys_s)
type Luong struct {
	Score  string // AttentionDot, AttentionGeneral or AttentionConcat.
	Keys   *Node  // [B,S,K] for dot, [B,S,H] for general, [B,S,A] for concat.
	Values *Node  // [B,S,K] encoder outputs.
	Mask   *Node  // [B,S] bool, true at real source tokens.
	Wq     *Node  // concat only: [H,A], the query rows of W_c.
	V      *Node  // concat only: [A] score vector.
}

// NewLuong creates the variables of the given score in scope and precomputes the keys: none for dot,
// "w" [H,K] for general, "w" [H+K,size], "bias" [size] and "v" [size] for concat, where H = querySize.
// enc is [B,S,K], mask [B,S].
func NewLuong(scope *model.Scope, score string, enc, mask *Node, querySize, size int) *Luong {
	g := enc.Graph()
	H, K := querySize, enc.Shape().Dim(-1)
	init := scope.WithInitializer(initializer.XavierUniformFn(scope))
	var w, b, v *Node
	switch score {
	case AttentionDot:
	case AttentionGeneral:
		w = init.VariableWithShape("w", shapes.Make(dtypes.Float32, H, K)).ValueGraph(g)
	case AttentionConcat:
		w = init.VariableWithShape("w", shapes.Make(dtypes.Float32, H+K, size)).ValueGraph(g)
		b = scope.VariableWithValue("bias", make([]float32, size)).ValueGraph(g)
		v = init.VariableWithShape("v", shapes.Make(dtypes.Float32, size)).ValueGraph(g)
	}
	return LuongFromWeights(score, enc, mask, w, b, v)
}

// LuongFromWeights builds Luong attention over enc [B,S,K] and mask [B,S] bool from given weights of enc's
// dtype (any float dtype): for dot none (pass nil); for general w = W_a [H,K]; for concat w = W_c [H+K,A]
// (query rows first, then key rows), b [A] (nil for none) and v [A]. It panics on an unknown score
// (graph-building code).
func LuongFromWeights(score string, enc, mask, w, b, v *Node) *Luong {
	l := &Luong{Score: score, Values: enc, Mask: mask}
	switch score {
	case AttentionDot:
		l.Keys = enc
	case AttentionGeneral:
		l.Keys = Einsum("bsk,qk->bsq", enc, w) // Keys_s = W_a·enc_s
	case AttentionConcat:
		Hq := w.Shape().Dim(0) - enc.Shape().Dim(-1)
		l.Wq = SliceAxis(w, 0, AxisRange(0, Hq))
		wk := SliceAxis(w, 0, AxisRangeToEnd(Hq))
		l.Keys = Einsum("bsk,ka->bsa", enc, wk)
		if b != nil {
			l.Keys = Add(l.Keys, ExpandLeftToRank(b, 3))
		}
		l.V = v
	default:
		panic(fmt.Sprintf("model: unknown Luong score %q, want %q, %q or %q", score, AttentionDot,
			AttentionGeneral, AttentionConcat))
	}
	return l
}

// Attend scores query q [B,H] against every source position: returns context [B,K] and weights [B,S].
// For dot with keys of size K = n·H the query is tiled n times. It panics when K is not a multiple of H.
func (l *Luong) Attend(q *Node) (context, weights *Node) {
	var scores *Node // [B,S]
	if l.Score == AttentionConcat {
		energy := Tanh(Add(l.Keys, InsertAxes(MatMul(q, l.Wq), 1))) // [B,S,A]
		scores = Einsum("bsa,a->bs", energy, l.V)
	} else {
		if H, K := q.Shape().Dim(-1), l.Keys.Shape().Dim(-1); K != H {
			if K%H != 0 {
				panic(fmt.Sprintf("model: dot attention with keys of size %d and a query of size %d", K, H))
			}
			q = Concatenate(slices.Repeat([]*Node{q}, K/H), -1) // [B,K]
		}
		scores = Einsum("bsh,bh->bs", l.Keys, q)
	}
	return attend(scores, l.Mask, l.Values)
}
