package main

// An A/B harness for candidate speed-ups of seq2seq/model's training graph. The variant below rebuilds the
// model's teacher-forced forward pass from seq2seq/model's exported pieces with the same variables (same scopes,
// names, initialisers and creation order, hence the same initial weights), changing only how the work is laid
// out. Both graphs train side by side in one process on the same batches; the losses must agree to float32
// rounding, and the step times are compared alternately to cancel machine noise.

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	gomlxtrain "github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/gotextgen/textgen/bench"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// variantLogits is seqmodel.Seq2Seq.TrainLogits (single-layer LSTM, additive attention, no input feeding) with
// the output layer applied once to the stacked features [B·T,2H]·[2H,V] instead of once per step: the forward
// pass is the same arithmetic, but the backward pass computes one weight gradient [2H,V] instead of T partial
// ones that are then summed.
func variantLogits(cfg seqmodel.Config, scope *model.Scope, src, tgtIn *Node) *Node {
	g := src.Graph()
	B, S, T := src.Shape().Dim(0), src.Shape().Dim(1), tgtIn.Shape().Dim(1)
	H, V := cfg.Hidden, cfg.VocabSize
	table := func(s *model.Scope) *Node {
		init := s.WithInitializer(initializer.RandomNormalFn(s, 0.1))
		return init.VariableWithShape("embedding", shapes.Make(dtypes.Float32, V, cfg.Embed)).ValueGraph(g)
	}
	embed := func(t, ids *Node) *Node {
		if V > 2048 {
			return Gather(t, InsertAxes(ids, -1))
		}
		return MatMul(OneHot(ids, V, t.DType()), t)
	}
	// Encoder, as seqmodel.Encode with one forward layer.
	srcTable := table(scope.In("source"))
	mask := NotEqual(src, Const(g, int32(bench.PadID)))
	enc := seqmodel.NewLSTM(scope.In("encoder"), g, cfg.Embed, H, cfg.ForgetBias)
	st := enc.ZeroState(B)
	outs := make([]*Node, S)
	for s := range S {
		ids := Squeeze(SliceAxis(src, 1, AxisElem(s)), 1)
		m := Squeeze(SliceAxis(mask, 1, AxisElem(s)), 1)
		next := enc.Advance(embed(srcTable, ids), st)
		keep := func(n, o *Node) *Node { return Where(BroadcastToShape(InsertAxes(m, -1), n.Shape()), n, o) }
		st = seqmodel.State{H: keep(next.H, st.H), C: keep(next.C, st.C)}
		outs[s] = keep(next.H, ZerosLike(next.H))
	}
	encOut := Stack(outs, 1)
	// Decoder, as seqmodel's decoder.step, variables created in the same order (target, attention, decoder, output).
	tgtTable := table(scope.In("target"))
	att := seqmodel.NewAdditive(scope.In("attention"), encOut, mask, H, cfg.Attention)
	cell := seqmodel.NewLSTM(scope.In("decoder"), g, cfg.Embed+H, H, cfg.ForgetBias)
	oscope := scope.In("output")
	outW := oscope.WithInitializer(initializer.XavierUniformFn(scope)).
		VariableWithShape("kernel", shapes.Make(dtypes.Float32, 2*H, V)).ValueGraph(g)
	outB := oscope.VariableWithValue("bias", make([]float32, V)).ValueGraph(g)
	feats := make([]*Node, T)
	for t := range T {
		prev := Squeeze(SliceAxis(tgtIn, 1, AxisElem(t)), 1)
		ctx, _ := att.Attend(st.H)
		st = cell.Advance(Concatenate([]*Node{embed(tgtTable, prev), ctx}, -1), st)
		feats[t] = Concatenate([]*Node{st.H, ctx}, -1)
	}
	f := Reshape(Stack(feats, 1), B*T, 2*H)
	return Reshape(Add(MatMul(f, outW), InsertAxes(outB, 0)), B, T, V)
}

// abTest trains the model and the variant from the same initial weights on the same batches, alternating timed
// repeats, and prints both step-time medians, their ratio and the largest loss difference.
func abTest(b compute.Backend, c bench.Config, o options) error {
	data, err := bench.Data(c, 4, 1)
	if err != nil {
		return err
	}
	mcfg := modelConfig(c)
	m := seqmodel.New(mcfg)
	newTrainer := func(fn func(scope *model.Scope, inputs []*Node) *Node) *gomlxtrain.Trainer {
		store := model.NewStore()
		store.SetParam(model.ParamInitialSeed, mcfg.Seed)
		opt := optimizer.Adam().LearningRate(1e-3).Done()
		return gomlxtrain.NewTrainer(b, store, fn, seqmodel.MaskedLoss, opt, nil, nil)
	}
	trainers := []*gomlxtrain.Trainer{
		newTrainer(func(scope *model.Scope, in []*Node) *Node { return m.TrainLogits(scope, in[0], in[1]) }),
		newTrainer(func(scope *model.Scope, in []*Node) *Node { return variantLogits(mcfg, scope, in[0], in[1]) }),
	}
	names := []string{"model", "variant"}
	step := func(i, k int) (float64, error) {
		bt := toBatch(data[k%len(data)], c)
		ms, err := trainers[i].TrainStep(gomlxtrain.Batch{Inputs: []*tensors.Tensor{bt.Src, bt.TgtIn}, Labels: []*tensors.Tensor{bt.TgtOut}})
		if err != nil {
			return 0, err
		}
		l := float64(tensors.ToScalar[float32](ms[0]))
		for _, t := range ms {
			_ = t.FinalizeAll()
		}
		return l, nil
	}
	losses := [2][]float64{}
	times := [2][]float64{}
	k := [2]int{}
	for i := range trainers {
		start := time.Now()
		for range 1 + o.warmup {
			l, err := step(i, k[i])
			if err != nil {
				return err
			}
			losses[i] = append(losses[i], l)
			k[i]++
		}
		fmt.Fprintf(os.Stderr, "%s: first step + warm-up %.2fs\n", names[i], time.Since(start).Seconds())
	}
	for r := range o.repeats {
		for i := range trainers {
			start := time.Now()
			for range o.steps {
				l, err := step(i, k[i])
				if err != nil {
					return err
				}
				losses[i] = append(losses[i], l)
				k[i]++
			}
			times[i] = append(times[i], time.Since(start).Seconds()/float64(o.steps))
			fmt.Fprintf(os.Stderr, "  repeat %d %s: %.3fs/step\n", r, names[i], times[i][r])
		}
	}
	maxDiff := 0.0
	for j := range losses[0] {
		maxDiff = math.Max(maxDiff, math.Abs(losses[0][j]-losses[1][j]))
	}
	a, v := bench.Summarize(times[0]), bench.Summarize(times[1])
	fmt.Printf("config %s: model %.4fs/step (%.4f–%.4f), variant %.4fs/step (%.4f–%.4f): variant is %.2f× as fast; "+
		"max |loss difference| over %d steps %.2g (loss %.4f → %.4f)\n", c.Name, a.Median, a.Min, a.Max, v.Median, v.Min, v.Max,
		a.Median/v.Median, len(losses[0]), maxDiff, losses[0][0], losses[0][len(losses[0])-1])
	return nil
}
