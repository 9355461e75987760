package embed

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads better unqualified
)

// maxExp is gensim's MAX_EXP: a pair whose score is outside (-6, 6) is saturated and gensim skips
// its update (and its loss term).
const maxExp = 6

// w2vStepGraph is one SGD step of word2vec with negative sampling, for a batch of B examples, each
// with C input slots and 1+K targets. Inputs, in order:
//
//	wIn     [V, D] float32  input vectors (gensim's wv.vectors, syn0)
//	wOut    [V, D] float32  output vectors (gensim's syn1neg)
//	inputs  [B, C] int32    input words; inMask [B, C] float32 marks the real ones
//	targets [B, 1+K] int32  centre word, then K noise words; tMask [B, 1+K] float32 marks those trained
//	alpha   []   float32    learning rate
//	(mean   []   float32    1 to average the inputs (skip-gram, CBOW with cbow_mean), 0 to sum them)
//
// Per example, as gensim's w2v_fast_sentence_{sg,cbow}_neg: h = mean (or sum) of the input vectors,
// for each target t with label y (1 for the centre, 0 for noise) and score s = h·wOut[t]:
// g = (y − σ(s))·alpha, skipped if |s| ≥ 6; wOut[t] += g·h; work += g·wOut[t] (old value); then
// every input word gets wIn[w] += work (summing: work/count). All examples of the batch read the
// same old tables and their updates are summed (Gather, then ScatterSum into the tables).
//
// Outputs: the new wIn [V, D], the new wOut [V, D] and the summed loss [] float32,
// Σ −log σ(±s) over the trained, unsaturated targets (gensim's compute_loss).
func w2vStepGraph(inputs []*Node) []*Node {
	wIn, wOut, in, inMask, targets, tMask, alpha, mean := inputs[0], inputs[1], inputs[2], inputs[3],
		inputs[4], inputs[5], inputs[6], inputs[7]
	g := wIn.Graph()
	b, c, k1 := in.Shape().Dim(0), in.Shape().Dim(1), targets.Shape().Dim(1)
	d := wIn.Shape().Dim(1)

	// h: [B, D], the (masked) mean or sum of the input vectors. With one input slot (skip-gram),
	// no mask is needed: a padding row has no trained target, so its gradients are all 0.
	inVecs := Gather(wIn, ExpandAxes(in, -1)) // [B, C, D]
	one := Scalar(g, dtypes.Float32, 1)
	var h, inv *Node
	if c == 1 {
		h = Reshape(inVecs, b, d)
	} else {
		inVecs = Mul(inVecs, ExpandAxes(inMask, -1))    // zero the padding slots
		inv = Div(one, Max(ReduceSum(inMask, -1), one)) // [B] 1/count
		scale := Add(Mul(mean, inv), OneMinus(mean))    // mean ? 1/count : 1
		h = Mul(ReduceSum(inVecs, 1), ExpandAxes(scale, -1))
	}

	outVecs := Gather(wOut, ExpandAxes(targets, -1)) // [B, 1+K, D]
	score := Einsum("bd,bkd->bk", h, outVecs)        // [B, 1+K]
	label := Concatenate([]*Node{Ones(g, shapeF32(b, 1)), Zeros(g, shapeF32(b, k1-1))}, 1)
	live := Mul(tMask, ConvertDType(LessThan(Abs(score), Scalar(g, dtypes.Float32, maxExp)), dtypes.Float32))
	grad := Mul(Mul(Sub(label, Sigmoid(score)), alpha), live) // [B, 1+K]

	// Loss: −log σ(s) for the centre word, −log σ(−s) for noise words = softplus(∓s).
	signed := Mul(score, Sub(Scalar(g, dtypes.Float32, 1), Mul(label, Scalar(g, dtypes.Float32, 2)))) // −s or s
	loss := ReduceAllSum(Mul(softplus(signed), live))

	work := Einsum("bk,bkd->bd", grad, outVecs)           // [B, D]
	outUpd := Mul(ExpandAxes(grad, -1), ExpandAxes(h, 1)) // [B, 1+K, D]
	inUpd := work                                         // [B·C, D]
	if c > 1 {
		work = Mul(work, ExpandAxes(Add(mean, Mul(OneMinus(mean), inv)), -1)) // mean ? 1 : 1/count
		inUpd = Reshape(Mul(BroadcastToDims(ExpandAxes(work, 1), b, c, d), ExpandAxes(inMask, -1)), b*c, d)
	}

	newOut := ScatterSum(wOut, Reshape(targets, b*k1, 1), Reshape(outUpd, b*k1, d), false, false)
	newIn := ScatterSum(wIn, Reshape(in, b*c, 1), inUpd, false, false)
	return []*Node{newIn, newOut, loss}
}

// softplus is log(1+eˣ), computed stably as max(x,0) + log1p(e^−|x|).
func softplus(x *Node) *Node {
	return Add(Max(x, ZerosLike(x)), Log1p(Exp(Neg(Abs(x)))))
}

// shapeF32 is a float32 shape.
func shapeF32(dims ...int) shapes.Shape { return shapes.Make(dtypes.Float32, dims...) }
