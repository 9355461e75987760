package model_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// noAttention names the baseline decoder (Config.Attention = 0) in the padding table.
const noAttention = "none"

var (
	tableCells      = []string{seqmodel.CellLSTM, seqmodel.CellGRU, seqmodel.CellRNN}
	tableAttentions = []string{noAttention, seqmodel.AttentionAdditive, seqmodel.AttentionDot,
		seqmodel.AttentionGeneral, seqmodel.AttentionConcat}
)

// tableConfig is a tiny model with the given cell and attention (noAttention for none).
func tableConfig(cell, attention string) seqmodel.Config {
	c := seqmodel.Config{VocabSize: 12, Embed: 4, Hidden: 6, Attention: 5, MaxSource: 6, MaxTarget: 3,
		ForgetBias: 1, Seed: 3, Cell: cell, AttentionType: attention}
	if attention == noAttention {
		c.Attention, c.AttentionType = 0, ""
	}
	return c
}

// tableEncoder is an encoder variant of the padding table, shared by the rows that name it. Dropout is set
// to show that it does nothing outside training.
type tableEncoder struct {
	layers  int
	bi      bool
	dropout float64
}

// tableEncoders are the encoder variants by name; "" is the single-layer forward encoder.
var tableEncoders = map[string]tableEncoder{
	"": {}, "bi": {bi: true}, "2layers": {layers: 2, dropout: 0.5}, "bi2layers": {layers: 2, bi: true, dropout: 0.3},
}

// tableRow is one row of the padding table: a cell, an encoder variant, an attention and input feeding.
type tableRow struct {
	cell, enc, att string
	feed           bool
}

// encName names the row's encoder, e.g. "gru" or "gru+bi".
func (r tableRow) encName() string {
	if r.enc == "" {
		return r.cell
	}
	return r.cell + "+" + r.enc
}

// name is the row's name, e.g. "lstm/additive", "gru+bi/dot", "rnn/dot+feed".
func (r tableRow) name() string {
	n := r.encName() + "/" + r.att
	if r.feed {
		n += "+feed"
	}
	return n
}

func (r tableRow) config() seqmodel.Config {
	c := tableConfig(r.cell, r.att)
	e := tableEncoders[r.enc]
	c.EncoderLayers, c.Bidirectional, c.Dropout, c.InputFeeding = e.layers, e.bi, e.dropout, r.feed
	return c
}

// tableRows are every cell × attention with the plain encoder; every attention with the bidirectional LSTM
// encoder (the attentions see 2H-wide keys; the cell does not matter to them) and two per other cell; and rows
// for two encoder layers (with and without a backward pass) and for input feeding. Each cell appears with each
// new feature.
func tableRows() []tableRow {
	var rows []tableRow
	for _, cell := range tableCells {
		for _, att := range tableAttentions {
			rows = append(rows, tableRow{cell: cell, att: att})
		}
	}
	for _, att := range tableAttentions {
		rows = append(rows, tableRow{cell: seqmodel.CellLSTM, enc: "bi", att: att})
	}
	const (
		lstm, gru, rnn                    = seqmodel.CellLSTM, seqmodel.CellGRU, seqmodel.CellRNN
		none, additive, dot, general, cat = noAttention, seqmodel.AttentionAdditive, seqmodel.AttentionDot,
			seqmodel.AttentionGeneral, seqmodel.AttentionConcat
	)
	return append(rows,
		tableRow{cell: gru, enc: "bi", att: none}, tableRow{cell: gru, enc: "bi", att: dot},
		tableRow{cell: rnn, enc: "bi", att: none}, tableRow{cell: rnn, enc: "bi", att: general},
		tableRow{cell: lstm, enc: "2layers", att: none}, tableRow{cell: gru, enc: "2layers", att: general},
		tableRow{cell: rnn, enc: "2layers", att: additive},
		tableRow{cell: lstm, att: additive, feed: true}, tableRow{cell: gru, att: dot, feed: true},
		tableRow{cell: rnn, att: cat, feed: true},
		tableRow{cell: lstm, enc: "bi2layers", att: cat}, tableRow{cell: gru, enc: "bi2layers", att: additive, feed: true},
		tableRow{cell: rnn, enc: "bi2layers", att: dot}, tableRow{cell: lstm, enc: "bi", att: general, feed: true},
		tableRow{cell: gru, enc: "2layers", att: cat, feed: true})
}

// Sizes of the padding table: short and long source padding, target length.
const (
	padS1, padS2, padT = 4, 6, 3
)

// padRows are the real lengths of the two source rows (with the end token) and of the two target rows.
var padSrcLen, padTgtLen = [2]int{3, 2}, [2]int{3, 2}

// padBatch returns src [2,S] (rows 5 6 EOS and 9 EOS, then PadID) and tgtIn, tgtOut [2,3].
func padBatch(S int) []*tensors.Tensor {
	s := make([]int32, 2*S)
	copy(s, []int32{5, 6, text.EOSID})
	copy(s[S:], []int32{9, text.EOSID})
	return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(s, 2, S),
		tensors.FromValue([][]int32{{text.BOSID, 4, 5}, {text.BOSID, 10, text.PadID}}),
		tensors.FromValue([][]int32{{4, 5, text.EOSID}, {10, text.EOSID, text.PadID}})}
}

// rowOutputs are one table row's results, for source padding to padS1 ("1") and padS2 ("2").
type rowOutputs struct {
	loss1, loss2     float64
	logits1, logits2 []float32 // [2,T,V]
	att1, att2       []float32 // [2,T,S1], [2,T,S2]; nil without attention.
	greedyTok        []int32   // [2,1] one greedy step on the S1 source.
	greedyAtt        []float32 // [2,1,S1]
}

// paddingTable runs every row of tableRows on the padBatch sources, before and after overwriting the PadID
// rows of all embedding tables with large random values. All rows live in one graph (one compilation per
// backend): rows with the same encoder share it, run on both paddings with the same weights.
func paddingTable(t *testing.T) (before, after map[string]rowOutputs) {
	be := testutil.Backend(t)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(3))
	type slot struct {
		name  string
		first int // index of the row's first output
		att   bool
	}
	var slots []slot
	rows := tableRows()
	encoders := 0
	exec, err := model.NewExec(be, store, func(scope *model.Scope, in []*Node) []*Node {
		src1, src2, tgtIn, tgtOut := in[0], in[1], in[2], in[3]
		var outs []*Node
		slots = slots[:0]
		type shared struct {
			scope      *model.Scope
			enc1, enc2 seqmodel.Encoded
		}
		encs := map[string]*shared{}
		for _, row := range rows {
			m := seqmodel.New(row.config())
			e := encs[row.encName()]
			if e == nil {
				cs := scope.In("%s", row.encName())
				e = &shared{scope: cs, enc1: m.Encode(cs, src1), enc2: m.Encode(cs.ResetVisited(), src2)} // same weights, more padding
				encs[row.encName()] = e
			}
			rs := e.scope.In("%s", strings.TrimPrefix(row.name(), row.encName()+"/"))
			l1, a1 := m.DecodeTeacherForced(rs, e.enc1, tgtIn)
			l2, a2 := m.DecodeTeacherForced(rs.ResetVisited(), e.enc2, tgtIn)
			tok, gatt := m.GreedyFrom(rs.ResetVisited(), e.enc1, 1)
			slots = append(slots, slot{row.name(), len(outs), a1 != nil})
			outs = append(outs, seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{l1}),
				seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{l2}), l1, l2, tok, gatt)
			if a1 != nil {
				outs = append(outs, a1, a2)
			}
		}
		encoders = len(encs)
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func() map[string]rowOutputs {
		b1, b2 := padBatch(padS1), padBatch(padS2)
		res, err := exec.Exec(b1[0], b2[0], b1[1], b1[2])
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]rowOutputs{}
		for _, s := range slots {
			r := res[s.first:]
			o := rowOutputs{loss1: float64(tensors.ToScalar[float32](r[0])), loss2: float64(tensors.ToScalar[float32](r[1])),
				logits1: tensors.MustCopyFlatData[float32](r[2]), logits2: tensors.MustCopyFlatData[float32](r[3]),
				greedyTok: tensors.MustCopyFlatData[int32](r[4]), greedyAtt: tensors.MustCopyFlatData[float32](r[5])}
			if s.att {
				o.att1, o.att2 = tensors.MustCopyFlatData[float32](r[6]), tensors.MustCopyFlatData[float32](r[7])
			}
			rows[s.name] = o
		}
		return rows
	}
	before = run() // also creates the variables
	rng := rand.New(rand.NewPCG(1, 2))
	perturbed := 0
	for v := range store.IterVariables() {
		if !strings.HasSuffix(v.Path(), "/embedding") {
			continue
		}
		vals := tensors.MustCopyFlatData[float32](v.MustValue())
		dims := v.Shape().Dimensions
		for e := range dims[1] {
			vals[text.PadID*dims[1]+e] = float32(rng.NormFloat64() * 10)
		}
		v.MustSetValue(tensors.FromFlatDataAndDimensions(vals, dims...))
		perturbed++
	}
	if want := encoders + len(rows); perturbed != want { // source per encoder, target per row
		t.Fatalf("perturbed %d embedding tables, want %d", perturbed, want)
	}
	return before, run()
}

// Padding is masked for every row of tableRows (cell × attention, with a forward or bidirectional encoder;
// two encoder layers; input feeding): more source padding (S=4 → 6) or different
// embeddings of PadID change neither the loss nor the logits at real target positions nor the attention;
// attention on padded source positions is exactly 0 and sums to 1 over real ones; one greedy step agrees with
// the teacher-forced first step. It generalises TestPaddingIsMasked to the whole table.
func TestPaddingIsMaskedEveryCellAndAttention(t *testing.T) {
	before, after := paddingTable(t)
	V := tableConfig(seqmodel.CellLSTM, noAttention).VocabSize
	// realLogits keeps the logits [2,T,V] at real target positions.
	realLogits := func(l []float32) []float32 {
		var out []float32
		for b, n := range padTgtLen {
			out = append(out, l[b*padT*V:(b*padT+n)*V]...)
		}
		return out
	}
	for _, row := range tableRows() {
		name := row.name()
		t.Run(name, func(t *testing.T) {
			b, a := before[name], after[name]
			for _, c := range []struct {
				what   string
				loss   float64
				logits []float32
			}{{"more source padding", b.loss2, b.logits2}, {"other pad embeddings", a.loss1, a.logits1},
				{"more padding and other pad embeddings", a.loss2, a.logits2}} {
				if math.Abs(c.loss-b.loss1) > 1e-5 {
					t.Errorf("loss changed with %s: %.7f → %.7f", c.what, b.loss1, c.loss)
				}
				if d := maxDiff(realLogits(b.logits1), realLogits(c.logits)); d > 1e-5 {
					t.Errorf("logits at real target positions changed with %s: max diff %g", c.what, d)
				}
			}
			// The new pad embeddings did reach the model: row 1 feeds PadID at target position 2.
			padded := (1*padT + 2) * V
			if d := maxDiff(b.logits1[padded:padded+V], a.logits1[padded:padded+V]); d == 0 {
				t.Errorf("logits at a padded target position did not change with the pad embeddings: test is void")
			}
			// One greedy step starts from BOS like teacher forcing: same first token and attention.
			for r := range 2 {
				row := b.logits1[r*padT*V : (r*padT+1)*V]
				best := 0
				for v := range row {
					if row[v] > row[best] {
						best = v
					}
				}
				if int(b.greedyTok[r]) != best {
					t.Errorf("greedy first token of row %d is %d, teacher-forced argmax %d", r, b.greedyTok[r], best)
				}
			}
			if b.att1 == nil {
				for _, w := range b.greedyAtt {
					if w != 0 {
						t.Fatalf("greedy attention without attention is %g, want 0", w)
					}
				}
				return
			}
			for r := range 2 {
				for s := range padS1 {
					if g, w := b.greedyAtt[r*padS1+s], b.att1[r*padT*padS1+s]; math.Abs(float64(g-w)) > 1e-6 {
						t.Errorf("greedy attention [%d,0,%d] = %g, teacher-forced %g", r, s, g, w)
					}
				}
			}
			checkAttention(t, "S=4", b.att1, padS1, b.att1)
			checkAttention(t, "S=6", b.att2, padS2, b.att1)
			checkAttention(t, "S=4, other pad embeddings", a.att1, padS1, b.att1)
			checkAttention(t, "S=6, other pad embeddings", a.att2, padS2, b.att1)
		})
	}
}

// checkAttention checks weights [2,T,S] against ref [2,T,padS1] at real target positions: exactly 0 on
// padded source positions, summing to 1, equal to ref on the first padS1 positions.
func checkAttention(t *testing.T, what string, w []float32, S int, ref []float32) {
	t.Helper()
	for b, n := range padSrcLen {
		for tt := range padTgtLen[b] {
			sum := 0.0
			for s := range S {
				x := w[(b*padT+tt)*S+s]
				if s >= n && x != 0 {
					t.Errorf("%s: attention [%d,%d,%d] on a padded source position is %g, want exactly 0", what, b, tt, s, x)
				}
				if s < padS1 && math.Abs(float64(x-ref[(b*padT+tt)*padS1+s])) > 1e-5 {
					t.Errorf("%s: attention [%d,%d,%d] is %g, was %g", what, b, tt, s, x, ref[(b*padT+tt)*padS1+s])
				}
				sum += float64(x)
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Errorf("%s: attention row [%d,%d] sums to %g, want 1", what, b, tt, sum)
			}
		}
	}
}
