package model_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// gradCase is one component under the gradient check: the named float64 inputs it differentiates and a builder
// of its outputs from them.
type gradCase struct {
	name   string
	params []gradParam
	build  func(in map[string]*Node) []*Node
}

// gradParam is one differentiated input: its name and dimensions.
type gradParam struct {
	name string
	dims []int
}

// gradCases are the LSTM, GRU and RNN steps and the four attention scores on tiny shapes. Attention runs on a
// source of S=3 where example 1 has 2 real positions, so the padded position is exercised too.
func gradCases(B, I, H, S, A int) []gradCase {
	p := func(name string, dims ...int) gradParam { return gradParam{name, dims} }
	mask := func(in map[string]*Node) *Node {
		return Const(in["enc"].Graph(), [][]bool{{true, true, true}, {true, true, false}})
	}
	attention := func(name string, extra []gradParam, att func(in map[string]*Node) seqmodel.Attention) gradCase {
		return gradCase{name: name, params: append([]gradParam{p("enc", B, S, H), p("q", B, H)}, extra...),
			build: func(in map[string]*Node) []*Node {
				context, weights := att(in).Attend(in["q"])
				return []*Node{context, weights}
			}}
	}
	return []gradCase{
		{name: "lstm", params: []gradParam{p("wx", I, 4*H), p("wh", H, 4*H), p("b", 4*H), p("x", B, I), p("h", B, H), p("c", B, H)},
			build: func(in map[string]*Node) []*Node {
				cell := &seqmodel.LSTM{Wx: in["wx"], Wh: in["wh"], B: in["b"], Hidden: H}
				h, c, _ := cell.Step(in["x"], in["h"], in["c"])
				return []*Node{h, c}
			}},
		{name: "gru", params: []gradParam{p("wx", I, 3*H), p("wh", H, 3*H), p("bx", 3*H), p("bh", 3*H), p("x", B, I), p("h", B, H)},
			build: func(in map[string]*Node) []*Node {
				cell := &seqmodel.GRU{Wx: in["wx"], Wh: in["wh"], Bx: in["bx"], Bh: in["bh"], Hidden: H}
				h, _ := cell.Step(in["x"], in["h"])
				return []*Node{h}
			}},
		{name: "rnn", params: []gradParam{p("wx", I, H), p("wh", H, H), p("b", H), p("x", B, I), p("h", B, H)},
			build: func(in map[string]*Node) []*Node {
				cell := &seqmodel.RNN{Wx: in["wx"], Wh: in["wh"], B: in["b"], Hidden: H}
				return []*Node{cell.Step(in["x"], in["h"])}
			}},
		attention("additive", []gradParam{p("wk", H, A), p("wq", H, A), p("v", A)}, func(in map[string]*Node) seqmodel.Attention {
			return seqmodel.AdditiveFromWeights(in["enc"], mask(in), in["wk"], in["wq"], in["v"])
		}),
		attention("dot", nil, func(in map[string]*Node) seqmodel.Attention {
			return seqmodel.LuongFromWeights(seqmodel.AttentionDot, in["enc"], mask(in), nil, nil, nil)
		}),
		attention("general", []gradParam{p("w", H, H)}, func(in map[string]*Node) seqmodel.Attention {
			return seqmodel.LuongFromWeights(seqmodel.AttentionGeneral, in["enc"], mask(in), in["w"], nil, nil)
		}),
		attention("concat", []gradParam{p("w", 2*H, A), p("b", A), p("v", A)}, func(in map[string]*Node) seqmodel.Attention {
			return seqmodel.LuongFromWeights(seqmodel.AttentionConcat, in["enc"], mask(in), in["w"], in["b"], in["v"])
		}),
	}
}

// Autodiff agrees with central finite differences, in float64, for every weight and input of the LSTM step,
// the GRU step, the RNN step and the additive, dot, general and concat attentions: for L = Σ_k ⟨output_k, R_k⟩ with fixed
// random R_k, ∂L/∂θ_i ≈ (L(θ + εe_i) − L(θ − εe_i)) / 2ε. Encoder outputs at padded positions get exactly zero
// gradient. One graph holds every case (one compilation); each finite difference re-runs it.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	const B, I, H, S, A = 2, 2, 3, 3, 2
	const eps = 1e-6
	cases := gradCases(B, I, H, S, A)

	// Every case's inputs, concatenated; first[c] is the index of case c's first input.
	rng := rand.New(rand.NewPCG(21, 22))
	var values [][]float64
	var dims [][]int
	first := make([]int, len(cases))
	for c, gc := range cases {
		first[c] = len(values)
		for _, p := range gc.params {
			n := 1
			for _, d := range p.dims {
				n *= d
			}
			v := make([]float64, n)
			for i := range v {
				v[i] = 0.7 * rng.NormFloat64()
			}
			values, dims = append(values, v), append(dims, p.dims)
		}
	}

	// Outputs per case: L, then ∂L/∂(each input).
	exec, err := NewExec(testutil.Backend(t), func(inputs []*Node) []*Node {
		g := inputs[0].Graph()
		proj := rand.New(rand.NewPCG(23, 24))
		var outs []*Node
		for c, gc := range cases {
			in := map[string]*Node{}
			params := inputs[first[c] : first[c]+len(gc.params)]
			for i, p := range gc.params {
				in[p.name] = params[i]
			}
			loss := ScalarZero(g, dtypes.Float64)
			for _, y := range gc.build(in) {
				r := make([]float64, y.Shape().Size())
				for i := range r {
					r[i] = proj.NormFloat64()
				}
				R := Const(g, tensors.FromFlatDataAndDimensions(r, y.Shape().Dimensions...))
				loss = Add(loss, ReduceAllSum(Mul(y, R)))
			}
			outs = append(append(outs, loss), Gradient(loss, params...)...)
		}
		return outs
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func() []*tensors.Tensor {
		args := make([]any, len(values))
		for i, v := range values {
			args[i] = tensors.FromFlatDataAndDimensions(v, dims[i]...)
		}
		outs, err := exec.Exec(args...)
		if err != nil {
			t.Fatal(err)
		}
		return outs
	}
	scalar := func(x *tensors.Tensor) float64 { return tensors.ToScalar[float64](x) }

	base := run()
	out := 0 // index of the current case's loss in the outputs
	for c, gc := range cases {
		worst := 0.0
		for k, p := range gc.params {
			input := first[c] + k
			auto := tensors.MustCopyFlatData[float64](base[out+1+k])
			bad := 0
			for i := range values[input] {
				orig := values[input][i]
				values[input][i] = orig + eps
				plus := scalar(run()[out])
				values[input][i] = orig - eps
				minus := scalar(run()[out])
				values[input][i] = orig
				fd := (plus - minus) / (2 * eps)
				diff := math.Abs(fd - auto[i])
				worst = max(worst, diff/(1+math.Abs(fd)))
				if diff > 1e-7+1e-6*math.Abs(fd) {
					if bad++; bad <= 3 {
						t.Errorf("%s: ∂L/∂%s%s: autodiff %.10g, finite differences %.10g", gc.name, p.name,
							multiIndex(p.dims, i), auto[i], fd)
					}
				}
			}
			if bad > 3 {
				t.Errorf("%s: ∂L/∂%s: %d more elements differ", gc.name, p.name, bad-3)
			}
			if p.name == "enc" { // example 1, position 2 is padding.
				for h := range H {
					if g := auto[(1*S+2)*H+h]; g != 0 {
						t.Errorf("%s: gradient at padded encoder output enc[1,2,%d] is %g, want exactly 0", gc.name, h, g)
					}
				}
			}
		}
		t.Logf("%-8s worst |autodiff − finite difference| / (1+|fd|) = %.2g", gc.name, worst)
		out += 1 + len(gc.params)
	}
}

// multiIndex formats the multi-index of flat position i in dims, e.g. "[1 0]".
func multiIndex(dims []int, i int) string {
	idx := make([]int, len(dims))
	for k := len(dims) - 1; k >= 0; k-- {
		idx[k] = i % dims[k]
		i /= dims[k]
	}
	return fmt.Sprint(idx)
}
