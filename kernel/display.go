package kernel

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/gotextgen/textgen/plots"
)

// DisplayPlot renders p as a w×h PNG (see plots.PNG) and shows it as an
// image/png output of the running GoNB cell. Outside a notebook
// (gonbui.IsNotebook false) it does nothing and returns nil.
func DisplayPlot(p *plot.Plot, w, h vg.Length) error {
	if !gonbui.IsNotebook {
		return nil
	}
	png, err := plots.PNG(p, w, h)
	if err != nil {
		return fmt.Errorf("kernel: display plot: %w", err)
	}
	gonbui.DisplayPng(png)
	// Wait until GoNB has the image: a cell program that exits right after displaying can otherwise lose it.
	gonbui.Sync()
	return nil
}

// MustDisplayPlot is DisplayPlot for notebook cells: it panics on error.
func MustDisplayPlot(p *plot.Plot, w, h vg.Length) {
	if err := DisplayPlot(p, w, h); err != nil {
		panic(err)
	}
}

// DisplayAttention shows an attention heat map (see plots.AttentionHeatmap),
// sized by plots.AttentionSize, in the running GoNB cell.
//
// weights has shape [len(generated)][len(source)]: row i holds the attention
// generated token i paid to each source token. The shapes are checked even
// outside a notebook, where nothing is displayed.
func DisplayAttention(weights [][]float32, source, generated []string) error {
	p, err := plots.AttentionHeatmap(weights, source, generated)
	if err != nil {
		return err
	}
	w, h := plots.AttentionSize(p, len(source), len(generated))
	return DisplayPlot(p, w, h)
}

// MustDisplayAttention is DisplayAttention for notebook cells: it panics on
// error. weights has shape [len(generated)][len(source)].
func MustDisplayAttention(weights [][]float32, source, generated []string) {
	if err := DisplayAttention(weights, source, generated); err != nil {
		panic(err)
	}
}

// LiveChartInterval is the least time between two redraws by
// LiveChart.Update; Finish always redraws.
const LiveChartInterval = 500 * time.Millisecond

// LiveChart is a loss chart that redraws in place in a GoNB cell while a
// model trains, with an optional status line (progress, ETA) under it.
//
// It displays HTML holding the chart as an <img> with a data: URL through
// gonbui.UpdateHTML: the first update creates the output (a display_data
// message with a transient display id), later ones replace it
// (update_display_data), so a notebook executed headless (nbconvert,
// nbclient) is saved with the final chart as a text/html output. It uses no
// widgets or JavaScript. Outside a notebook Update and Finish do nothing,
// while Add and SetStatus still record. A LiveChart is safe for concurrent
// use.
type LiveChart struct {
	mu       sync.Mutex
	title    string
	id       string
	w, h     vg.Length
	series   []plots.Series // in order of first Add
	index    map[string]int // series name -> position in series
	status   string
	changed  bool // since the last redraw
	throttle liveThrottle

	// Hooks, replaced in tests.
	enabled bool                  // gonbui.IsNotebook
	show    func(id, html string) // gonbui.UpdateHTML
	flush   func()                // gonbui.Sync
}

// NewLiveChart returns an empty chart titled title, plots.DefaultWidth by
// plots.DefaultHeight. Nothing is displayed before the first Update.
func NewLiveChart(title string) *LiveChart {
	return &LiveChart{
		title:    title,
		id:       "textgen_" + gonbui.UniqueId(),
		w:        plots.DefaultWidth,
		h:        plots.DefaultHeight,
		index:    make(map[string]int),
		throttle: liveThrottle{interval: LiveChartInterval, now: time.Now},
		enabled:  gonbui.IsNotebook,
		show:     gonbui.UpdateHTML,
		flush:    gonbui.Sync,
	}
}

// SetSize sets the size of the chart image; sides that are not > 0 are
// ignored.
func (c *LiveChart) SetSize(w, h vg.Length) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w > 0 {
		c.w = w
	}
	if h > 0 {
		c.h = h
	}
	c.changed = true
}

// Add records value (a loss) at training step step of the named series,
// such as "train" or "valid"; series are drawn in order of first Add.
// Non-finite values are recorded and skipped when drawing.
func (c *LiveChart) Add(series string, step int, value float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[series]
	if !ok {
		i = len(c.series)
		c.index[series] = i
		c.series = append(c.series, plots.Series{Name: series, X: []float64{}})
	}
	s := &c.series[i]
	s.X = append(s.X, float64(step))
	s.Y = append(s.Y, value)
	c.changed = true
}

// SetStatus sets the text line shown under the chart, for instance
// "step 1200/5000 · 3.1 steps/s · ETA 20m"; "" removes it. It is shown at
// the next Update or Finish.
func (c *LiveChart) SetStatus(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status = s
	c.changed = true
}

// Update redraws the chart in place if something changed since the last
// redraw and at least LiveChartInterval has passed since then; otherwise,
// and outside a notebook, it does nothing. Call it as often as convenient,
// e.g. after every Add.
func (c *LiveChart) Update() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled || !c.changed || !c.throttle.ready() {
		return nil
	}
	return c.redrawLocked()
}

// Finish redraws the chart with everything recorded, regardless of the
// throttle, and waits until GoNB has received it (gonbui.Sync), so the final
// chart is what the saved notebook keeps. Outside a notebook it does nothing.
func (c *LiveChart) Finish() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled {
		return nil
	}
	c.throttle.mark()
	err := c.redrawLocked()
	c.flush()
	return err
}

// redrawLocked renders the chart and sends it; c.mu must be held.
func (c *LiveChart) redrawLocked() error {
	page, err := c.htmlLocked()
	if err != nil {
		return err
	}
	c.show(c.id, page)
	c.changed = false
	return nil
}

// htmlLocked renders the chart and status to HTML; c.mu must be held.
// Before any finite point the chart is left out.
func (c *LiveChart) htmlLocked() (string, error) {
	var png []byte
	p, err := plots.LossCurves(c.title, c.series...)
	switch {
	case errors.Is(err, plots.ErrNoData):
	case err != nil:
		return "", fmt.Errorf("kernel: live chart %q: %w", c.title, err)
	default:
		if png, err = plots.PNG(p, c.w, c.h); err != nil {
			return "", fmt.Errorf("kernel: live chart %q: %w", c.title, err)
		}
	}
	return liveChartHTML(png, c.title, c.status), nil
}

// liveChartHTML returns the HTML of a live chart: the PNG image as an <img>
// with a data: URL (none when png is empty), then the status line. alt is
// the image's alternative text. It is never empty, since an empty update
// erases the output.
func liveChartHTML(png []byte, alt, status string) string {
	var b strings.Builder
	b.WriteString(`<div class="textgen-live-chart">`)
	if len(png) > 0 {
		b.WriteString(`<img src="data:image/png;base64,`)
		b.WriteString(base64.StdEncoding.EncodeToString(png))
		b.WriteString(`" alt="`)
		b.WriteString(html.EscapeString(alt))
		b.WriteString(`">`)
	} else if status == "" {
		b.WriteString(`<div>` + html.EscapeString(alt) + `: no data yet</div>`)
	}
	if status != "" {
		b.WriteString(`<div style="font-family:monospace;white-space:pre">`)
		b.WriteString(html.EscapeString(status))
		b.WriteString(`</div>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// liveThrottle lets an action through at most once per interval.
type liveThrottle struct {
	interval time.Duration
	now      func() time.Time
	last     time.Time // zero before the first action
}

// ready reports whether interval has passed since the last action, and if
// so records now as the time of a new one.
func (t *liveThrottle) ready() bool {
	now := t.now()
	if !t.last.IsZero() && now.Sub(t.last) < t.interval {
		return false
	}
	t.last = now
	return true
}

// mark records an action now, through or around the throttle.
func (t *liveThrottle) mark() { t.last = t.now() }
