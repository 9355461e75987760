"""Writes the course notebooks from the cell lists below (source of truth for their code cells).

Run `python3 scripts/make_notebooks.py` after editing; `scripts/run_notebooks.py --inplace` then stores outputs.
Keeping the cells here keeps notebooks diffable and consistent (same first cell everywhere).
"""
import json
import pathlib

SETUP = """// Build against this checkout (notebooks/..), with the versions pinned in its go.mod.
!*rm -f go.work && go work init && go work use . "$GONB_DIR/.."
%goworkfix
%noautoget"""


# MUST is the helper every notebook declares in its first Go cell (GoNB keeps declarations across cells).
MUST = """// must stops the cell with a clear error.
func must(err error) {
	if err != nil {
		panic(err)
	}
}"""


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text.strip("\n")}


def notebook(cells, require_images):
    for i, c in enumerate(cells):
        c["id"] = f"cell-{i:02d}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
            "language_info": {"name": "go"},
            "textgen": {"require_images": require_images},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


QUICKSTART = [
    md("""
# 00 · Quickstart: teach a network to normalise dates

A sequence-to-sequence model reads text one character at a time and writes other text. Here it learns to turn
dates written the way people write them — `Mar 3, '21`, `Wednesday, March 3rd 2021`, `2021年3月3日` — into ISO
`2021-03-03`. Everything runs in Go: the model is built with [GoMLX](https://github.com/gomlx/gomlx) and runs on
XLA (or GoMLX's pure-Go backend), charts are drawn with gonum/plot.

The first cell points GoNB at this checkout so the notebook uses the project's own packages and pinned versions.
"""),
    code(SETUP),
    md("""
## Which backend runs, and why

`backend.Choose` applies the project's policy: `$GOMLX_BACKEND` if set, else XLA when a PJRT plugin is installed
locally (`go run ./cmd/textgen setup` installs the CPU one), else the pure-Go backend. It never downloads anything.
"""),
    code("""
import (
	"fmt"

	"github.com/gotextgen/textgen/seq2seq/backend"
)

""" + MUST + """

%%
choice, err := backend.Choose()
must(err)
fmt.Println(choice)
"""),
    md("""
## The data: generated in code, no download

`data.Dates(n, seed)` draws random dates between 1950 and 2049 and writes each in one of 16 human formats.
The same seed always gives the same pairs.
"""),
    code("""
import "github.com/gotextgen/textgen/seq2seq/data"

%%
for _, p := range data.Dates(8, 1) {
	fmt.Printf("%-32q → %s\\n", p.Source, p.Target)
}
"""),
    md("""
## Train briefly, watching the loss

`run.Prepare` generates and splits the data, builds a character vocabulary and the model (LSTM encoder, LSTM
decoder with additive attention), and `job.Train` runs Adam on the masked cross-entropy with teacher forcing.
The chart below updates in place while it trains. We train only a few hundred steps here; `go run ./cmd/textgen
demo` trains the full run. The finished model is saved as a run folder that the next cells load.
"""),
    code("""
import (
	"context"
	"os"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/seq2seq/run"
)

const runDir = "quickstart-run"

%%
be, _ := backend.MustNew()
cfg := run.DefaultConfig()
cfg.Loop.Steps, cfg.Loop.EvalEvery = 400, 100
job, err := run.Prepare(be, cfg)
must(err)
hooks, chart := kernel.LiveTraining("date normalisation: loss", cfg.Loop.Steps, 20)
_, err = job.Train(context.Background(), hooks)
must(err)
must(chart.Finish())

must(os.RemoveAll(runDir))
w, err := run.Create(runDir)
must(err)
must(w.SaveModel(job.Config, job.Vocab, job.Store))
must(w.Commit())
exact, _, _, err := job.Evaluate()
must(err)
fmt.Printf("held-out exact match after %d steps: %.1f%% of %d dates\\n", cfg.Loop.Steps, 100*exact, len(job.TestPairs))
"""),
    md("""
## Generate, and see where the model looked

Load the run folder (config, vocabulary, weights), decode dates it has never seen, and draw the attention of the
first one: each row is a generated character, each column a source character; bright cells are where the decoder
looked while writing that character. A trained model looks at the year while writing the year, and so on.
"""),
    code("""
import "github.com/gotextgen/textgen/seq2seq/decode"
import "github.com/gotextgen/textgen/seq2seq/model"

%%
be, _ := backend.MustNew()
l, err := run.Load(runDir)
must(err)
g, err := decode.NewGreedy(be, l.Store, model.New(l.Config.Model), l.Vocab)
must(err)
inputs := []data.Pair{
	{Source: "25 December 2024", Target: "2024-12-25"},
	{Source: "Jul 4, '76", Target: "1976-07-04"},
	{Source: "2008年8月8日", Target: "2008-08-08"},
	{Source: "01/02/2003", Target: "2003-01-02"},
}
sources := make([]string, len(inputs))
for i, p := range inputs {
	sources[i] = p.Source
}
results, err := g.Decode(sources)
must(err)
kernel.ShowResults(results, inputs)
must(kernel.ShowAttention(results[0]))
"""),
    md("""
## Where to go next

- `go run ./cmd/textgen demo` trains the full model (≥95% exact match) and writes a run folder with charts.
- The next notebooks open up each part: embeddings, the LSTM cell, attention, training and sampling.
"""),
]


ATTENTION = [
    md("""
# 03 · Attention: where the decoder looks

Without attention, the encoder squeezes the whole source into one state vector, and the decoder writes the output
from that vector alone. With attention, at every output step the decoder scores each source position against its
own state, turns the scores into weights with a softmax, and reads a weighted sum of the encoder outputs:

$$\\text{score}(s, q) \\;\\to\\; \\alpha_s = \\frac{e^{\\text{score}(s,q)}}{\\sum_{s'} e^{\\text{score}(s',q)}}
\\;\\to\\; \\text{context} = \\sum_s \\alpha_s\\, \\text{enc}_s$$

This notebook computes the scores by hand, compares Bahdanau's (additive) and Luong's (dot) scores on a trained
model, shows that padding gets exactly zero weight, and measures what attention buys on long inputs.
"""),
    code(SETUP),
    md("""
The models here are tiny, so they run on GoMLX's **pure-Go backend** (`run.GoBackend`): XLA would spend 10–25 s
compiling each graph on a small machine, longer than training these models takes. `rows` copies a `[R,C]` tensor
into Go rows.
"""),
    code("""
import (
	"context"
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
)

""" + MUST + """

// rows copies a [R,C] float32 tensor into R rows of C values.
func rows(t *tensors.Tensor) [][]float32 {
	flat, c := tensors.MustCopyFlatData[float32](t), t.Shape().Dim(-1)
	var out [][]float32
	for i := 0; i < len(flat); i += c {
		out = append(out, flat[i:i+c])
	}
	return out
}

%%
be, err := run.GoBackend()
must(err)
fmt.Println("backend:", be.Name())
"""),
    md("""
## Scores by hand

Three source tokens with 2-dimensional encoder outputs and one decoder query. **Dot** (Luong) scores are plain dot
products, $q^\\top \\text{enc}_s$. **Additive** (Bahdanau) scores pass both through small learned matrices and a
tanh, $v^\\top \\tanh(W_k\\,\\text{enc}_s + W_q\\,q)$; here the weights are chosen by hand. The package's
`model.AdditiveFromWeights` and `model.LuongFromWeights` build the same attention the model trains, from given
weights. The check recomputes the dot weights in plain Go.
"""),
    code("""
var (
	srcTokens = []string{"the", "cat", "sat"}
	encData   = [][]float32{{1, 0}, {0, 1}, {1, 1}} // enc_s for each source token [S=3][H=2]
	query     = []float32{2, 0.5}                    // the decoder state q [H=2]
)

%%
be, _ := run.GoBackend()
out := graph.MustExecOnce(be, func(g *graph.Graph) *graph.Node {
	enc := graph.Const(g, [][][]float32{encData})       // [B=1,S=3,H=2]
	mask := graph.Const(g, [][]bool{{true, true, true}}) // [B,S]: no padding
	q := graph.Const(g, [][]float32{query})               // [B,H]
	wk := graph.Const(g, [][]float32{{1, -1}, {0.5, 1}})  // W_k [H,A=2]
	wq := graph.Const(g, [][]float32{{1, 0}, {0, 1}})     // W_q [H,A]
	v := graph.Const(g, []float32{1, 1})                  // v [A]
	_, additive := model.AdditiveFromWeights(enc, mask, wk, wq, v).Attend(q)
	_, dot := model.LuongFromWeights(model.AttentionDot, enc, mask, nil, nil, nil).Attend(q)
	return graph.Concatenate([]*graph.Node{additive, dot}, 0) // [2,S]: one row per score
})
w := rows(out)
fmt.Println("shape:", out.Shape(), " additive:", w[0], " dot:", w[1])

scores, sum := make([]float64, 3), 0.0
for s, e := range encData {
	scores[s] = math.Exp(float64(query[0]*e[0] + query[1]*e[1]))
	sum += scores[s]
}
for s := range scores {
	if math.Abs(scores[s]/sum-float64(w[1][s])) > 1e-6 {
		panic(fmt.Sprintf("dot weight %d: package %v, by hand %v", s, w[1][s], scores[s]/sum))
	}
}
must(kernel.ShowAttentionGrid(2,
	plots.AttentionPanel{Title: "additive", Weights: w[:1], Source: srcTokens, Generated: []string{"q"}},
	plots.AttentionPanel{Title: "dot", Weights: w[1:], Source: srcTokens, Generated: []string{"q"}}))
"""),
    md("""
## Masking: padding gets exactly zero weight

Batches pad short sources with `<pad>` to one length. The softmax must ignore those positions, however large their
scores. Below, the padded position's encoder output is huge, so its dot score would dominate: the mask still gives it
a weight of exactly 0, and the real positions' weights still sum to 1.
"""),
    code("""
%%
be, _ := run.GoBackend()
out := graph.MustExecOnce(be, func(g *graph.Graph) *graph.Node {
	enc := graph.Const(g, [][][]float32{{{1, 0}, {0, 1}, {100, 100}}}) // position 2: padding, huge output
	mask := graph.Const(g, [][]bool{{true, true, false}})
	_, w := model.LuongFromWeights(model.AttentionDot, enc, mask, nil, nil, nil).Attend(graph.Const(g, [][]float32{query}))
	return w
})
w := rows(out)[0]
fmt.Printf("weights %v; padded position %v; real positions sum to %.6f\\n", w, w[2], w[0]+w[1])
if w[2] != 0 || math.Abs(float64(w[0]+w[1])-1) > 1e-6 {
	panic("padding must get exactly 0 weight and the rest must sum to 1")
}
must(kernel.ShowAttentionGrid(1, plots.AttentionPanel{Title: "dot, last position padded", Weights: [][]float32{w},
	Source: []string{"the", "cat", "<pad>"}, Generated: []string{"q"}}))
"""),
    md("""
## Bahdanau vs Luong on a trained model

Reversing a string is the clearest alignment there is: to write the i-th output letter the decoder must look at
the i-th letter from the end, so a good attention map is an anti-diagonal. `reverseConfig` is the reversal task
with a small model; `run.TrainAll` trains both variants at once, one goroutine each.
"""),
    code("""
// reverseConfig is the reversal task on strings of 2 to maxLen letters, with a small model, the attention score
// kind ("" for none), trained for steps steps.
func reverseConfig(kind string, maxLen, steps int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Task, cfg.Train, cfg.Valid, cfg.Test = "reverse", 4000, 64, 400
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention, cfg.Model.AttentionType = 16, 32, 32, kind
	if kind == "" {
		cfg.Model.Attention = 0
	}
	cfg.Model.MaxSource, cfg.Model.MaxTarget = maxLen+1, maxLen+1
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = steps, 32, 0.01, 0
	return cfg
}

%%
be, _ := run.GoBackend()
jobs, err := run.PrepareAll(be, reverseConfig(model.AttentionAdditive, 10, 250), reverseConfig(model.AttentionDot, 10, 250))
must(err)
_, err = run.TrainAll(context.Background(), jobs...)
must(err)
probe := []data.Pair{{Source: "abcdefghij", Target: "jihgfedcba"}}
var panels []plots.AttentionPanel
for i, name := range []string{"Bahdanau (additive)", "Luong (dot)"} {
	exact, _, _, err := jobs[i].Evaluate()
	must(err)
	_, res, err := jobs[i].ExactMatch(probe)
	must(err)
	fmt.Printf("%-20s held-out exact match %.1f%%, %q → %q\\n", name, 100*exact, res[0].Source, res[0].Text)
	panels = append(panels, kernel.AttentionPanel(fmt.Sprintf("%s: %s", name, res[0].Text), res[0]))
}
must(kernel.ShowAttentionGrid(2, panels...))
"""),
    md("""
## Without vs with attention: the date task

The same encoder-decoder with `Attention: 0` (the decoder sees only the encoder's final state) and with additive
attention, trained for the same few steps on the date task, scored by exact match per source-length bucket
(`job.ExactMatchByLength`). The check asserts that attention wins on the longest dates.
"""),
    code("""
// datesConfig is the date task with a small model and attention size att (0: none), trained briefly.
func datesConfig(att int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Train, cfg.Valid, cfg.Test = 4000, 64, 400
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 48, att
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 300, 32, 0.01, 0
	return cfg
}

%%
be, _ := run.GoBackend()
jobs, err := run.PrepareAll(be, datesConfig(0), datesConfig(32))
must(err)
_, err = run.TrainAll(context.Background(), jobs...)
must(err)
var buckets [][]run.Bucket
for _, j := range jobs {
	b, err := j.ExactMatchByLength(j.TestPairs, 6, 11, 16, 21)
	must(err)
	fmt.Println(b)
	buckets = append(buckets, b)
}
if last := len(buckets[0]) - 1; buckets[1][last].Accuracy() <= buckets[0][last].Accuracy() {
	panic(fmt.Sprintf("attention should win on the longest dates: %v vs %v", buckets[1][last], buckets[0][last]))
}
must(kernel.ShowBuckets("dates: exact match by source length", []string{"no attention", "additive attention"}, buckets...))
"""),
    md("""
## Without vs with attention: long inputs

Reversal of strings up to 18 letters. Without attention, the whole string must fit through the final state: short
strings come out right, long ones do not. With attention the decoder reads each letter where it is, and the
longest bucket is where the difference is largest. The check asserts that attention wins there.
"""),
    code("""
%%
be, _ := run.GoBackend()
jobs, err := run.PrepareAll(be, reverseConfig("", 18, 300), reverseConfig(model.AttentionAdditive, 18, 300))
must(err)
_, err = run.TrainAll(context.Background(), jobs...)
must(err)
var buckets [][]run.Bucket
for _, j := range jobs {
	b, err := j.ExactMatchByLength(j.TestPairs, 2, 6, 10, 14)
	must(err)
	fmt.Println(b)
	buckets = append(buckets, b)
}
last := len(buckets[0]) - 1
if buckets[1][last].Accuracy() <= buckets[0][last].Accuracy() {
	panic(fmt.Sprintf("attention should win on the longest inputs: %v vs %v", buckets[1][last], buckets[0][last]))
}
must(kernel.ShowBuckets("reversal: exact match by source length", []string{"no attention", "additive attention"}, buckets...))
"""),
    md("""
## What to take away

- Attention is a softmax over scores; the score function (additive, dot, general, concat) is the only difference
  between the variants, and the mask makes padding invisible.
- Without attention, accuracy falls with input length; with it, long inputs are nearly as easy as short ones.
"""),
]


LSTM = [
    md("""
# 02 · The LSTM cell: gates you can watch

A plain recurrent cell overwrites its whole state at every step, $h_t = \\tanh(W_x x_t + W_h h_{t-1} + b)$, so what
it read long ago fades fast, and so do the gradients that would teach it to remember. The LSTM (Hochreiter &
Schmidhuber, 1997) adds a memory $c_t$ that is changed only by addition, under the control of three gates:

$$
\\begin{aligned}
z &= W_x x_t + W_h h_{t-1} + b && \\text{split into } z_i, z_f, z_g, z_o \\\\
i &= \\sigma(z_i) \\quad f = \\sigma(z_f) \\quad g = \\tanh(z_g) \\quad o = \\sigma(z_o) && \\text{input, forget, candidate, output} \\\\
c_t &= f \\odot c_{t-1} + i \\odot g && \\text{keep some memory, write some new} \\\\
h_t &= o \\odot \\tanh(c_t) && \\text{show some of it}
\\end{aligned}
$$

When $f \\approx 1$ and $i \\approx 0$ the memory passes through unchanged, however many steps: that is how the LSTM
carries information (and gradients) across long distances. This notebook builds one step by hand, watches the gates
of a trained encoder on a real date, and races an LSTM against a plain RNN.
"""),
    code(SETUP),
    md("""
The models are tiny, so they run on GoMLX's pure-Go backend (`run.GoBackend`), which needs no compilation.
`check` stops the cell when a tensor's shape is not the expected one.
"""),
    code("""
import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
)

""" + MUST + """

// check panics unless node n has the given dimensions, and prints its shape.
func check(name string, n *graph.Node, dims ...int) {
	if !slices.Equal(n.Shape().Dimensions, dims) {
		panic(fmt.Sprintf("%s: shape %v, want dimensions %v", name, n.Shape(), dims))
	}
	fmt.Printf("%-24s %v\\n", name, n.Shape())
}

// ramp is a [rows][cols] matrix of fixed, varied values in (-scale, scale): stand-in weights.
func ramp(rows, cols int, scale float32) [][]float32 {
	m := make([][]float32, rows)
	for r := range m {
		m[r] = make([]float32, cols)
		for c := range m[r] {
			m[r][c] = scale * float32(math.Sin(float64(1+r*cols+c)))
		}
	}
	return m
}

%%
be, err := run.GoBackend()
must(err)
fmt.Println("backend:", be.Name())
"""),
    md("""
## One step, piece by piece

A cell with input size I = 3 and hidden size H = 2, for a batch of B = 1, with stand-in weights. `LSTM.Project`
computes the input's share $W_x x + b$ (all four gates at once, `[B,4H]`), `LSTM.StepProjected` adds $W_h h$,
applies the gates and returns them. The check recomputes $c_t = f \\odot c_{t-1} + i \\odot g$ from the returned
gates.
"""),
    code("""
%%
be, _ := run.GoBackend()
const B, I, H = 1, 3, 2
out := graph.MustExecOnceN(be, func(g *graph.Graph) []*graph.Node {
	cell := &model.LSTM{Hidden: H,
		Wx: graph.Const(g, ramp(I, 4*H, 1)),                        // [I,4H], gate order i, f, g, o
		Wh: graph.Const(g, ramp(H, 4*H, 0.5)),                      // [H,4H]
		B:  graph.Const(g, []float32{0, 0, 1, 1, 0, 0, 0, 0}),      // [4H], forget bias 1
	}
	x := graph.Const(g, [][]float32{{1, 0.5, -1}})                 // [B,I]
	h, c := graph.Const(g, [][]float32{{0.1, -0.2}}), graph.Const(g, [][]float32{{0.5, -0.5}})
	xz := cell.Project(x)
	check("x·Wx + b", xz, B, 4*H)
	newH, newC, gates := cell.StepProjected(xz, h, c)
	check("input gate i", gates.Input, B, H)
	check("forget gate f", gates.Forget, B, H)
	check("candidate g", gates.Cell, B, H)
	check("output gate o", gates.Output, B, H)
	check("memory c'", newC, B, H)
	check("hidden h'", newH, B, H)
	byHand := graph.Add(graph.Mul(gates.Forget, c), graph.Mul(gates.Input, gates.Cell))
	return []*graph.Node{newH, newC, byHand}
})
hNew, cNew, cHand := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1]), tensors.MustCopyFlatData[float32](out[2])
fmt.Println("h' =", hNew, " c' =", cNew, " f⊙c + i⊙g =", cHand)
for k := range cNew {
	if math.Abs(float64(cNew[k]-cHand[k])) > 1e-6 {
		panic("c' must equal f⊙c + i⊙g")
	}
}
"""),
    md("""
## The gates of a trained encoder, on a real date

Train a small date normaliser briefly, then run its encoder LSTM over one date, token by token, keeping the gates
and states (`job.TraceEncoder`). Rows are hidden units (the first 16), columns are the characters read. Look for
units whose forget gate stays near 1 (they keep what they stored) and units that fire on digits, or on spaces.

The second picture projects the hidden state after each character onto its two principal components: the path the
state takes through its 32-dimensional space while reading the date.
"""),
    code("""
// firstUnits keeps the first n columns of m [T][H].
func firstUnits(m [][]float32, n int) [][]float32 {
	out := make([][]float32, len(m))
	for t, row := range m {
		out[t] = row[:min(n, len(row))]
	}
	return out
}

// mean is the average of all values of m.
func mean(m [][]float32) float64 {
	sum, n := 0.0, 0
	for _, row := range m {
		for _, v := range row {
			sum, n = sum+float64(v), n+1
		}
	}
	return sum / float64(max(n, 1))
}

%%
be, _ := run.GoBackend()
cfg := run.DefaultConfig()
cfg.Train, cfg.Valid, cfg.Test = 4000, 64, 64
cfg.Model.Embed, cfg.Model.Hidden = 16, 32
cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 150, 32, 0.01, 0
jobs, err := run.PrepareAll(be, cfg)
must(err)
_, err = run.TrainAll(context.Background(), jobs...)
must(err)
tr, err := jobs[0].TraceEncoder("Wednesday, March 3rd 2021")
must(err)
fmt.Printf("%d tokens × %d units; mean forget gate %.2f\\n", len(tr.Forget), len(tr.Forget[0]), mean(tr.Forget))
if len(tr.H) != len(tr.Tokens) || len(tr.H[0]) != cfg.Model.Hidden {
	panic("one state per token, H units each")
}
must(kernel.ShowGates(tr.Tokens,
	plots.Gate{Name: "input gate i", Values: firstUnits(tr.Input, 16)},
	plots.Gate{Name: "forget gate f", Values: firstUnits(tr.Forget, 16)},
	plots.Gate{Name: "candidate g", Values: firstUnits(tr.Cell, 16)},
	plots.Gate{Name: "output gate o", Values: firstUnits(tr.Output, 16)}))
must(kernel.ShowTrajectory("encoder hidden state while reading a date", tr.H, tr.Tokens))
"""),
    md("""
## Why the LSTM beats a plain RNN on long dependencies

Reversal without attention is a long-dependency task: the decoder must write the *first* source letter last, so it
has to carry it across the whole input and output. Both models below are the same encoder-decoder with no
attention, one with plain RNN cells (`Cell: "rnn"`), one with LSTM cells, trained with the same data, seed and
steps. The plain RNN's loss stalls; the LSTM's keeps falling.
"""),
    code("""
// cellConfig is reversal of 2 to 12 letters without attention, with the given recurrent cell.
func cellConfig(cell string) run.Config {
	cfg := run.DefaultConfig()
	cfg.Task, cfg.Train, cfg.Valid, cfg.Test = "reverse", 4000, 64, 200
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention, cfg.Model.Cell = 16, 48, 0, cell
	cfg.Model.MaxSource, cfg.Model.MaxTarget = 13, 13
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 600, 32, 0.01, 0
	return cfg
}

%%
be, _ := run.GoBackend()
jobs, err := run.PrepareAll(be, cellConfig("rnn"), cellConfig(model.CellLSTM))
must(err)
hists, err := run.TrainAll(context.Background(), jobs...)
must(err)
var curves []plots.Series
for i, name := range []string{"plain RNN", "LSTM"} {
	c := kernel.LossSeries(hists[i], 25)[0]
	c.Name = name
	curves = append(curves, c)
	v := hists[i].Valid[len(hists[i].Valid)-1]
	fmt.Printf("%-10s final loss %.3f, validation token accuracy %.1f%%, exact match %.1f%%\\n", name, c.Y[len(c.Y)-1], 100*v.TokenAcc, 100*v.ExactMatch)
}
if curves[1].Y[len(curves[1].Y)-1] >= curves[0].Y[len(curves[0].Y)-1] {
	panic("the LSTM should end with a lower loss than the plain RNN")
}
p, err := plots.LossCurves("reversal without attention: plain RNN vs LSTM", curves...)
must(err)
must(kernel.DisplayPlot(p, kernel.LossWidth, kernel.LossHeight))
"""),
    md("""
## What to take away

- The LSTM's memory changes by addition, gated by $f$ and $i$; the gates are ordinary tensors you can print and plot.
- Trained gates specialise: some units hold their memory across the whole input, others react to single characters.
- On a task that needs information from far back, gating is what lets the network learn at all.
"""),
]

def extra_notebooks(scripts_dir):
    """Notebooks defined in scripts/notebooks/nb*.py: each module sets NOTEBOOK = (file name, cells, images),
    building its cells with md, code, SETUP and MUST imported from this module."""
    import importlib.util
    import sys

    sys.path.insert(0, str(scripts_dir))
    found = []
    for path in sorted((scripts_dir / "notebooks").glob("nb*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        found.append(mod.NOTEBOOK)
    return found


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    for name, cells, images in [
        ("00-quickstart.ipynb", QUICKSTART, 2),
        ("02-lstm.ipynb", LSTM, 3),
        ("03-attention.ipynb", ATTENTION, 5),
    ] + extra_notebooks(root / "scripts"):
        out = root / "notebooks" / name
        out.write_text(json.dumps(notebook(cells, images), indent=1, ensure_ascii=False) + "\n")
        print("wrote", out)
