package plots

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// clusters returns k well-separated Gaussian clusters of m points in d dimensions and their labels.
func clusters(k, m, d int, noise float64, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var pts [][]float32
	var lab []int
	for c := range k {
		centre := make([]float64, d)
		centre[c%d] = 10 // orthogonal centres, 14 apart
		for range m {
			p := make([]float32, d)
			for j := range p {
				p[j] = float32(centre[j] + noise*rng.NormFloat64())
			}
			pts = append(pts, p)
			lab = append(lab, c)
		}
	}
	return pts, lab
}

func TestTSNESeparatesClusters(t *testing.T) {
	pts, lab := clusters(3, 15, 8, 0.5, 1)
	cfg := DefaultTSNEConfig()
	cfg.Perplexity, cfg.Iterations = 10, 400
	proj, kl, err := TSNE(pts, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Every point's nearest neighbour on the map is in its own cluster.
	for i := range proj {
		best, bestD := -1, math.Inf(1)
		for j := range proj {
			if d := dist2(proj[i], proj[j]); i != j && d < bestD {
				best, bestD = j, d
			}
		}
		if lab[best] != lab[i] {
			t.Errorf("point %d (cluster %d): nearest neighbour %d is in cluster %d", i, lab[i], best, lab[best])
		}
	}
	// Clusters are compact relative to the gaps between them.
	var within, between float64
	var nw, nb int
	for i := range proj {
		for j := i + 1; j < len(proj); j++ {
			d := math.Sqrt(dist2(proj[i], proj[j]))
			if lab[i] == lab[j] {
				within, nw = within+d, nw+1
			} else {
				between, nb = between+d, nb+1
			}
		}
	}
	if ratio := (within / float64(nw)) / (between / float64(nb)); ratio > 0.3 {
		t.Errorf("mean within-cluster distance / mean between = %.3f, want < 0.3", ratio)
	}
	if !(kl >= 0 && kl < 1) {
		t.Errorf("KL divergence %v, want in [0, 1) for well-separated clusters", kl)
	}
	again, kl2, _ := TSNE(pts, cfg)
	for i := range proj {
		if again[i] != proj[i] || kl2 != kl {
			t.Fatalf("same seed, different map at point %d: %v vs %v", i, again[i], proj[i])
		}
	}
	cfg.Seed = 2
	other, _, _ := TSNE(pts, cfg)
	if other[0] == proj[0] {
		t.Error("another seed gave the same map")
	}
}

func dist2(a, b [2]float64) float64 {
	return (a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1])
}

func TestTSNECalibratesPerplexity(t *testing.T) {
	pts, _ := clusters(2, 20, 5, 0.5, 3)
	n := len(pts)
	D := sqDistances(pts)
	row := make([]float64, n)
	for _, perp := range []float64{5, 12.5} {
		for i := range n {
			calibrate(D, n, i, perp, row)
			h, sum := 0.0, 0.0
			for j, p := range row {
				if j == i && p != 0 {
					t.Fatalf("p(%d|%d) = %v, want 0", i, i, p)
				}
				sum += p
				if p > 0 {
					h -= p * math.Log(p)
				}
			}
			if math.Abs(math.Exp(h)-perp) > 1e-3 || math.Abs(sum-1) > 1e-9 {
				t.Fatalf("row %d: perplexity %.5f (sum %v), want %v", i, math.Exp(h), sum, perp)
			}
		}
	}
	P := jointAffinities(D, 5)
	total := 0.0
	for i := range n {
		for j := range n {
			total += P[i*n+j]
			if P[i*n+j] != P[j*n+i] {
				t.Fatalf("P not symmetric at %d,%d", i, j)
			}
		}
	}
	if math.Abs(total-1) > 1e-6 {
		t.Errorf("P sums to %v, want 1", total)
	}
}

func TestTSNEErrors(t *testing.T) {
	good := [][]float32{{0, 1}, {1, 0}, {1, 1}}
	bad := DefaultTSNEConfig()
	bad.Iterations = 0
	for name, tc := range map[string]struct {
		pts  [][]float32
		cfg  TSNEConfig
		want string
	}{
		"empty":   {nil, DefaultTSNEConfig(), "no data"},
		"ragged":  {[][]float32{{0, 1}, {1}}, DefaultTSNEConfig(), "point 1 has 1 dimensions"},
		"nan":     {[][]float32{{0, 1}, {float32(math.NaN()), 0}}, DefaultTSNEConfig(), "point 1, dimension 0"},
		"config":  {good, bad, "Iterations ≥ 1"},
		"toomany": {make([][]float32, MaxTSNEPoints+1), DefaultTSNEConfig(), "at most"},
	} {
		if name == "toomany" {
			for i := range tc.pts {
				tc.pts[i] = []float32{float32(i)}
			}
		}
		if _, _, err := TSNE(tc.pts, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	if p, _, err := TSNE([][]float32{{3, 4}}, DefaultTSNEConfig()); err != nil || p[0] != [2]float64{} {
		t.Errorf("one point: %v, %v", p, err)
	}
}

func TestEmbeddingMapErrors(t *testing.T) {
	v := [][]float32{{1, 0}, {0, 1}}
	opts := DefaultEmbeddingOptions()
	for name, tc := range map[string]struct {
		words []string
		vecs  [][]float32
		opts  EmbeddingOptions
		want  string
	}{
		"count":      {[]string{"a"}, v, opts, "2 vectors, want one per word (1)"},
		"none":       {nil, nil, opts, "no data"},
		"groups":     {[]string{"a", "b"}, v, EmbeddingOptions{Groups: []int{1}}, "1 groups"},
		"neg group":  {[]string{"a", "b"}, v, EmbeddingOptions{Groups: []int{0, -1}}, `word 1 ("b") has group -1`},
		"projection": {[]string{"a", "b"}, v, EmbeddingOptions{Projection: "umap"}, `projection "umap"`},
		"nan":        {[]string{"a", "b"}, [][]float32{{1, 0}, {float32(math.Inf(1)), 0}}, EmbeddingOptions{}, "point 1, dimension 0"},
	} {
		if _, err := EmbeddingMap(tc.words, tc.vecs, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}

func TestNeighbourBarsErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		words []string
		sims  []float64
		want  string
	}{
		"count": {[]string{"a", "b"}, []float64{0.5}, "1 similarities"},
		"none":  {nil, nil, "no data"},
		"range": {[]string{"a", "b"}, []float64{0.5, 1.5}, `word 1 ("b"): similarity 1.5`},
		"nan":   {[]string{"a"}, []float64{math.NaN()}, "similarity NaN"},
	} {
		if _, err := NeighbourBars("q", tc.words, tc.sims); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
	if _, err := NeighbourBars("q", []string{"a"}, []float64{1 + 1e-9}); err != nil {
		t.Errorf("rounding above 1: %v", err)
	}
	if _, err := DefaultStyle().NeighbourBars("月", []string{"a"}, []float64{0.5}); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("CJK query with DefaultStyle: err = %v", err)
	}
}

func TestNeighbourBarsOrder(t *testing.T) {
	p, err := NeighbourBars("king", []string{"prince", "queen", "throne", "crown"}, []float64{0.5, 0.9, 0.2, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	// Bottom to top: least similar first; ties keep the given order (prince above crown).
	want := []string{"throne", "crown", "prince", "queen"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("bars bottom to top = %q, want %q", got, want)
	}
}
