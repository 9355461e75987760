package model_test

import (
	"math"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// palindromes are encoder inputs [4,7] whose real tokens read the same both ways, of lengths 5, 4, 1 and 7
// (no padding), then PadID.
var palindromes = [][]int32{{5, 6, 7, 6, 5, 0, 0}, {8, 9, 9, 8, 0, 0, 0}, {4, 0, 0, 0, 0, 0, 0}, {3, 5, 7, 11, 7, 5, 3}}

// A bidirectional encoder whose backward cell has the forward cell's weights reads a palindrome the same both
// ways (GoMLX lstm_test.go's symmetry check): for a row of n real tokens, the backward output at position s
// equals the forward output at n−1−s, outputs at padding are 0, and the two directions' final states agree.
// Before the weights are tied, they do not (the check is not void). For every cell.
func TestBidirectionalSymmetry(t *testing.T) {
	const H = 5
	be := testutil.Backend(t)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(7))
	exec, err := model.NewExec(be, store, func(scope *model.Scope, src *Node) []*Node {
		var outs []*Node
		for _, cell := range tableCells {
			cfg := seqmodel.Config{VocabSize: 12, Embed: 4, Hidden: H, MaxSource: 7, MaxTarget: 3, ForgetBias: 1,
				Cell: cell, Bidirectional: true}
			enc := seqmodel.New(cfg).Encode(scope.In("%s", cell), src)
			outs = append(outs, enc.Outputs, enc.Forward.H, enc.Backward.H)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func() [][]float32 {
		res, err := exec.Exec(tensors.FromValue(palindromes))
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]float32, len(res))
		for i, r := range res {
			out[i] = tensors.MustCopyFlatData[float32](r)
		}
		return out
	}
	// mirrorDiff is the largest |forward_s − backward_{n−1−s}| of outputs [4,7,2H] and |h→ − h←| of finals [4,H].
	mirrorDiff := func(outputs, fwd, bwd []float32) (d float64, padOK bool) {
		padOK = true
		for b, row := range palindromes {
			n := 0
			for n < len(row) && row[n] != 0 {
				n++
			}
			for s := range len(row) {
				at := func(s, k int) float32 { return outputs[(b*len(row)+s)*2*H+k] }
				for k := range H {
					if s >= n {
						padOK = padOK && at(s, k) == 0 && at(s, H+k) == 0
						continue
					}
					d = max(d, math.Abs(float64(at(s, k)-at(n-1-s, H+k))))
				}
			}
		}
		return max(d, maxDiff(fwd, bwd)), padOK
	}
	before := run()
	for c, cell := range tableCells {
		if d, _ := mirrorDiff(before[3*c], before[3*c+1], before[3*c+2]); d < 1e-3 {
			t.Errorf("%s: outputs mirrored (max diff %g) before tying the weights: test is void", cell, d)
		}
	}
	// Tie the weights: every ".../encoder/backward/x" gets the value of ".../encoder/x".
	tied := 0
	for v := range store.IterVariables() {
		if p := v.Path(); strings.Contains(p, "/encoder/backward/") {
			fwd := store.GetVariable(strings.Replace(p, "/encoder/backward/", "/encoder/", 1))
			if fwd == nil {
				t.Fatalf("no forward twin of %s", p)
			}
			val, err := fwd.MustValue().LocalClone()
			if err != nil {
				t.Fatal(err)
			}
			v.MustSetValue(val)
			tied++
		}
	}
	if tied == 0 {
		t.Fatal("no backward variables found")
	}
	after := run()
	for c, cell := range tableCells {
		d, padOK := mirrorDiff(after[3*c], after[3*c+1], after[3*c+2])
		if d > 1e-6 {
			t.Errorf("%s: backward outputs are not the mirrored forward outputs: max diff %g", cell, d)
		}
		if !padOK {
			t.Errorf("%s: outputs at padded positions are not 0", cell)
		}
		t.Logf("%s: max |forward_s − backward_{n−1−s}| = %.2g", cell, d)
	}
}

// Dropout between encoder layers acts only in training graphs (scope.IsTraining): evaluation graphs give the
// same outputs with dropout 0.5 as they would without it, a training graph changes them, and its random
// draws are seeded (resetting the store's random state replays them). With dropout 0, training and
// evaluation agree.
func TestDropoutOnlyInTraining(t *testing.T) {
	be := testutil.Backend(t)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(5))
	encode := func(training bool) *model.Exec {
		exec, err := model.NewExec(be, store, func(scope *model.Scope, src *Node) []*Node {
			scope.Store().SetTraining(src.Graph(), training)
			var outs []*Node
			for _, rate := range []float64{0.5, 0} {
				cfg := seqmodel.Config{VocabSize: 12, Embed: 4, Hidden: 6, MaxSource: 7, MaxTarget: 3, ForgetBias: 1,
					EncoderLayers: 2, Dropout: rate, Bidirectional: rate > 0}
				outs = append(outs, seqmodel.New(cfg).Encode(scope.In("rate%g", rate), src).Outputs)
			}
			return outs
		})
		if err != nil {
			t.Fatal(err)
		}
		return exec
	}
	run := func(e *model.Exec) (dropped, plain []float32) {
		res, err := e.Exec(tensors.FromValue(palindromes))
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](res[0]), tensors.MustCopyFlatData[float32](res[1])
	}
	evalExec := encode(false)
	evalDropped, evalPlain := run(evalExec)
	trainExec := encode(true)
	if err := store.ResetRNGState(); err != nil {
		t.Fatal(err)
	}
	trainDropped, trainPlain := run(trainExec)
	if d := maxDiff(evalPlain, trainPlain); d != 0 {
		t.Errorf("dropout 0: training and evaluation outputs differ by %g", d)
	}
	if d := maxDiff(evalDropped, trainDropped); d < 1e-3 {
		t.Errorf("dropout 0.5: training outputs equal evaluation outputs (max diff %g): dropout inactive", d)
	}
	again, _ := run(trainExec)
	if maxDiff(again, trainDropped) == 0 {
		t.Errorf("dropout 0.5: two training runs drew the same mask")
	}
	if err := store.ResetRNGState(); err != nil {
		t.Fatal(err)
	}
	if replay, _ := run(trainExec); maxDiff(replay, trainDropped) != 0 {
		t.Errorf("dropout 0.5: resetting the seeded random state did not replay the mask")
	}
	evalAgain, _ := run(evalExec)
	if d := maxDiff(evalAgain, evalDropped); d != 0 {
		t.Errorf("dropout 0.5: evaluation outputs changed by %g after training runs", d)
	}
}
