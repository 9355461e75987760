"""05 · Sampling: turning a model's probabilities into text."""
from make_notebooks import MUST, SETUP, code, md

CELLS = [
    md("""
# 05 · Sampling: from probabilities to text

At every step the decoder gives a probability for each possible next token, $p(y_t \\mid y_{<t}, x)$. It does not
say which token to write: that is the **decoding strategy**'s job, and the choice changes the text as much as the
training does.

- **Greedy**: the most likely token, every step. Fast and deterministic, but a locally best token can lead to a
  worse whole sequence.
- **Sampling** with a **temperature** $T$: draw from $\\text{softmax}(\\log p / T)$. $T < 1$ sharpens the
  distribution towards greedy, $T > 1$ flattens it. **Top-k** keeps only the $k$ most likely tokens; **top-p**
  (nucleus) the smallest set whose probability reaches $p$.
- **Beam search**: keep the $K$ best partial sequences by total log-probability $\\sum_t \\log p(y_t)$, extend each
  by every token, keep the $K$ best again.

This notebook trains one small date normaliser, decodes the same inputs with every strategy, draws a beam search
as a tree, measures how temperature trades diversity against quality, and shows where the model looked.
"""),
    code(SETUP),
    md("""
The model is small and half-trained on purpose — a model that is always sure leaves the strategies nothing to
disagree about. It trains once (next cell) into a run folder; later cells load it from there. Everything runs on
GoMLX's pure-Go backend.
"""),
    code("""
import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
)

""" + MUST + """

// runDir is where the trained model is saved for the later cells.
var runDir = filepath.Join(os.TempDir(), "textgen-notebook-05-run")

// trained is the model of the next cell read back from runDir: decoders over it, and the held-out pairs.
type trained struct {
	*run.Loaded
	Decoder *decode.Decoder   // every strategy
	Ref     *decode.Reference // the slow reference, for tracing beam search step by step
	Test    []data.Pair
}

// loaded reads the trained model back. Tensors cannot move between backend instances, so everything here
// shares one.
func loaded() trained {
	be, err := run.GoBackend()
	must(err)
	l, err := run.Load(runDir)
	must(err)
	m := model.New(l.Config.Model)
	d, err := decode.New(be, l.Store, m, l.Vocab)
	must(err)
	ref, err := decode.NewReference(be, l.Store, m, l.Vocab)
	must(err)
	_, _, test, err := run.TaskPairs(l.Config) // the task's data again: the same seed gives the same pairs
	must(err)
	return trained{Loaded: l, Decoder: d, Ref: ref, Test: test}
}

// texts returns the sources and the targets of pairs.
func texts(pairs []data.Pair) (sources, targets []string) {
	for _, p := range pairs {
		sources, targets = append(sources, p.Source), append(targets, p.Target)
	}
	return sources, targets
}

%%
be, err := run.GoBackend()
must(err)
fmt.Println("backend:", be.Name())
"""),
    md("""
## One model, trained briefly

The date task (`Mar 3, '21` → `2021-03-03`) with a 32-unit LSTM encoder and decoder and additive attention, 300
steps. The chart updates while it trains.
"""),
    code("""
%%
be, _ := run.GoBackend()
cfg := run.DefaultConfig()
cfg.Train, cfg.Valid, cfg.Test = 3000, 64, 200
cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 32, 16
cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery, cfg.Loop.Buckets = 300, 32, 0.02, 100, 4
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
fmt.Printf("greedy exact match on %d held-out dates: %.1f%%\\n", len(job.TestPairs), 100*exact)
"""),
    md("""
## Every strategy, side by side

Six held-out dates decoded by greedy search, sampling at three temperatures, top-k, top-p and a beam of 5. Each
cell shows the text and its log-probability under the model, $\\log P(Y \\mid X)$; ✓ marks the right answer.
Sampling is seeded (a different seed per column), so the table is the same at every run.

The checks are facts that hold for any model: a beam of width 1 *is* greedy search; sampling from the top 1 token
*is* greedy search; the same seed draws the same samples; and over many inputs a beam of 5 finds sequences at
least as likely as greedy's on average.
"""),
    code("""
%%
tm := loaded()
d, test := tm.Decoder, tm.Test
strategies := []kernel.Strategy{
	{Name: "greedy", Options: decode.Options{Strategy: decode.StrategyGreedy}},
	{Name: "T = 0.5", Options: decode.Options{Strategy: decode.StrategySample, Temperature: 0.5, Seed: 1}},
	{Name: "T = 1", Options: decode.Options{Strategy: decode.StrategySample, Temperature: 1, Seed: 2}},
	{Name: "T = 1.5", Options: decode.Options{Strategy: decode.StrategySample, Temperature: 1.5, Seed: 3}},
	{Name: "top-k 3", Options: decode.Options{Strategy: decode.StrategySample, TopK: 3, Seed: 4}},
	{Name: "top-p 0.9", Options: decode.Options{Strategy: decode.StrategySample, TopP: 0.9, Seed: 5}},
	{Name: "beam 5", Options: decode.Options{Strategy: decode.StrategyBeam, Beam: 5}},
}
sources, targets := texts(test[:6])
results, err := kernel.DecodeAll(d, sources, strategies...)
must(err)
kernel.ShowStrategies(strategies, results, targets)

// Facts, checked on all held-out dates.
all, _ := texts(test)
check, err := kernel.DecodeAll(d, all,
	kernel.Strategy{Name: "greedy", Options: decode.Options{Strategy: decode.StrategyGreedy}},
	kernel.Strategy{Name: "beam 1", Options: decode.Options{Strategy: decode.StrategyBeam, Beam: 1}},
	kernel.Strategy{Name: "top-k 1", Options: decode.Options{Strategy: decode.StrategySample, TopK: 1, Seed: 7}},
	kernel.Strategy{Name: "beam 5", Options: decode.Options{Strategy: decode.StrategyBeam, Beam: 5}},
	kernel.Strategy{Name: "T = 1", Options: decode.Options{Strategy: decode.StrategySample, Seed: 1}},
	kernel.Strategy{Name: "T = 1 again", Options: decode.Options{Strategy: decode.StrategySample, Seed: 1}})
must(err)
greedySum, beamSum := 0.0, 0.0
for i := range all {
	g := check[0][i]
	if !slices.Equal(check[1][i].IDs, g.IDs) || !slices.Equal(check[2][i].IDs, g.IDs) {
		panic(fmt.Sprintf("%q: greedy %q, beam 1 %q, top-k 1 %q must agree", all[i], g.Text, check[1][i].Text, check[2][i].Text))
	}
	if !slices.Equal(check[4][i].IDs, check[5][i].IDs) {
		panic("the same seed must draw the same sample")
	}
	greedySum, beamSum = greedySum+g.LogProb, beamSum+check[3][i].LogProb
}
fmt.Printf("%d dates: beam 1 = top-k 1 = greedy everywhere; mean log P: greedy %.3f, beam 5 %.3f\\n",
	len(all), greedySum/float64(len(all)), beamSum/float64(len(all)))
if beamSum < greedySum {
	panic("beam 5 should find more likely sequences than greedy on average")
}
"""),
    md("""
## Beam search as a tree

The search below runs with a beam of 3 on the held-out date the greedy decoder was least sure of. Each column is a
step; its dots are the step's 6 best candidate extensions (2 × beam), ranked by log-probability (the number next
to each token, summed from the start). **Blue** candidates became the 3 live beams of the next step, **green**
ones ended with `<eos>` among the 3 best and joined the finished hypotheses, **grey** ones were pruned. The thick
line is the hypothesis returned. `kernel.TraceBeam` replays the search step by step with the teacher-forced
model (`decode.Reference`); the check asserts that it returns what the batched `decode.Decoder` returns.
"""),
    code("""
%%
tm := loaded()
d, test := tm.Decoder, tm.Test
sources, _ := texts(test)
greedy, err := d.Decode(sources, decode.Options{})
must(err)
worst := 0
for i, r := range greedy {
	if r.LogProb < greedy[worst].LogProb {
		worst = i
	}
}
tr, err := kernel.TraceBeam(tm.Ref, tm.Vocab, sources[worst], 3, tm.Config.Model.MaxTarget, 0)
must(err)
beam, err := d.Decode(sources[worst:worst+1], decode.Options{Strategy: decode.StrategyBeam, Beam: 3, NBest: 3})
must(err)
fmt.Printf("source %q, reference %q, greedy %q (log P %.3f)\\n", sources[worst], test[worst].Target, greedy[worst].Text, greedy[worst].LogProb)
for k, h := range tr.Hypotheses[:3] {
	fmt.Printf("traced #%d %-14q log P %.3f   decoder #%d %-14q log P %.3f\\n", k+1, tm.Vocab.Decode(h.IDs), h.LogProb,
		k+1, beam[0].NBest[k].Text, beam[0].NBest[k].LogProb)
	if tm.Vocab.Decode(h.IDs) != beam[0].NBest[k].Text {
		panic("the traced search must return the decoder's hypotheses")
	}
}
must(kernel.ShowBeamTree(fmt.Sprintf("beam search (width 3) on %q", sources[worst]), tr))
"""),
    md("""
## Temperature: diversity against quality

For 100 held-out dates, 8 samples each at temperatures from 0 (greedy) to 2. **Distinct-n** (Li et al., 2016)
is the number of different n-grams among a date's samples divided by their number, averaged over the dates: 1/8
when all 8 samples are the same, near 1 when they share nothing. **BLEU** (sacreBLEU's corpus BLEU, computed by
`seq2seq/eval`) scores every sample against the correct date. Higher temperature buys diversity with quality; the
check asserts both trends.
"""),
    code("""
%%
tm := loaded()
sources, targets := texts(tm.Test[:100])
temps := []float64{0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2}
pts, err := kernel.TemperatureSweep(tm.Decoder, sources, targets, temps, 8, decode.Options{Seed: 1})
must(err)
fmt.Println("temperature  distinct-1  distinct-2   BLEU")
for _, p := range pts {
	fmt.Printf("%11.2f  %10.3f  %10.3f  %5.1f\\n", p.Temperature, p.Distinct1, p.Distinct2, p.BLEU)
}
first, mid, last := pts[0], pts[4], pts[len(pts)-1]
if !(first.Distinct1 < mid.Distinct1 && mid.Distinct1 < last.Distinct1 && first.Distinct2 < mid.Distinct2 && mid.Distinct2 < last.Distinct2) {
	panic("distinct-n should grow with temperature")
}
if !(first.BLEU > mid.BLEU && mid.BLEU > last.BLEU) {
	panic("BLEU should fall with temperature")
}
must(kernel.ShowDiversity("", pts))
"""),
    md("""
## Where the model looked while writing

Attention heat maps of the same input decoded three ways: rows are generated tokens, columns source characters.
The greedy and beam decodings attend in order — the year's digits while writing the year, and so on. A sample at
temperature 1.5 that takes a wrong turn shows where the model's attention followed it.
"""),
    code("""
%%
tm := loaded()
src := []string{tm.Test[0].Source}
var panels []plots.AttentionPanel
for _, s := range []kernel.Strategy{
	{Name: "greedy", Options: decode.Options{}},
	{Name: "beam 5", Options: decode.Options{Strategy: decode.StrategyBeam, Beam: 5}},
	{Name: "T = 1.5", Options: decode.Options{Strategy: decode.StrategySample, Temperature: 1.5, Seed: 3}},
} {
	res, err := tm.Decoder.Decode(src, s.Options)
	must(err)
	fmt.Printf("%-8s %q → %q\\n", s.Name, res[0].Source, res[0].Text)
	if len(res[0].Attention) != len(res[0].Tokens)+1 && res[0].Finished {
		panic("one attention row per generated token and the end token")
	}
	panels = append(panels, kernel.AttentionPanel(fmt.Sprintf("%s: %s", s.Name, res[0].Text), res[0]))
}
must(kernel.ShowAttentionGrid(3, panels...))
"""),
    md("""
## What to take away

- The model gives probabilities; the strategy writes the text. Greedy and beam search look for the most likely
  sequence (beam search harder); sampling draws from the distribution, shaped by temperature, top-k and top-p.
- Beam search is a pruned tree search: at each step only the $K$ best partial sequences survive.
- Temperature is a dial between diversity and fidelity: distinct-n rises with it, BLEU against a single right
  answer falls. For tasks with one right answer (dates) use greedy or beam search; for open-ended text (poetry)
  a moderate temperature, top-k or top-p keeps the text varied without nonsense.
"""),
]

NOTEBOOK = ("05-sampling.ipynb", CELLS, 4)
