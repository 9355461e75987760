package plots

import (
	"bytes"
	"errors"
	"testing"

	"gonum.org/v1/plot/vg"
)

// goldenBeamTree is a beam search of width 2 over 3 steps: "12<eos>" wins, "2" and "13" are pruned.
func goldenBeamTree() []BeamNode {
	return []BeamNode{
		{Parent: -1, State: BeamRoot, BestPath: true},
		{Step: 1, Rank: 0, Parent: 0, Token: "1", LogProb: -0.2, State: BeamKept, BestPath: true},
		{Step: 1, Rank: 1, Parent: 0, Token: "2", LogProb: -1.9, State: BeamKept},
		{Step: 1, Rank: 2, Parent: 0, Token: "<eos>", LogProb: -2.5, State: BeamPruned},
		{Step: 1, Rank: 3, Parent: 0, Token: "7", LogProb: -3.1, State: BeamPruned},
		{Step: 2, Rank: 0, Parent: 1, Token: "2", LogProb: -0.5, State: BeamKept, BestPath: true},
		{Step: 2, Rank: 1, Parent: 1, Token: "<eos>", LogProb: -1.6, State: BeamFinished},
		{Step: 2, Rank: 2, Parent: 2, Token: "2", LogProb: -2.2, State: BeamKept},
		{Step: 2, Rank: 3, Parent: 1, Token: "3", LogProb: -2.4, State: BeamPruned},
		{Step: 3, Rank: 0, Parent: 5, Token: "<eos>", LogProb: -0.6, State: BeamFinished, BestPath: true},
		{Step: 3, Rank: 1, Parent: 7, Token: "<eos>", LogProb: -2.3, State: BeamFinished},
		{Step: 3, Rank: 2, Parent: 5, Token: "猫", LogProb: -3.0, State: BeamPruned},
	}
}

func goldenDiversity() []DiversityPoint {
	return []DiversityPoint{
		{Temperature: 0, Distinct1: 0.12, Distinct2: 0.15, BLEU: 61},
		{Temperature: 0.5, Distinct1: 0.2, Distinct2: 0.3, BLEU: 58},
		{Temperature: 1, Distinct1: 0.35, Distinct2: 0.55, BLEU: 40},
		{Temperature: 1.5, Distinct1: 0.5, Distinct2: 0.8, BLEU: 17},
	}
}

func TestGoldenBeamTreeAndDiversity(t *testing.T) {
	nodes := goldenBeamTree()
	tree, err := BeamTree("beam search, width 2", nodes)
	if err != nil {
		t.Fatal(err)
	}
	w, h := BeamTreeSize(nodes)
	div, err := DiversityChart("", goldenDiversity())
	if err != nil {
		t.Fatal(err)
	}
	dw, dh := div.Size()
	for _, tc := range []struct {
		name string
		p    Drawer
		w, h vg.Length
	}{{"beamtree.png", tree, w, h}, {"diversity.png", div, dw, dh}} {
		got, err := PNG(tc.p, tc.w, tc.h)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := PNG(tc.p, tc.w, tc.h)
		if !bytes.Equal(got, again) {
			t.Errorf("%s: rendering twice gave different bytes", tc.name)
		}
		checkGolden(t, tc.name, got)
	}
}

func TestBeamTreeErrors(t *testing.T) {
	if _, err := BeamTree("empty", nil); !errors.Is(err, ErrNoData) {
		t.Errorf("no nodes: %v, want ErrNoData", err)
	}
	for name, mutate := range map[string]func([]BeamNode){
		"unknown state":   func(n []BeamNode) { n[3].State = "dropped" },
		"later parent":    func(n []BeamNode) { n[1].Parent = 5 },
		"parent 2 steps":  func(n []BeamNode) { n[9].Parent = 1 },
		"no parent":       func(n []BeamNode) { n[2].Parent = -1 },
		"NaN probability": func(n []BeamNode) { n[4].LogProb = nan() },
	} {
		nodes := goldenBeamTree()
		mutate(nodes)
		if _, err := BeamTree("bad", nodes); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDiversityChartErrors(t *testing.T) {
	if _, err := DiversityChart("", nil); !errors.Is(err, ErrNoData) {
		t.Errorf("no points: %v, want ErrNoData", err)
	}
	pts := goldenDiversity()
	pts[2].Temperature = 0.5
	if _, err := DiversityChart("", pts); err == nil {
		t.Error("no error for temperatures not increasing")
	}
	pts = goldenDiversity()
	pts[1].BLEU = nan()
	if _, err := DiversityChart("", pts); err == nil {
		t.Error("no error for a NaN BLEU")
	}
}
