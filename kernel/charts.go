// Charts: textgen results (histories, decodings) turned into gonum plots via package plots, and the
// chart files of a run folder. Shared by the command line and the notebooks: seq2seq knows nothing of
// plots, and plots takes only plain data.

package kernel

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// LossSeries converts a history to plain series: training loss per step (smoothed over a window of
// smooth steps when smooth > 1) and validation loss per validation point.
func LossSeries(h *train.History, smooth int) []plots.Series {
	tr := plots.Series{Name: "train"}
	sum := 0.0
	for i, l := range h.TrainLoss {
		sum += l
		if smooth > 1 && i >= smooth {
			sum -= h.TrainLoss[i-smooth]
		}
		n := min(i+1, max(smooth, 1))
		if smooth <= 1 {
			sum, n = l, 1
		}
		tr.X = append(tr.X, float64(h.Steps[i]))
		tr.Y = append(tr.Y, sum/float64(n))
	}
	va := plots.Series{Name: "validation"}
	for _, p := range h.Valid {
		va.X = append(va.X, float64(p.Step))
		va.Y = append(va.Y, p.Loss)
	}
	return []plots.Series{tr, va}
}

// LossPlot draws the loss curves of a history.
func LossPlot(h *train.History) (*plot.Plot, error) {
	return plots.LossCurves("Loss (masked cross-entropy per target token)", LossSeries(h, 20)...)
}

// AttentionPlot draws the attention heatmap of one decoding, with its size.
func AttentionPlot(r decode.Result) (*plot.Plot, vg.Length, vg.Length, error) {
	gen := append(append([]string(nil), r.Tokens...), "<eos>")
	weights := r.Attention
	if len(weights) > len(gen) {
		weights = weights[:len(gen)]
	}
	gen = gen[:len(weights)]
	p, err := plots.AttentionHeatmap(weights, r.SourceTokens, gen)
	if err != nil {
		return nil, 0, 0, err
	}
	w, hgt := plots.AttentionSize(p, len(r.SourceTokens), len(gen))
	return p, w, hgt, nil
}

// LossSize is the size of loss charts.
const (
	LossWidth  = 16 * vg.Centimeter
	LossHeight = 10 * vg.Centimeter
)

// WriteRunCharts writes loss.{png,svg} and attention.{png,svg} into dir.
func WriteRunCharts(dir string, h *train.History, example decode.Result) error {
	lp, err := LossPlot(h)
	if err != nil {
		return fmt.Errorf("loss chart: %w", err)
	}
	ap, w, hgt, err := AttentionPlot(example)
	if err != nil {
		return fmt.Errorf("attention chart: %w", err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if err := plots.Save(lp, LossWidth, LossHeight, filepath.Join(dir, "loss"+ext)); err != nil {
			return err
		}
		if err := plots.Save(ap, w, hgt, filepath.Join(dir, "attention"+ext)); err != nil {
			return err
		}
	}
	return nil
}
