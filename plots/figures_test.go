package plots

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// goldenGrid is the attention grid of the golden tests: two panels of
// different sizes, one anti-diagonal (reversal), one diagonal.
func goldenGrid(t *testing.T) *Grid {
	t.Helper()
	src := []string{"a", "b", "c", "d", "<eos>"}
	gen := []string{"d", "c", "b", "a", "<eos>"}
	anti := make([][]float32, len(gen))
	for i := range anti {
		anti[i] = make([]float32, len(src))
		anti[i][(len(src)-2-i+len(src))%len(src)] = 0.8
		anti[i][len(src)-1] += 0.2
	}
	diag := uniform(3, 3)
	for i := range diag {
		diag[i][i] = 0.9
	}
	g, err := AttentionGrid(2,
		AttentionPanel{Title: "additive", Weights: anti, Source: src, Generated: gen},
		AttentionPanel{Title: "dot", Weights: diag, Source: []string{"x", "y", "z"}, Generated: []string{"1", "2", "3"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// goldenGates is the gate grid of the golden tests: 3 gates, 6 units, 4 steps.
func goldenGates(t *testing.T) *Grid {
	t.Helper()
	tokens := []string{"h", "é", "猫", "<eos>"}
	mk := func(f func(t, u int) float32) [][]float32 {
		v := make([][]float32, len(tokens))
		for i := range v {
			v[i] = make([]float32, 6)
			for u := range v[i] {
				v[i][u] = f(i, u)
			}
		}
		return v
	}
	g, err := GateHeatmaps(tokens,
		Gate{Name: "input i", Values: mk(func(t, u int) float32 { return float32(t+u) / 9 })},
		Gate{Name: "forget f", Values: mk(func(t, u int) float32 { return 1 - float32(u)/6 })},
		Gate{Name: "candidate g", Values: mk(func(t, u int) float32 { return float32(math.Sin(float64(t * u))) })},
	)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// spiral returns n points in 5 dimensions that lie on a plane: a spiral in
// dimensions 0 and 2, scaled so that dimension 0 varies most.
func spiral(n int) [][]float32 {
	pts := make([][]float32, n)
	for i := range pts {
		a := float64(i) * 0.6
		r := 1 + float64(i)/3
		pts[i] = []float32{float32(3 * r * math.Cos(a)), 0.5, float32(r * math.Sin(a)), 0, -1}
	}
	return pts
}

func TestGoldenFigures(t *testing.T) {
	grid := goldenGrid(t)
	gates := goldenGates(t)
	traj, err := HiddenTrajectory("hidden state", spiral(8), strings.Split("the cat sat on a warm mat .", " "))
	if err != nil {
		t.Fatal(err)
	}
	bars, err := BarChart("exact match by source length", []string{"2–5", "6–10", "11–15", "16–19"},
		Bars{Name: "no attention", Values: []float64{0.9, 0.5, 0.1, 0}},
		Bars{Name: "additive", Values: []float64{1, 0.98, 0.9, 0.8}},
		Bars{Name: "dot", Values: []float64{1, 0.95, 0.85, 0.7}},
	)
	if err != nil {
		t.Fatal(err)
	}
	gw, gh := grid.Size()
	tw, th := gates.Size()
	for _, tc := range []struct {
		name string
		d    Drawer
		w, h vg.Length
	}{
		{"attention_grid.png", grid, gw, gh},
		{"attention_grid.svg", grid, gw, gh},
		{"gates.png", gates, tw, th},
		{"trajectory.png", traj, DefaultWidth, DefaultHeight},
		{"bars.png", bars, DefaultWidth, DefaultHeight},
	} {
		t.Run(tc.name, func(t *testing.T) {
			render := PNG
			if strings.HasSuffix(tc.name, ".svg") {
				render = SVG
			}
			got, err := render(tc.d, tc.w, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := render(tc.d, tc.w, tc.h)
			if !bytes.Equal(got, again) {
				t.Errorf("rendering twice gave different bytes")
			}
			checkGolden(t, tc.name, got)
		})
	}
}

func TestAttentionGridErrors(t *testing.T) {
	ok := AttentionPanel{Title: "ok", Weights: uniform(1, 2), Source: []string{"a", "b"}, Generated: []string{"x"}}
	bad := AttentionPanel{Title: "short row", Weights: [][]float32{{1}}, Source: []string{"a", "b"}, Generated: []string{"x"}}
	if _, err := AttentionGrid(2); !errors.Is(err, ErrNoData) {
		t.Errorf("no panels: err = %v, want ErrNoData", err)
	}
	if _, err := AttentionGrid(0, ok); err == nil {
		t.Errorf("cols 0: no error")
	}
	_, err := AttentionGrid(2, ok, bad)
	if err == nil || !strings.Contains(err.Error(), `panel 1 ("short row")`) || !strings.Contains(err.Error(), "has 1 columns") {
		t.Errorf("bad panel: err = %v, want one naming panel 1 and the row", err)
	}
	g, err := AttentionGrid(2, ok, ok, ok)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plots) != 2 || len(g.Plots[1]) != 2 || g.Plots[1][1] != nil {
		t.Errorf("3 panels in 2 columns: layout %v, want 2 rows, last tile empty", g.Plots)
	}
	g.Plots[1] = g.Plots[1][:1]
	if _, err := PNG(g, g.Width, g.Height); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("ragged grid: err = %v, want one naming row 1", err)
	}
	if _, err := PNG((*Grid)(nil), DefaultWidth, DefaultHeight); err == nil {
		t.Errorf("nil grid: no error")
	}
}

func TestGateHeatmapsErrors(t *testing.T) {
	tokens := []string{"a", "b"}
	good := Gate{Name: "i", Values: uniform(2, 3)}
	for _, tc := range []struct {
		name  string
		gates []Gate
		want  string
	}{
		{"no gates", nil, "no data"},
		{"wrong steps", []Gate{{Name: "f", Values: uniform(3, 3)}}, `gate "f": 3 time steps, want one per token (2)`},
		{"ragged", []Gate{{Name: "g", Values: [][]float32{{1, 2, 3}, {1, 2}}}}, `gate "g": time step 1 has 2 units, want 3`},
		{"units differ", []Gate{good, {Name: "o", Values: uniform(2, 4)}}, `gate "o": time step 0 has 4 units, want 3`},
		{"NaN", []Gate{{Name: "c", Values: [][]float32{{1}, {float32(math.NaN())}}}}, `gate "c": value [1][0] is NaN`},
		{"no units", []Gate{{Name: "e", Values: [][]float32{{}, {}}}}, "no units"},
	} {
		_, err := GateHeatmaps(tokens, tc.gates...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	if _, err := GateHeatmaps(nil, good); !errors.Is(err, ErrNoData) {
		t.Errorf("no tokens: err = %v, want ErrNoData", err)
	}
}

func TestPCA2(t *testing.T) {
	pts := spiral(12)
	proj, explained, err := PCA2(pts)
	if err != nil {
		t.Fatal(err)
	}
	// The points lie on a plane: two components explain all the variance,
	// and the projection keeps every pairwise distance.
	if s := explained[0] + explained[1]; math.Abs(s-1) > 1e-9 || explained[0] < explained[1] {
		t.Errorf("explained = %v, want a decreasing pair summing to 1", explained)
	}
	for i := range pts {
		for j := range pts {
			var d2 float64
			for k := range pts[i] {
				d := float64(pts[i][k] - pts[j][k])
				d2 += d * d
			}
			p2 := math.Pow(proj[i][0]-proj[j][0], 2) + math.Pow(proj[i][1]-proj[j][1], 2)
			if math.Abs(math.Sqrt(d2)-math.Sqrt(p2)) > 1e-4 {
				t.Fatalf("distance %d–%d: %v in 5-D, %v projected", i, j, math.Sqrt(d2), math.Sqrt(p2))
			}
		}
	}
	// Centred, and uncorrelated components.
	var m0, m1, c01 float64
	for _, p := range proj {
		m0, m1, c01 = m0+p[0], m1+p[1], c01+p[0]*p[1]
	}
	if math.Abs(m0) > 1e-6 || math.Abs(m1) > 1e-6 || math.Abs(c01) > 1e-6 {
		t.Errorf("means %v, %v and cross term %v, want 0", m0, m1, c01)
	}
	// A single direction: the second component explains nothing.
	line := [][]float32{{0, 0}, {1, 2}, {2, 4}}
	proj, explained, err = PCA2(line)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(explained[0]-1) > 1e-9 || explained[1] > 1e-9 || math.Abs(proj[2][0]-math.Sqrt(5)) > 1e-9 {
		t.Errorf("line: explained %v, proj %v", explained, proj)
	}
	// Constant points: no variance, no NaN.
	proj, explained, err = PCA2([][]float32{{1, 1}, {1, 1}})
	if err != nil || explained != [2]float64{} || proj[0] != [2]float64{} {
		t.Errorf("constant points: %v %v %v", proj, explained, err)
	}
}

func TestPCA2AndTrajectoryErrors(t *testing.T) {
	if _, _, err := PCA2(nil); !errors.Is(err, ErrNoData) {
		t.Errorf("no points: err = %v, want ErrNoData", err)
	}
	if _, _, err := PCA2([][]float32{{1, 2}, {1}}); err == nil || !strings.Contains(err.Error(), "point 1 has 1 dimensions") {
		t.Errorf("ragged: err = %v", err)
	}
	if _, _, err := PCA2([][]float32{{1, float32(math.Inf(1))}}); err == nil || !strings.Contains(err.Error(), "dimension 1") {
		t.Errorf("Inf: err = %v", err)
	}
	_, err := HiddenTrajectory("t", spiral(3), []string{"a", "b"})
	if err == nil || !strings.Contains(err.Error(), "3 states, want one per token (2)") {
		t.Errorf("tokens short: err = %v", err)
	}
}

func TestBarChartErrors(t *testing.T) {
	cats := []string{"short", "long"}
	if _, err := BarChart("t", nil, Bars{Values: nil}); !errors.Is(err, ErrNoData) {
		t.Errorf("no categories: err = %v, want ErrNoData", err)
	}
	if _, err := BarChart("t", cats); !errors.Is(err, ErrNoData) {
		t.Errorf("no series: err = %v, want ErrNoData", err)
	}
	_, err := BarChart("t", cats, Bars{Name: "a", Values: []float64{1, 2}}, Bars{Name: "b", Values: []float64{1}})
	if err == nil || !strings.Contains(err.Error(), `series 1 ("b") has 1 values, want one per category (2)`) {
		t.Errorf("short series: err = %v", err)
	}
	_, err = BarChart("t", cats, Bars{Name: "a", Values: []float64{1, math.NaN()}})
	if err == nil || !strings.Contains(err.Error(), `category "long"`) {
		t.Errorf("NaN: err = %v", err)
	}
	p, err := BarChart("t", cats, Bars{Name: "a", Values: []float64{0.5, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 {
		t.Errorf("y axis starts at %v, want 0", p.Y.Min)
	}
}
