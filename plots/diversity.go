package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DiversityPoint is what sampling at one temperature gave: diversity among the samples (distinct-n, in
// [0,1]) and their quality against the references (BLEU, in [0,100]).
type DiversityPoint struct {
	Temperature float64
	Distinct1   float64 // Distinct unigrams / unigrams.
	Distinct2   float64 // Distinct bigrams / bigrams.
	BLEU        float64 // Corpus BLEU of the samples against the references.
}

// DiversityChart draws the effect of the sampling temperature side by side: distinct-1 and distinct-2
// against temperature on the left (titled title, when not empty), BLEU against temperature on the right. Render it at the
// grid's Size. Points must be in increasing temperature with finite values; it uses DefaultStyle (CJKStyle
// when the title holds CJK).
func DiversityChart(title string, points []DiversityPoint) (*Grid, error) {
	s, err := styleFor([]string{title})
	if err != nil {
		return nil, err
	}
	return s.DiversityChart(title, points)
}

// DiversityChart is the package-level DiversityChart drawn with style s.
func (s Style) DiversityChart(title string, points []DiversityPoint) (*Grid, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("plots: diversity chart: %w", ErrNoData)
	}
	for i, pt := range points {
		for _, v := range []float64{pt.Temperature, pt.Distinct1, pt.Distinct2, pt.BLEU} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: diversity chart: point %d (temperature %v) has a non-finite value", i, pt.Temperature)
			}
		}
		if i > 0 && pt.Temperature <= points[i-1].Temperature {
			return nil, fmt.Errorf("plots: diversity chart: temperatures must increase: point %d is %v after %v", i, pt.Temperature, points[i-1].Temperature)
		}
	}
	s = s.filled()
	series := func(get func(DiversityPoint) float64) plotter.XYs {
		xys := make(plotter.XYs, len(points))
		for i, pt := range points {
			xys[i] = plotter.XY{X: pt.Temperature, Y: get(pt)}
		}
		return xys
	}
	panel := func(title, yLabel string, named []string, data []plotter.XYs, colors []int) (*plot.Plot, error) {
		p := s.newPlot(title)
		p.X.Label.Text = "temperature"
		p.Y.Label.Text = yLabel
		p.Add(plotter.NewGrid())
		p.Legend.Top = true
		p.Legend.Left = true
		p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(4)
		for i, xys := range data {
			line, sc, err := plotter.NewLinePoints(xys)
			if err != nil {
				return nil, err
			}
			c := s.color(colors[i])
			line.LineStyle = draw.LineStyle{Color: c, Width: s.LineWidth}
			sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			p.Add(line, sc)
			if named[i] != "" {
				p.Legend.Add(named[i], line, sc)
			}
		}
		p.Y.Min = 0
		return p, nil
	}
	div, err := panel("diversity of the samples", "distinct-n",
		[]string{"distinct-1", "distinct-2"},
		[]plotter.XYs{series(func(p DiversityPoint) float64 { return p.Distinct1 }), series(func(p DiversityPoint) float64 { return p.Distinct2 })},
		[]int{0, 1})
	if err != nil {
		return nil, fmt.Errorf("plots: diversity chart: %w", err)
	}
	div.Y.Max = math.Max(1, div.Y.Max) * 1.15 // room for the legend
	bleu, err := panel("quality against the references", "BLEU", []string{""},
		[]plotter.XYs{series(func(p DiversityPoint) float64 { return p.BLEU })}, []int{2})
	if err != nil {
		return nil, fmt.Errorf("plots: diversity chart: %w", err)
	}
	bleu.Y.Max = math.Max(bleu.Y.Max, 1)
	g := newGrid([]*plot.Plot{div, bleu}, 2, DefaultWidth*3/4, DefaultHeight*3/4)
	if title != "" {
		div.Title.Text = title
	}
	return g, nil
}
