package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PCA2 projects points [n][d] onto their first two principal components.
// It returns the projections [n][2] (centred: the mean maps to the origin)
// and the fraction of the total variance each component explains. The
// components come from power iteration with deflation on the d×d covariance
// matrix, started from a fixed vector, so the result is deterministic; each
// component's sign is chosen so that its largest coordinate is positive.
//
// It returns an error wrapping ErrNoData when there are no points or no
// dimensions, and an error naming the point when rows differ in length or
// hold a non-finite value.
func PCA2(points [][]float32) (proj [][2]float64, explained [2]float64, err error) {
	if len(points) == 0 || len(points[0]) == 0 {
		return nil, explained, fmt.Errorf("plots: PCA: %w: %d points", ErrNoData, len(points))
	}
	n, d := len(points), len(points[0])
	mean := make([]float64, d)
	for i, p := range points {
		if len(p) != d {
			return nil, explained, fmt.Errorf("plots: PCA: point %d has %d dimensions, point 0 has %d", i, len(p), d)
		}
		for k, v := range p {
			if !isFinite(float64(v)) {
				return nil, explained, fmt.Errorf("plots: PCA: point %d, dimension %d is %v", i, k, v)
			}
			mean[k] += float64(v) / float64(n)
		}
	}
	x := make([][]float64, n) // centred points
	for i, p := range points {
		x[i] = make([]float64, d)
		for k, v := range p {
			x[i][k] = float64(v) - mean[k]
		}
	}
	cov := covariance(x)
	total := 0.0
	for k := range d {
		total += cov[k][k]
	}
	proj = make([][2]float64, n)
	for c := range 2 {
		vec, val := powerIteration(cov)
		if total > 0 {
			explained[c] = val / total
		}
		for i := range x {
			proj[i][c] = dot(x[i], vec)
		}
		for a := range d { // deflate: cov -= val·vec·vecᵀ
			for b := range d {
				cov[a][b] -= val * vec[a] * vec[b]
			}
		}
	}
	return proj, explained, nil
}

// covariance returns XᵀX/n for centred rows x [n][d].
func covariance(x [][]float64) [][]float64 {
	d := len(x[0])
	cov := make([][]float64, d)
	for a := range cov {
		cov[a] = make([]float64, d)
	}
	for _, row := range x {
		for a := range d {
			for b := range d {
				cov[a][b] += row[a] * row[b] / float64(len(x))
			}
		}
	}
	return cov
}

// powerIteration returns the leading eigenvector (unit length, largest
// coordinate positive) and eigenvalue of the symmetric positive
// semi-definite matrix m. A zero matrix gives the first axis and 0.
func powerIteration(m [][]float64) (vec []float64, val float64) {
	d := len(m)
	vec = make([]float64, d)
	for k := range vec { // fixed, generic start: unlikely orthogonal to the answer
		vec[k] = 1 + float64(k%7)/10
	}
	normalize(vec)
	next := make([]float64, d)
	for range 1000 {
		for a := range d {
			next[a] = dot(m[a], vec)
		}
		norm := math.Sqrt(dot(next, next))
		if norm < 1e-300 {
			clear(vec)
			vec[0] = 1
			return vec, 0
		}
		for a := range next {
			next[a] /= norm
		}
		diff := 0.0
		for a := range d {
			diff = math.Max(diff, math.Abs(next[a]-vec[a]))
		}
		copy(vec, next)
		if diff < 1e-12 {
			break
		}
	}
	big := 0
	for k := range vec {
		if math.Abs(vec[k]) > math.Abs(vec[big]) {
			big = k
		}
	}
	if vec[big] < 0 {
		for k := range vec {
			vec[k] = -vec[k]
		}
	}
	for a := range d {
		next[a] = dot(m[a], vec)
	}
	return vec, dot(vec, next)
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func normalize(v []float64) {
	n := math.Sqrt(dot(v, v))
	for i := range v {
		v[i] /= n
	}
}

// HiddenTrajectory draws a recurrent state's path through time: states
// [len(tokens)][H] (the hidden state after reading each token) projected to
// two dimensions by PCA2, points joined in order and labelled with their
// tokens, the first point ringed. The axis labels give the variance each
// component explains. It uses DefaultStyle (CJKStyle for CJK tokens); render it at DefaultWidth ×
// DefaultHeight.
//
// It returns an error when len(states) != len(tokens) or as PCA2 does.
func HiddenTrajectory(title string, states [][]float32, tokens []string) (*plot.Plot, error) {
	s, err := styleFor(append([]string{title}, tokens...))
	if err != nil {
		return nil, err
	}
	return s.HiddenTrajectory(title, states, tokens)
}

// HiddenTrajectory is the package-level HiddenTrajectory drawn with style s.
func (s Style) HiddenTrajectory(title string, states [][]float32, tokens []string) (*plot.Plot, error) {
	if len(states) != len(tokens) {
		return nil, fmt.Errorf("plots: trajectory: %d states, want one per token (%d)", len(states), len(tokens))
	}
	proj, explained, err := PCA2(states)
	if err != nil {
		return nil, fmt.Errorf("plots: trajectory: %w", err)
	}
	s = s.filled()
	p := s.newPlot(title)
	p.X.Label.Text = fmt.Sprintf("PC1 (%.0f%% of variance)", 100*explained[0])
	p.Y.Label.Text = fmt.Sprintf("PC2 (%.0f%% of variance)", 100*explained[1])
	p.Add(plotter.NewGrid())
	xys := make(plotter.XYs, len(proj))
	for i, pt := range proj {
		xys[i] = plotter.XY{X: pt[0], Y: pt[1]}
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("plots: trajectory: %w", err)
	}
	line.LineStyle = draw.LineStyle{Color: s.color(0), Width: s.LineWidth / 2}
	dots, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, fmt.Errorf("plots: trajectory: %w", err)
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: s.color(0), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	start, _ := plotter.NewScatter(xys[:1])
	start.GlyphStyle = draw.GlyphStyle{Color: s.color(1), Radius: vg.Points(6), Shape: draw.RingGlyph{}}
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels(tokens)})
	if err != nil {
		return nil, fmt.Errorf("plots: trajectory: %w", err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i] = s.textStyle(s.TickSize, draw.XLeft, draw.YBottom)
	}
	lbl.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
	p.Add(line, dots, start, lbl)
	return p, nil
}
