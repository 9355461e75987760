package plots

import (
	"bytes"
	"errors"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// cjkStyleOrSkip returns CJKStyle, skipping the test when no CJK font is installed (CI runs
// `go run ./cmd/textgen setup`, which installs one).
func cjkStyleOrSkip(t *testing.T) Style {
	t.Helper()
	s, err := CJKStyle()
	if errors.Is(err, ErrNoCJKFont) {
		t.Skipf("no CJK font (run `go run ./cmd/textgen setup`): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCJKFontCoversRunes(t *testing.T) {
	path, err := FindCJKFont()
	if errors.Is(err, ErrNoCJKFont) {
		t.Skipf("no CJK font: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	coll, err := LoadCJKFont(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CJK font %s: %q", path, coll[0].Font.Typeface)
	for _, r := range "月山春花鸟诗唐，。" {
		if !hasGlyph(coll[0].Face, r) {
			t.Errorf("%s has no glyph for %q", path, r)
		}
	}
	// Liberation Sans, the default font, has none: that is why charts need the fallback.
	lib := DefaultStyle().TextHandler.Cache().Lookup(DefaultStyle().Font, 10).Face
	if hasGlyph(lib, '月') || !hasGlyph(lib, 'A') {
		t.Error("Liberation Sans unexpectedly covers 月, or lacks A")
	}
}

// renderText draws txt at 28 pt on a small white PNG canvas with style s.
func renderText(t *testing.T, s Style, txt string) []byte {
	t.Helper()
	s = s.filled()
	c := vgimg.NewWith(vgimg.UseWH(vg.Points(60), vg.Points(40)), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.Transparent))
	dc := draw.New(c)
	dc.FillText(s.textStyle(vg.Points(28), draw.XCenter, draw.YCenter), vg.Point{X: vg.Points(30), Y: vg.Points(20)}, txt)
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inkPixels counts the non-transparent pixels of a PNG.
func inkPixels(t *testing.T, data []byte) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0 {
				n++
			}
		}
	}
	return n
}

// TestCJKGlyphsNotTofu proves that labels render as glyphs: with Liberation alone every CJK character
// is the same missing-glyph box (.notdef), so 月 and 山 give identical pixels; with the CJK fallback they
// differ from each other and from the box.
func TestCJKGlyphsNotTofu(t *testing.T) {
	cjk := cjkStyleOrSkip(t)
	def := DefaultStyle()
	tofuMoon, tofuMountain := renderText(t, def, "月"), renderText(t, def, "山")
	if !bytes.Equal(tofuMoon, tofuMountain) {
		t.Fatal("with Liberation, 月 and 山 should both be the .notdef box")
	}
	moon, mountain := renderText(t, cjk, "月"), renderText(t, cjk, "山")
	if bytes.Equal(moon, tofuMoon) {
		t.Error("月 with the CJK font renders the same as the missing-glyph box")
	}
	if bytes.Equal(moon, mountain) {
		t.Error("月 and 山 render the same with the CJK font: not real glyphs")
	}
	if inkPixels(t, moon) == 0 || inkPixels(t, mountain) == 0 {
		t.Error("a CJK glyph drew no pixels")
	}
	// Latin text is untouched by the fallback.
	if !bytes.Equal(renderText(t, cjk, "Ag"), renderText(t, def, "Ag")) {
		t.Error("Latin text changed with the CJK fallback")
	}
}

// TestCJKStyleKeepsGoldens: a chart without CJK labels is pixel-identical with CJKStyle.
func TestCJKStyleKeepsGoldens(t *testing.T) {
	cjk := cjkStyleOrSkip(t)
	var train Series
	train.Name = "train"
	loss := 4.0
	for step := 0; step <= 200; step += 10 {
		train.X = append(train.X, float64(step))
		train.Y = append(train.Y, loss)
		loss *= 0.9
	}
	a, err := DefaultStyle().LossCurves("loss", train)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cjk.LossCurves("loss", train)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := PNG(a, DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := PNG(b, DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa, pb) {
		t.Error("a chart without CJK differs between DefaultStyle and CJKStyle")
	}
}

func TestFindCJKFontEnv(t *testing.T) {
	latin := filepath.Join(t.TempDir(), "LiberationSans-Regular.ttf")
	if err := os.WriteFile(latin, liberationsansregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(CJKFontEnv, latin)
	_, err := FindCJKFont()
	if !errors.Is(err, ErrNoCJKFont) || !strings.Contains(err.Error(), CJKFontEnv) || !strings.Contains(err.Error(), "no glyph") {
		t.Errorf("$%s = a Latin font: err = %v", CJKFontEnv, err)
	}
	if _, err := EmbeddingMap([]string{"月", "山"}, [][]float32{{1, 0}, {0, 1}}, DefaultEmbeddingOptions()); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("EmbeddingMap with CJK words and no CJK font: err = %v, want ErrNoCJKFont", err)
	}
	if _, err := NeighbourBars("月", []string{"山"}, []float64{0.5}); !errors.Is(err, ErrNoCJKFont) {
		t.Errorf("NeighbourBars with no CJK font: err = %v, want ErrNoCJKFont", err)
	}
	// Latin words need no CJK font.
	if _, err := EmbeddingMap([]string{"moon", "hill"}, [][]float32{{1, 0}, {0, 1}}, DefaultEmbeddingOptions()); err != nil {
		t.Errorf("EmbeddingMap with Latin words: %v", err)
	}
	t.Setenv(CJKFontEnv, filepath.Join(t.TempDir(), "none.ttf"))
	if _, err := FindCJKFont(); err == nil || !strings.Contains(err.Error(), "none.ttf") {
		t.Errorf("$%s = a missing file: err = %v", CJKFontEnv, err)
	}
}

func TestDefaultStyleRefusesCJKLabels(t *testing.T) {
	_, err := DefaultStyle().EmbeddingMap([]string{"a", "春"}, [][]float32{{1, 0}, {0, 1}}, DefaultEmbeddingOptions())
	if !errors.Is(err, ErrNoCJKFont) || !strings.Contains(err.Error(), `word 1 ("春")`) {
		t.Errorf("DefaultStyle with a CJK word: err = %v", err)
	}
}

func TestHasCJK(t *testing.T) {
	for s, want := range map[string]bool{"月": true, "abc": false, "カタ": true, "한글": true, "，": true, "🐱": false, "é": false} {
		if HasCJK(s) != want {
			t.Errorf("HasCJK(%q) = %v", s, !want)
		}
	}
}

// TestFallbackRuns: mixed text is measured and drawn run by run, Latin in Liberation Sans and CJK in the
// fallback font (which has no Latin glyphs).
func TestFallbackRuns(t *testing.T) {
	s := cjkStyleOrSkip(t)
	h := s.TextHandler.(*fallbackHandler)
	fnt := s.Font
	fnt.Size = vg.Points(12)
	rs, ok := h.runs("PC1 月光 x", fnt)
	if !ok || len(rs) != 3 || rs[0].text != "PC1 " || rs[1].text != "月光 " || rs[2].text != "x" {
		t.Fatalf("runs = %+v, %v", rs, ok)
	}
	lib := h.Fonts.Lookup(fnt, fnt.Size)
	if rs[0].face.Face != lib.Face || rs[1].face.Face != h.fallbackFace || rs[2].face.Face != lib.Face {
		t.Error("runs use the wrong faces")
	}
	w, _, _ := h.Box("A月", fnt)
	fb := h.fallback
	fb.Size = fnt.Size
	fbFace := h.Fonts.Lookup(fb, fnt.Size)
	want := lib.Width("A") + fbFace.Width("月")
	if math.Abs(float64(w-want)) > 1e-9 {
		t.Errorf("Box(A月) width = %v, want %v", w, want)
	}
	if _, ok := h.runs("plain", fnt); ok {
		t.Error("Latin text asks for the fallback")
	}
	if got, want := renderText(t, s, "A月"), renderText(t, s, "A"); bytes.Equal(got, want) {
		t.Error("A月 renders like A")
	}
}
