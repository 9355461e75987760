package decode

import (
	"math"
	"slices"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Beam search, batched: every source has K = Options.Beam decoder rows. One step of source b:
//
//  1. Every live beam k (log-probability s_k, hypothesis y_k) proposes every allowed token v (see rules)
//     with score s_k + log p(v | y_k, x).
//  2. Candidates are ranked by score (ties: lower beam, then lower token id first) and walked from the top:
//     a candidate ending in the end token among the top K ranks joins the finished hypotheses; any other
//     candidate becomes one of the next live beams, until there are K of them.
//  3. At MaxLen the live beams join the finished ones unfinished.
//
// Hypotheses rank by score(Y) = log P(Y|X) / lp(Y), lp(Y) = ((5+|Y|)/6)^α, |Y| counting the end token.
// A source stops early when it has NBest finished hypotheses and none of its live beams can still beat the
// NBest-th: a live beam of log-probability s and length L only loses log-probability, so its best possible
// score is s / max(lp(L+1), lp(MaxLen)). Stopping then returns exactly what running to MaxLen would
// (ReferenceBeam runs to MaxLen, and the tests check that they agree).

// candidate is one proposed extension: beam k of the source plus token v.
type candidate struct {
	score float64
	k, v  int
}

// topCandidates keeps the best m candidates in order (score descending; among equal scores the earlier
// added first, so adding in (k, v) order gives the tie rule above).
type topCandidates struct {
	m    int
	list []candidate
}

func (t *topCandidates) add(c candidate) {
	if len(t.list) == t.m && c.score <= t.list[t.m-1].score {
		return
	}
	i := len(t.list)
	for i > 0 && t.list[i-1].score < c.score {
		i--
	}
	if len(t.list) < t.m {
		t.list = append(t.list, candidate{})
	}
	copy(t.list[i+1:], t.list[i:len(t.list)-1])
	t.list[i] = c
}

// beamSource is the search state of one source.
type beamSource struct {
	beams    []hyp // live beams, at most K
	finished []hyp
	done     bool
}

// rankScore is the length-penalised score hypotheses are ranked by.
func rankScore(h hyp, alpha float64) float64 {
	return h.logProb / LengthPenalty(len(h.ids), alpha)
}

// sortHyps sorts hypotheses by rank score, best first, keeping the order of equal ones.
func sortHyps(hs []hyp, alpha float64) {
	slices.SortStableFunc(hs, func(a, b hyp) int {
		sa, sb := rankScore(a, alpha), rankScore(b, alpha)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
}

// canStop reports whether no live beam can beat the n-th best finished hypothesis (see above).
func (bs *beamSource) canStop(n, maxLen int, alpha float64) bool {
	if len(bs.beams) == 0 {
		return true
	}
	if len(bs.finished) < n {
		return false
	}
	sortHyps(bs.finished, alpha)
	nth := rankScore(bs.finished[n-1], alpha)
	for _, h := range bs.beams {
		bound := h.logProb / max(LengthPenalty(len(h.ids)+1, alpha), LengthPenalty(maxLen, alpha))
		if bound > nth {
			return false
		}
	}
	return true
}

// beamStep advances one source given each live beam's allowed log-probabilities (logp[k] [V], −Inf =
// banned) and attention rows; it returns the new live beams with their parent beam index.
func (bs *beamSource) step(logp [][]float64, raw [][]float32, att [][]float32, K int) (parents []int) {
	top := topCandidates{m: 2 * K}
	for k := range bs.beams {
		for v, x := range logp[k] {
			if !math.IsInf(x, -1) {
				top.add(candidate{score: bs.beams[k].logProb + x, k: k, v: v})
			}
		}
	}
	var next []hyp
	for rank, c := range top.list {
		if len(next) == K {
			break
		}
		h := bs.beams[c.k].extend(c.v, float64(raw[c.k][c.v]), att[c.k])
		if c.v == text.EOSID {
			if rank < K {
				bs.finished = append(bs.finished, h)
			}
			continue
		}
		next = append(next, h)
		parents = append(parents, c.k)
	}
	bs.beams = next
	return parents
}

// beamSearch runs beam search on a session of K rows per source; the first n sources are real.
func beamSearch(ss *session, n int, o Options) ([][]hyp, error) {
	K, V, S := o.Beam, ss.V, ss.S
	ru := rules{minLen: o.MinLen, noRepeat: o.NoRepeatNgram}
	srcs := make([]beamSource, n)
	for b := range srcs {
		srcs[b].beams = []hyp{{}}
	}
	prev, parent := make([]int32, ss.N), make([]int32, ss.N)
	for i := range prev {
		prev[i], parent[i] = text.PadID, int32(i)
	}
	for b := range srcs {
		prev[b*K] = text.BOSID
	}
	logp := make([][]float64, K)
	for k := range logp {
		logp[k] = make([]float64, V)
	}
	raw, att := make([][]float32, K), make([][]float32, K)
	for t := range o.MaxLen {
		lp, at, err := ss.next(prev, parent)
		if err != nil {
			return nil, err
		}
		live := false
		for b := range srcs {
			bs := &srcs[b]
			if bs.done {
				continue
			}
			for k, h := range bs.beams {
				row := b*K + k
				raw[k], att[k] = lp[row*V:(row+1)*V], at[row*S:(row+1)*S]
				if !ru.allowed(logp[k], raw[k], h.ids) {
					// Nothing allowed: only the end token, at its model log-probability.
					for v := range logp[k] {
						logp[k][v] = math.Inf(-1)
					}
					logp[k][text.EOSID] = float64(raw[k][text.EOSID])
				}
			}
			parents := bs.step(logp[:len(bs.beams)], raw, att, K)
			for k := range K {
				row := b*K + k
				prev[row], parent[row] = text.PadID, int32(b*K)
				if k < len(parents) {
					prev[row] = int32(bs.beams[k].ids[len(bs.beams[k].ids)-1])
					parent[row] = int32(b*K + parents[k])
				}
			}
			if t == o.MaxLen-1 {
				bs.finished = append(bs.finished, bs.beams...)
				bs.beams = nil
			}
			bs.done = bs.canStop(o.NBest, o.MaxLen, o.LengthPenalty)
			live = live || !bs.done
		}
		if !live {
			break
		}
	}
	out := make([][]hyp, n)
	for b := range srcs {
		sortHyps(srcs[b].finished, o.LengthPenalty)
		out[b] = srcs[b].finished[:min(o.NBest, len(srcs[b].finished))]
	}
	return out, nil
}
