package plots

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"github.com/gotextgen/textgen/internal/project"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// CJKFontEnv names the environment variable that, when set, is the path of the font (TTF, OTF or TTC)
// used for CJK text in charts.
const CJKFontEnv = "TEXTGEN_CJK_FONT"

// ErrNoCJKFont is returned (wrapped) when a chart needs CJK glyphs and no usable CJK font is found.
var ErrNoCJKFont = errors.New("no CJK font")

// cjkProbe are runes a usable CJK font must cover: common Han characters and CJK punctuation.
const cjkProbe = "月山春中国的，。"

// cjkFontCandidates are the places searched after $TEXTGEN_CJK_FONT, in order: the font `textgen
// setup` installs, then common system locations (Debian/Ubuntu packages fonts-droid-fallback,
// fonts-wqy-*, fonts-noto-cjk, fonts-arphic-*; macOS; Windows). Files that golang.org/x/image/font/sfnt
// cannot parse are skipped: as of x/image v0.30 that is every TrueType collection (.ttc) we tried
// (WenQuanYi, AR PL UMing: "sfnt: invalid table offset"), which is why setup installs a .ttf.
var cjkFontCandidates = []string{
	"{root}/.textgen/fonts/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
	"/usr/share/fonts/truetype/arphic/ukai.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	"/Library/Fonts/Arial Unicode.ttf",
	"C:/Windows/Fonts/msyh.ttc",
	"C:/Windows/Fonts/simsun.ttc",
}

// FindCJKFont returns the path of a font that covers CJK text: $TEXTGEN_CJK_FONT when set (an error if
// that file is not a usable CJK font), else the font installed by `go run ./cmd/textgen setup` in
// <root>/.textgen/fonts, else the first usable one of a list of common system paths. The error wraps
// [ErrNoCJKFont] and says how to get one.
func FindCJKFont() (string, error) {
	if p := os.Getenv(CJKFontEnv); p != "" {
		if _, err := LoadCJKFont(p); err != nil {
			return "", fmt.Errorf("$%s: %w", CJKFontEnv, err)
		}
		return p, nil
	}
	root, _ := project.Root()
	for _, c := range cjkFontCandidates {
		if rest, ok := strings.CutPrefix(c, "{root}"); ok {
			if root == "" {
				continue
			}
			c = filepath.Join(root, filepath.FromSlash(rest))
		}
		if _, err := os.Stat(c); err != nil {
			continue
		}
		if _, err := LoadCJKFont(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("plots: %w found: run `go run ./cmd/textgen setup` (installs Droid Sans Fallback into "+
		".textgen/fonts), install a CJK font package (e.g. fonts-wqy-microhei) or set $%s to a TTF/OTF/TTC file",
		ErrNoCJKFont, CJKFontEnv)
}

// loadedFonts caches LoadCJKFont by path: parsing a 5 MB collection takes a few milliseconds.
var loadedFonts sync.Map // path -> font.Collection

// LoadCJKFont reads a TTF, OTF or TTC file and returns its first face as a one-face collection named by
// the font's family name, after checking that it has glyphs for common CJK characters.
func LoadCJKFont(path string) (font.Collection, error) {
	if c, ok := loadedFonts.Load(path); ok {
		return c.(font.Collection), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plots: CJK font: %w", err)
	}
	coll, err := opentype.ParseCollection(data)
	if err == nil && coll.NumFonts() > 0 {
		_, err = coll.Font(0)
	}
	if err != nil {
		hint := ""
		if strings.EqualFold(filepath.Ext(path), ".ttc") {
			hint = " (golang.org/x/image/font/sfnt, which gonum/plot uses, cannot read many TrueType collections; use a .ttf or .otf)"
		}
		return nil, fmt.Errorf("plots: CJK font %s: %w%s", path, err, hint)
	}
	if coll.NumFonts() == 0 {
		return nil, fmt.Errorf("plots: CJK font %s: no font in the file", path)
	}
	f, err := coll.Font(0)
	if err != nil {
		return nil, fmt.Errorf("plots: CJK font %s: %w", path, err)
	}
	for _, r := range cjkProbe {
		if !hasGlyph(f, r) {
			return nil, fmt.Errorf("plots: %w: %s has no glyph for %q", ErrNoCJKFont, path, r)
		}
	}
	family, err := f.Name(nil, sfnt.NameIDFamily)
	if err != nil || family == "" {
		family = filepath.Base(path)
	}
	c := font.Collection{{Font: font.Font{Typeface: font.Typeface(family)}, Face: f}}
	loadedFonts.Store(path, c)
	return c, nil
}

// hasGlyph reports whether f maps r to a glyph other than .notdef.
func hasGlyph(f *sfnt.Font, r rune) bool {
	if f == nil {
		return false
	}
	var b sfnt.Buffer
	i, err := f.GlyphIndex(&b, r)
	return err == nil && i != 0
}

// IsCJK reports whether r belongs to a CJK script (Han, Hiragana, Katakana, Hangul, Bopomofo) or is CJK
// or full-width punctuation.
func IsCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// HasCJK reports whether s holds a rune for which IsCJK is true.
func HasCJK(s string) bool {
	for _, r := range s {
		if IsCJK(r) {
			return true
		}
	}
	return false
}

// CJKStyle returns DefaultStyle with the CJK font of [FindCJKFont] as a fallback (see
// [Style.WithFallbackFonts]): text without CJK looks exactly as with DefaultStyle, and labels with CJK
// characters get real glyphs. The error wraps [ErrNoCJKFont] when no font is found.
func CJKStyle() (Style, error) {
	path, err := FindCJKFont()
	if err != nil {
		return Style{}, err
	}
	coll, err := LoadCJKFont(path)
	if err != nil {
		return Style{}, err
	}
	return DefaultStyle().WithFallbackFonts(coll), nil
}

// WithFallbackFonts returns a copy of s whose text handler draws text in s.Font, switching to the first
// face of coll for each run of runes that s.Font has no glyph for and coll has (CJK fallback fonts such
// as Droid Sans Fallback have no Latin letters, so "PC1 月" is drawn in two runs). Strings that need no
// fallback go through text.Plain unchanged, so a chart without CJK labels renders exactly as before.
// The copy gets its own font cache (Liberation, plus coll); no global is touched.
func (s Style) WithFallbackFonts(coll font.Collection) Style {
	if len(coll) == 0 {
		return s
	}
	if s.Font.Typeface == "" {
		s.Font = DefaultStyle().Font
	}
	cache := font.NewCache(liberation.Collection())
	if h, ok := s.TextHandler.(*fallbackHandler); ok {
		cache = h.Fonts
	}
	cache.Add(coll)
	s.TextHandler = &fallbackHandler{Plain: text.Plain{Fonts: cache}, fallback: coll[0].Font, fallbackFace: coll[0].Face}
	return s
}

// fallbackHandler is a text.Plain that draws runs of runes missing from the requested font in a
// fallback font.
type fallbackHandler struct {
	text.Plain
	fallback     font.Font
	fallbackFace *opentype.Font
}

// run is a piece of one line of text drawn in one face.
type run struct {
	text string
	face font.Face
}

// runs splits one line into runs of the requested font and of the fallback font. ok is false when no
// rune needs the fallback.
func (h *fallbackHandler) runs(line string, fnt font.Font) (rs []run, ok bool) {
	primary := h.Fonts.Lookup(fnt, fnt.Size)
	fb := h.fallback
	fb.Style, fb.Weight = fnt.Style, fnt.Weight
	fallback := h.Fonts.Lookup(fb, fnt.Size)
	var cur strings.Builder
	curFallback := false
	for _, r := range line {
		useFallback := !hasGlyph(primary.Face, r) && hasGlyph(h.fallbackFace, r)
		if unicode.IsSpace(r) { // keep spaces in the current run
			useFallback = curFallback && hasGlyph(h.fallbackFace, r)
		}
		if useFallback != curFallback && cur.Len() > 0 {
			rs = append(rs, run{cur.String(), pick(curFallback, fallback, primary)})
			cur.Reset()
		}
		curFallback = useFallback
		ok = ok || useFallback
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		rs = append(rs, run{cur.String(), pick(curFallback, fallback, primary)})
	}
	return rs, ok
}

func pick(cond bool, a, b font.Face) font.Face {
	if cond {
		return a
	}
	return b
}

// width is the advance of a line drawn as runs.
func width(rs []run) vg.Length {
	w := vg.Length(0)
	for _, r := range rs {
		w += r.face.Width(r.text)
	}
	return w
}

// Box implements text.Handler.
func (h *fallbackHandler) Box(txt string, fnt font.Font) (w, height, depth vg.Length) {
	rs, ok := h.runs(txt, fnt)
	if !ok {
		return h.Plain.Box(txt, fnt)
	}
	face := h.Fonts.Lookup(fnt, fnt.Size)
	ext := face.Extents()
	return width(rs), ext.Ascent, ext.Descent
}

// Draw implements text.Handler, following text.Plain.Draw line by line and run by run.
func (h *fallbackHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	lines := h.Lines(txt)
	var all [][]run
	need := false
	for _, l := range lines {
		rs, ok := h.runs(l, sty.Font)
		all, need = append(all, rs), need || ok
	}
	if !need || len(txt) == 0 {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - fnt.Extents().Ascent
	for i, rs := range all {
		x := vg.Length(sty.XAlign) * width(rs)
		n := vg.Length(len(lines) - i)
		for _, r := range rs {
			c.FillString(r.face, pt.Add(vg.Point{X: x, Y: n * sty.Font.Size}), r.text)
			x += r.face.Width(r.text)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// checkGlyphs returns an error wrapping ErrNoCJKFont when one of labels holds a CJK rune that s's
// text handler would draw as a missing-glyph box: neither the font of s nor its fallback has it. what
// names the labels in the error.
func (s Style) checkGlyphs(what string, labels []string) error {
	primary := s.TextHandler.Cache().Lookup(s.Font, s.TickSize).Face
	var fallback *opentype.Font
	if h, ok := s.TextHandler.(*fallbackHandler); ok {
		fallback = h.fallbackFace
	}
	for i, l := range labels {
		for _, r := range l {
			if IsCJK(r) && !hasGlyph(primary, r) && (fallback == nil || !hasGlyph(fallback, r)) {
				return fmt.Errorf("plots: %s %d (%q): %w with a glyph for %q in the chart's style; run `go run "+
					"./cmd/textgen setup` or set $%s (see plots.CJKStyle)", what, i, l, ErrNoCJKFont, r, CJKFontEnv)
			}
		}
	}
	return nil
}

// styleFor returns DefaultStyle, or CJKStyle when one of labels holds CJK characters.
func styleFor(labels []string) (Style, error) {
	for _, l := range labels {
		if HasCJK(l) {
			return CJKStyle()
		}
	}
	return DefaultStyle(), nil
}
