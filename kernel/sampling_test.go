package kernel

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/eval"
	"github.com/gotextgen/textgen/seq2seq/text"
)

func TestDistinctN(t *testing.T) {
	seqs := [][]string{strings.Split("a b a b", " "), strings.Split("a c", " ")}
	for _, tc := range []struct {
		n    int
		want float64
	}{
		{1, 3.0 / 6}, // a b c of 6 tokens
		{2, 3.0 / 4}, // ab ba (ab again) ac: 3 of 4
		{3, 2.0 / 2}, // aba bab
		{4, 1.0 / 1}, // abab
		{5, 0},       // none
		{0, 0},       // not an n
	} {
		if got := DistinctN(seqs, tc.n); got != tc.want {
			t.Errorf("distinct-%d = %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := DistinctN([][]string{{"x", "y"}, {"x", "y"}}, 2); got != 0.5 {
		t.Errorf("two identical samples: distinct-2 %v, want 0.5", got)
	}
	if got := DistinctN([][]string{{"a"}, {"b"}}, 2); got != 0 {
		t.Errorf("n-grams crossed sequences: %v", got)
	}
}

// ids returns a result's ids with the end token when it finished, as a traced hypothesis holds them.
func ids(r decode.Result) []int {
	if r.Finished {
		return append(slices.Clone(r.IDs), text.EOSID)
	}
	return r.IDs
}

func TestTraceBeamMatchesDecoder(t *testing.T) {
	j := trainedTiny(t)
	testutil.Deadline(t, 2*time.Minute, func() {
		d, err := decode.New(j.Backend, j.Store, j.Model, j.Vocab)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := decode.NewReference(j.Backend, j.Store, j.Model, j.Vocab)
		if err != nil {
			t.Fatal(err)
		}
		T := j.Config.Model.MaxTarget
		for _, src := range []string{"abcd", "zy", "hello"} {
			for _, tc := range []struct {
				beam  int
				alpha float64
			}{{1, 0}, {3, 0}, {3, 0.6}} { // two shapes only: XLA compiles each
				tr, err := TraceBeam(ref, j.Vocab, src, tc.beam, T, tc.alpha)
				if err != nil {
					t.Fatal(err)
				}
				o := decode.Options{Strategy: decode.StrategyBeam, Beam: tc.beam, LengthPenalty: tc.alpha}
				if tc.beam == 1 {
					o = decode.Options{Strategy: decode.StrategyGreedy}
				}
				res, err := d.Decode([]string{src}, o)
				if err != nil {
					t.Fatal(err)
				}
				best := tr.Hypotheses[0]
				if !slices.Equal(best.IDs, ids(res[0])) || !near(best.LogProb, res[0].LogProb, 1e-4) {
					t.Errorf("%q beam %d α %v: trace %v (%.4f), decoder %v (%.4f)", src, tc.beam, tc.alpha,
						best.IDs, best.LogProb, ids(res[0]), res[0].LogProb)
				}
				checkTree(t, tr, tc.beam)
			}
		}
	})
}

// checkTree checks the invariants of a beam trace of width k.
func checkTree(t *testing.T, tr *BeamTrace, k int) {
	t.Helper()
	kept, drawn := map[int]int{}, map[int]int{}
	for i, n := range tr.Nodes[1:] {
		drawn[n.Step]++
		if n.State == plots.BeamKept {
			kept[n.Step]++
		}
		if p := tr.Nodes[n.Parent]; p.State != plots.BeamKept && p.State != plots.BeamRoot {
			t.Errorf("node %d (%q) extends a %s node", i+1, n.Token, p.State)
		}
		if n.State == plots.BeamFinished && n.Token != text.EOSToken {
			t.Errorf("finished node %d has token %q", i+1, n.Token)
		}
	}
	for step, n := range drawn {
		if n > 2*k || kept[step] > k {
			t.Errorf("step %d: %d candidates drawn, %d kept; want ≤ %d and ≤ %d", step, n, kept[step], 2*k, k)
		}
	}
	path := 0
	for _, n := range tr.Nodes {
		if n.BestPath {
			path++
		}
	}
	if want := len(tr.Hypotheses[0].IDs) + 1; path != want {
		t.Errorf("best path has %d nodes, want %d (root + tokens)", path, want)
	}
	if _, err := plots.BeamTree("trace", tr.Nodes); err != nil {
		t.Error(err)
	}
}

func TestTemperatureSweep(t *testing.T) {
	j := trainedTiny(t)
	testutil.Deadline(t, 2*time.Minute, func() {
		d, err := decode.New(j.Backend, j.Store, j.Model, j.Vocab)
		if err != nil {
			t.Fatal(err)
		}
		var sources, refs []string
		for _, p := range j.TestPairs[:8] {
			sources, refs = append(sources, p.Source), append(refs, p.Target)
		}
		pts, err := TemperatureSweep(d, sources, refs, []float64{0, 3}, 6, decode.Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Temperature 0 is greedy: every sample of a source is the same, so distinct-2 is at most 1/6 per
		// source and BLEU is that of greedy decoding.
		greedy, err := d.Decode(sources, decode.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var hyps, rs []string
		for i, r := range greedy {
			for range 6 {
				hyps, rs = append(hyps, r.Text), append(rs, refs[i])
			}
		}
		if b := eval.MustCorpusBLEU(hyps, [][]string{rs}, eval.DefaultBLEUOptions()); b.Score != pts[0].BLEU {
			t.Errorf("temperature 0: BLEU %v, greedy's %v", pts[0].BLEU, b.Score)
		}
		if pts[0].Distinct2 > 1.0/6+1e-9 {
			t.Errorf("temperature 0: distinct-2 %v, want ≤ 1/6 (identical samples)", pts[0].Distinct2)
		}
		if pts[1].Distinct1 <= pts[0].Distinct1 || pts[1].Distinct2 <= pts[0].Distinct2 {
			t.Errorf("temperature 3 should be more diverse than 0: %+v", pts)
		}
		if _, err := TemperatureSweep(d, sources, refs[:1], []float64{1}, 2, decode.Options{}); err == nil {
			t.Error("no error for fewer references than sources")
		}
	})
}

func TestStrategiesHTML(t *testing.T) {
	st := []Strategy{{Name: "greedy"}, {Name: "beam <5>"}}
	res := [][]decode.Result{
		{{Source: "ab", Text: "ba", LogProb: -0.5}},
		{{Source: "ab", Text: "bb", LogProb: -1.25}},
	}
	h := StrategiesHTML(st, res, []string{"ba"})
	for _, want := range []string{"<th>beam &lt;5&gt;</th>", "<code>ba</code> ✓ <small>(-0.50)</small>", "<code>bb</code> <small>(-1.25)</small>"} {
		if !strings.Contains(h, want) {
			t.Errorf("table lacks %q:\n%s", want, h)
		}
	}
}
