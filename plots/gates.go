package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Gate is the activation of one gate of a recurrent cell over a sequence,
// such as the LSTM's input gate σ(z_i).
type Gate struct {
	Name   string      // Panel title, e.g. "input gate i".
	Values [][]float32 // [time][units]: Values[t][u] is unit u's activation after reading token t.
}

// GateHeatmaps draws the gates of a recurrent cell over a sequence as heat
// maps, one panel per gate, stacked top to bottom: rows are hidden units
// (unit 0 at the top), columns are time steps labelled by tokens. Each
// panel's colours span min(0, smallest value) to max(1, largest value), so
// sigmoid gates (0…1) and tanh candidates (−1…1) read on one scale each.
// Pass a subset of the units (say, the first 16) to keep panels readable.
// It uses DefaultStyle (CJKStyle for CJK tokens); render the grid at g.Size().
//
// It returns an error wrapping ErrNoData when there are no tokens or no
// gates, and an error naming the gate and time step when shapes disagree
// or a value is not finite.
func GateHeatmaps(tokens []string, gates ...Gate) (*Grid, error) {
	s, err := styleFor(tokens)
	if err != nil {
		return nil, err
	}
	return s.GateHeatmaps(tokens, gates...)
}

// GateHeatmaps is the package-level GateHeatmaps drawn with style s.
func (s Style) GateHeatmaps(tokens []string, gates ...Gate) (*Grid, error) {
	if len(tokens) == 0 || len(gates) == 0 {
		return nil, fmt.Errorf("plots: gates: %w: %d tokens, %d gates", ErrNoData, len(tokens), len(gates))
	}
	s = s.filled()
	units := -1
	ps := make([]*plot.Plot, len(gates))
	for i, g := range gates {
		byUnit, lo, hi, err := transposeGate(g, len(tokens), units)
		if err != nil {
			return nil, err
		}
		units = len(byUnit)
		ps[i] = s.gatePlot(g.Name, byUnit, tokens, lo, hi)
	}
	// Smaller cells than attention maps: gates have many more rows.
	cell := s.CellSize * 3 / 4
	tileW := max(cell*vg.Length(len(tokens))+1.2*vg.Inch, 3.5*vg.Inch)
	tileH := min(cell, 6*vg.Inch/vg.Length(units))*vg.Length(units) + 0.9*vg.Inch
	g := newGrid(ps, 1, tileW, tileH)
	return g, nil
}

// transposeGate checks g.Values [time][units] against nTokens (and units
// when ≥ 0) and returns it as [units][time] with its finite range.
func transposeGate(g Gate, nTokens, units int) (byUnit [][]float32, lo, hi float64, err error) {
	if len(g.Values) != nTokens {
		return nil, 0, 0, fmt.Errorf("plots: gate %q: %d time steps, want one per token (%d)", g.Name, len(g.Values), nTokens)
	}
	if units < 0 {
		units = len(g.Values[0])
	}
	if units == 0 {
		return nil, 0, 0, fmt.Errorf("plots: gate %q: %w: no units", g.Name, ErrNoData)
	}
	byUnit = make([][]float32, units)
	for u := range byUnit {
		byUnit[u] = make([]float32, nTokens)
	}
	lo, hi = 0, 1
	for t, row := range g.Values {
		if len(row) != units {
			return nil, 0, 0, fmt.Errorf("plots: gate %q: time step %d has %d units, want %d", g.Name, t, len(row), units)
		}
		for u, v := range row {
			f := float64(v)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, 0, 0, fmt.Errorf("plots: gate %q: value [%d][%d] is %v", g.Name, t, u, v)
			}
			lo, hi = math.Min(lo, f), math.Max(hi, f)
			byUnit[u][t] = v
		}
	}
	return byUnit, lo, hi, nil
}

// gatePlot draws one gate panel: byUnit is [units][time].
func (s Style) gatePlot(title string, byUnit [][]float32, tokens []string, lo, hi float64) *plot.Plot {
	p := s.newPlot(title)
	p.Y.Label.Text = "unit"
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Length, p.Y.Tick.Length = vg.Points(3), vg.Points(3)
	hm := plotter.NewHeatMap(attentionGrid(byUnit), s.Palette)
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	xTicks := make(plot.ConstantTicks, len(tokens))
	for t, tok := range tokens {
		xTicks[t] = plot.Tick{Value: float64(t), Label: tokenLabel(tok)}
	}
	units := len(byUnit)
	every := max(1, units/8)
	var yTicks plot.ConstantTicks
	for u := 0; u < units; u += every {
		yTicks = append(yTicks, plot.Tick{Value: float64(units - 1 - u), Label: strconv.Itoa(u)})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xTicks, yTicks
	if s.SourceLabelRotation != 0 {
		p.X.Tick.Label.Rotation = s.SourceLabelRotation
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.Title.Text = fmt.Sprintf("%s (colours %.2g…%.2g)", title, lo, hi)
	return p
}
