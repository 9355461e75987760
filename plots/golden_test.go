package plots

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden-image tolerance: a pixel differs when one of its channels is off by
// more than pixelDelta; at most maxDiffFraction of the pixels may differ.
// Rendering is deterministic on one platform; the slack absorbs rounding
// differences between architectures (FMA) in anti-aliased edges.
const (
	pixelDelta      = 2
	maxDiffFraction = 0.001
)

// checkGolden compares got with testdata/name, or rewrites the file when
// -update is set. PNG files are compared pixel by pixel, others byte for byte.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./plots -update` to create it)", err)
	}
	if filepath.Ext(name) != ".png" {
		if !bytes.Equal(got, want) {
			writeFailed(t, name, got)
			t.Errorf("%s: output differs from golden file (%d vs %d bytes)", name, len(got), len(want))
		}
		return
	}
	if err := comparePNG(got, want); err != nil {
		writeFailed(t, name, got)
		t.Errorf("%s: %v", name, err)
	}
}

// writeFailed keeps a failing output next to the golden file for inspection.
func writeFailed(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, got, 0o644); err == nil {
		t.Logf("wrote the new output to %s", path)
	}
}

// comparePNG decodes two PNG images and compares their pixels.
func comparePNG(got, want []byte) error {
	g, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return fmt.Errorf("decoding output: %w", err)
	}
	w, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return fmt.Errorf("decoding golden: %w", err)
	}
	if g.Bounds() != w.Bounds() {
		return fmt.Errorf("bounds %v, golden %v", g.Bounds(), w.Bounds())
	}
	b := g.Bounds()
	diff := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !pixelsClose(g, w, x, y) {
				diff++
			}
		}
	}
	if limit := int(maxDiffFraction * float64(b.Dx()*b.Dy())); diff > limit {
		return fmt.Errorf("%d pixels differ from golden (limit %d)", diff, limit)
	}
	return nil
}

func pixelsClose(a, b image.Image, x, y int) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	for _, d := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		lo, hi := min(d[0], d[1]), max(d[0], d[1])
		if (hi-lo)>>8 > pixelDelta {
			return false
		}
	}
	return true
}

// goldenLoss is the loss plot of the golden tests: two series with a NaN.
func goldenLoss(t *testing.T) *plot.Plot {
	t.Helper()
	var train, valid Series
	train.Name, valid.Name = "train", "valid"
	loss := 4.0
	for step := 0; step <= 200; step += 10 {
		train.X = append(train.X, float64(step))
		train.Y = append(train.Y, loss)
		if step%50 == 0 {
			valid.X = append(valid.X, float64(step))
			valid.Y = append(valid.Y, loss*1.1+0.1)
		}
		loss *= 0.9
	}
	train.Y[5] = nan()
	p, err := LossCurves("seq2seq training", train, valid)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenAttention is the attention plot of the golden tests: a near-diagonal
// alignment between ASCII, Chinese and emoji tokens.
func goldenAttention(t *testing.T) (p *plot.Plot, w, h vg.Length) {
	t.Helper()
	source := []string{"the", "cat", "sat", "猫", "🐱", "<eos>"}
	generated := []string{"le", "chat", "s'est", "assis", "<eos>"}
	weights := make([][]float32, len(generated))
	for i := range weights {
		weights[i] = make([]float32, len(source))
		for j := range weights[i] {
			weights[i][j] = 0.02
		}
		weights[i][min(i, len(source)-1)] = 0.7
		weights[i][min(i+1, len(source)-1)] += 0.2
	}
	p, err := AttentionHeatmap(weights, source, generated)
	if err != nil {
		t.Fatal(err)
	}
	w, h = AttentionSize(p, len(source), len(generated))
	return p, w, h
}

func TestGoldenImages(t *testing.T) {
	loss := goldenLoss(t)
	att, aw, ah := goldenAttention(t)
	for _, tc := range []struct {
		name   string
		p      Drawer
		w, h   vg.Length
		render func(Drawer, vg.Length, vg.Length) ([]byte, error)
	}{
		{"loss.png", loss, DefaultWidth, DefaultHeight, PNG},
		{"loss.svg", loss, DefaultWidth, DefaultHeight, SVG},
		{"attention.png", att, aw, ah, PNG},
		{"attention.svg", att, aw, ah, SVG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render(tc.p, tc.w, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			again, err := tc.render(tc.p, tc.w, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, again) {
				t.Errorf("rendering twice gave different bytes")
			}
			checkGolden(t, tc.name, got)
		})
	}
}
