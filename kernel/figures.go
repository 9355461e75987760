// Figures of the course notebooks: attention grids, accuracy by length bucket, gates and hidden-state
// trajectories, from textgen results to package plots' plain data.

package kernel

import (
	"fmt"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/run"
)

// DisplayGrid renders a grid of plots at its suggested size as a PNG and shows it in the running GoNB cell.
// The grid is rendered (and errors reported) even outside a notebook, where nothing is shown.
func DisplayGrid(g *plots.Grid) error {
	w, h := g.Size()
	png, err := plots.PNG(g, w, h)
	if err != nil {
		return fmt.Errorf("kernel: display grid: %w", err)
	}
	if gonbui.IsNotebook {
		gonbui.DisplayPng(png)
		gonbui.Sync() // see DisplayPlot
	}
	return nil
}

// AttentionPanel turns one greedy decoding into a panel of plots.AttentionGrid: its attention rows
// [generated tokens and <eos>][source tokens], titled title.
func AttentionPanel(title string, r decode.Result) plots.AttentionPanel {
	gen := append(append([]string(nil), r.Tokens...), "<eos>")
	weights := r.Attention
	if len(weights) > len(gen) {
		weights = weights[:len(gen)]
	}
	return plots.AttentionPanel{Title: title, Weights: weights, Source: r.SourceTokens, Generated: gen[:len(weights)]}
}

// ShowAttentionGrid displays attention heat maps side by side, cols per row.
func ShowAttentionGrid(cols int, panels ...plots.AttentionPanel) error {
	g, err := plots.AttentionGrid(cols, panels...)
	if err != nil {
		return err
	}
	return DisplayGrid(g)
}

// BucketBars converts per-length-bucket results of several models into bar-chart data: the bucket labels
// (from the first model) and one series of exact-match accuracies per model. Every model must have the
// same buckets.
func BucketBars(names []string, buckets ...[]run.Bucket) (categories []string, series []plots.Bars, err error) {
	if len(names) != len(buckets) {
		return nil, nil, fmt.Errorf("kernel: %d names for %d bucket lists", len(names), len(buckets))
	}
	for i, bs := range buckets {
		s := plots.Bars{Name: names[i]}
		for k, b := range bs {
			if i == 0 {
				categories = append(categories, b.Label())
			} else if k >= len(categories) || b.Label() != categories[k] {
				return nil, nil, fmt.Errorf("kernel: model %q: bucket %d is %q, model %q has %q", names[i], k,
					b.Label(), names[0], categories[min(k, len(categories)-1)])
			}
			s.Values = append(s.Values, b.Accuracy())
		}
		series = append(series, s)
	}
	return categories, series, nil
}

// ShowBuckets displays exact match by source-length bucket for several models as grouped bars.
func ShowBuckets(title string, names []string, buckets ...[]run.Bucket) error {
	cats, series, err := BucketBars(names, buckets...)
	if err != nil {
		return err
	}
	p, err := plots.BarChart(title, cats, series...)
	if err != nil {
		return err
	}
	p.X.Label.Text = "source length (tokens)"
	p.Y.Label.Text = "exact match"
	return DisplayPlot(p, plots.DefaultWidth, plots.DefaultHeight)
}

// ShowGates displays gate activations over a sequence (see plots.GateHeatmaps).
func ShowGates(tokens []string, gates ...plots.Gate) error {
	g, err := plots.GateHeatmaps(tokens, gates...)
	if err != nil {
		return err
	}
	return DisplayGrid(g)
}

// ShowTrajectory displays a hidden-state trajectory, states [len(tokens)][H], projected by PCA.
func ShowTrajectory(title string, states [][]float32, tokens []string) error {
	p, err := plots.HiddenTrajectory(title, states, tokens)
	if err != nil {
		return err
	}
	return DisplayPlot(p, plots.DefaultWidth, plots.DefaultHeight)
}
