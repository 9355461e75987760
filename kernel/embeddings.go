// Figures of the embeddings notebook (neighbour bars, 2-D maps) and its gensim cross-check.

package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/gotextgen/textgen/internal/atomicfile"
	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/embed"
)

// ShowNeighbours displays the nearest neighbours of each query word as bars of cosine similarity
// (plots.NeighbourBars), cols panels per row, in one image. neighbours[i] belongs to queries[i], as
// embed.Index.Neighbors returns them.
func ShowNeighbours(cols int, queries []string, neighbours [][]embed.Neighbor) error {
	if len(queries) != len(neighbours) || len(queries) == 0 {
		return fmt.Errorf("kernel: %d query words for %d neighbour lists", len(queries), len(neighbours))
	}
	cols = max(1, min(cols, len(queries)))
	g := &plots.Grid{Pad: vg.Points(8)}
	tileW, tileH := plots.DefaultWidth*0.6, vg.Length(0)
	var row []*plot.Plot
	for i, q := range queries {
		words, sims := make([]string, len(neighbours[i])), make([]float64, len(neighbours[i]))
		for j, n := range neighbours[i] {
			words[j], sims[j] = n.Word, float64(n.Similarity)
		}
		p, err := plots.NeighbourBars(q, words, sims)
		if err != nil {
			return fmt.Errorf("kernel: neighbours of %q: %w", q, err)
		}
		_, h := plots.NeighbourBarsSize(len(words))
		tileH = max(tileH, h)
		row = append(row, p)
		if len(row) == cols || i == len(queries)-1 {
			g.Plots = append(g.Plots, append(row, make([]*plot.Plot, cols-len(row))...))
			row = nil
		}
	}
	rows, c := len(g.Plots), cols
	g.Width = vg.Length(c)*tileW + vg.Length(c+1)*g.Pad
	g.Height = vg.Length(rows)*tileH + vg.Length(rows+1)*g.Pad
	return DisplayGrid(g)
}

// ShowEmbeddingMap displays the vectors of words (all of which must be in vecs) as a labelled 2-D map,
// projected as opts says (plots.EmbeddingMap), DefaultWidth × 1.5·DefaultHeight.
func ShowEmbeddingMap(vecs *embed.Vectors, words []string, opts plots.EmbeddingOptions) error {
	rows := make([][]float32, len(words))
	for i, w := range words {
		v, ok := vecs.Lookup(w)
		if !ok {
			return fmt.Errorf("kernel: embedding map: %w: %q", embed.ErrUnknownWord, w)
		}
		rows[i] = v
	}
	p, err := plots.EmbeddingMap(words, rows, opts)
	if err != nil {
		return err
	}
	return DisplayPlot(p, plots.DefaultWidth, plots.DefaultHeight*3/2)
}

// GensimTimeout bounds one GensimWord2Vec call.
const GensimTimeout = 5 * time.Minute

// GensimScript is the gensim side of the word2vec cross-checks, relative to the project root; the
// tests and bench/word2vec run it too.
const GensimScript = "seq2seq/embed/testdata/word2vec_gensim.py"

// GensimWord2Vec trains gensim 4.4's Word2Vec with cfg's settings (cfg.GensimParams) on sentences, once
// per seed, with the project venv's Python (`go run ./cmd/textgen setup` installs it), and returns
// the vectors of each run. Gensim writes them with save_word2vec_format to dir/gensim-<seed>.txt,
// where they stay; dir is created if needed. The run is cancelled after GensimTimeout. max_final_vocab
// is not passed: a cfg with MaxFinalVocab set is an error.
func GensimWord2Vec(ctx context.Context, dir string, sentences [][]string, cfg embed.Word2VecConfig, seeds ...int64) ([]*embed.Vectors, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxFinalVocab > 0 || len(seeds) == 0 {
		return nil, errors.New("kernel: gensim word2vec: needs at least one seed and MaxFinalVocab 0")
	}
	root, err := project.Root()
	if err != nil {
		return nil, fmt.Errorf("kernel: gensim word2vec: %w", err)
	}
	python := VenvPython(root)
	if _, err := os.Stat(python); err != nil {
		return nil, fmt.Errorf("kernel: gensim word2vec: no venv Python (%w); run `go run ./cmd/textgen setup`", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("kernel: gensim word2vec: %w", err)
	}
	var corpus strings.Builder
	for i, s := range sentences {
		for _, w := range s {
			if w == "" || strings.ContainsAny(w, " \n\r") {
				return nil, fmt.Errorf("kernel: gensim word2vec: sentence %d: word %q cannot be written space-separated", i+1, w)
			}
		}
		corpus.WriteString(strings.Join(s, " ") + "\n")
	}
	prefix := filepath.Join(dir, "gensim-")
	params := cfg.GensimParams()
	params["seeds"], params["prefix"] = seeds, prefix
	pj, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	corpusFile, paramsFile, outFile := filepath.Join(dir, "gensim-corpus.txt"), filepath.Join(dir, "gensim-params.json"), filepath.Join(dir, "gensim-runs.json")
	for _, f := range []struct {
		name string
		data []byte
	}{{corpusFile, []byte(corpus.String())}, {paramsFile, pj}} {
		if err := atomicfile.Write(f.name, f.data, 0o644); err != nil {
			return nil, fmt.Errorf("kernel: gensim word2vec: %w", err)
		}
	}
	for _, seed := range seeds { // never read a file left by an earlier run
		if err := os.Remove(fmt.Sprintf("%s%d.txt", prefix, seed)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, GensimTimeout)
	defer cancel()
	script := filepath.Join(root, filepath.FromSlash(GensimScript))
	cmd := exec.CommandContext(ctx, python, "-W", "ignore", script, "train", corpusFile, paramsFile, outFile)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("kernel: gensim word2vec: %s: %w\n%s", script, err, msg)
	}
	var out []*embed.Vectors
	for _, seed := range seeds {
		v, err := embed.ReadFile(fmt.Sprintf("%s%d.txt", prefix, seed), embed.Text, embed.DefaultOptions())
		if err != nil {
			return nil, fmt.Errorf("kernel: gensim word2vec: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}
