package run

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Trace is the trained encoder's LSTM run over one source, step by step: the gates and states after each
// token, for teaching and plotting. Every matrix is [len(Tokens)][H].
type Trace struct {
	Tokens                      []string    // Source tokens, the end token last.
	Input, Forget, Cell, Output [][]float32 // Gates i, f, g (the candidate, tanh) and o after each token.
	H, C                        [][]float32 // Hidden state and memory after each token.
}

// TraceEncoder runs the job's trained encoder LSTM (the forward cell of the first layer, variables under
// "encoder", embeddings under "source") over source and returns its gates and states. It needs an LSTM
// encoder (Config.Model.Cell "lstm" or empty) and a source that fits Config.Model.MaxSource. Each call
// compiles a graph for the source's length.
func (j *Job) TraceEncoder(source string) (*Trace, error) {
	cfg := j.Config.Model
	if cfg.Cell != "" && cfg.Cell != seqmodel.CellLSTM {
		return nil, fmt.Errorf("trace encoder: cell %q: only the LSTM has these gates", cfg.Cell)
	}
	ids := j.Vocab.EncodeWithEOS(source)
	if len(ids) > cfg.MaxSource {
		return nil, fmt.Errorf("trace encoder: source %q has %d tokens with the end token, max_source is %d",
			source, len(ids), cfg.MaxSource)
	}
	src := make([]int32, len(ids))
	for i, id := range ids {
		src[i] = int32(id)
	}
	exec, err := model.NewExec(j.Backend, j.Store, func(scope *model.Scope, src *Node) []*Node {
		return traceGraph(scope, cfg, src)
	})
	if err != nil {
		return nil, fmt.Errorf("trace encoder: %w", err)
	}
	outs, err := exec.Exec(tensors.FromFlatDataAndDimensions(src, 1, len(src)))
	if err != nil {
		return nil, fmt.Errorf("trace encoder: %w", err)
	}
	mats := make([][][]float32, len(outs))
	for k, o := range outs {
		flat := tensors.MustCopyFlatData[float32](o)
		for t := range len(src) {
			mats[k] = append(mats[k], flat[t*cfg.Hidden:(t+1)*cfg.Hidden])
		}
		_ = o.FinalizeAll()
	}
	return &Trace{Tokens: j.Vocab.Tokens(ids), Input: mats[0], Forget: mats[1], Cell: mats[2], Output: mats[3],
		H: mats[4], C: mats[5]}, nil
}

// traceGraph runs the encoder LSTM over src [1,S] int32 (no padding) and returns the gates i, f, g, o and the
// states h, c, each [S,H].
func traceGraph(scope *model.Scope, cfg seqmodel.Config, src *Node) []*Node {
	g := src.Graph()
	table := scope.In("source").VariableWithShape("embedding",
		shapes.Make(dtypes.Float32, cfg.VocabSize, cfg.Embed)).ValueGraph(g) // [V,E]
	lstm := seqmodel.NewLSTM(scope.In("encoder"), g, cfg.Embed, cfg.Hidden, cfg.ForgetBias)
	x := MatMul(OneHot(Squeeze(src, 0), cfg.VocabSize, dtypes.Float32), table) // [S,E]
	state := lstm.ZeroState(1)
	h, c := state.H, state.C
	series := make([][]*Node, 6)
	for s := range src.Shape().Dim(1) {
		var gates seqmodel.Gates
		h, c, gates = lstm.Step(SliceAxis(x, 0, AxisElem(s)), h, c)
		for k, n := range []*Node{gates.Input, gates.Forget, gates.Cell, gates.Output, h, c} {
			series[k] = append(series[k], n)
		}
	}
	outs := make([]*Node, len(series))
	for k, ns := range series {
		outs[k] = Concatenate(ns, 0) // [S,H]
	}
	return outs
}
