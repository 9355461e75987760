package decode

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Host-side token choice. The model returns log-probabilities [N,V]; everything after that — bans, greedy
// choice, temperature, top-k, top-p — is plain Go on one row at a time, so the rules are easy to read and the
// same code serves the batched decoder and the reference.

// rules are the constraints every strategy applies to a hypothesis before choosing its next token.
type rules struct {
	minLen, noRepeat int
}

// allowed fills buf [V] with the row's log-probabilities lp [V], with −Inf at every banned token: text.PadID
// and text.BOSID always (they are never targets), text.EOSID while the hypothesis ids has fewer than minLen
// tokens, and every token that would complete an n-gram of size noRepeat already in ids. It reports whether
// any token is left.
func (r rules) allowed(buf []float64, lp []float32, ids []int) bool {
	for i, x := range lp {
		buf[i] = float64(x)
	}
	inf := math.Inf(-1)
	buf[text.PadID], buf[text.BOSID] = inf, inf
	if len(ids) < r.minLen {
		buf[text.EOSID] = inf
	}
	if n := r.noRepeat; n > 0 && len(ids) >= n-1 {
		prefix := ids[len(ids)-(n-1):]
		for i := 0; i+n <= len(ids); i++ {
			if slices.Equal(ids[i:i+n-1], prefix) {
				buf[ids[i+n-1]] = inf
			}
		}
	}
	for _, x := range buf {
		if x > inf {
			return true
		}
	}
	return false
}

// argmax is the index of the largest value, the first one on ties (as graph.ArgMax).
func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// sampler draws tokens from allowed log-probabilities with temperature, top-k and top-p.
type sampler struct {
	temperature, topP float64
	topK              int
	order             []int     // scratch: token ids by decreasing log-probability
	weight            []float64 // scratch: unnormalised probabilities in that order
}

// sample draws a token from logp [V] (−Inf = banned; at least one allowed) with rng:
//
//	temperature 0:  argmax (greedy).
//	otherwise:      w_v = exp((log p_v − max log p) / temperature) over allowed tokens, sorted by decreasing w
//	                (ties by id); keep the first TopK (all when 0); keep the shortest prefix whose Σw reaches
//	                TopP·Σw (at least one token); draw v with probability w_v / Σ_kept w.
func (s *sampler) sample(logp []float64, rng *rand.Rand) int {
	if s.temperature == 0 {
		return argmax(logp)
	}
	s.order = s.order[:0]
	for v, x := range logp {
		if !math.IsInf(x, -1) {
			s.order = append(s.order, v)
		}
	}
	slices.SortStableFunc(s.order, func(a, b int) int {
		switch {
		case logp[a] > logp[b]:
			return -1
		case logp[a] < logp[b]:
			return 1
		}
		return 0
	})
	if s.topK > 0 && len(s.order) > s.topK {
		s.order = s.order[:s.topK]
	}
	top := logp[s.order[0]]
	s.weight = s.weight[:0]
	total := 0.0
	for _, v := range s.order {
		w := math.Exp((logp[v] - top) / s.temperature)
		s.weight = append(s.weight, w)
		total += w
	}
	if s.topP < 1 {
		cum := 0.0
		for i, w := range s.weight {
			cum += w
			if cum >= s.topP*total {
				s.order, s.weight, total = s.order[:i+1], s.weight[:i+1], cum
				break
			}
		}
	}
	u := rng.Float64() * total
	for i, w := range s.weight {
		u -= w
		if u < 0 {
			return s.order[i]
		}
	}
	return s.order[len(s.order)-1] // rounding left u ≥ 0 after the last weight
}

// sampleRNG is the random stream of sample j of source i: independent of the batch a source is decoded in.
func sampleRNG(seed int64, source, sample int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(source)<<20|uint64(sample)))
}
