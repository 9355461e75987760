package model_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Environment variables read by TestMatchesPyTorch.
const (
	skipTorchEnv = "TEXTGEN_SKIP_TORCH" // "1": skip (loudly) instead of failing when no Python has torch.
)

// torchInstall is how to get PyTorch for this test; keep it in step with testdata/torch_ref.py's docstring.
const torchInstall = "apt-get update && apt-get install -y --no-install-recommends python3-torch"

// refTensor is a tensor in the JSON exchanged with testdata/torch_ref.py: dimensions and row-major values.
type refTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// torchProblem returns one random problem in PyTorch's layouts (see testdata/torch_ref.py): groups lstm, gru,
// rnn, attention, additive, general, concat. Values are float32-representable, so both sides start from the same
// numbers. The mask has real lengths 4 and 2 of S=5.
func torchProblem(B, I, H, S, A int) map[string]map[string]refTensor {
	rng := rand.New(rand.NewPCG(11, 12))
	rnd := func(scale float64, dims ...int) refTensor {
		n := 1
		for _, d := range dims {
			n *= d
		}
		data := make([]float64, n)
		for i := range data {
			data[i] = float64(float32(scale * rng.NormFloat64()))
		}
		return refTensor{Shape: dims, Data: data}
	}
	mask := refTensor{Shape: []int{B, S}, Data: make([]float64, B*S)}
	for b, n := range []int{4, 2} {
		for s := range n {
			mask.Data[b*S+s] = 1
		}
	}
	return map[string]map[string]refTensor{
		"lstm": {"weight_ih": rnd(0.5, 4*H, I), "weight_hh": rnd(0.5, 4*H, H), "bias_ih": rnd(0.5, 4*H),
			"bias_hh": rnd(0.5, 4*H), "x": rnd(1, B, I), "h": rnd(0.5, B, H), "c": rnd(1, B, H)},
		"gru": {"weight_ih": rnd(0.5, 3*H, I), "weight_hh": rnd(0.5, 3*H, H), "bias_ih": rnd(0.5, 3*H),
			"bias_hh": rnd(0.5, 3*H), "x": rnd(1, B, I), "h": rnd(0.5, B, H)},
		"rnn": {"weight_ih": rnd(0.5, H, I), "weight_hh": rnd(0.5, H, H), "bias_ih": rnd(0.5, H),
			"bias_hh": rnd(0.5, H), "x": rnd(1, B, I), "h": rnd(0.5, B, H)},
		"lstm_reverse": {"weight_ih": rnd(0.5, 4*H, I), "weight_hh": rnd(0.5, 4*H, H), "bias_ih": rnd(0.5, 4*H),
			"bias_hh": rnd(0.5, 4*H)},
		"gru_reverse": {"weight_ih": rnd(0.5, 3*H, I), "weight_hh": rnd(0.5, 3*H, H), "bias_ih": rnd(0.5, 3*H),
			"bias_hh": rnd(0.5, 3*H)},
		"rnn_reverse": {"weight_ih": rnd(0.5, H, I), "weight_hh": rnd(0.5, H, H), "bias_ih": rnd(0.5, H),
			"bias_hh": rnd(0.5, H)},
		"sequence":  {"x": rnd(1, B, S, I), "mask": mask},
		"attention": {"enc": rnd(1, B, S, H), "query": rnd(1, B, H), "mask": mask},
		"additive":  {"wk": rnd(0.5, H, A), "wq": rnd(0.5, H, A), "v": rnd(1, A)},
		"general":   {"w": rnd(0.5, H, H)},
		"concat":    {"w": rnd(0.5, 2*H, A), "b": rnd(0.5, A), "v": rnd(1, A)},
	}
}

// torchOutputs names the graph's outputs, "group.name", in the order goReference returns them.
var torchOutputs = []string{"lstm.h", "lstm.c", "gru.h", "rnn.h",
	"additive.context", "additive.weights", "dot.context", "dot.weights",
	"general.context", "general.weights", "concat.context", "concat.weights",
	"bi_lstm.outputs", "bi_lstm.h_n", "bi_lstm.c_n", "bi_gru.outputs", "bi_gru.h_n", "bi_rnn.outputs", "bi_rnn.h_n"}

// goReference builds the textgen cells and attentions on the problem's tensors (in the order of names),
// converted to dtype, and returns the outputs named by torchOutputs. PyTorch's layouts map to ours as
// Wx = weight_ihᵀ, Wh = weight_hhᵀ; the LSTM's and the RNN's two biases add up, the GRU's stay apart.
func goReference(names []string, inputs []*Node, dtype dtypes.DType) []*Node {
	in := map[string]*Node{}
	for i, n := range names {
		if strings.HasSuffix(n, ".mask") {
			in[n] = NotEqual(inputs[i], ScalarZero(inputs[i].Graph(), inputs[i].DType()))
		} else {
			in[n] = ConvertDType(inputs[i], dtype)
		}
	}
	T := func(x *Node) *Node { return Transpose(x, 0, 1) }
	H := in["lstm.weight_hh"].Shape().Dim(1)
	lstmOf := func(g string) *seqmodel.LSTM {
		return &seqmodel.LSTM{Wx: T(in[g+".weight_ih"]), Wh: T(in[g+".weight_hh"]),
			B: Add(in[g+".bias_ih"], in[g+".bias_hh"]), Hidden: H}
	}
	gruOf := func(g string) *seqmodel.GRU {
		return &seqmodel.GRU{Wx: T(in[g+".weight_ih"]), Wh: T(in[g+".weight_hh"]),
			Bx: in[g+".bias_ih"], Bh: in[g+".bias_hh"], Hidden: H}
	}
	rnnOf := func(g string) *seqmodel.RNN {
		return &seqmodel.RNN{Wx: T(in[g+".weight_ih"]), Wh: T(in[g+".weight_hh"]),
			B: Add(in[g+".bias_ih"], in[g+".bias_hh"]), Hidden: H}
	}
	lh, lc, _ := lstmOf("lstm").Step(in["lstm.x"], in["lstm.h"], in["lstm.c"])
	gh, _ := gruOf("gru").Step(in["gru.x"], in["gru.h"])
	rh := rnnOf("rnn").Step(in["rnn.x"], in["rnn.h"])
	enc, mask, q := in["attention.enc"], in["attention.mask"], in["attention.query"]
	outs := []*Node{lh, lc, gh, rh}
	for _, att := range []seqmodel.Attention{
		seqmodel.AdditiveFromWeights(enc, mask, in["additive.wk"], in["additive.wq"], in["additive.v"]),
		seqmodel.LuongFromWeights(seqmodel.AttentionDot, enc, mask, nil, nil, nil),
		seqmodel.LuongFromWeights(seqmodel.AttentionGeneral, enc, mask, in["general.w"], nil, nil),
		seqmodel.LuongFromWeights(seqmodel.AttentionConcat, enc, mask, in["concat.w"], in["concat.b"], in["concat.v"]),
	} {
		context, weights := att.Attend(q)
		outs = append(outs, context, weights)
	}
	// One bidirectional layer per cell over the padded sequence: outputs [B,S,2H], h_n [2,B,H] (and c_n).
	x, xmask := in["sequence.x"], in["sequence.mask"]
	for _, cells := range [][2]seqmodel.Cell{{lstmOf("lstm"), lstmOf("lstm_reverse")},
		{gruOf("gru"), gruOf("gru_reverse")}, {rnnOf("rnn"), rnnOf("rnn_reverse")}} {
		o, f, b := seqmodel.EncodeLayer(cells[0], cells[1], x, xmask)
		outs = append(outs, o, Stack([]*Node{f.H, b.H}, 0))
		if f.C != nil {
			outs = append(outs, Stack([]*Node{f.C, b.C}, 0))
		}
	}
	return outs
}

// One LSTM step, one GRU step, one RNN step, each attention score and one bidirectional encoder layer of each
// cell on a padded batch match PyTorch (torch.nn.LSTMCell, torch.nn.GRUCell, torch.nn.RNNCell,
// testdata/torch_ref.py's attentions, and torch.nn.LSTM/GRU/RNN(bidirectional=True) on a pack_padded_sequence,
// in float64) on the same weights: within 1e-5 when textgen computes in float32, within 1e-10 in float64.
// Attention on padding and encoder outputs at padding are exactly 0 on both sides.
func TestMatchesPyTorch(t *testing.T) {
	const B, I, H, S, A = 2, 3, 4, 5, 3
	problem := torchProblem(B, I, H, S, A)
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json")
	raw, err := json.Marshal(problem)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ref, version := runTorch(t, inPath, outPath)

	// The textgen side: one graph computing everything in float32 and again in float64.
	var names []string
	var args []any
	for _, group := range slices.Sorted(maps.Keys(problem)) {
		for _, name := range slices.Sorted(maps.Keys(problem[group])) {
			rt := problem[group][name]
			f32 := make([]float32, len(rt.Data))
			for i, v := range rt.Data {
				f32[i] = float32(v)
			}
			names = append(names, group+"."+name)
			args = append(args, tensors.FromFlatDataAndDimensions(f32, rt.Shape...))
		}
	}
	outs, err := ExecOnceN(testutil.Backend(t), func(inputs []*Node) []*Node {
		return append(goReference(names, inputs, dtypes.Float32), goReference(names, inputs, dtypes.Float64)...)
	}, args...)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range torchOutputs {
		group, field, _ := strings.Cut(name, ".")
		want, ok := ref[group][field]
		if !ok {
			t.Fatalf("torch_ref.py wrote no %s", name)
		}
		for _, c := range []struct {
			got *tensors.Tensor
			tol float64
		}{{outs[i], 1e-5}, {outs[len(torchOutputs)+i], 1e-10}} {
			got := flat64(c.got)
			if !slices.Equal(c.got.Shape().Dimensions, want.Shape) {
				t.Fatalf("%s (%s): shape %v, PyTorch %v", name, c.got.DType(), c.got.Shape().Dimensions, want.Shape)
			}
			d := 0.0
			for j := range got {
				d = max(d, math.Abs(got[j]-want.Data[j]))
				if (field == "weights" || field == "outputs") && want.Data[j] == 0 && got[j] != 0 {
					t.Errorf("%s (%s): element %d on padding is %g, want exactly 0", name, c.got.DType(), j, got[j])
				}
			}
			if d > c.tol {
				t.Errorf("%s (%s): max |textgen − PyTorch| = %.3g > %g\n textgen %v\n PyTorch %v",
					name, c.got.DType(), d, c.tol, got, want.Data)
			} else {
				t.Logf("%-17s %-8s max |textgen − PyTorch| = %.2g", name, c.got.DType(), d)
			}
		}
	}
	if t.Failed() {
		t.Logf("reference: PyTorch %s", version)
	}
}

// runTorch runs testdata/torch_ref.py on inPath with the first Python that can import torch and returns what
// it wrote to outPath. Without such a Python the test fails with install instructions, or skips loudly when
// TEXTGEN_SKIP_TORCH=1.
func runTorch(t *testing.T, inPath, outPath string) (ref map[string]map[string]refTensor, version string) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "torch_ref.py"))
	if err != nil {
		t.Fatal(err)
	}
	py, tried := testutil.RunReference(t, testutil.TorchPythons(), 2*time.Minute, script, inPath, outPath)
	if py != "" {
		raw, err := os.ReadFile(outPath)
		if err != nil {
			t.Fatalf("%s %s wrote no output: %v", py, script, err)
		}
		var groups map[string]json.RawMessage
		if err := json.Unmarshal(raw, &groups); err != nil {
			t.Fatalf("reading %s: %v", outPath, err)
		}
		ref = map[string]map[string]refTensor{}
		for k, v := range groups {
			var err error
			if k == "torch_version" {
				err = json.Unmarshal(v, &version)
			} else {
				group := map[string]refTensor{}
				err = json.Unmarshal(v, &group)
				ref[k] = group
			}
			if err != nil {
				t.Fatalf("reading %s, field %q: %v", outPath, k, err)
			}
		}
		t.Logf("reference: PyTorch %s via %s", version, py)
		return ref, version
	}
	msg := fmt.Sprintf("no Python here can import torch, needed to check the cells against PyTorch.\n"+
		"Tried:\n  %s\nInstall it (Debian 12: ~150 MB download, about a minute; for /usr/bin/python3):\n  %s\n"+
		"or set %s to a Python that has torch. %s=1 skips this check (not for CI).",
		strings.Join(tried, "\n  "), torchInstall, testutil.TorchPythonEnv, skipTorchEnv)
	if os.Getenv(skipTorchEnv) == "1" {
		t.Skipf("!!!!!!!! %s=1: cells and attention NOT checked against PyTorch !!!!!!!!\n%s", skipTorchEnv, msg)
	}
	t.Fatal(msg)
	return nil, ""
}

// flat64 returns a float32 or float64 tensor's values as float64.
func flat64(t *tensors.Tensor) []float64 {
	if t.DType() == dtypes.Float64 {
		return tensors.MustCopyFlatData[float64](t)
	}
	f := tensors.MustCopyFlatData[float32](t)
	out := make([]float64, len(f))
	for i, v := range f {
		out[i] = float64(v)
	}
	return out
}
