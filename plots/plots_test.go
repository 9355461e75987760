package plots

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func nan() float64 { return math.NaN() }

func TestLossCurvesNoData(t *testing.T) {
	for name, series := range map[string][]Series{
		"no series":    nil,
		"empty series": {{Name: "train"}, {Name: "valid", X: []float64{}, Y: []float64{}}},
		"all non-finite": {
			{Name: "train", Y: []float64{nan(), math.Inf(1)}},
			{Name: "valid", X: []float64{math.Inf(-1)}, Y: []float64{1}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := LossCurves("t", series...)
			if !errors.Is(err, ErrNoData) || p != nil {
				t.Errorf("LossCurves = %v, %v; want nil, ErrNoData", p, err)
			}
		})
	}
}

func TestLossCurvesSkipsNonFinite(t *testing.T) {
	s := Series{Name: "train", X: []float64{0, 1, 2, 3, nan()}, Y: []float64{5, nan(), math.Inf(1), 2, 1}}
	xys, err := s.points()
	if err != nil {
		t.Fatal(err)
	}
	want := plotter.XYs{{X: 0, Y: 5}, {X: 3, Y: 2}}
	if len(xys) != len(want) || xys[0] != want[0] || xys[1] != want[1] {
		t.Errorf("points() = %v, want %v", xys, want)
	}
	p, err := LossCurves("t", s)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 3 || p.Y.Min != 2 || p.Y.Max != 5 {
		t.Errorf("axis ranges x [%v, %v] y [%v, %v]; want x [0, 3] y [2, 5]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if _, err := PNG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
}

func TestLossCurvesDefaultSteps(t *testing.T) {
	xys, err := Series{Y: []float64{3, 2, 1}}.points()
	if err != nil {
		t.Fatal(err)
	}
	for i, xy := range xys {
		if xy.X != float64(i) {
			t.Errorf("point %d at step %v, want %d", i, xy.X, i)
		}
	}
}

func TestLossCurvesLengthMismatch(t *testing.T) {
	_, err := LossCurves("t",
		Series{Name: "train", Y: []float64{1}},
		Series{Name: "valid", X: []float64{0, 1}, Y: []float64{1}})
	if err == nil || !strings.Contains(err.Error(), `series 1 ("valid")`) || !strings.Contains(err.Error(), "len(X)=2 != len(Y)=1") {
		t.Errorf("err = %v; want one naming series 1 (\"valid\") and both lengths", err)
	}
}

func TestLossCurvesSinglePoint(t *testing.T) {
	p, err := LossCurves("one step", Series{Name: "valid", X: []float64{100}, Y: []float64{2.5}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
}

func TestAttentionShapeErrors(t *testing.T) {
	src, gen := []string{"a", "b"}, []string{"x", "y", "z"}
	ok := func() [][]float32 { return [][]float32{{1, 0}, {0, 1}, {0.5, 0.5}} }
	for _, tc := range []struct {
		name      string
		weights   [][]float32
		src, gen  []string
		wantIs    error
		wantParts []string
	}{
		{"no source", ok(), nil, gen, ErrNoData, []string{"0 source"}},
		{"no generated", nil, src, nil, ErrNoData, []string{"0 generated"}},
		{"rows", ok()[:2], src, gen, nil, []string{"2 rows", "(3)"}},
		{"row length", [][]float32{{1, 0}, {1}, {0, 1}}, src, gen, nil,
			[]string{"row 1", `"y"`, "1 columns", "(2)"}},
		{"NaN", [][]float32{{1, 0}, {0, float32(nan())}, {0, 1}}, src, gen, plotter.ErrNaN,
			[]string{"weights[1][1]", `"y" -> "b"`}},
		{"Inf", [][]float32{{float32(math.Inf(-1)), 0}, {0, 1}, {0, 1}}, src, gen, plotter.ErrInfinity,
			[]string{"weights[0][0]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := AttentionHeatmap(tc.weights, tc.src, tc.gen)
			if err == nil || p != nil {
				t.Fatalf("AttentionHeatmap = %v, %v; want an error", p, err)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err = %v; want one wrapping %v", err, tc.wantIs)
			}
			for _, part := range tc.wantParts {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("err = %q; want it to contain %q", err, part)
				}
			}
		})
	}
}

// TestAttentionOrientation checks that row 0 (the first generated token) is
// drawn at the top and column 0 (the first source token) at the left.
func TestAttentionOrientation(t *testing.T) {
	weights := [][]float32{{1, 0, 0}, {0, 0, 0}}
	p, err := AttentionHeatmap(weights, []string{"a", "b", "c"}, []string{"x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	w, h := AttentionSize(p, 3, 2)
	img := renderImage(t, p, w, h)
	dc := p.DataCanvas(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
	cell := func(col, row int) (r, g, b uint32) { // row counted from the top
		x := dc.Min.X + (vg.Length(col)+0.5)*dc.Size().X/3
		y := dc.Max.Y - (vg.Length(row)+0.5)*dc.Size().Y/2
		px, py := int(x.Dots(DPI)), img.Bounds().Dy()-int(y.Dots(DPI))
		r, g, b, _ = img.At(px, py).RGBA()
		return r >> 8, g >> 8, b >> 8
	}
	hiR, hiG, hiB := rgb8(DefaultStyle().Palette.Colors()[255])
	loR, loG, loB := rgb8(DefaultStyle().Palette.Colors()[0])
	if r, g, b := cell(0, 0); r != hiR || g != hiG || b != hiB {
		t.Errorf("top-left cell = (%d,%d,%d); want the top palette colour (%d,%d,%d)", r, g, b, hiR, hiG, hiB)
	}
	for _, c := range [][2]int{{1, 0}, {2, 0}, {0, 1}, {2, 1}} {
		if r, g, b := cell(c[0], c[1]); r != loR || g != loG || b != loB {
			t.Errorf("cell %v = (%d,%d,%d); want the bottom palette colour (%d,%d,%d)", c, r, g, b, loR, loG, loB)
		}
	}
}

func rgb8(c interface{ RGBA() (r, g, b, a uint32) }) (r, g, b uint32) {
	r, g, b, _ = c.RGBA()
	return r >> 8, g >> 8, b >> 8
}

func renderImage(t *testing.T, p *plot.Plot, w, h vg.Length) image.Image {
	t.Helper()
	b, err := PNG(p, w, h)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestAttentionSize(t *testing.T) {
	cellSize := DefaultStyle().CellSize
	for _, n := range [][2]int{{6, 5}, {20, 30}, {40, 12}} {
		src, gen := tokens("source", n[0]), tokens("gen", n[1])
		p, err := AttentionHeatmap(uniform(n[1], n[0]), src, gen)
		if err != nil {
			t.Fatal(err)
		}
		w, h := AttentionSize(p, n[0], n[1])
		dc := p.DataCanvas(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
		cw, ch := dc.Size().X/vg.Length(n[0]), dc.Size().Y/vg.Length(n[1])
		if math.Abs(float64(cw-cellSize)) > 0.5 || math.Abs(float64(ch-cellSize)) > 0.5 {
			t.Errorf("%v tokens: canvas %v×%v gives %.2f×%.2f pt cells, want %v", n, w, h, cw, ch, cellSize)
		}
	}
	p, _ := AttentionHeatmap([][]float32{{1}}, []string{"a"}, []string{"b"})
	if w, h := AttentionSize(p, 1, 1); w != MinAttentionSide || h != MinAttentionSide {
		t.Errorf("1×1: %v×%v, want the minimum %v", w, h, MinAttentionSide)
	}
	p, _ = AttentionHeatmap(uniform(500, 2), tokens("s", 2), tokens("g", 500))
	if _, h := AttentionSize(p, 2, 500); h != MaxAttentionSide {
		t.Errorf("500 rows: height %v, want the maximum %v", h, MaxAttentionSide)
	}
}

func tokens(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + string(rune('a'+i%26))
	}
	return out
}

func uniform(rows, cols int) [][]float32 {
	w := make([][]float32, rows)
	for i := range w {
		w[i] = make([]float32, cols)
		for j := range w[i] {
			w[i][j] = 1 / float32(cols)
		}
	}
	return w
}

func TestAttentionUnicodeAndControlLabels(t *testing.T) {
	src := []string{"你好", "👋🏽", "e\u0301", "\n", ""}
	p, err := AttentionHeatmap(uniform(2, len(src)), src, []string{"世界", "\t<eos>"})
	if err != nil {
		t.Fatal(err)
	}
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	if got := ticks[3].Label; got != `\n` {
		t.Errorf("label of %q = %q, want %q", "\n", got, `\n`)
	}
	if got := ticks[0].Label; got != "你好" {
		t.Errorf("label of 你好 = %q", got)
	}
	yTicks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if yTicks[1].Label != "世界" || yTicks[0].Label != `\t<eos>` {
		t.Errorf("y labels bottom to top = %q, %q; want \\t<eos>, 世界", yTicks[0].Label, yTicks[1].Label)
	}
	w, h := AttentionSize(p, len(src), 2)
	if _, err := PNG(p, w, h); err != nil {
		t.Fatal(err)
	}
	svg, err := SVG(p, w, h)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("你好")) || !bytes.Contains(svg, []byte("👋🏽")) {
		t.Errorf("SVG lacks the Unicode labels")
	}
}

func TestWithFontsLeavesGlobalsAlone(t *testing.T) {
	mono := font.Collection{}
	for _, f := range liberation.Collection() {
		if f.Font.Variant == "Mono" {
			f.Font.Typeface = "TestMono"
			mono = append(mono, f)
		}
	}
	defaultFont := plot.DefaultFont
	s := DefaultStyle().WithFonts(mono)
	if s.Font.Typeface != "TestMono" {
		t.Fatalf("WithFonts set font %+v", s.Font)
	}
	series := Series{Name: "train", Y: []float64{3, 2, 1}}
	pm, err := s.LossCurves("mono", series)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := LossCurves("mono", series)
	if err != nil {
		t.Fatal(err)
	}
	bm, _ := PNG(pm, DefaultWidth, DefaultHeight)
	bd, _ := PNG(pd, DefaultWidth, DefaultHeight)
	if bytes.Equal(bm, bd) {
		t.Errorf("a plot with a custom font renders like the default one")
	}
	if font.DefaultCache.Has(font.Font{Typeface: "TestMono", Variant: "Mono"}) {
		t.Errorf("WithFonts added fonts to font.DefaultCache")
	}
	if plot.DefaultFont != defaultFont {
		t.Errorf("plot.DefaultFont changed to %+v", plot.DefaultFont)
	}
	if s := DefaultStyle().WithFonts(nil); s.Font != DefaultStyle().Font {
		t.Errorf("WithFonts(nil) changed the font")
	}
}

func TestRenderErrors(t *testing.T) {
	p, err := LossCurves("t", Series{Y: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(p, 0, DefaultHeight); err == nil {
		t.Errorf("PNG with zero width: no error")
	}
	if _, err := SVG(p, DefaultWidth, -1); err == nil {
		t.Errorf("SVG with negative height: no error")
	}
	if _, err := PNG(nil, DefaultWidth, DefaultHeight); err == nil {
		t.Errorf("PNG(nil): no error")
	}
}

func TestSave(t *testing.T) {
	p, err := LossCurves("t", Series{Name: "train", Y: []float64{3, 2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"a.png", "b.svg", "C.PNG"} {
		path := filepath.Join(dir, name)
		if err := Save(p, DefaultWidth, DefaultHeight, path); err != nil {
			t.Fatalf("Save(%s): %v", name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		isPNG := bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
		isSVG := bytes.Contains(data[:min(len(data), 200)], []byte("<svg"))
		if strings.EqualFold(filepath.Ext(name), ".png") != isPNG || (filepath.Ext(name) == ".svg") != isSVG {
			t.Errorf("%s: wrong format (png %v, svg %v)", name, isPNG, isSVG)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, fi.Mode().Perm())
		}
	}

	// Overwriting replaces the file; a failed save leaves it intact.
	path := filepath.Join(dir, "a.png")
	before, _ := os.ReadFile(path)
	if err := Save(p, 2*DefaultWidth, DefaultHeight, path); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if bytes.Equal(before, after) {
		t.Errorf("overwrite did not change the file")
	}
	if err := Save(p, 0, DefaultHeight, path); err == nil {
		t.Errorf("Save with zero width: no error")
	}
	if kept, _ := os.ReadFile(path); !bytes.Equal(kept, after) {
		t.Errorf("a failed Save changed the existing file")
	}

	err = Save(p, DefaultWidth, DefaultHeight, filepath.Join(dir, "plot.jpg"))
	if err == nil || !strings.Contains(err.Error(), `".jpg"`) {
		t.Errorf("Save(plot.jpg) = %v; want an error naming \".jpg\"", err)
	}
	err = Save(p, DefaultWidth, DefaultHeight, filepath.Join(dir, "noext"))
	if err == nil || !strings.Contains(err.Error(), `""`) {
		t.Errorf("Save(noext) = %v; want an error naming the empty extension", err)
	}
	if err := Save(p, DefaultWidth, DefaultHeight, filepath.Join(dir, "missing", "x.png")); err == nil {
		t.Errorf("Save into a missing directory: no error")
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "C.PNG a.png b.svg" {
		t.Errorf("directory holds %q; want only the saved files, no temporaries", got)
	}
}

func TestZeroStyleTakesDefaults(t *testing.T) {
	series := Series{Name: "train", Y: []float64{3, 2, 1}}
	pz, err := Style{}.LossCurves("zero", series)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := DefaultStyle().LossCurves("zero", series)
	if err != nil {
		t.Fatal(err)
	}
	bz, err := PNG(pz, DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	bd, _ := PNG(pd, DefaultWidth, DefaultHeight)
	if !bytes.Equal(bz, bd) {
		t.Errorf("Style{} draws loss curves unlike DefaultStyle()")
	}
	pa, err := Style{}.AttentionHeatmap([][]float32{{1, 0}}, []string{"a", "b"}, []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	w, h := Style{}.AttentionSize(pa, 2, 1)
	if _, err := PNG(pa, w, h); err != nil {
		t.Fatal(err)
	}
}
