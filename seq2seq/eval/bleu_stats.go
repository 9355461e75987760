package eval

import (
	"math"
	"strings"
)

// bleuStats are one segment's sufficient statistics, sacreBLEU's [hyp_len, ref_len] + correct + total.
type bleuStats struct {
	hypLen, refLen int
	correct, total []int // [n-1]: clipped matches and hypothesis n-grams of order n.
}

// preprocessBLEU is sacreBLEU's BLEU._preprocess_segment: lowercase if asked, strip trailing whitespace,
// tokenize.
func preprocessBLEU(s string, tok func(string) string, lowercase bool) string {
	if lowercase {
		s = pyLower(s)
	}
	return tok(pyRStrip(s))
}

// wordNgrams counts the n-grams of orders 1..maxOrder of a tokenized line (split on whitespace) and returns
// them per order, counts[n-1] keyed by the n tokens joined by spaces (tokens never contain whitespace, so the
// key is unambiguous), and the number of tokens. This is sacreBLEU's extract_all_word_ngrams.
func wordNgrams(line string, maxOrder int) (counts []map[string]int, length int) {
	tokens := pySplit(line)
	counts = make([]map[string]int, maxOrder)
	for n := 1; n <= maxOrder; n++ {
		m := make(map[string]int, max(len(tokens)-n+1, 0))
		for i := 0; i+n <= len(tokens); i++ {
			m[strings.Join(tokens[i:i+n], " ")]++
		}
		counts[n-1] = m
	}
	return counts, len(tokens)
}

// segmentBLEUStats is sacreBLEU's _extract_reference_info followed by _compute_segment_statistics: reference
// n-gram counts are merged by taking the maximum over references, hypothesis counts are clipped by them, and
// the reference length is the one closest to the hypothesis length (the shorter on a tie).
func segmentBLEUStats(hyp string, refs []string, tok func(string) string, opts BLEUOptions) bleuStats {
	N := opts.MaxNgramOrder
	var refNgrams []map[string]int
	refLens := make([]int, len(refs))
	for k, ref := range refs {
		counts, n := wordNgrams(preprocessBLEU(ref, tok, opts.Lowercase), N)
		refLens[k] = n
		if refNgrams == nil {
			refNgrams = counts
			continue
		}
		for order, m := range counts {
			for g, c := range m {
				refNgrams[order][g] = max(refNgrams[order][g], c)
			}
		}
	}
	hypNgrams, hypLen := wordNgrams(preprocessBLEU(hyp, tok, opts.Lowercase), N)
	s := bleuStats{hypLen: hypLen, refLen: closestRefLen(hypLen, refLens),
		correct: make([]int, N), total: make([]int, N)}
	for order, m := range hypNgrams {
		for g, c := range m {
			s.total[order] += c
			s.correct[order] += min(c, refNgrams[order][g])
		}
	}
	return s
}

// closestRefLen is sacreBLEU's _get_closest_ref_len: the reference length closest to hypLen, the shortest
// among equally close ones.
func closestRefLen(hypLen int, refLens []int) int {
	closestDiff, closestLen := -1, -1
	for _, r := range refLens {
		diff := hypLen - r
		if diff < 0 {
			diff = -diff
		}
		if closestDiff == -1 || diff < closestDiff {
			closestDiff, closestLen = diff, r
		} else if diff == closestDiff && r < closestLen {
			closestLen = r
		}
	}
	return closestLen
}

// myLog is sacreBLEU's my_log: the natural logarithm, with log(0) floored to -9999999999.
func myLog(x float64) float64 {
	if x == 0 {
		return -9999999999
	}
	return math.Log(x)
}

// computeBLEU is sacreBLEU's BLEU.compute_bleu, operation for operation so that the floating-point results
// agree: brevity penalty, smoothed precisions, geometric mean. opts must have its defaults filled in.
// sacreBLEU's add-k adds k to the counts and totals it reports; here Counts and Totals stay the raw counts.
func computeBLEU(correct, total []int, sysLen, refLen int, opts BLEUOptions) BLEU {
	N := opts.MaxNgramOrder
	b := BLEU{Counts: correct, Totals: total, Precisions: make([]float64, N), BP: 1, SysLen: sysLen, RefLen: refLen}
	if sysLen < refLen {
		b.BP = 0
		if sysLen > 0 {
			b.BP = math.Exp(1 - float64(refLen)/float64(sysLen))
		}
	}
	if refLen != 0 {
		b.Ratio = float64(sysLen) / float64(refLen)
	}
	anyMatch := false
	for _, c := range correct {
		anyMatch = anyMatch || c != 0
	}
	if !anyMatch { // sacreBLEU's early stop (its issue #141): score and precisions 0.
		return b
	}
	smoothMteval := 1.0
	effOrder := N
	for n := 1; n <= N; n++ {
		c, t := float64(correct[n-1]), float64(total[n-1])
		if opts.Smooth == SmoothAddK && n > 1 {
			c += opts.SmoothValue
			t += opts.SmoothValue
		}
		if t == 0 {
			break
		}
		if opts.EffectiveOrder {
			effOrder = n
		}
		switch {
		case c != 0:
			b.Precisions[n-1] = 100 * c / t
		case opts.Smooth == SmoothExp:
			smoothMteval *= 2
			b.Precisions[n-1] = 100 / (smoothMteval * t)
		case opts.Smooth == SmoothFloor:
			b.Precisions[n-1] = 100 * opts.SmoothValue / t
		}
	}
	sum := 0.0
	for _, p := range b.Precisions[:effOrder] {
		sum += myLog(p)
	}
	b.Score = b.BP * math.Exp(sum/float64(effOrder))
	return b
}
