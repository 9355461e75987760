package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Grid is several plots drawn in rows and columns on one canvas, their data
// areas aligned with plot.Align. It implements Drawer: render it with PNG,
// SVG or Save like a single plot.
type Grid struct {
	// Plots is [rows][cols]; every row has the same length. A nil entry
	// leaves its tile empty.
	Plots [][]*plot.Plot

	// Width and Height are a suggested canvas size, set by the builders of
	// this package.
	Width, Height vg.Length

	// Pad is the space between tiles and around the grid.
	Pad vg.Length
}

// newGrid lays plots out in rows of cols, row by row; the last row is
// padded with nil tiles. Each tile gets tileW×tileH of the suggested size.
func newGrid(ps []*plot.Plot, cols int, tileW, tileH vg.Length) *Grid {
	cols = max(1, min(cols, len(ps)))
	rows := (len(ps) + cols - 1) / cols
	g := &Grid{Pad: vg.Points(8)}
	for r := range rows {
		row := make([]*plot.Plot, cols)
		copy(row, ps[r*cols:min((r+1)*cols, len(ps))])
		g.Plots = append(g.Plots, row)
	}
	g.Width = vg.Length(cols)*tileW + vg.Length(cols+1)*g.Pad
	g.Height = vg.Length(rows)*tileH + vg.Length(rows+1)*g.Pad
	return g
}

// Size returns the suggested canvas size, Width×Height.
func (g *Grid) Size() (w, h vg.Length) { return g.Width, g.Height }

// Draw implements Drawer. It panics when the rows of Plots differ in length
// (PNG, SVG and Save turn the panic into an error).
func (g *Grid) Draw(c draw.Canvas) {
	if g == nil || len(g.Plots) == 0 {
		panic("plots: empty grid")
	}
	cols := len(g.Plots[0])
	for r, row := range g.Plots {
		if len(row) != cols {
			panic(fmt.Sprintf("plots: grid row %d has %d plots, row 0 has %d", r, len(row), cols))
		}
	}
	tiles := draw.Tiles{Rows: len(g.Plots), Cols: cols, PadX: g.Pad, PadY: g.Pad,
		PadTop: g.Pad, PadBottom: g.Pad, PadLeft: g.Pad, PadRight: g.Pad}
	canvases := plot.Align(g.Plots, tiles, c)
	for r, row := range g.Plots {
		for k, p := range row {
			if p != nil {
				p.Draw(canvases[r][k])
			}
		}
	}
}
