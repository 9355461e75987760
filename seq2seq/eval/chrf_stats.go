package eval

import (
	"strings"
	"unicode/utf8"
)

// chrfNgrams are one segment's n-gram counts: [n-1] for character orders n = 1..CharOrder, then
// [CharOrder+n-1] for word orders n = 1..WordOrder.
type chrfNgrams []map[string]int

// chrfPunct is Python's string.punctuation, the characters sacreBLEU's chrF++ splits off words.
const chrfPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// extractChrF is what sacreBLEU's CHRF computes for a segment: lowercase if asked, then character n-grams
// (extract_all_char_ngrams, whitespace removed unless opts.Whitespace) and word n-grams of the words
// splitPunct returns (extract_word_ngrams). Characters are code points.
func extractChrF(s string, opts ChrFOptions) chrfNgrams {
	if opts.Lowercase {
		s = pyLower(s)
	}
	ngrams := make(chrfNgrams, 0, opts.CharOrder+opts.WordOrder)
	line := s
	if !opts.Whitespace {
		line = strings.Join(pySplit(s), "")
	}
	starts := make([]int, 0, len(line)+1) // Byte offsets of the characters, and len(line).
	for i := 0; i < len(line); {
		starts = append(starts, i)
		_, n := utf8.DecodeRuneInString(line[i:])
		i += n
	}
	starts = append(starts, len(line))
	chars := len(starts) - 1
	for n := 1; n <= opts.CharOrder; n++ {
		m := make(map[string]int, max(chars-n+1, 0))
		for i := 0; i+n <= chars; i++ {
			m[line[starts[i]:starts[i+n]]]++
		}
		ngrams = append(ngrams, m)
	}
	if opts.WordOrder > 0 {
		words := splitPunct(s)
		for n := 1; n <= opts.WordOrder; n++ {
			m := make(map[string]int, max(len(words)-n+1, 0))
			for i := 0; i+n <= len(words); i++ {
				m[strings.Join(words[i:i+n], " ")]++
			}
			ngrams = append(ngrams, m)
		}
	}
	return ngrams
}

// splitPunct is sacreBLEU's CHRF._remove_punctuation: split on whitespace, then split one punctuation
// character (chrfPunct) off the end of each word of two or more characters, or else off its start. So
// "(hi)" gives "(hi" and ")", as in sacreBLEU (its issue #124).
func splitPunct(s string) []string {
	var words []string
	for _, w := range pySplit(s) {
		if utf8.RuneCountInString(w) == 1 {
			words = append(words, w)
			continue
		}
		last, n := utf8.DecodeLastRuneInString(w)
		first, m := utf8.DecodeRuneInString(w)
		switch {
		case isChrFPunct(last):
			words = append(words, w[:len(w)-n], w[len(w)-n:])
		case isChrFPunct(first):
			words = append(words, w[:m], w[m:])
		default:
			words = append(words, w)
		}
	}
	return words
}

func isChrFPunct(r rune) bool { return r < utf8.RuneSelf && strings.ContainsRune(chrfPunct, r) }

// bestChrFStats is sacreBLEU's CHRF._compute_segment_statistics: the statistics (hypothesis, reference and
// matching n-gram counts per order) against each reference, keeping those with the highest chrF, the first
// reference on a tie.
func bestChrFStats(hyp chrfNgrams, refs []chrfNgrams, opts ChrFOptions) []int {
	var best []int
	bestF := -1.0
	for _, ref := range refs {
		stats := make([]int, 0, 3*len(hyp))
		for i, h := range hyp {
			stats = append(stats, chrfMatch(h, ref[i])...)
		}
		if f := chrfScore(stats, opts); f > bestF {
			best, bestF = stats, f
		}
	}
	return best
}

// chrfMatch is sacreBLEU's CHRF._get_match_statistics for one order: hypothesis n-grams (0 when the reference
// has none), reference n-grams, and matches (each n-gram counted at most as often as in the reference).
func chrfMatch(hyp, ref map[string]int) []int {
	hypCount, refCount, match := 0, 0, 0
	for g, c := range hyp {
		hypCount += c
		match += min(c, ref[g])
	}
	for _, c := range ref {
		refCount += c
	}
	if len(ref) == 0 {
		hypCount = 0
	}
	return []int{hypCount, refCount, match}
}

// chrfScore is sacreBLEU's CHRF._compute_f_score, operation for operation. The explicit float64 conversions
// stop the compiler from fusing a multiply and an add (allowed by the Go spec on some CPUs), which would round
// differently from Python.
func chrfScore(stats []int, opts ChrFOptions) float64 {
	const eps = 1e-16
	order := opts.CharOrder + opts.WordOrder
	factor := float64(opts.Beta * opts.Beta)
	score, avgPrec, avgRec := 0.0, 0.0, 0.0
	effective := 0
	for i := range order {
		nHyp, nRef, nMatch := stats[3*i], stats[3*i+1], stats[3*i+2]
		prec, rec := eps, eps
		if nHyp > 0 {
			prec = float64(nMatch) / float64(nHyp)
		}
		if nRef > 0 {
			rec = float64(nMatch) / float64(nRef)
		}
		if denom := float64(factor*prec) + rec; denom > 0 {
			score += float64(float64((1+factor)*prec)*rec) / denom
		} else {
			score += eps
		}
		if nHyp > 0 && nRef > 0 {
			avgPrec += prec
			avgRec += rec
			effective++
		}
	}
	if opts.EpsSmoothing {
		return 100 * score / float64(order)
	}
	if effective == 0 {
		avgPrec, avgRec = 0, 0
	} else {
		avgPrec /= float64(effective)
		avgRec /= float64(effective)
	}
	if avgPrec+avgRec == 0 {
		return 0
	}
	f := float64((1+factor)*avgPrec) * avgRec
	f /= float64(factor*avgPrec) + avgRec
	return 100 * f
}
