// Package plots draws the pictures of the textgen project — training and
// validation loss curves, attention heat maps (alone or in a grid), gate
// activations of recurrent cells, hidden-state trajectories (projected by
// PCA2) and grouped bar charts such as accuracy by input length — with
// gonum/plot.
//
// The package takes plain data in (float64 slices for losses, a [][]float32
// attention matrix plus token labels) and knows nothing of the model, the
// tokenizer or the notebook kernel; package kernel glues it into GoNB.
//
// Builders return a *plot.Plot that the caller may further adjust, and the
// rendering helpers turn it into bytes or a file:
//
//	p, err := plots.LossCurves("seq2seq", train, valid)
//	if err != nil { ... }
//	err = plots.Save(p, plots.DefaultWidth, plots.DefaultHeight, "runs/loss.png")
//
// Figures of several panels (AttentionGrid, GateHeatmaps) are a [*Grid];
// PNG, SVG and Save take any [Drawer], a *plot.Plot or a *Grid, and
// Grid.Size gives the suggested canvas size.
//
// # Styles
//
// Fonts, sizes and colours come from a [Style] value passed per plot; the
// package never mutates gonum/plot globals such as plot.DefaultFont. The
// package-level builders use [DefaultStyle], or [CJKStyle] when a label holds
// Chinese, Japanese or Korean characters. The default font is Liberation Sans,
// which ships with gonum/plot but has no CJK glyphs; CJKStyle adds the CJK font
// found by [FindCJKFont] ($TEXTGEN_CJK_FONT, the one `textgen setup` installs,
// or a system font) as a fallback for the runes Liberation lacks. When none is
// found, builders return an error wrapping [ErrNoCJKFont] instead of drawing
// missing-glyph boxes. Other fonts can be plugged in with [Style.WithFonts] and
// [Style.WithFallbackFonts].
//
// # Determinism
//
// Rendering is deterministic: the same plot, size and format produce the same
// bytes on a given platform, which is what the golden tests in testdata/ rely
// on. Images are rasterised at [DPI] dots per inch.
package plots
