package kernel

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// LiveTraining returns training hooks that draw the loss in place in the notebook while training runs:
// the training loss (averaged over the last smooth steps), the validation loss, and a status line with
// the step, the ETA and the last validation scores. Call the returned LiveChart's Finish after training.
// Outside a notebook the chart is a no-op and the hooks only keep the status up to date.
func LiveTraining(title string, steps, smooth int) (train.Hooks, *LiveChart) {
	chart := NewLiveChart(title)
	start := time.Now()
	var window []float64
	var last string
	hooks := train.Hooks{
		OnStep: func(step int, loss float64) {
			window = append(window, loss)
			if len(window) > smooth {
				window = window[1:]
			}
			sum := 0.0
			for _, l := range window {
				sum += l
			}
			chart.Add("train", step, sum/float64(len(window)))
			el := time.Since(start)
			eta := time.Duration(float64(el) / float64(step) * float64(max(steps-step, 0)))
			chart.SetStatus(fmt.Sprintf("step %d/%d · loss %.4f · elapsed %s · ETA %s%s", step, steps, loss,
				el.Round(time.Second), eta.Round(time.Second), last))
			_ = chart.Update()
		},
		OnEval: func(p *train.Point) error {
			chart.Add("validation", p.Step, p.Loss)
			last = fmt.Sprintf(" · validation: token accuracy %.1f%%, exact match %.1f%%", 100*p.TokenAcc, 100*p.ExactMatch)
			return nil
		},
	}
	return hooks, chart
}

// ResultsHTML renders decodings next to their expected targets as an HTML table.
func ResultsHTML(results []decode.Result, pairs []data.Pair) string {
	var b strings.Builder
	b.WriteString("<table><tr><th>input</th><th>expected</th><th>generated</th><th></th></tr>\n")
	for i, r := range results {
		want, mark := "", ""
		if i < len(pairs) {
			want, mark = pairs[i].Target, "✗"
			if r.Text == want {
				mark = "✓"
			}
		}
		fmt.Fprintf(&b, "<tr><td><code>%s</code></td><td><code>%s</code></td><td><code>%s</code></td><td>%s</td></tr>\n",
			html.EscapeString(r.Source), html.EscapeString(want), html.EscapeString(r.Text), mark)
	}
	b.WriteString("</table>")
	return b.String()
}

// ShowResults displays ResultsHTML in the notebook (and prints nothing outside one).
func ShowResults(results []decode.Result, pairs []data.Pair) {
	gonbui.DisplayHTML(ResultsHTML(results, pairs))
	gonbui.Sync() // see DisplayPlot
}

// ShowAttention displays the attention heatmap of one decoding.
func ShowAttention(r decode.Result) error {
	p, w, h, err := AttentionPlot(r)
	if err != nil {
		return err
	}
	return DisplayPlot(p, w, h)
}

// ShowLoss displays the loss curves of a history.
func ShowLoss(h *train.History) error {
	p, err := LossPlot(h)
	if err != nil {
		return err
	}
	return DisplayPlot(p, LossWidth, LossHeight)
}
