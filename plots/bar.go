package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars is one named series of a BarChart: one value per category.
type Bars struct {
	Name   string    // Legend entry, e.g. "with attention".
	Values []float64 // One per category; finite.
}

// BarChart draws grouped bars: for every category (x axis) one bar per
// series, side by side, with a legend naming the series. It is made for
// "accuracy by input-length bucket" with and without attention. The y axis
// starts at 0 (or below, for negative values); set p.Y.Label.Text and
// p.Y.Max as needed. It uses DefaultStyle (CJKStyle for CJK labels).
//
// It returns an error wrapping ErrNoData when there are no categories or no
// series, and an error naming the series when a series has the wrong number
// of values or a non-finite one.
func BarChart(title string, categories []string, series ...Bars) (*plot.Plot, error) {
	labels := append([]string{title}, categories...)
	for _, ser := range series {
		labels = append(labels, ser.Name)
	}
	s, err := styleFor(labels)
	if err != nil {
		return nil, err
	}
	return s.BarChart(title, categories, series...)
}

// BarChart is the package-level BarChart drawn with style s.
func (s Style) BarChart(title string, categories []string, series ...Bars) (*plot.Plot, error) {
	if len(categories) == 0 || len(series) == 0 {
		return nil, fmt.Errorf("plots: bar chart: %w: %d categories, %d series", ErrNoData, len(categories), len(series))
	}
	for i, ser := range series {
		if len(ser.Values) != len(categories) {
			return nil, fmt.Errorf("plots: bar chart: series %d (%q) has %d values, want one per category (%d)",
				i, ser.Name, len(ser.Values), len(categories))
		}
		for k, v := range ser.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: bar chart: series %d (%q), category %q: value %v is not finite",
					i, ser.Name, categories[k], v)
			}
		}
	}
	s = s.filled()
	p := s.newPlot(title)
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(4)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	p.Add(grid)

	// The bars of one category share a slot of width slot; the series sit
	// side by side, centred on the category.
	const slot = vg.Length(60)
	width := slot / vg.Length(len(series))
	for i, ser := range series {
		bc, err := plotter.NewBarChart(plotter.Values(ser.Values), width)
		if err != nil {
			return nil, fmt.Errorf("plots: bar chart: series %d (%q): %w", i, ser.Name, err)
		}
		bc.Color = s.color(i)
		bc.LineStyle = draw.LineStyle{Width: 0}
		bc.Offset = width * (vg.Length(i) - vg.Length(len(series)-1)/2)
		p.Add(bc)
		if ser.Name != "" {
			p.Legend.Add(ser.Name, bc)
		}
	}
	p.NominalX(labels(categories)...)
	p.Y.Min = math.Min(0, p.Y.Min)
	if len(series) > 1 || series[0].Name != "" {
		p.Y.Max += 0.08 * float64(len(series)+1) * (p.Y.Max - p.Y.Min) // room for the legend
	}
	return p, nil
}

// labels returns tokens made printable as tick labels.
func labels(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = tokenLabel(t)
	}
	return out
}
