package model_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// stepRows are the models of the step test: every cell, every attention, input feeding, bidirectional and
// two-layer encoders, and no attention.
var stepRows = []tableRow{
	{cell: seqmodel.CellLSTM, att: seqmodel.AttentionAdditive},
	{cell: seqmodel.CellGRU, att: seqmodel.AttentionDot, feed: true},
	{cell: seqmodel.CellRNN, att: seqmodel.AttentionGeneral},
	{cell: seqmodel.CellLSTM, enc: "bi", att: seqmodel.AttentionConcat, feed: true},
	{cell: seqmodel.CellGRU, enc: "bi", att: noAttention},
	{cell: seqmodel.CellLSTM, enc: "bi2layers", att: seqmodel.AttentionGeneral, feed: true},
}

// Running the step graph once per position reproduces the unrolled decoders: with the teacher's tokens fed,
// its log-probabilities are the log-softmax of TeacherForced's logits and its attention TeacherForced's; with its
// own argmax fed back, its tokens and attention are Greedy's. The encoder rows are reordered and repeated
// (rows 2,0,2,1) between the encoder and the steps, as beam search does.
func TestStepMatchesUnrolledDecoders(t *testing.T) {
	be := testutil.Backend(t)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(11))
	const S, T = 6, 5
	src := tensors.FromValue([][]int32{
		{5, 6, 7, 8, text.EOSID, text.PadID},
		{9, text.EOSID, text.PadID, text.PadID, text.PadID, text.PadID},
		{11, 4, 10, 6, 5, text.EOSID}})
	tgtIn := tensors.FromValue([][]int32{
		{text.BOSID, 4, 5, 6, 7}, {text.BOSID, 8, 8, 9, 10}, {text.BOSID, 11, 10, 9, text.EOSID}})
	rows := []int32{2, 0, 2, 1}
	N := len(rows)
	models := make([]*seqmodel.Seq2Seq, len(stepRows))
	for i, r := range stepRows {
		models[i] = seqmodel.New(r.config())
	}

	// Reference: TeacherForced log-softmax [B,T,V], attention [B,T,S]; Greedy tokens [B,T], attention [B,T,S].
	ref, err := model.NewExec(be, store, func(scope *model.Scope, src, tgtIn *Node) []*Node {
		var outs []*Node
		for i, r := range stepRows {
			sc := scope.In("%s", strings.ReplaceAll(r.name(), "/", "_"))
			logits, att := models[i].TeacherForced(sc, src, tgtIn)
			if att == nil {
				att = Zeros(src.Graph(), shapes.Make(dtypes.Float32, 3, T, S))
			}
			tok, gatt := models[i].Greedy(sc.ResetVisited(), src, T)
			outs = append(outs, LogSoftmax(logits), att, tok, gatt)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	refOut, err := ref.Exec(src, tgtIn)
	if err != nil {
		t.Fatal(err)
	}

	// Step graphs: StartDecoding then gather rows; DecodeStep with prev [M,N] (one row per model).
	start, err := model.NewExec(be, store, func(scope *model.Scope, src, rows *Node) []*Node {
		var outs []*Node
		for i, r := range stepRows {
			enc, st := models[i].StartDecoding(scope.In("%s", strings.ReplaceAll(r.name(), "/", "_")), src)
			enc = seqmodel.GatherEncodedRows(enc, rows)
			outs = append(append(outs, enc.Outputs, enc.Mask), st.GatherRows(rows).Nodes()...)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	step, err := model.NewExec(be, store, func(scope *model.Scope, in []*Node) []*Node {
		prev, rest := in[0], in[1:]
		var outs []*Node
		for i, r := range stepRows {
			m := models[i]
			enc := seqmodel.Encoded{Outputs: rest[0], Mask: rest[1]}
			var st seqmodel.DecoderState
			st, rest = m.DecoderStateFromNodes(rest[2:])
			lp, next, att := m.DecodeStep(scope.In("%s", strings.ReplaceAll(r.name(), "/", "_")), enc, Squeeze(SliceAxis(prev, 0, AxisElem(i)), 0), st)
			outs = append(append(outs, lp, att), next.Nodes()...)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	M := len(stepRows)
	// run drives the step graph for T positions; pick returns model m's next input tokens [N] from position t
	// and its log-probs [N*V]. It returns per model the log-probs [T][N*V], attention [T][N*S] and picks [T][N].
	run := func(pick func(m, t int, lp []float32) []int32) (lps, atts [][][]float32, toks [][][]int32) {
		lps, atts, toks = make([][][]float32, M), make([][][]float32, M), make([][][]int32, M)
		out, err := start.Exec(src, tensors.FromValue(rows))
		if err != nil {
			t.Fatal(err)
		}
		encs, states := make([][]*tensors.Tensor, M), make([][]*tensors.Tensor, M)
		for m := range M {
			n := models[m].DecoderStateSize()
			encs[m], states[m], out = out[:2], out[2:2+n], out[2+n:]
		}
		prev := make([]int32, M*N)
		for i := range prev {
			prev[i] = text.BOSID
		}
		for pos := range T {
			in := []any{tensors.FromFlatDataAndDimensions(prev, M, N)}
			for m := range M {
				in = append(in, encs[m][0], encs[m][1])
				for _, x := range states[m] {
					in = append(in, x)
				}
			}
			out, err := step.Exec(in...)
			if err != nil {
				t.Fatal(err)
			}
			for m := range M {
				n := models[m].DecoderStateSize()
				lp := tensors.MustCopyFlatData[float32](out[0])
				lps[m] = append(lps[m], lp)
				atts[m] = append(atts[m], tensors.MustCopyFlatData[float32](out[1]))
				states[m], out = out[2:2+n], out[2+n:]
				next := pick(m, pos, lp)
				copy(prev[m*N:], next)
				toks[m] = append(toks[m], next)
			}
		}
		return lps, atts, toks
	}

	tf := tensors.MustCopyFlatData[int32](tgtIn)
	V := models[0].Config.VocabSize
	lps, atts, _ := run(func(m, pos int, lp []float32) []int32 {
		if pos+1 == T {
			return make([]int32, N)
		}
		next := make([]int32, N)
		for i, r := range rows {
			next[i] = tf[int(r)*T+pos+1]
		}
		return next
	})
	_, gatts, gtoks := run(func(m, pos int, lp []float32) []int32 {
		next := make([]int32, N)
		for i := range N {
			next[i] = int32(argmax(lp[i*V : (i+1)*V]))
		}
		return next
	})
	const tol = 1e-5
	for m, r := range stepRows {
		refLP := tensors.MustCopyFlatData[float32](refOut[4*m])
		refAtt := tensors.MustCopyFlatData[float32](refOut[4*m+1])
		refTok := tensors.MustCopyFlatData[int32](refOut[4*m+2])
		refGAtt := tensors.MustCopyFlatData[float32](refOut[4*m+3])
		worst, worstAtt, worstG := 0.0, 0.0, 0.0
		for pos := range T {
			for i, b := range rows {
				at := func(x []float32, n int) []float32 { return x[(int(b)*T+pos)*n : (int(b)*T+pos+1)*n] }
				worst = max(worst, maxAbsDiff(lps[m][pos][i*V:(i+1)*V], at(refLP, V)))
				worstAtt = max(worstAtt, maxAbsDiff(atts[m][pos][i*S:(i+1)*S], at(refAtt, S)))
				// Greedy: same tokens until (and including) the end token; Greedy pads after it.
				if pos == 0 || !endedBefore(refTok[int(b)*T:], pos) {
					if got, want := gtoks[m][pos][i], refTok[int(b)*T+pos]; got != want {
						t.Errorf("%s: row %d (source %d) position %d: step greedy token %d, Greedy %d", r.name(), i, b, pos, got, want)
					}
					worstG = max(worstG, maxAbsDiff(gatts[m][pos][i*S:(i+1)*S], at(refGAtt, S)))
				}
			}
		}
		t.Logf("%-22s max |Δ| log-probs %.2g, attention %.2g, greedy attention %.2g", r.name(), worst, worstAtt, worstG)
		if worst > tol || worstAtt > tol || worstG > tol {
			t.Errorf("%s: the step graph differs from the unrolled decoders: log-probs %.3g, attention %.3g, greedy attention %.3g (tolerance %g)",
				r.name(), worst, worstAtt, worstG, tol)
		}
	}
}

// endedBefore reports whether toks has text.EOSID before position pos.
func endedBefore(toks []int32, pos int) bool {
	for _, x := range toks[:pos] {
		if x == text.EOSID {
			return true
		}
	}
	return false
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

func maxAbsDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}
