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

// Encoded is the encoder's result for a batch.
type Encoded struct {
	Outputs *Node // [B,S,H], zero at padded positions.
	Mask    *Node // [B,S] bool, true at real tokens.
	H, C    *Node // [B,H] final state, taken at each sequence's last real token.
}

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

// Encode runs the LSTM encoder over src [B,S] int32 (text.PadID-padded).
func (m *Seq2Seq) Encode(scope *model.Scope, src *Node) Encoded {
	g := src.Graph()
	cfg := m.Config
	B, S := src.Shape().Dim(0), src.Shape().Dim(1)
	table := m.embedding(scope.In("source"), g)
	mask := NotEqual(src, Const(g, int32(text.PadID)))
	cell := NewLSTM(scope.In("encoder"), g, cfg.Embed, cfg.Hidden, cfg.ForgetBias)
	h := Zeros(g, shapes.Make(dtypes.Float32, B, cfg.Hidden))
	c := h
	outs := make([]*Node, S)
	for s := range S {
		// Slice the integer ids, not the embedded sequence: the gradient of a slice is a padded copy of
		// the whole tensor, and S of those made training steps several times slower.
		ids := Squeeze(SliceAxis(src, 1, AxisElem(s)), 1) // [B]
		ms := Squeeze(SliceAxis(mask, 1, AxisElem(s)), 1) // [B]
		nh, nc, _ := cell.Step(embed(table, ids), h, c)
		h, c = keep(ms, nh, h), keep(ms, nc, c)
		outs[s] = keep(ms, nh, ZerosLike(nh))
	}
	return Encoded{Outputs: Stack(outs, 1), Mask: mask, H: h, C: c}
}

// decoder holds the decoder's weights for one graph.
type decoder struct {
	table *Node     // [V,E]
	cell  *LSTM     // input size E+H with attention, E without.
	att   *Additive // nil without attention.
	out   *Node     // [H(+H),V]
	bias  *Node     // [V]
}

func (m *Seq2Seq) newDecoder(scope *model.Scope, enc Encoded) *decoder {
	g := enc.Outputs.Graph()
	cfg := m.Config
	d := &decoder{table: m.embedding(scope.In("target"), g)}
	in, outIn := cfg.Embed, cfg.Hidden
	if cfg.Attention > 0 {
		d.att = NewAdditive(scope.In("attention"), enc.Outputs, enc.Mask, cfg.Attention)
		in, outIn = cfg.Embed+cfg.Hidden, 2*cfg.Hidden
	}
	d.cell = NewLSTM(scope.In("decoder"), g, in, cfg.Hidden, cfg.ForgetBias)
	oscope := scope.In("output")
	d.out = oscope.WithInitializer(initializer.XavierUniformFn(scope)).
		VariableWithShape("kernel", shapes.Make(dtypes.Float32, outIn, cfg.VocabSize)).ValueGraph(g)
	d.bias = oscope.VariableWithValue("bias", make([]float32, cfg.VocabSize)).ValueGraph(g)
	return d
}

// step feeds the previous token prev [B] int32 and returns logits [B,V], the new state and the attention
// weights [B,S] (nil without attention). Attention is queried with the previous decoder state (Bahdanau).
func (d *decoder) step(prev, h, c *Node) (logits, newH, newC, weights *Node) {
	x := embed(d.table, prev) // [B,E]
	var context *Node
	if d.att != nil {
		context, weights = d.att.Attend(h)
		x = Concatenate([]*Node{x, context}, -1)
	}
	newH, newC, _ = d.cell.Step(x, h, c)
	features := newH
	if context != nil {
		features = Concatenate([]*Node{newH, context}, -1)
	}
	logits = Add(MatMul(features, d.out), InsertAxes(d.bias, 0))
	return logits, newH, newC, weights
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
	enc := m.Encode(scope, src)
	d := m.newDecoder(scope, enc)
	h, c := enc.H, enc.C
	T := tgtIn.Shape().Dim(1)
	logits := make([]*Node, T)
	var weights []*Node
	for t := range T {
		prev := Squeeze(SliceAxis(tgtIn, 1, AxisElem(t)), 1)
		var w *Node
		logits[t], h, c, w = d.step(prev, h, c)
		if w != nil {
			weights = append(weights, w)
		}
	}
	var att *Node
	if weights != nil {
		att = Stack(weights, 1)
	}
	return Stack(logits, 1), att
}

// Greedy decodes src [B,S] for steps positions, feeding back the most likely token:
// returns tokens [B,steps] int32 and attention [B,steps,S] (zeros without attention).
// Positions after a sequence's end token hold text.PadID.
func (m *Seq2Seq) Greedy(scope *model.Scope, src *Node, steps int) (tokens, attention *Node) {
	g := src.Graph()
	B, S := src.Shape().Dim(0), src.Shape().Dim(1)
	enc := m.Encode(scope, src)
	d := m.newDecoder(scope, enc)
	h, c := enc.H, enc.C
	prev := BroadcastToDims(Const(g, int32(text.BOSID)), B)
	done := BroadcastToDims(Const(g, false), B)
	pad := BroadcastToDims(Const(g, int32(text.PadID)), B)
	eos := Const(g, int32(text.EOSID))
	toks := make([]*Node, steps)
	atts := make([]*Node, steps)
	for t := range steps {
		logits, nh, nc, w := d.step(prev, h, c)
		h, c = nh, nc
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

// MaskedLoss is the mean cross-entropy over real target tokens: labels[0] is tgtOut [B,T] int32 (the target
// followed by text.EOSID, then text.PadID), predictions[0] the logits [B,T,V]. Padded positions contribute
// nothing, whatever their logits.
func MaskedLoss(labels, predictions []*Node) *Node {
	tgt := labels[0]
	mask := NotEqual(tgt, Const(tgt.Graph(), int32(text.PadID)))
	return loss.SparseCategoricalCrossEntropyLogits([]*Node{InsertAxes(tgt, -1), mask}, predictions[:1])
}
