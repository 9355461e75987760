package embed

import (
	"fmt"

	"github.com/gomlx/compute"
)

// NeighborOverlap compares two tables by their neighbourhoods: for each word (which must be in
// both), the fraction of its k nearest neighbours in a that are also among its k nearest in b
// (overlap@k). It returns the mean over words and the value of each word. Two word2vec runs
// that differ only in their seed agree on part of their neighbours, not all: use such a pair as
// the reference for what agreement to expect.
func NeighborOverlap(backend compute.Backend, a, b *Vectors, words []string, k int) (mean float64, each []float64, err error) {
	if len(words) == 0 {
		return 0, nil, fmt.Errorf("neighbor overlap: no words")
	}
	var res [2][][]Neighbor
	for i, v := range []*Vectors{a, b} {
		x, err := NewIndex(backend, v)
		if err != nil {
			return 0, nil, err
		}
		if res[i], err = x.Neighbors(words, k); err != nil {
			return 0, nil, fmt.Errorf("neighbor overlap, table %d: %w", i+1, err)
		}
	}
	each = make([]float64, len(words))
	for i := range words {
		in := map[string]bool{}
		for _, n := range res[1][i] {
			in[n.Word] = true
		}
		common := 0
		for _, n := range res[0][i] {
			if in[n.Word] {
				common++
			}
		}
		each[i] = float64(common) / float64(k)
		mean += each[i]
	}
	return mean / float64(len(words)), each, nil
}
