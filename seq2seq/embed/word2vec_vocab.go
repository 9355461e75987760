package embed

import (
	"fmt"
	"math"
	"sort"
)

// w2vVocab is the vocabulary of a word2vec run, in gensim's order.
type w2vVocab struct {
	words     []string       // by descending count; ties: the word seen first comes last (gensim's lexsort)
	counts    []int64        // corpus count of words[i]
	index     map[string]int // words[index[w]] == w
	sampleInt []uint32       // words[i] is kept when a uniform uint32 is ≤ sampleInt[i] (gensim's sample_int)
	cumTable  []uint32       // cumulative count^ns_exponent scaled to 2^31-1 (gensim's cum_table)
	minCount  int            // effective min_count
	corpus    int64          // words in the corpus
	retained  int64          // corpus words in the vocabulary
}

// buildW2VVocab counts the words of sentences and applies min_count, max_final_vocab, gensim's
// sort and its sub-sampling and noise tables. A word that a vector file cannot hold is an error
// naming its sentence and position.
func buildW2VVocab(sentences [][]string, cfg Word2VecConfig) (*w2vVocab, error) {
	var order []string // first-appearance order, as gensim's raw_vocab dict
	raw := map[string]int64{}
	var corpus int64
	for s, sent := range sentences {
		for i, w := range sent {
			if _, seen := raw[w]; !seen {
				if msg := badWord(w); msg != "" {
					return nil, fmt.Errorf("word2vec corpus: sentence %d, word %d: %w: %s", s+1, i+1, ErrWord, msg)
				}
				order = append(order, w)
			}
			raw[w]++
		}
		corpus += int64(len(sent))
	}
	minCount := cfg.MinCount
	if cfg.MaxFinalVocab > 0 && cfg.MaxFinalVocab < len(order) {
		counts := make([]int64, len(order))
		for i, w := range order {
			counts[i] = raw[w]
		}
		sort.Slice(counts, func(i, j int) bool { return counts[i] > counts[j] })
		if calc := int(counts[cfg.MaxFinalVocab]) + 1; calc > minCount {
			minCount = calc
		}
	}
	v := &w2vVocab{index: map[string]int{}, minCount: minCount, corpus: corpus}
	type entry struct {
		word  string
		count int64
		first int
	}
	var kept []entry
	for _, w := range order {
		if c := raw[w]; c >= int64(minCount) {
			kept = append(kept, entry{w, c, len(kept)})
			v.retained += c
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("word2vec corpus of %d words, %d distinct: %w (%d)", corpus, len(order), ErrNoVocabulary, minCount)
	}
	// gensim: np.lexsort((-indices, -counts)) — descending count, then descending first appearance.
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].count != kept[j].count {
			return kept[i].count > kept[j].count
		}
		return kept[i].first > kept[j].first
	})
	for i, e := range kept {
		v.words = append(v.words, e.word)
		v.counts = append(v.counts, e.count)
		v.index[e.word] = i
	}
	v.sampleInt = sampleInts(v.counts, v.retained, cfg.Sample)
	v.cumTable = cumTable(v.counts, cfg.NSExponent)
	return v, nil
}

// sampleInts returns gensim's per-word keep thresholds (prepare_vocab): with t the threshold count,
// a word of count c is kept with probability p = min(1, (sqrt(c/t)+1)·t/c), stored as p·(2^32-1).
func sampleInts(counts []int64, retained int64, sample float64) []uint32 {
	var t float64
	switch {
	case sample == 0:
		t = float64(retained)
	case sample < 1:
		t = sample * float64(retained)
	default:
		t = math.Trunc(sample * (3 + math.Sqrt(5)) / 2)
	}
	out := make([]uint32, len(counts))
	for i, c := range counts {
		p := (math.Sqrt(float64(c)/t) + 1) * (t / float64(c))
		if p > 1 {
			p = 1
		}
		out[i] = uint32(p * (1<<32 - 1))
	}
	return out
}

// cumTable returns gensim's make_cum_table: entry i is round(Σ_{j≤i} c_j^e / Σ_j c_j^e · (2^31-1)).
func cumTable(counts []int64, exponent float64) []uint32 {
	const domain = 1<<31 - 1
	var total float64
	for _, c := range counts {
		total += math.Pow(float64(c), exponent)
	}
	out := make([]uint32, len(counts))
	var cum float64
	for i, c := range counts {
		cum += math.Pow(float64(c), exponent)
		out[i] = uint32(math.RoundToEven(cum / total * domain))
	}
	return out
}

// noise draws a noise word as gensim does: bisect_left(cum_table, r) for r uniform in [0, cum_table[-1]).
func (v *w2vVocab) noise(r uint32) int32 {
	return int32(sort.Search(len(v.cumTable), func(i int) bool { return v.cumTable[i] >= r }))
}
