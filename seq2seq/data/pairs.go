package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Pair is one training example: a source sentence and its target.
type Pair struct {
	Source string // model input, e.g. "3 March 2021"
	Target string // expected output, e.g. "2021-03-03"
}

// splitStream is the PCG stream (second seed word) used by Split.
const splitStream = 0x73706c69745f7631 // "split_v1"

// Split shuffles pairs and divides them into train, validation and test sets.
//
// Exact duplicate pairs are dropped, and pairs that share a source (one
// sentence with several translations, as in Tatoeba) are kept together, so
// no source string appears in two sets. The fractions count distinct sources:
// the test set gets round(testFrac × sources) of them, the validation set
// round(validFrac × sources), the training set the rest. Each fraction must
// lie in [0, 1] and their sum must not exceed 1.
//
// The shuffle uses rand.New(rand.NewPCG(uint64(seed), 0x73706c69745f7631)),
// so the same pairs and seed always give the same sets. pairs is not
// modified.
func Split(pairs []Pair, seed int64, validFrac, testFrac float64) (train, valid, test []Pair, err error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"validFrac", validFrac}, {"testFrac", testFrac}} {
		if !(f.v >= 0 && f.v <= 1) { // also catches NaN
			return nil, nil, nil, fmt.Errorf("split: %s = %v, want a fraction in [0, 1]", f.name, f.v)
		}
	}
	if validFrac+testFrac > 1 {
		return nil, nil, nil, fmt.Errorf("split: validFrac + testFrac = %v, want at most 1", validFrac+testFrac)
	}

	groups := groupBySource(pairs)
	rng := rand.New(rand.NewPCG(uint64(seed), splitStream))
	rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })

	nTest := int(math.Round(testFrac * float64(len(groups))))
	nValid := min(int(math.Round(validFrac*float64(len(groups)))), len(groups)-nTest)
	test = flatten(groups[:nTest])
	valid = flatten(groups[nTest : nTest+nValid])
	train = flatten(groups[nTest+nValid:])
	return train, valid, test, nil
}

// groupBySource drops exact duplicates and groups pairs by source, in order
// of first appearance.
func groupBySource(pairs []Pair) [][]Pair {
	seen := make(map[Pair]bool, len(pairs))
	index := make(map[string]int, len(pairs))
	var groups [][]Pair
	for _, p := range pairs {
		if seen[p] {
			continue
		}
		seen[p] = true
		i, ok := index[p.Source]
		if !ok {
			i = len(groups)
			index[p.Source] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// flatten concatenates groups into one non-nil slice.
func flatten(groups [][]Pair) []Pair {
	out := []Pair{}
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
