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

// must stops the cell with a clear error.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

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

if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    out = root / "notebooks" / "00-quickstart.ipynb"
    out.write_text(json.dumps(notebook(QUICKSTART, 2), indent=1, ensure_ascii=False) + "\n")
    print("wrote", out)
