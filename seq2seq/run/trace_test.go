package run_test

import (
	"math"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// TestTraceEncoderMatchesEncode checks the step-by-step trace against the model's own encoder: the last
// hidden state must equal Encode's final state, and the gates must lie in their ranges.
func TestTraceEncoderMatchesEncode(t *testing.T) {
	be, err := run.GoBackend()
	if err != nil {
		t.Fatal(err)
	}
	cfg := tinyConfig(2)
	cfg.Model.Hidden = 8
	jobs, err := run.PrepareAll(be, cfg)
	if err != nil {
		t.Fatal(err)
	}
	j := jobs[0]
	if _, err := j.Trainer.Step(train.NewShuffler(j.TrainEx, cfg.Loop.BatchSize, 1).Next()); err != nil {
		t.Fatal(err)
	}
	tr, err := j.TraceEncoder("abcba")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tr.Tokens, " "); got != "a b c b a <eos>" {
		t.Errorf("tokens %q", got)
	}
	for name, m := range map[string][][]float32{"input": tr.Input, "forget": tr.Forget, "cell": tr.Cell,
		"output": tr.Output, "h": tr.H, "c": tr.C} {
		if len(m) != 6 || len(m[0]) != 8 {
			t.Fatalf("%s: %d×%d, want 6×8", name, len(m), len(m[0]))
		}
	}
	for _, row := range tr.Forget {
		for _, v := range row {
			if !(v > 0 && v < 1) {
				t.Fatalf("forget gate value %v outside (0, 1)", v)
			}
		}
	}
	exec, err := model.NewExec(be, j.Store, func(scope *model.Scope, src *Node) *Node { return j.Model.Encode(scope, src).H })
	if err != nil {
		t.Fatal(err)
	}
	ids := j.Vocab.EncodeWithEOS("abcba")
	src := make([]int32, cfg.Model.MaxSource) // padded like training rows
	for i, id := range ids {
		src[i] = int32(id)
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(src, 1, len(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := tensors.MustCopyFlatData[float32](out[0])
	for k, v := range tr.H[len(tr.H)-1] {
		if math.Abs(float64(v-want[k])) > 1e-5 {
			t.Fatalf("trace h[%d] = %v, Encode gives %v", k, v, want[k])
		}
	}

	if _, err := j.TraceEncoder(strings.Repeat("a", 20)); err == nil || !strings.Contains(err.Error(), "max_source") {
		t.Errorf("long source: err = %v", err)
	}
	gru := tinyConfig(1)
	gru.Model.Cell = "gru"
	jobs, err = run.PrepareAll(be, gru)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs[0].TraceEncoder("ab"); err == nil || !strings.Contains(err.Error(), `"gru"`) {
		t.Errorf("GRU: err = %v", err)
	}
}
