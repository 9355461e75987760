package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Projection names how EmbeddingMap maps vectors to the plane.
type Projection string

const (
	// ProjectionPCA projects on the first two principal components ([PCA2]): linear, fast, and distances
	// along the axes mean something.
	ProjectionPCA Projection = "pca"
	// ProjectionTSNE embeds with exact t-SNE ([TSNE]): neighbourhoods are kept, global distances are not.
	ProjectionTSNE Projection = "tsne"
)

// EmbeddingOptions configures [EmbeddingMap]. Start from [DefaultEmbeddingOptions].
type EmbeddingOptions struct {
	// Title is the plot title.
	Title string
	// Projection is ProjectionPCA (also when empty) or ProjectionTSNE.
	Projection Projection
	// UnitLength scales every vector to length 1 first, so that distances follow cosine similarity, the
	// usual measure for word vectors.
	UnitLength bool
	// Groups, when not nil, gives each word a group (0, 1, …); the points of a group share a colour.
	Groups []int
	// TSNE configures the t-SNE projection.
	TSNE TSNEConfig
}

// DefaultEmbeddingOptions returns a PCA map of unit-length vectors with DefaultTSNEConfig for t-SNE.
func DefaultEmbeddingOptions() EmbeddingOptions {
	return EmbeddingOptions{Projection: ProjectionPCA, UnitLength: true, TSNE: DefaultTSNEConfig()}
}

// EmbeddingMap draws word vectors [n][d] as a labelled 2-D scatter plot, projected by PCA or t-SNE
// (opts.Projection). Labels may be Chinese: when a word holds CJK characters the chart uses [CJKStyle],
// and the error wraps [ErrNoCJKFont] when no CJK font is installed (never boxes in place of glyphs).
// Otherwise it uses DefaultStyle. Render it at DefaultWidth × DefaultHeight or larger.
//
// Errors: len(words) != len(vectors), len(opts.Groups) not 0 or n, a negative group, ErrNoData for no
// words, and what PCA2 or TSNE reject (ragged or non-finite vectors).
func EmbeddingMap(words []string, vectors [][]float32, opts EmbeddingOptions) (*plot.Plot, error) {
	s, err := styleFor(append([]string{opts.Title}, words...))
	if err != nil {
		return nil, fmt.Errorf("plots: embedding map: %w", err)
	}
	return s.EmbeddingMap(words, vectors, opts)
}

// EmbeddingMap is the package-level EmbeddingMap drawn with style s; the error wraps ErrNoCJKFont when
// a word holds a CJK character that s has no glyph for.
func (s Style) EmbeddingMap(words []string, vectors [][]float32, opts EmbeddingOptions) (*plot.Plot, error) {
	n := len(words)
	if len(vectors) != n {
		return nil, fmt.Errorf("plots: embedding map: %d vectors, want one per word (%d)", len(vectors), n)
	}
	if n == 0 {
		return nil, fmt.Errorf("plots: embedding map: %w", ErrNoData)
	}
	if opts.Groups != nil && len(opts.Groups) != n {
		return nil, fmt.Errorf("plots: embedding map: %d groups, want one per word (%d)", len(opts.Groups), n)
	}
	for i, g := range opts.Groups {
		if g < 0 {
			return nil, fmt.Errorf("plots: embedding map: word %d (%q) has group %d, want ≥ 0", i, words[i], g)
		}
	}
	s = s.filled()
	if err := s.checkGlyphs("embedding map: word", words); err != nil {
		return nil, err
	}
	if err := s.checkGlyphs("embedding map:", []string{opts.Title}); err != nil {
		return nil, err
	}
	points := vectors
	if opts.UnitLength {
		points = unitRows(vectors)
	}
	var proj [][2]float64
	var xLabel, yLabel string
	switch opts.Projection {
	case ProjectionPCA, "":
		var explained [2]float64
		var err error
		if proj, explained, err = PCA2(points); err != nil {
			return nil, fmt.Errorf("plots: embedding map: %w", err)
		}
		xLabel = fmt.Sprintf("PC1 (%.0f%% of variance)", 100*explained[0])
		yLabel = fmt.Sprintf("PC2 (%.0f%% of variance)", 100*explained[1])
	case ProjectionTSNE:
		var err error
		if proj, _, err = TSNE(points, opts.TSNE); err != nil {
			return nil, fmt.Errorf("plots: embedding map: %w", err)
		}
		xLabel, yLabel = "t-SNE 1", "t-SNE 2"
	default:
		return nil, fmt.Errorf("plots: embedding map: projection %q: want %q or %q", opts.Projection, ProjectionPCA, ProjectionTSNE)
	}

	p := s.newPlot(opts.Title)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Add(plotter.NewGrid())
	groups := opts.Groups
	if groups == nil {
		groups = make([]int, n)
	}
	xys := make(plotter.XYs, n)
	for i, pt := range proj {
		xys[i] = plotter.XY{X: pt[0], Y: pt[1]}
	}
	for g := range slices.Max(groups) + 1 {
		var pts plotter.XYs
		for i, gi := range groups {
			if gi == g {
				pts = append(pts, xys[i])
			}
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("plots: embedding map: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.color(g), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels(words)})
	if err != nil {
		return nil, fmt.Errorf("plots: embedding map: %w", err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i] = s.textStyle(s.TickSize, draw.XLeft, draw.YCenter)
	}
	lbl.Offset = vg.Point{X: vg.Points(5)}
	p.Add(lbl)
	padAxes(p, 0.05, 0.15)
	return p, nil
}

// unitRows returns the rows scaled to length 1 (zero rows stay zero).
func unitRows(vectors [][]float32) [][]float32 {
	out := make([][]float32, len(vectors))
	for i, v := range vectors {
		s := 0.0
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		out[i] = slices.Clone(v)
		if s > 0 && !math.IsInf(s, 0) && !math.IsNaN(s) {
			inv := float32(1 / math.Sqrt(s))
			for k := range out[i] {
				out[i][k] *= inv
			}
		}
	}
	return out
}

// padAxes widens the data range of p by frac on each side, and by extraRight more on the right, where
// the labels extend.
func padAxes(p *plot.Plot, frac, extraRight float64) {
	dx, dy := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
	if dx == 0 {
		dx = 1
	}
	if dy == 0 {
		dy = 1
	}
	p.X.Min -= frac * dx
	p.X.Max += (frac + extraRight) * dx
	p.Y.Min -= frac * dy
	p.Y.Max += frac * dy
}

// NeighbourBars draws the nearest neighbours of query as horizontal bars of cosine similarity, the most
// similar at the top, each bar labelled with its value: words[i] has similarity sims[i] (give them in
// any order; they are sorted by similarity, ties keeping their order). Chinese words use [CJKStyle] as
// EmbeddingMap does.
//
// Errors: len(words) != len(sims), ErrNoData for none, a similarity that is not finite or outside
// [-1, 1] (with a 1e-6 slack for rounding), ErrNoCJKFont.
func NeighbourBars(query string, words []string, sims []float64) (*plot.Plot, error) {
	s, err := styleFor(append([]string{query}, words...))
	if err != nil {
		return nil, fmt.Errorf("plots: neighbour bars: %w", err)
	}
	return s.NeighbourBars(query, words, sims)
}

// NeighbourBars is the package-level NeighbourBars drawn with style s.
func (s Style) NeighbourBars(query string, words []string, sims []float64) (*plot.Plot, error) {
	if len(words) != len(sims) {
		return nil, fmt.Errorf("plots: neighbour bars: %d similarities, want one per word (%d)", len(sims), len(words))
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("plots: neighbour bars: %w", ErrNoData)
	}
	for i, v := range sims {
		if !isFinite(v) || v < -1-1e-6 || v > 1+1e-6 {
			return nil, fmt.Errorf("plots: neighbour bars: word %d (%q): similarity %v is not in [-1, 1]", i, words[i], v)
		}
	}
	s = s.filled()
	if err := s.checkGlyphs("neighbour bars: word", append([]string{query}, words...)); err != nil {
		return nil, err
	}
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	// Bottom to top: least similar first, so the nearest neighbour is the top bar.
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case sims[a] < sims[b]:
			return -1
		case sims[a] > sims[b]:
			return 1
		}
		return b - a
	})
	vals := make(plotter.Values, len(order))
	names := make([]string, len(order))
	for k, i := range order {
		vals[k], names[k] = sims[i], words[i]
	}
	p := s.newPlot("Nearest neighbours of " + strconv.Quote(query))
	p.X.Label.Text = "cosine similarity"
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	p.Add(grid)
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return nil, fmt.Errorf("plots: neighbour bars: %w", err)
	}
	bars.Horizontal = true
	bars.Color = s.color(0)
	bars.LineStyle = draw.LineStyle{Width: 0}
	p.Add(bars)
	xys := make(plotter.XYs, len(vals))
	texts := make([]string, len(vals))
	for k, v := range vals {
		xys[k] = plotter.XY{X: math.Max(v, 0), Y: float64(k)}
		texts[k] = strconv.FormatFloat(v, 'f', 2, 64)
	}
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, fmt.Errorf("plots: neighbour bars: %w", err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i] = s.textStyle(s.TickSize, draw.XLeft, draw.YCenter)
	}
	lbl.Offset = vg.Point{X: vg.Points(3)}
	p.Add(lbl)
	p.NominalY(labels(names)...)
	p.X.Min = math.Min(0, slices.Min(vals))
	p.X.Max = 1.12 // room for the value labels
	return p, nil
}

// NeighbourBarsSize suggests a canvas for NeighbourBars with n words: DefaultWidth wide, 0.3 inch a bar.
func NeighbourBarsSize(n int) (w, h vg.Length) {
	return DefaultWidth, vg.Length(math.Max(float64(2*vg.Inch), float64(vg.Inch)+float64(n)*0.3*float64(vg.Inch)))
}
