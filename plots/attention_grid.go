package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// AttentionPanel is one heat map of an AttentionGrid.
type AttentionPanel struct {
	Title     string      // Drawn above the heat map, e.g. "additive".
	Weights   [][]float32 // [len(Generated)][len(Source)], as for AttentionHeatmap.
	Source    []string    // Column labels.
	Generated []string    // Row labels, first generated token at the top.
}

// AttentionGrid draws several attention heat maps side by side, cols per
// row, using DefaultStyle (CJKStyle for CJK labels): for instance one decoding under Bahdanau and
// under Luong attention. Every panel is checked as by AttentionHeatmap; an
// error names the panel. Render the grid at g.Size().
func AttentionGrid(cols int, panels ...AttentionPanel) (*Grid, error) {
	var labels []string
	for _, pn := range panels {
		labels = append(append(append(labels, pn.Title), pn.Source...), pn.Generated...)
	}
	s, err := styleFor(labels)
	if err != nil {
		return nil, err
	}
	return s.AttentionGrid(cols, panels...)
}

// AttentionGrid is the package-level AttentionGrid drawn with style s.
func (s Style) AttentionGrid(cols int, panels ...AttentionPanel) (*Grid, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("plots: attention grid: %w: no panels", ErrNoData)
	}
	if cols < 1 {
		return nil, fmt.Errorf("plots: attention grid: cols is %d, must be ≥ 1", cols)
	}
	ps := make([]*plot.Plot, len(panels))
	var tileW, tileH vg.Length
	for i, pn := range panels {
		p, err := s.AttentionHeatmap(pn.Weights, pn.Source, pn.Generated)
		if err != nil {
			return nil, fmt.Errorf("plots: attention grid: panel %d (%q): %w", i, pn.Title, err)
		}
		p.Title.Text = pn.Title
		w, h := s.AttentionSize(p, len(pn.Source), len(pn.Generated))
		tileW, tileH = max(tileW, w), max(tileH, h)
		ps[i] = p
	}
	return newGrid(ps, cols, tileW, tileH), nil
}
