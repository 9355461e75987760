// Command textgenbench measures textgen's seq2seq (seq2seq/model, seq2seq/train) on one backend and one bench
// config, and prints a bench.Result as one JSON line. bench/cmd/runbench runs it; see docs/benchmarks.md.
//
//	go run ./bench/cmd/textgenbench -config S -backend xla -warmup 3 -repeats 5 -steps 5
//	go run ./bench/cmd/textgenbench -probe 2048 -backend xla     # matmul peak only
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/bench"
	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/decode"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

type options struct {
	config, backend, cpuProfile string
	warmup, repeats, steps      int
	decodeRepeats, probe        int
	skipDecode, ab              bool
}

func main() {
	var o options
	flag.StringVar(&o.config, "config", "S", "bench config: S or L")
	flag.StringVar(&o.backend, "backend", "xla", "backend: xla (the project's PJRT CPU plugin) or go")
	flag.IntVar(&o.warmup, "warmup", 2, "training steps after the first, not timed")
	flag.IntVar(&o.repeats, "repeats", 5, "timed repeats")
	flag.IntVar(&o.steps, "steps", 5, "training steps per repeat")
	flag.IntVar(&o.decodeRepeats, "decode-repeats", 10, "timed repeats of each decoding figure")
	flag.IntVar(&o.probe, "probe", 0, "if > 0, only measure the GFLOP/s of an N×N float32 matmul")
	flag.BoolVar(&o.ab, "ab", false, "A/B-test the candidate speed-up of variant.go against the model (no result line)")
	flag.BoolVar(&o.skipDecode, "skip-decode", false, "measure training only")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed training steps")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "textgenbench:", err)
		os.Exit(1)
	}
}

func startBackend(name string) (compute.Backend, backend.Choice, error) {
	env := backend.ProcessEnv()
	env.Backend = name
	if name == backend.XLA {
		env.Backend = "xla:cpu"
	}
	c, err := backend.ChooseWith(env)
	if err != nil {
		return nil, c, err
	}
	b, err := backend.Start(c)
	return b, c, err
}

func run(o options) error {
	b, choice, err := startBackend(o.backend)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, choice)
	if o.probe > 0 {
		return probe(b, o)
	}
	c, err := bench.ConfigByName(o.config)
	if err != nil {
		return err
	}
	if o.ab {
		return abTest(b, c, o)
	}
	res := bench.Result{Framework: bench.TextgenXLA, Config: c.Name, Version: version(b, choice),
		Threads: runtime.GOMAXPROCS(0), Mode: "train.Trainer.Step (GoMLX trainer, one compiled graph)", NA: map[string]string{}}
	if o.backend == backend.Go {
		res.Framework = bench.TextgenGo
		res.Mode += ", " + choice.Config
	}
	if err := measureTraining(b, c, o, &res); err != nil {
		return err
	}
	out, err := bench.Emit(bench.ResultPrefix, res)
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(out)
	return err
}

// version names GoMLX and the backend without machine paths, e.g. "GoMLX v0.28.2, xla PJRT plugin v0.115".
func version(b compute.Backend, c backend.Choice) string {
	d := b.Description()
	if c.Plugin != "" {
		d = strings.ReplaceAll(d, c.Plugin, filepath.Base(c.Plugin))
	}
	return "GoMLX v0.28.2, " + d
}

// modelConfig is the textgen model of a bench config.
func modelConfig(c bench.Config) seqmodel.Config {
	return seqmodel.Config{VocabSize: c.Vocab, Embed: c.Embed, Hidden: c.Hidden, Attention: c.Attention,
		MaxSource: c.Source, MaxTarget: c.Target, ForgetBias: 1, Seed: 1,
		Cell: seqmodel.CellLSTM, AttentionType: seqmodel.AttentionAdditive}
}

// setClip sets a global-norm clipping threshold on cfg if train.Config has such a field (a float field whose JSON
// name contains "clip"); it reports whether it did. Reflection lets the harness build before and after the
// field exists.
func setClip(cfg *train.Config, norm float64) (string, bool) {
	v := reflect.ValueOf(cfg).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if strings.Contains(strings.ToLower(tag), "clip") && v.Field(i).CanFloat() {
			v.Field(i).SetFloat(norm)
			return f.Name, true
		}
	}
	return "", false
}

func toBatch(bt bench.Batch, c bench.Config) train.Batch {
	cp := func(x []int32) *tensors.Tensor {
		return tensors.FromFlatDataAndDimensions(append([]int32(nil), x...), c.Batch, len(x)/c.Batch)
	}
	return train.Batch{Src: cp(bt.Src), TgtIn: cp(bt.TgtIn), TgtOut: cp(bt.TgtOut)}
}

func measureTraining(b compute.Backend, c bench.Config, o options, res *bench.Result) error {
	data, err := bench.Data(c, 4, 1)
	if err != nil {
		return err
	}
	m := seqmodel.New(modelConfig(c))
	store := model.NewStore()
	tcfg := train.Config{Steps: 1, BatchSize: c.Batch, LearningRate: 1e-3, Seed: 1}
	if field, ok := setClip(&tcfg, 1); ok {
		res.Clip = true
		res.Notes = append(res.Notes, "clipping by train.Config."+field+" = 1")
	} else {
		res.Notes = append(res.Notes, "no global-norm clipping: train.Config has no clip field yet")
	}
	tr, err := train.New(b, store, m, tcfg)
	if err != nil {
		return err
	}
	k := 0
	step := func() (float64, error) {
		l, err := tr.Step(toBatch(data[k%len(data)], c))
		k++
		return l, err
	}
	start := time.Now()
	if res.LossFirst, err = step(); err != nil {
		return err
	}
	res.FirstStepS = time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "%s %s: first step %.2fs loss %.4f\n", res.Framework, c.Name, res.FirstStepS, res.LossFirst)
	for range o.warmup {
		if _, err := step(); err != nil {
			return err
		}
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res.StepsPerRepeat = o.steps
	for r := range o.repeats {
		start := time.Now()
		for range o.steps {
			if res.LossLast, err = step(); err != nil {
				return err
			}
		}
		res.StepS = append(res.StepS, time.Since(start).Seconds()/float64(o.steps))
		fmt.Fprintf(os.Stderr, "  repeat %d: %.3fs/step loss %.4f\n", r, res.StepS[r], res.LossLast)
	}
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if o.skipDecode {
		for _, k := range []string{bench.MetricGreedy, bench.MetricBeam, bench.MetricBatchDecode} {
			res.NA[k] = "skipped (-skip-decode)"
		}
		return nil
	}
	return measureDecoding(b, store, m, c, data[0], o, res)
}

// measureDecoding times greedy decoding (batch 1 and batch c.Batch) with the trained weights: one compiled
// graph of c.Decode unrolled steps (seqmodel.Seq2Seq.Greedy) per batch size, its tokens copied to the host.
func measureDecoding(b compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, c bench.Config, bt bench.Batch, o options, res *bench.Result) error {
	exec, err := model.NewExec(b, store, func(scope *model.Scope, src *Node) *Node {
		toks, _ := m.Greedy(scope, src, c.Decode)
		return toks
	})
	if err != nil {
		return err
	}
	decode := func(rows int) (float64, error) {
		src := tensors.FromFlatDataAndDimensions(append([]int32(nil), bt.Src[:rows*c.Source]...), rows, c.Source)
		start := time.Now()
		out, err := exec.Exec(src)
		if err != nil {
			return 0, err
		}
		toks := tensors.MustCopyFlatData[int32](out[0])
		el := time.Since(start).Seconds()
		if len(toks) != rows*c.Decode {
			return 0, fmt.Errorf("greedy decode returned %d tokens, want %d", len(toks), rows*c.Decode)
		}
		_ = out[0].FinalizeAll()
		_ = src.FinalizeAll()
		return el, nil
	}
	var err2 error
	if res.GreedyFirstS, err2 = decode(1); err2 != nil {
		return err2
	}
	for range o.decodeRepeats {
		s, err := decode(1)
		if err != nil {
			return err
		}
		res.GreedyS = append(res.GreedyS, s)
	}
	if _, err := decode(c.Batch); err != nil { // compile the batch shape
		return err
	}
	for range max(o.decodeRepeats/2, 2) {
		s, err := decode(c.Batch)
		if err != nil {
			return err
		}
		res.BatchDecodeS = append(res.BatchDecodeS, s)
	}
	return measureBeam(b, store, m, c, bt, o, res)
}

// measureBeam times seq2seq/decode's beam search (width c.Beam) of one source for exactly c.Decode steps:
// MinLen forbids the end token before the last step, so no hypothesis finishes early (the peers also run a
// fixed number of steps). The vocabulary is synthetic: "w4" … "w<V−1>" after the special tokens.
func measureBeam(b compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, c bench.Config, bt bench.Batch, o options, res *bench.Result) error {
	tokens := text.SpecialTokens()
	for id := len(tokens); id < c.Vocab; id++ {
		tokens = append(tokens, fmt.Sprintf("w%d", id))
	}
	vocab, err := text.NewVocab(tokens, text.WhitespaceTokenizer{})
	if err != nil {
		return err
	}
	var words []string
	for _, id := range bt.Src[:c.Source-1] {
		words = append(words, tokens[id])
	}
	dec, err := decode.New(b, store, m, vocab)
	if err != nil {
		return err
	}
	opts := decode.Options{Strategy: decode.StrategyBeam, Beam: c.Beam, MaxLen: c.Decode, MinLen: c.Decode - 1, BatchSize: 1}
	run := func() (float64, error) {
		start := time.Now()
		out, err := dec.Decode([]string{strings.Join(words, " ")}, opts)
		if err != nil {
			return 0, err
		}
		if n := len(out[0].Tokens); n < c.Decode-1 {
			res.Notes = append(res.Notes, fmt.Sprintf("beam search returned %d tokens, expected ≥ %d", n, c.Decode-1))
		}
		return time.Since(start).Seconds(), nil
	}
	if _, err := run(); err != nil { // compiles the encoder and step graphs
		return fmt.Errorf("beam search: %w", err)
	}
	for range o.decodeRepeats {
		s, err := run()
		if err != nil {
			return err
		}
		res.BeamS = append(res.BeamS, s)
	}
	res.Notes = append(res.Notes, "beam search by seq2seq/decode (Go loop over a compiled step graph)")
	return nil
}

// probe measures the GFLOP/s of an N×N float32 matmul on b: one compiled graph, timed over repeats with the
// result copied back to the host.
func probe(b compute.Backend, o options) error {
	n := o.probe
	exec, err := NewExec(b, func(x *Node) *Node { return MatMul(x, x) })
	if err != nil {
		return err
	}
	vals := make([]float32, n*n)
	for i := range vals {
		vals[i] = float32(math.Sin(float64(i)))
	}
	x := tensors.FromFlatDataAndDimensions(vals, n, n)
	p := bench.Probe{Name: "GoMLX MatMul, backend " + o.backend, N: n}
	for r := range o.repeats + 1 {
		start := time.Now()
		out, err := exec.Exec(x)
		if err != nil {
			return err
		}
		_ = tensors.MustCopyFlatData[float32](out[0])
		el := time.Since(start).Seconds()
		_ = out[0].FinalizeAll()
		if r > 0 { // the first call compiles
			p.GFLOPS = append(p.GFLOPS, 2*float64(n)*float64(n)*float64(n)/el/1e9)
		}
	}
	out, err := bench.Emit(bench.ProbePrefix, p)
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(out)
	return err
}
