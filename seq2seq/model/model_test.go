package model_test

import (
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
)

func smallConfig() seqmodel.Config {
	return seqmodel.Config{VocabSize: 12, Embed: 8, Hidden: 16, Attention: 8, MaxSource: 7, MaxTarget: 5, ForgetBias: 1, Seed: 3}
}

// batch returns src [2,S] and tgtIn/tgtOut [2,5] with real lengths 4 and 2 (then PadID).
func batch(S int) (src, tgtIn, tgtOut *tensors.Tensor) {
	s := make([]int32, 2*S)
	copy(s, []int32{5, 6, 7, 8, text.EOSID})
	copy(s[S:], []int32{9, text.EOSID})
	return tensors.FromFlatDataAndDimensions(s, 2, S),
		tensors.FromValue([][]int32{{text.BOSID, 4, 5, 6, 7}, {text.BOSID, 10, 0, 0, 0}}),
		tensors.FromValue([][]int32{{4, 5, 6, 7, text.EOSID}, {10, text.EOSID, 0, 0, 0}})
}

// outputs runs the teacher-forced model on a fresh store with the config's seed and returns the masked loss,
// logits [2,5,V] and attention [2,5,S] for batch(S). perturbPad, when set, overwrites the embedding rows of
// PadID (in source and target tables) with random values before running.
func outputs(t *testing.T, S int, perturbPad bool) (loss float64, logits, attention []float32) {
	be := testutil.Backend(t)
	cfg := smallConfig()
	m := seqmodel.New(cfg)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, cfg.Seed)
	exec, err := model.NewExec(be, store, func(scope *model.Scope, src, tgtIn, tgtOut *Node) (*Node, *Node, *Node) {
		l, a := m.TeacherForced(scope, src, tgtIn)
		return seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{l}), l, a
	})
	if err != nil {
		t.Fatal(err)
	}
	src, in, out := batch(S)
	if perturbPad {
		if _, err := exec.Exec(src, in, out); err != nil { // creates the variables.
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for _, name := range []string{"/source/embedding", "/target/embedding"} {
			v := store.GetVariable(name)
			if v == nil {
				t.Fatalf("no variable %s", name)
			}
			vals := tensors.MustCopyFlatData[float32](v.MustValue())
			for e := range cfg.Embed {
				vals[text.PadID*cfg.Embed+e] = float32(rng.NormFloat64() * 10)
			}
			v.MustSetValue(tensors.FromFlatDataAndDimensions(vals, cfg.VocabSize, cfg.Embed))
		}
		src, in, out = batch(S)
	}
	res, err := exec.Exec(src, in, out)
	if err != nil {
		t.Fatal(err)
	}
	return float64(tensors.ToScalar[float32](res[0])), tensors.MustCopyFlatData[float32](res[1]),
		tensors.MustCopyFlatData[float32](res[2])
}

func maxDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// The loss ignores logits at padded target positions.
func TestMaskedLossIgnoresPaddedLogits(t *testing.T) {
	be := testutil.Backend(t)
	labels := [][]int32{{4, 5, text.EOSID}, {6, text.EOSID, text.PadID}}
	rng := rand.New(rand.NewPCG(5, 6))
	logits := make([]float32, 2*3*7)
	for i := range logits {
		logits[i] = float32(rng.NormFloat64())
	}
	lossOf := func(l []float32) float64 {
		out, err := ExecOnce(be, func(lab, lg *Node) *Node { return seqmodel.MaskedLoss([]*Node{lab}, []*Node{lg}) },
			tensors.FromValue(labels), tensors.FromFlatDataAndDimensions(l, 2, 3, 7))
		if err != nil {
			t.Fatal(err)
		}
		return float64(tensors.ToScalar[float32](out))
	}
	base := lossOf(logits)
	changed := append([]float32{}, logits...)
	for v := range 7 { // example 1, position 2 is padding.
		changed[(1*3+2)*7+v] = 100 * float32(v)
	}
	if got := lossOf(changed); math.Abs(got-base) > 1e-6 {
		t.Errorf("loss changed from %g to %g when only padded logits changed", base, got)
	}
	// Reference: mean over the 5 real tokens of -log softmax.
	want := 0.0
	for b, row := range labels {
		for p, lab := range row {
			if lab == text.PadID {
				continue
			}
			z := logits[(b*3+p)*7 : (b*3+p+1)*7]
			m, s := math.Inf(-1), 0.0
			for _, x := range z {
				m = max(m, float64(x))
			}
			for _, x := range z {
				s += math.Exp(float64(x) - m)
			}
			want += -(float64(z[lab]) - m - math.Log(s))
		}
	}
	want /= 5
	if math.Abs(base-want) > 1e-5 {
		t.Errorf("masked loss = %g, want %g (hand computed)", base, want)
	}
}

func TestConfigValidate(t *testing.T) {
	c := smallConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Hidden = 0
	if err := c.Validate(); err == nil {
		t.Fatal("hidden=0 accepted")
	}
}
