package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// States of a BeamNode: what beam search did with a candidate hypothesis.
const (
	BeamRoot     = "root"     // The empty hypothesis the search starts from.
	BeamKept     = "kept"     // Became one of the K live beams of its step.
	BeamFinished = "finished" // Ended with the end token among the K best candidates: a finished hypothesis.
	BeamPruned   = "pruned"   // Ranked among the 2K best candidates of its step but not kept.
)

// BeamNode is one partial hypothesis of a beam search: a candidate extension of a live beam by one token.
type BeamNode struct {
	Step     int     // Tokens generated, 0 for the root.
	Rank     int     // Position among the drawn candidates of its step, 0 the best scored.
	Parent   int     // Index of the parent node in the node list; −1 for the root.
	Token    string  // The token added (e.g. "7", "<eos>"); "" for the root.
	LogProb  float64 // log P of the hypothesis so far.
	State    string  // BeamRoot, BeamKept, BeamFinished or BeamPruned.
	BestPath bool    // On the path of the returned (best) hypothesis.
}

// BeamTree draws a beam search as a tree: one column per step, the candidates of a step stacked by rank
// (best on top), each drawn as a dot coloured by its state and labelled with its token over its log-probability,
// joined to the live beam it extends. The path of the best hypothesis is drawn thick. Nodes must be in an
// order where every parent comes before its children. It uses DefaultStyle (CJKStyle for CJK tokens). Render
// it at BeamTreeSize.
func BeamTree(title string, nodes []BeamNode) (*plot.Plot, error) {
	labels := []string{title}
	for _, n := range nodes {
		labels = append(labels, n.Token)
	}
	s, err := styleFor(labels)
	if err != nil {
		return nil, err
	}
	return s.BeamTree(title, nodes)
}

// beamColors are the colours of the node states (Okabe–Ito: blue kept, bluish green finished, grey pruned,
// black root) and of the best path (vermillion).
var (
	beamColors = map[string]color.Color{
		BeamRoot:     color.Black,
		BeamKept:     color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF},
		BeamFinished: color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF},
		BeamPruned:   color.RGBA{R: 0xAA, G: 0xAA, B: 0xAA, A: 0xFF},
	}
	beamBest = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}
)

// BeamTree is the package-level BeamTree drawn with style s.
func (s Style) BeamTree(title string, nodes []BeamNode) (*plot.Plot, error) {
	if len(nodes) == 0 {
		return nil, fmt.Errorf("plots: beam tree: %w", ErrNoData)
	}
	for i, n := range nodes {
		if _, ok := beamColors[n.State]; !ok {
			return nil, fmt.Errorf("plots: beam tree: node %d (%q): unknown state %q", i, n.Token, n.State)
		}
		if n.Parent >= i || (n.Parent < 0 && n.State != BeamRoot) {
			return nil, fmt.Errorf("plots: beam tree: node %d (%q): parent %d must be an earlier node", i, n.Token, n.Parent)
		}
		if n.Parent >= 0 && nodes[n.Parent].Step != n.Step-1 {
			return nil, fmt.Errorf("plots: beam tree: node %d (%q) at step %d has its parent at step %d", i, n.Token, n.Step, nodes[n.Parent].Step)
		}
		if math.IsNaN(n.LogProb) || math.IsInf(n.LogProb, 0) {
			return nil, fmt.Errorf("plots: beam tree: node %d (%q): log-probability %v is not finite", i, n.Token, n.LogProb)
		}
	}
	s = s.filled()
	p := s.newPlot(title)
	p.X.Label.Text = "step (tokens generated)"
	p.Y.Label.Text = "rank among the step's candidates"
	// The bottom left corner is always empty (step 0 holds only the root, at rank 1; the x axis starts before it).
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), vg.Points(4)
	pos := func(n BeamNode) plotter.XY { return plotter.XY{X: float64(n.Step), Y: -float64(n.Rank)} }

	// Edges first, under the dots: thin grey, then the best path thick on top.
	for _, best := range []bool{false, true} {
		for _, n := range nodes {
			if n.Parent < 0 || n.BestPath != best {
				continue
			}
			l, err := plotter.NewLine(plotter.XYs{pos(nodes[n.Parent]), pos(n)})
			if err != nil {
				return nil, fmt.Errorf("plots: beam tree: %w", err)
			}
			l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0xC0}, Width: vg.Points(0.8)}
			if best {
				l.LineStyle = draw.LineStyle{Color: beamBest, Width: vg.Points(2.5)}
			}
			p.Add(l)
		}
	}
	var labelXY plotter.XYs
	var labelText []string
	for _, state := range []string{BeamRoot, BeamKept, BeamFinished, BeamPruned} {
		var xys plotter.XYs
		for _, n := range nodes {
			if n.State != state {
				continue
			}
			xys = append(xys, pos(n))
			if n.State != BeamRoot {
				labelXY = append(labelXY, pos(n))
				labelText = append(labelText, fmt.Sprintf("%s\n%.2f", tokenLabel(n.Token), n.LogProb))
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: beam tree: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: beamColors[state], Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if state != BeamRoot {
			p.Legend.Add(state, sc)
		}
	}
	if len(labelXY) > 0 {
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: labelXY, Labels: labelText})
		if err != nil {
			return nil, fmt.Errorf("plots: beam tree: %w", err)
		}
		for i := range lbl.TextStyle {
			lbl.TextStyle[i] = s.textStyle(s.TickSize*0.85, draw.XLeft, draw.YCenter)
		}
		lbl.Offset = vg.Point{X: vg.Points(5)}
		p.Add(lbl)
	}
	maxStep, maxRank := 0, 0
	for _, n := range nodes {
		maxStep, maxRank = max(maxStep, n.Step), max(maxRank, n.Rank)
	}
	p.X.Min, p.X.Max = -1.1, float64(maxStep)+0.9 // room for the legend and for the last labels
	p.Y.Min, p.Y.Max = -float64(maxRank)-0.5, 0.5
	var ticks []plot.Tick
	for st := 0; st <= maxStep; st++ {
		ticks = append(ticks, plot.Tick{Value: float64(st), Label: fmt.Sprint(st)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	ticks = nil
	for r := 0; r <= maxRank; r++ {
		ticks = append(ticks, plot.Tick{Value: -float64(r), Label: fmt.Sprint(r + 1)})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	return p, nil
}

// BeamTreeSize is a canvas size for BeamTree with the given nodes: about 2 cm per step and 1.1 cm per rank.
func BeamTreeSize(nodes []BeamNode) (w, h vg.Length) {
	maxStep, maxRank := 0, 0
	for _, n := range nodes {
		maxStep, maxRank = max(maxStep, n.Step), max(maxRank, n.Rank)
	}
	w = max(DefaultWidth, vg.Length(maxStep+3)*2*vg.Centimeter)
	h = max(DefaultHeight*3/4, vg.Length(maxRank+3)*1.1*vg.Centimeter)
	return w, h
}
