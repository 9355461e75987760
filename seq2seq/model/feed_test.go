package model_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Input feeding is wired as documented: h̃_0 = 0, so the first step's logits do not depend on W_c, while every
// later step's do (h̃_{t−1} reaches the cell). Checked by changing W_c between two runs, for a forward and a
// bidirectional encoder.
func TestInputFeedingWiring(t *testing.T) {
	be := testutil.Backend(t)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(9))
	rows := []tableRow{{cell: seqmodel.CellLSTM, att: seqmodel.AttentionAdditive, feed: true},
		{cell: seqmodel.CellGRU, enc: "bi", att: seqmodel.AttentionDot, feed: true}}
	exec, err := model.NewExec(be, store, func(scope *model.Scope, src, tgtIn *Node) []*Node {
		var outs []*Node
		for _, r := range rows {
			logits, _ := seqmodel.New(r.config()).TeacherForced(scope.In("%s", r.encName()), src, tgtIn)
			outs = append(outs, logits)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func() [][]float32 {
		b := padBatch(padS1)
		res, err := exec.Exec(b[0], b[1])
		if err != nil {
			t.Fatal(err)
		}
		return [][]float32{tensors.MustCopyFlatData[float32](res[0]), tensors.MustCopyFlatData[float32](res[1])}
	}
	before := run()
	rng := rand.New(rand.NewPCG(3, 4))
	changed := 0
	for v := range store.IterVariables() {
		if !strings.HasSuffix(v.Path(), "/input_feeding/kernel") {
			continue
		}
		vals := tensors.MustCopyFlatData[float32](v.MustValue())
		for i := range vals {
			vals[i] = float32(rng.NormFloat64())
		}
		v.MustSetValue(tensors.FromFlatDataAndDimensions(vals, v.Shape().Dimensions...))
		changed++
	}
	if changed != len(rows) {
		t.Fatalf("found %d input-feeding kernels, want %d", changed, len(rows))
	}
	after := run()
	V := tableConfig(seqmodel.CellLSTM, noAttention).VocabSize
	for i, r := range rows {
		for b := range 2 {
			for step := range padT {
				at := (b*padT + step) * V
				d := maxDiff(before[i][at:at+V], after[i][at:at+V])
				switch {
				case step == 0 && d != 0:
					t.Errorf("%s: row %d: first-step logits changed by %g with W_c (h̃_0 must be 0)", r.name(), b, d)
				case step > 0 && d < 1e-4:
					t.Errorf("%s: row %d: step %d logits did not change with W_c (max diff %g): h̃ not fed", r.name(), b, step, d)
				}
			}
		}
	}
}
