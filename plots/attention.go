package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bounds on the canvas side returned by AttentionSize.
const (
	MinAttentionSide = 2 * vg.Inch
	MaxAttentionSide = 24 * vg.Inch
)

// AttentionHeatmap plots an attention matrix as a heat map, using
// DefaultStyle (CJKStyle when a token is Chinese, Japanese or Korean).
//
// weights has shape [len(generated)][len(source)]: row i holds the attention
// that generated (output) token i paid to each source token, so each row
// usually sums to 1. Columns are labelled with the source tokens along the x
// axis (labels rotated by Style.SourceLabelRotation), rows with the generated
// tokens along the y axis, first generated token at the top. Colours span
// Style.Palette from min(0, smallest weight) to the largest weight. The plot
// has no title; set p.Title.Text to add one. Render it at AttentionSize to
// get square cells.
//
// It returns an error wrapping ErrNoData when there are no tokens, an error
// naming the offending row when shapes disagree, and one wrapping
// plotter.ErrNaN or plotter.ErrInfinity, with the cell, for non-finite
// weights.
func AttentionHeatmap(weights [][]float32, source, generated []string) (*plot.Plot, error) {
	s, err := styleFor(append(slices.Clone(source), generated...))
	if err != nil {
		return nil, err
	}
	return s.AttentionHeatmap(weights, source, generated)
}

// AttentionHeatmap is the package-level AttentionHeatmap drawn with style s.
// weights has shape [len(generated)][len(source)].
func (s Style) AttentionHeatmap(weights [][]float32, source, generated []string) (*plot.Plot, error) {
	lo, hi, err := checkAttention(weights, source, generated)
	if err != nil {
		return nil, err
	}
	s = s.filled()
	p := s.newPlot("")
	p.X.Label.Text = "source"
	p.Y.Label.Text = "generated"
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Length, p.Y.Tick.Length = vg.Points(3), vg.Points(3)
	if s.SourceLabelRotation != 0 {
		p.X.Tick.Label.Rotation = s.SourceLabelRotation
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}

	grid := attentionGrid(weights)
	hm := plotter.NewHeatMap(grid, s.Palette)
	hm.Min, hm.Max = math.Min(0, lo), hi
	if !(hm.Max > hm.Min) {
		hm.Max = hm.Min + 1
	}
	p.Add(hm)

	xTicks := make(plot.ConstantTicks, len(source))
	for c, tok := range source {
		xTicks[c] = plot.Tick{Value: float64(c), Label: tokenLabel(tok)}
	}
	yTicks := make(plot.ConstantTicks, len(generated))
	for r := range generated {
		yTicks[r] = plot.Tick{Value: float64(r), Label: tokenLabel(generated[grid.row(r)])}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xTicks, yTicks
	return p, nil
}

// checkAttention validates the shapes and values of an attention matrix of
// shape [len(generated)][len(source)] and returns its smallest and largest
// weights.
func checkAttention(weights [][]float32, source, generated []string) (lo, hi float64, err error) {
	if len(source) == 0 || len(generated) == 0 {
		return 0, 0, fmt.Errorf("plots: attention: %w: %d source and %d generated tokens",
			ErrNoData, len(source), len(generated))
	}
	if len(weights) != len(generated) {
		return 0, 0, fmt.Errorf("plots: attention: weights has %d rows, want one per generated token (%d)",
			len(weights), len(generated))
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, row := range weights {
		if len(row) != len(source) {
			return 0, 0, fmt.Errorf("plots: attention: weights row %d (generated token %q) has %d columns, want one per source token (%d)",
				i, generated[i], len(row), len(source))
		}
		for j, w := range row {
			v := float64(w)
			switch {
			case math.IsNaN(v):
				return 0, 0, fmt.Errorf("plots: attention: weights[%d][%d] (%q -> %q): %w", i, j, generated[i], source[j], plotter.ErrNaN)
			case math.IsInf(v, 0):
				return 0, 0, fmt.Errorf("plots: attention: weights[%d][%d] (%q -> %q): %w", i, j, generated[i], source[j], plotter.ErrInfinity)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, nil
}

// attentionGrid adapts a validated [generated][source] matrix to
// plotter.GridXYZ: column c is source token c at x = c, and grid row r is
// drawn at y = r from the bottom, so it holds generated token rows-1-r.
type attentionGrid [][]float32

func (g attentionGrid) Dims() (c, r int)    { return len(g[0]), len(g) }
func (g attentionGrid) Z(c, r int) float64  { return float64(g[g.row(r)][c]) }
func (g attentionGrid) X(c int) float64     { return float64(c) }
func (g attentionGrid) Y(r int) float64     { return float64(r) }
func (g attentionGrid) row(r int) (gen int) { return len(g) - 1 - r }

// tokenLabel makes a token printable as a one-line tick label: control
// characters such as "\n" are shown escaped.
func tokenLabel(tok string) string {
	if !strings.ContainsFunc(tok, unicode.IsControl) {
		return tok
	}
	var b strings.Builder
	for _, r := range tok {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AttentionSize returns a canvas size for p, a plot made by
// AttentionHeatmap with nSource source and nGenerated generated tokens,
// such that each cell is about CellSize of DefaultStyle square, within
// [MinAttentionSide, MaxAttentionSide] on each side.
func AttentionSize(p *plot.Plot, nSource, nGenerated int) (w, h vg.Length) {
	return DefaultStyle().AttentionSize(p, nSource, nGenerated)
}

// AttentionSize is the package-level AttentionSize with cells of
// s.CellSize.
func (s Style) AttentionSize(p *plot.Plot, nSource, nGenerated int) (w, h vg.Length) {
	s = s.filled()
	wantW := s.CellSize * vg.Length(max(nSource, 1))
	wantH := s.CellSize * vg.Length(max(nGenerated, 1))
	w, h = wantW+2*vg.Inch, wantH+2*vg.Inch
	// The margins around the data area (tick labels, axis labels, title)
	// barely depend on the canvas size: measure them twice and correct.
	for range 2 {
		// DataCanvas only measures text and rectangles: no drawing happens,
		// so no backing canvas is needed.
		dc := p.DataCanvas(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
		size := dc.Size()
		w += wantW - size.X
		h += wantH - size.Y
	}
	clamp := func(v vg.Length) vg.Length {
		return min(max(v, MinAttentionSide), MaxAttentionSide)
	}
	return clamp(w), clamp(h)
}
