package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ErrNoData is returned by LossCurves when no series has a finite point.
var ErrNoData = errors.New("plots: no data to plot")

// Series is one named loss curve, such as "train" or "valid".
type Series struct {
	// Name is the legend entry; series without a name get none.
	Name string

	// X holds the training steps and Y the loss at each step; both have the
	// same length. A nil X means steps 0, 1, …, len(Y)-1.
	X, Y []float64
}

// points returns the finite (x, y) pairs of s, or an error when X and Y
// have different lengths. Points where X or Y is NaN or ±Inf are skipped.
func (s Series) points() (plotter.XYs, error) {
	if s.X != nil && len(s.X) != len(s.Y) {
		return nil, fmt.Errorf("len(X)=%d != len(Y)=%d", len(s.X), len(s.Y))
	}
	xys := make(plotter.XYs, 0, len(s.Y))
	for i, y := range s.Y {
		x := float64(i)
		if s.X != nil {
			x = s.X[i]
		}
		if isFinite(x) && isFinite(y) {
			xys = append(xys, plotter.XY{X: x, Y: y})
		}
	}
	return xys, nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// LossCurves plots loss against training step, one line per series, with a
// legend and the axis labels "step" and "loss". It uses DefaultStyle (CJKStyle
// when the title or a series name holds CJK).
//
// Non-finite points (NaN or ±Inf in X or Y, as a diverging run produces)
// are skipped rather than reported: the line joins the finite neighbours.
// Series left without points are omitted. LossCurves returns ErrNoData when
// no series has a finite point, and an error naming the series when X and Y
// differ in length.
func LossCurves(title string, series ...Series) (*plot.Plot, error) {
	labels := []string{title}
	for _, ser := range series {
		labels = append(labels, ser.Name)
	}
	s, err := styleFor(labels)
	if err != nil {
		return nil, err
	}
	return s.LossCurves(title, series...)
}

// LossCurves is the package-level LossCurves drawn with style s.
func (s Style) LossCurves(title string, series ...Series) (*plot.Plot, error) {
	s = s.filled()
	p := s.newPlot(title)
	p.X.Label.Text = "step"
	p.Y.Label.Text = "loss"
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(4)
	p.Add(plotter.NewGrid())

	drawn := 0
	for i, ser := range series {
		xys, err := ser.points()
		if err != nil {
			return nil, fmt.Errorf("plots: loss series %d (%q): %w", i, ser.Name, err)
		}
		if len(xys) == 0 {
			continue
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: loss series %d (%q): %w", i, ser.Name, err)
		}
		line.LineStyle = draw.LineStyle{Color: s.color(i), Width: s.LineWidth}
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xys) == 1 { // A lone point draws no line: mark it.
			dot, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("plots: loss series %d (%q): %w", i, ser.Name, err)
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: s.color(i), Radius: s.LineWidth * 2, Shape: draw.CircleGlyph{}}
			p.Add(dot)
			thumbs = append(thumbs, dot)
		}
		if ser.Name != "" {
			p.Legend.Add(ser.Name, thumbs...)
		}
		drawn++
	}
	if drawn == 0 {
		return nil, ErrNoData
	}
	return p, nil
}

// color returns the colour of the i-th series; s must be filled.
func (s Style) color(i int) color.Color {
	return s.Colors[i%len(s.Colors)]
}
