package model

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/loss"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Seq2Seq builds the graphs of one Config. Variables live in the scope passed to each method, so the same
// weights serve training, evaluation and decoding.
type Seq2Seq struct{ Config Config }

// New returns the graph builder for cfg.
func New(cfg Config) *Seq2Seq { return &Seq2Seq{Config: cfg} }

func (m *Seq2Seq) embedding(scope *model.Scope, g *Graph) *Node {
	init := scope.WithInitializer(initializer.RandomNormalFn(scope, 0.1))
	return init.VariableWithShape("embedding", shapes.Make(dtypes.Float32, m.Config.VocabSize, m.Config.Embed)).ValueGraph(g)
}

// embed looks up ids [B,...] int32 in table [V,E] → [B,...,E].
//
// For the small vocabularies of character models it multiplies a one-hot matrix by the table: the gradient is
// then a matmul, where Gather's gradient is a scatter that XLA on CPU runs ~1.6× slower per training step
// (measured on the date task). Large vocabularies use Gather.
func embed(table, ids *Node) *Node {
	V := table.Shape().Dim(0)
	if V > 2048 {
		return Gather(table, InsertAxes(ids, -1))
	}
	return MatMul(OneHot(ids, V, table.DType()), table)
}

// decoder holds the decoder's weights for one graph.
type decoder struct {
	table *Node     // [V,E]
	cell  Cell      // input size E+K with attention (E+K+H with input feeding), E without.
	att   Attention // nil without attention.
	out   *Node     // [H(+K),V]
	bias  *Node     // [V]
	feedW *Node     // [H+K,H] W_c of the attentional vector; nil without input feeding.
}

// decState is the decoder's state between steps.
type decState struct {
	State
	Feed *Node // [B,H] the attentional vector h̃ of the previous step (zeros before the first); nil without input feeding.
}

// initialState is the decoder's state before the first step.
func (d *decoder) initialState(enc Encoded) decState {
	s := decState{State: enc.State()}
	if d.feedW != nil {
		s.Feed = ZerosLike(s.H)
	}
	return s
}

func (m *Seq2Seq) newDecoder(scope *model.Scope, enc Encoded) *decoder {
	g := enc.Outputs.Graph()
	cfg := m.Config
	d := &decoder{table: m.embedding(scope.In("target"), g)}
	in, outIn := cfg.Embed, cfg.Hidden
	if cfg.Attention > 0 {
		d.att = newAttention(scope.In("attention"), cfg, enc.Outputs, enc.Mask)
		K := enc.Outputs.Shape().Dim(-1) // H, or 2H from a bidirectional encoder
		in, outIn = cfg.Embed+K, cfg.Hidden+K
		if cfg.InputFeeding {
			d.feedW = scope.In("input_feeding").WithInitializer(initializer.XavierUniformFn(scope)).
				VariableWithShape("kernel", shapes.Make(dtypes.Float32, cfg.Hidden+K, cfg.Hidden)).ValueGraph(g)
			in += cfg.Hidden
		}
	}
	d.cell = newCell(scope.In("decoder"), g, cfg, in)
	oscope := scope.In("output")
	d.out = oscope.WithInitializer(initializer.XavierUniformFn(scope)).
		VariableWithShape("kernel", shapes.Make(dtypes.Float32, outIn, cfg.VocabSize)).ValueGraph(g)
	d.bias = oscope.VariableWithValue("bias", make([]float32, cfg.VocabSize)).ValueGraph(g)
	return d
}

// step feeds the previous token prev [B] int32 and returns logits [B,V], the new state and the attention
// weights [B,S] (nil without attention). Attention is queried with the previous decoder state s.H (Bahdanau's
// wiring, kept for every score function); for step t, with y_{t−1} = prev and s_{t−1} = s:
//
//	context_t, α_t = Attend(s_{t−1}.H)                          context [B,K]
//	s_t = cell([embed(y_{t−1}); context_t], s_{t−1})
//	logits_t = [s_t.H; context_t]·W_out + b_out
//
// With Config.InputFeeding (Luong et al. 2015, §3.3) the cell also reads the previous step's attentional vector:
//
//	s_t = cell([embed(y_{t−1}); context_t; h̃_{t−1}], s_{t−1})        h̃_0 = 0
//	h̃_t = tanh([s_t.H; context_t]·W_c)                            W_c [H+K,H], no bias (Luong's eq. 5)
//
// and the output layer stays as above (Luong's softmax reads h̃_t; keeping ours makes the feed the only
// difference from the same model without it).
func (d *decoder) step(prev *Node, s decState) (logits *Node, next decState, weights *Node) {
	features, next, weights := d.advance(prev, s)
	return d.project(features), next, weights
}

// project is the output layer: features [N,F] ([s_t.H; context_t], or s_t.H without attention) → logits [N,V].
func (d *decoder) project(features *Node) *Node {
	return Add(MatMul(features, d.out), InsertAxes(d.bias, 0))
}

// advance is step without the output layer: it returns the features [B,F] that project turns into logits.
func (d *decoder) advance(prev *Node, s decState) (features *Node, next decState, weights *Node) {
	x := embed(d.table, prev) // [B,E]
	var context *Node
	if d.att != nil {
		context, weights = d.att.Attend(s.H)
		x = Concatenate([]*Node{x, context}, -1)
		if d.feedW != nil {
			x = Concatenate([]*Node{x, s.Feed}, -1)
		}
	}
	next.State = d.cell.Advance(x, s.State)
	features = next.H
	if context != nil {
		features = Concatenate([]*Node{next.H, context}, -1)
		if d.feedW != nil {
			next.Feed = Tanh(MatMul(features, d.feedW))
		}
	}
	return features, next, weights
}

// TrainLogits is the teacher-forced decoder: src [B,S] and tgtIn [B,T] (text.BOSID followed by the target
// shifted right) → logits [B,T,V].
func (m *Seq2Seq) TrainLogits(scope *model.Scope, src, tgtIn *Node) *Node {
	logits, _ := m.teacherForced(scope, src, tgtIn)
	return logits
}

// TeacherForced is TrainLogits that also returns the attention weights [B,T,S] (nil without attention).
func (m *Seq2Seq) TeacherForced(scope *model.Scope, src, tgtIn *Node) (logits, attention *Node) {
	return m.teacherForced(scope, src, tgtIn)
}

func (m *Seq2Seq) teacherForced(scope *model.Scope, src, tgtIn *Node) (*Node, *Node) {
	return m.decodeTeacherForced(scope, m.Encode(scope, src), tgtIn)
}

// decodeTeacherForced is the decoder half of TeacherForced, over an encoded source.
func (m *Seq2Seq) decodeTeacherForced(scope *model.Scope, enc Encoded, tgtIn *Node) (*Node, *Node) {
	return m.decodeMixed(scope, enc, tgtIn, nil)
}

// ScheduledSampling is the decoder of scheduled sampling (Bengio et al. 2015): src [B,S], tgtIn [B,T] as for
// TrainLogits, and teacherForcing a float32 scalar p ∈ [0,1]. At step t > 0 each sequence is fed the gold token
// tgtIn[:,t] with probability p, else the model's own most likely token argmax(logits[:,t−1]); step 0 always
// reads text.BOSID from tgtIn. The coin flips come from the store's RNG (seeded, saved in checkpoints).
// Returns logits [B,T,V]. With p = 1 the logits equal TrainLogits'; with p = 0 they are those of greedy
// decoding (each step fed the previous argmax, also after an end token). No gradient flows through the choice.
func (m *Seq2Seq) ScheduledSampling(scope *model.Scope, src, tgtIn, teacherForcing *Node) *Node {
	logits, _ := m.decodeMixed(scope, m.Encode(scope, src), tgtIn, teacherForcing)
	return logits
}

// decodeMixed runs the decoder over tgtIn [B,T]; with teacherForcing nil every step reads the gold token,
// otherwise (a float32 scalar p) step t > 0 reads it with probability p and the previous argmax otherwise.
func (m *Seq2Seq) decodeMixed(scope *model.Scope, enc Encoded, tgtIn, teacherForcing *Node) (*Node, *Node) {
	d := m.newDecoder(scope, enc)
	state := d.initialState(enc)
	B, T := tgtIn.Shape().Dim(0), tgtIn.Shape().Dim(1)
	features := make([]*Node, T)
	var prevLogits *Node
	var weights []*Node
	for t := range T {
		prev := Squeeze(SliceAxis(tgtIn, 1, AxisElem(t)), 1)
		if teacherForcing != nil && t > 0 {
			own := StopGradient(ArgMax(prevLogits, -1, prev.DType()))
			u := scope.RandomUniform(tgtIn.Graph(), shapes.Make(teacherForcing.DType(), B))
			prev = Where(LessThan(u, teacherForcing), prev, own)
		}
		var w *Node
		features[t], state, w = d.advance(prev, state)
		if teacherForcing != nil {
			prevLogits = d.project(features[t])
		}
		if w != nil {
			weights = append(weights, w)
		}
	}
	var att *Node
	if weights != nil {
		att = Stack(weights, 1)
	}
	// The output layer runs once over all steps, [B·T,F]·[F,V], instead of once per step: the same
	// arithmetic per row, but the backward pass makes one weight gradient instead of T partial ones to sum
	// (measured: 1.97× faster training steps with V = 8,000 and 1.12× with V = 64 on XLA CPU, same losses;
	// bench/cmd/textgenbench -ab).
	F := features[0].Shape().Dim(-1)
	logits := d.project(Reshape(Stack(features, 1), B*T, F))
	return Reshape(logits, B, T, m.Config.VocabSize), att
}

// Greedy decodes src [B,S] for steps positions, feeding back the most likely token:
// returns tokens [B,steps] int32 and attention [B,steps,S] (zeros without attention).
// Positions after a sequence's end token hold text.PadID.
func (m *Seq2Seq) Greedy(scope *model.Scope, src *Node, steps int) (tokens, attention *Node) {
	return m.greedyFrom(scope, m.Encode(scope, src), steps)
}

// greedyFrom is the decoder half of Greedy, over an encoded source.
func (m *Seq2Seq) greedyFrom(scope *model.Scope, enc Encoded, steps int) (tokens, attention *Node) {
	g := enc.Outputs.Graph()
	B, S := enc.Mask.Shape().Dim(0), enc.Mask.Shape().Dim(1)
	d := m.newDecoder(scope, enc)
	state := d.initialState(enc)
	prev := BroadcastToDims(Const(g, int32(text.BOSID)), B)
	done := BroadcastToDims(Const(g, false), B)
	pad := BroadcastToDims(Const(g, int32(text.PadID)), B)
	eos := Const(g, int32(text.EOSID))
	toks := make([]*Node, steps)
	atts := make([]*Node, steps)
	for t := range steps {
		var logits, w *Node
		logits, state, w = d.step(prev, state)
		next := ArgMax(logits, -1, dtypes.Int32)
		toks[t] = Where(done, pad, next)
		if w == nil {
			w = Zeros(g, shapes.Make(dtypes.Float32, B, S))
		}
		atts[t] = Where(BroadcastToShape(InsertAxes(done, -1), w.Shape()), ZerosLike(w), w)
		done = LogicalOr(done, Equal(next, eos))
		prev = next
	}
	return Stack(toks, 1), Stack(atts, 1)
}

// SmoothedLoss returns the label-smoothed masked cross-entropy for ε = epsilon, the loss of PyTorch's
// F.cross_entropy(logits, labels, label_smoothing=ε, ignore_index=PadID): over the real target tokens,
//
//	loss = mean_tokens[ (1−ε)·(−log p_y) + ε·(1/V)·Σ_v (−log p_v) ]
//
// with labels[0] tgtOut [B,T] int32 and predictions[0] logits [B,T,V]. ε = 0 returns MaskedLoss itself.
func SmoothedLoss(epsilon float64) func(labels, predictions []*Node) *Node {
	if epsilon == 0 {
		return MaskedLoss
	}
	return func(labels, predictions []*Node) *Node {
		tgt, logits := labels[0], predictions[0]
		g := tgt.Graph()
		logp := LogSoftmax(logits)                                                                // [B,T,V]
		nll := Neg(ReduceSum(Mul(logp, OneHot(tgt, logits.Shape().Dim(-1), logits.DType())), -1)) // [B,T]
		uniform := Neg(ReduceMean(logp, -1))                                                      // [B,T]
		perToken := Add(MulScalar(nll, 1-epsilon), MulScalar(uniform, epsilon))                   // [B,T]
		mask := ConvertDType(NotEqual(tgt, Const(g, int32(text.PadID))), logits.DType())          // [B,T]
		return Div(ReduceAllSum(Mul(perToken, mask)), Max(ReduceAllSum(mask), OnesLike(ReduceAllSum(mask))))
	}
}

// MaskedLoss is the mean cross-entropy over real target tokens: labels[0] is tgtOut [B,T] int32 (the target
// followed by text.EOSID, then text.PadID), predictions[0] the logits [B,T,V]. Padded positions contribute
// nothing, whatever their logits.
func MaskedLoss(labels, predictions []*Node) *Node {
	tgt := labels[0]
	mask := NotEqual(tgt, Const(tgt.Graph(), int32(text.PadID)))
	return loss.SparseCategoricalCrossEntropyLogits([]*Node{InsertAxes(tgt, -1), mask}, predictions[:1])
}
