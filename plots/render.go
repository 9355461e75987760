package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/gotextgen/textgen/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default canvas sizes and resolution.
const (
	// DefaultWidth and DefaultHeight are a good size for a loss curve in a
	// notebook: 6×4 inches, 576×384 pixels at DPI.
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch

	// DPI is the resolution of PNG output, in dots per inch.
	DPI = 96
)

// Style holds the fonts, sizes and colours of a plot. Start from
// DefaultStyle and change fields; zero fields (an empty Font.Typeface, a nil
// TextHandler, Colors or Palette, zero sizes) take DefaultStyle's values,
// except SourceLabelRotation, where zero means horizontal labels.
type Style struct {
	// Font is the typeface of every text in the plot. Its Size is ignored:
	// TitleSize, LabelSize and TickSize apply.
	Font font.Font

	// TextHandler measures and draws text; its font cache must hold Font.
	// DefaultStyle uses a plain-text handler over gonum/plot's default
	// cache, which holds the Liberation fonts.
	TextHandler text.Handler

	// TitleSize, LabelSize and TickSize are the font sizes of the plot
	// title, of the axis labels and legend, and of the tick labels.
	TitleSize, LabelSize, TickSize vg.Length

	// LineWidth is the width of loss curves.
	LineWidth vg.Length

	// Colors are the colours of successive loss curves; they cycle.
	Colors []color.Color

	// Palette maps attention weights, from min(0, smallest weight) to the
	// largest weight, to colours; low weights take the first colour.
	Palette palette.Palette

	// CellSize is the side of one attention cell, used by AttentionSize.
	CellSize vg.Length

	// SourceLabelRotation is the rotation, in radians counter-clockwise,
	// of the source-token tick labels of an attention heat map.
	SourceLabelRotation float64
}

// DefaultStyle returns the style used by the package-level builders:
// Liberation Sans, 12/11/10 pt text, a colour-blind-friendly line palette
// and a perceptually uniform dark-purple-to-yellow palette for heat maps.
func DefaultStyle() Style {
	return Style{
		Font:        font.Font{Typeface: "Liberation", Variant: "Sans"},
		TextHandler: text.Plain{Fonts: font.DefaultCache},
		TitleSize:   vg.Points(12),
		LabelSize:   vg.Points(11),
		TickSize:    vg.Points(10),
		LineWidth:   vg.Points(1.5),
		Colors: []color.Color{ // Okabe–Ito.
			color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
			color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
			color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
			color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
			color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
			color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
		},
		Palette:             viridisLike(256),
		CellSize:            vg.Points(22),
		SourceLabelRotation: math.Pi / 4,
	}
}

// viridisLike returns n colours of Moreland's Kindlmann colour map, whose
// luminance rises linearly, between its near-black and near-white ends:
// dark purple through blue and green to yellow, like matplotlib's viridis.
// Neither end is white, so the strongest cell stands out from the page.
func viridisLike(n int) palette.Palette {
	const lo, hi = 0.1, 0.85
	cm := moreland.Kindlmann()
	cm.SetMin(0)
	cm.SetMax(1)
	colors := make([]color.Color, n)
	for i := range colors {
		c, err := cm.At(lo + (hi-lo)*float64(i)/float64(n-1))
		if err != nil {
			panic(err) // unreachable: the argument lies in [0, 1]
		}
		colors[i] = c
	}
	return colorList(colors)
}

// colorList implements palette.Palette.
type colorList []color.Color

func (l colorList) Colors() []color.Color { return l }

// WithFonts returns a copy of s whose text uses the first face of coll,
// for instance a font with CJK or emoji glyphs. The copy gets its own font
// cache holding the Liberation fonts and coll; no global cache is touched.
func (s Style) WithFonts(coll font.Collection) Style {
	if len(coll) == 0 {
		return s
	}
	cache := font.NewCache(liberation.Collection())
	cache.Add(coll)
	s.TextHandler = text.Plain{Fonts: cache}
	s.Font = coll[0].Font
	s.Font.Size = 0
	return s
}

// textStyle returns a black text style of the given size.
func (s Style) textStyle(size vg.Length, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(s.Font, size),
		XAlign:  xa,
		YAlign:  ya,
		Handler: s.TextHandler,
	}
}

// filled returns s with its zero fields set from DefaultStyle.
func (s Style) filled() Style {
	d := DefaultStyle()
	if s.Font.Typeface == "" {
		s.Font = d.Font
	}
	if s.TextHandler == nil {
		s.TextHandler = d.TextHandler
	}
	for _, f := range []struct{ v, def *vg.Length }{
		{&s.TitleSize, &d.TitleSize}, {&s.LabelSize, &d.LabelSize}, {&s.TickSize, &d.TickSize},
		{&s.LineWidth, &d.LineWidth}, {&s.CellSize, &d.CellSize},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if len(s.Colors) == 0 {
		s.Colors = d.Colors
	}
	if s.Palette == nil || len(s.Palette.Colors()) == 0 {
		s.Palette = d.Palette
	}
	return s
}

// newPlot returns an empty plot whose every text uses s, without relying on
// plot.DefaultFont. s must be filled.
func (s Style) newPlot(title string) *plot.Plot {
	p := plot.New()
	p.TextHandler = s.TextHandler
	p.Title.Text = title
	p.Title.TextStyle = s.textStyle(s.TitleSize, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(4)
	p.X.Label.TextStyle = s.textStyle(s.LabelSize, draw.XCenter, draw.YBottom)
	p.Y.Label.TextStyle = s.textStyle(s.LabelSize, draw.XCenter, draw.YBottom)
	p.X.Tick.Label = s.textStyle(s.TickSize, draw.XCenter, draw.YTop)
	p.Y.Tick.Label = s.textStyle(s.TickSize, draw.XRight, draw.YCenter)
	p.Legend = plot.NewLegend()
	p.Legend.TextStyle = s.textStyle(s.LabelSize, draw.XLeft, draw.YBottom)
	return p
}

// Drawer is anything that draws itself on a canvas: a *plot.Plot, or a
// *Grid of plots.
type Drawer interface {
	Draw(c draw.Canvas)
}

// PNG renders p on a w×h canvas at DPI and returns the encoded PNG image.
func PNG(p Drawer, w, h vg.Length) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeTo(&buf, "png", p, w, h); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SVG renders p on a w×h canvas and returns the SVG document. Fonts are
// named, not embedded.
func SVG(p Drawer, w, h vg.Length) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeTo(&buf, "svg", p, w, h); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save renders p on a w×h canvas and writes it to path, in the format named
// by the extension: ".png" or ".svg" (any case). The file is written to a
// temporary file in the same directory and renamed into place, so readers
// never see a partial image and a failed Save leaves an older file intact.
func Save(p Drawer, w, h vg.Length, path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	format := strings.TrimPrefix(ext, ".")
	if format != "png" && format != "svg" {
		return fmt.Errorf("plots: save %q: unsupported extension %q (want .png or .svg)", path, ext)
	}
	var buf bytes.Buffer
	if err := writeTo(&buf, format, p, w, h); err != nil {
		return fmt.Errorf("plots: save %q: %w", path, err)
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("plots: save %q: %w", path, err)
	}
	return nil
}

// writeTo draws p on a w×h canvas of the given format ("png" or "svg") and
// writes the encoded result to out. A panic while drawing becomes an error.
func writeTo(out io.Writer, format string, p Drawer, w, h vg.Length) (err error) {
	if pp, ok := p.(*plot.Plot); p == nil || ok && pp == nil {
		return errors.New("plots: nil plot")
	}
	if !(w > 0 && h > 0) {
		return fmt.Errorf("plots: canvas size %v×%v: both sides must be > 0", w, h)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %s: %v", format, r)
		}
	}()
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return fmt.Errorf("plots: unsupported format %q", format)
	}
	p.Draw(draw.New(c))
	if _, err := c.WriteTo(out); err != nil {
		return fmt.Errorf("plots: encoding %s: %w", format, err)
	}
	return nil
}
