// Sampling figures of notebook 05: decodings by several strategies side by side, the tree of a beam search,
// and the effect of the sampling temperature on diversity (distinct-n) and on BLEU.

package kernel

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/eval"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// DistinctN is distinct-n (Li et al. 2016, "A diversity-promoting objective"): the number of distinct
// n-grams over all sequences divided by the number of n-grams, in [0,1]; 0 when there is no n-gram.
// N-grams do not cross sequence boundaries.
func DistinctN(seqs [][]string, n int) float64 {
	if n < 1 {
		return 0
	}
	seen := map[string]bool{}
	total := 0
	for _, s := range seqs {
		for i := 0; i+n <= len(s); i++ {
			seen[strings.Join(s[i:i+n], "\x00")] = true
			total++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(len(seen)) / float64(total)
}

// Strategy is one named decoding configuration of a comparison.
type Strategy struct {
	Name    string
	Options decode.Options
}

// DecodeAll decodes sources with every strategy; out[s][i] is strategy s's decoding of sources[i].
func DecodeAll(d *decode.Decoder, sources []string, strategies ...Strategy) ([][]decode.Result, error) {
	out := make([][]decode.Result, len(strategies))
	for s, st := range strategies {
		res, err := d.Decode(sources, st.Options)
		if err != nil {
			return nil, fmt.Errorf("kernel: strategy %q: %w", st.Name, err)
		}
		out[s] = res
	}
	return out, nil
}

// StrategiesHTML renders decodings side by side as an HTML table: one row per source, with its reference
// when refs is not nil, one column per strategy showing the text and its log-probability; correct decodings
// are marked ✓. results[s][i] is strategy s's decoding of source i.
func StrategiesHTML(strategies []Strategy, results [][]decode.Result, refs []string) string {
	var b strings.Builder
	b.WriteString("<table><tr><th>input</th>")
	if refs != nil {
		b.WriteString("<th>reference</th>")
	}
	for _, st := range strategies {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(st.Name))
	}
	b.WriteString("</tr>\n")
	if len(results) == 0 {
		return b.String() + "</table>"
	}
	for i := range results[0] {
		fmt.Fprintf(&b, "<tr><td><code>%s</code></td>", html.EscapeString(results[0][i].Source))
		if refs != nil {
			fmt.Fprintf(&b, "<td><code>%s</code></td>", html.EscapeString(refs[i]))
		}
		for s := range strategies {
			r := results[s][i]
			mark := ""
			if refs != nil && r.Text == refs[i] {
				mark = " ✓"
			}
			fmt.Fprintf(&b, "<td><code>%s</code>%s <small>(%.2f)</small></td>", html.EscapeString(r.Text), mark, r.LogProb)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>")
	return b.String()
}

// ShowStrategies displays StrategiesHTML in the notebook.
func ShowStrategies(strategies []Strategy, results [][]decode.Result, refs []string) {
	gonbui.DisplayHTML(StrategiesHTML(strategies, results, refs))
	gonbui.Sync() // see DisplayPlot
}

// BeamHypothesis is one hypothesis a traced beam search returned.
type BeamHypothesis struct {
	IDs      []int    // Generated ids, the end token included when Finished.
	Tokens   []string // Their tokens, without the end token.
	LogProb  float64  // log P(IDs | source).
	Score    float64  // LogProb / decode.LengthPenalty(len(IDs), α): what hypotheses rank by.
	Finished bool     // Ended with the end token (false: stopped at the length limit).
	Node     int      // Its last node in BeamTrace.Nodes.
}

// BeamTrace is the search tree of one beam search (see TraceBeam).
type BeamTrace struct {
	Nodes      []plots.BeamNode // The root, then the 2K best candidates of every step, in step order.
	Hypotheses []BeamHypothesis // Finished (and, at the length limit, unfinished) hypotheses, best first.
}

// TraceBeam runs beam search of width beam on one source, step by step through ref.NextLogProbs, and records
// every step's 2·beam best candidates with what the search did with them (plots.BeamKept, BeamFinished,
// BeamPruned). It follows the rules of decode's beam search (see seq2seq/decode/beam.go): candidates ranked by
// log-probability (ties: earlier beam, lower token id), an end token among the top beam joins the finished
// hypotheses, the others fill the next live beams; <pad> and <bos> are never candidates; at maxLen the live
// beams join the finished ones. Hypotheses rank by LogProb / LengthPenalty(len, alpha), and the nodes of the
// best one have BestPath set. Unlike decode.Decoder it never stops early: the tree shows every step until no
// live beam is left. maxLen is the most tokens generated, the end token included (the model's max_target, say).
//
// It is meant for drawing (decode exposes no per-step trace); its best hypothesis equals Decoder's beam result,
// which the tests check.
func TraceBeam(ref *decode.Reference, vocab *text.Vocab, source string, beam, maxLen int, alpha float64) (*BeamTrace, error) {
	if beam < 1 || maxLen < 1 {
		return nil, fmt.Errorf("kernel: trace beam: beam %d and max length %d must be ≥ 1", beam, maxLen)
	}
	type live struct {
		ids     []int
		logProb float64
		node    int
	}
	tr := &BeamTrace{Nodes: []plots.BeamNode{{Parent: -1, State: plots.BeamRoot}}}
	beams := []live{{node: 0}}
	var finished []BeamHypothesis
	hypothesis := func(ids []int, lp float64, node int) BeamHypothesis {
		h := BeamHypothesis{IDs: ids, LogProb: lp, Node: node, Finished: len(ids) > 0 && ids[len(ids)-1] == text.EOSID}
		toks := ids
		if h.Finished {
			toks = ids[:len(ids)-1]
		}
		h.Tokens = vocab.Tokens(toks)
		h.Score = lp / decode.LengthPenalty(len(ids), alpha)
		return h
	}
	for t := 0; t < maxLen && len(beams) > 0; t++ {
		type cand struct {
			k, v  int
			score float64
		}
		var cands []cand
		for k, b := range beams {
			lp, err := ref.NextLogProbs(source, b.ids, maxLen)
			if err != nil {
				return nil, fmt.Errorf("kernel: trace beam: step %d: %w", t+1, err)
			}
			for v, x := range lp {
				if v == text.PadID || v == text.BOSID || math.IsInf(float64(x), -1) {
					continue
				}
				cands = append(cands, cand{k: k, v: v, score: b.logProb + float64(x)})
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			}
			return 0
		})
		var next []live
		for rank, c := range cands[:min(len(cands), 2*beam)] {
			node := plots.BeamNode{Step: t + 1, Rank: rank, Parent: beams[c.k].node, Token: vocab.Token(c.v),
				LogProb: c.score, State: plots.BeamPruned}
			ids := append(slices.Clone(beams[c.k].ids), c.v)
			tr.Nodes = append(tr.Nodes, node)
			idx := len(tr.Nodes) - 1
			switch {
			case len(next) == beam:
			case c.v == text.EOSID:
				if rank < beam {
					tr.Nodes[idx].State = plots.BeamFinished
					finished = append(finished, hypothesis(ids, c.score, idx))
				}
			default:
				tr.Nodes[idx].State = plots.BeamKept
				next = append(next, live{ids: ids, logProb: c.score, node: idx})
			}
		}
		beams = next
	}
	for _, b := range beams { // the length limit: unfinished hypotheses
		finished = append(finished, hypothesis(b.ids, b.logProb, b.node))
	}
	if len(finished) == 0 {
		return nil, fmt.Errorf("kernel: trace beam: no hypothesis for %q", source)
	}
	slices.SortStableFunc(finished, func(a, b BeamHypothesis) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	tr.Hypotheses = finished
	for n := finished[0].Node; n >= 0; n = tr.Nodes[n].Parent {
		tr.Nodes[n].BestPath = true
	}
	return tr, nil
}

// ShowBeamTree displays the tree of a traced beam search (see plots.BeamTree).
func ShowBeamTree(title string, tr *BeamTrace) error {
	p, err := plots.BeamTree(title, tr.Nodes)
	if err != nil {
		return err
	}
	w, h := plots.BeamTreeSize(tr.Nodes)
	return DisplayPlot(p, w, h)
}

// TemperatureSweep samples samples hypotheses per source at every temperature (with opts' other settings,
// Strategy set to sampling; temperature 0 stands for its limit, greedy decoding, repeated) and measures, per temperature, the diversity among the samples of each source
// (distinct-1 and distinct-2 of its samples' tokens, averaged over the sources) and the corpus BLEU
// (sacreBLEU's defaults) of all samples against refs[i], the reference of source i.
func TemperatureSweep(d *decode.Decoder, sources, refs []string, temps []float64, samples int, opts decode.Options) ([]plots.DiversityPoint, error) {
	if len(refs) != len(sources) {
		return nil, fmt.Errorf("kernel: temperature sweep: %d references for %d sources", len(refs), len(sources))
	}
	var out []plots.DiversityPoint
	for _, temp := range temps {
		o := opts
		o.Strategy, o.Temperature, o.NBest = decode.StrategySample, temp, samples
		if temp == 0 { // the limit of sampling as T → 0: the argmax, the same for every sample
			o.Strategy, o.NBest = decode.StrategyGreedy, 1
		}
		res, err := d.Decode(sources, o)
		if err != nil {
			return nil, fmt.Errorf("kernel: temperature %v: %w", temp, err)
		}
		if temp == 0 {
			for i := range res {
				res[i].NBest = slices.Repeat(res[i].NBest[:1], samples)
			}
		}
		pt := plots.DiversityPoint{Temperature: temp}
		var hyps, rs []string
		for i, r := range res {
			var seqs [][]string
			for _, h := range r.NBest {
				seqs = append(seqs, h.Tokens)
				hyps, rs = append(hyps, h.Text), append(rs, refs[i])
			}
			pt.Distinct1 += DistinctN(seqs, 1) / float64(len(res))
			pt.Distinct2 += DistinctN(seqs, 2) / float64(len(res))
		}
		bleu, err := eval.CorpusBLEU(hyps, [][]string{rs}, eval.DefaultBLEUOptions())
		if err != nil {
			return nil, fmt.Errorf("kernel: temperature %v: %w", temp, err)
		}
		pt.BLEU = bleu.Score
		out = append(out, pt)
	}
	return out, nil
}

// ShowDiversity displays the temperature sweep (see plots.DiversityChart).
func ShowDiversity(title string, points []plots.DiversityPoint) error {
	g, err := plots.DiversityChart(title, points)
	if err != nil {
		return err
	}
	return DisplayGrid(g)
}
