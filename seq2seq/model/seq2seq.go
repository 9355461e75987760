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
	H, C    *Node // [B,H] final state, taken at each sequence's last real token; C is nil for a GRU.
}

// State is the encoder's final state, the decoder's initial state.
func (e Encoded) State() State { return State{H: e.H, C: e.C} }

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

// Encode runs the encoder (the cell of Config.Cell) over src [B,S] int32 (text.PadID-padded).
func (m *Seq2Seq) Encode(scope *model.Scope, src *Node) Encoded {
	g := src.Graph()
	cfg := m.Config
	B, S := src.Shape().Dim(0), src.Shape().Dim(1)
	table := m.embedding(scope.In("source"), g)
	mask := NotEqual(src, Const(g, int32(text.PadID)))
	cell := newCell(scope.In("encoder"), g, cfg, cfg.Embed)
	state := cell.ZeroState(B)
	outs := make([]*Node, S)
	for s := range S {
		// Slice the integer ids, not the embedded sequence: the gradient of a slice is a padded copy of
		// the whole tensor, and S of those made training steps several times slower.
		ids := Squeeze(SliceAxis(src, 1, AxisElem(s)), 1) // [B]
		ms := Squeeze(SliceAxis(mask, 1, AxisElem(s)), 1) // [B]
		next := cell.Advance(embed(table, ids), state)
		state = keepState(ms, next, state)
		outs[s] = keep(ms, next.H, ZerosLike(next.H))
	}
	return Encoded{Outputs: Stack(outs, 1), Mask: mask, H: state.H, C: state.C}
}

// decoder holds the decoder's weights for one graph.
type decoder struct {
	table *Node     // [V,E]
	cell  Cell      // input size E+H with attention, E without.
	att   Attention // nil without attention.
	out   *Node     // [H(+H),V]
	bias  *Node     // [V]
}

func (m *Seq2Seq) newDecoder(scope *model.Scope, enc Encoded) *decoder {
	g := enc.Outputs.Graph()
	cfg := m.Config
	d := &decoder{table: m.embedding(scope.In("target"), g)}
	in, outIn := cfg.Embed, cfg.Hidden
	if cfg.Attention > 0 {
		d.att = newAttention(scope.In("attention"), cfg, enc.Outputs, enc.Mask)
		in, outIn = cfg.Embed+cfg.Hidden, 2*cfg.Hidden
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
// wiring, kept for every score function):
//
//	context, α = Attend(s.H)
//	s' = cell([embed(prev); context], s)
//	logits = [s'.H; context]·W_out + b_out
func (d *decoder) step(prev *Node, s State) (logits *Node, next State, weights *Node) {
	x := embed(d.table, prev) // [B,E]
	var context *Node
	if d.att != nil {
		context, weights = d.att.Attend(s.H)
		x = Concatenate([]*Node{x, context}, -1)
	}
	next = d.cell.Advance(x, s)
	features := next.H
	if context != nil {
		features = Concatenate([]*Node{next.H, context}, -1)
	}
	logits = Add(MatMul(features, d.out), InsertAxes(d.bias, 0))
	return logits, next, weights
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
	d := m.newDecoder(scope, enc)
	state := enc.State()
	T := tgtIn.Shape().Dim(1)
	logits := make([]*Node, T)
	var weights []*Node
	for t := range T {
		prev := Squeeze(SliceAxis(tgtIn, 1, AxisElem(t)), 1)
		var w *Node
		logits[t], state, w = d.step(prev, state)
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
	return m.greedyFrom(scope, m.Encode(scope, src), steps)
}

// greedyFrom is the decoder half of Greedy, over an encoded source.
func (m *Seq2Seq) greedyFrom(scope *model.Scope, enc Encoded, steps int) (tokens, attention *Node) {
	g := enc.Outputs.Graph()
	B, S := enc.Mask.Shape().Dim(0), enc.Mask.Shape().Dim(1)
	d := m.newDecoder(scope, enc)
	state := enc.State()
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

// MaskedLoss is the mean cross-entropy over real target tokens: labels[0] is tgtOut [B,T] int32 (the target
// followed by text.EOSID, then text.PadID), predictions[0] the logits [B,T,V]. Padded positions contribute
// nothing, whatever their logits.
func MaskedLoss(labels, predictions []*Node) *Node {
	tgt := labels[0]
	mask := NotEqual(tgt, Const(tgt.Graph(), int32(text.PadID)))
	return loss.SparseCategoricalCrossEntropyLogits([]*Node{InsertAxes(tgt, -1), mask}, predictions[:1])
}
