package data

import (
	"math/rand/v2"
	"strings"
)

// ReverseAlphabet is the alphabet of the Reverse task.
const ReverseAlphabet = "abcdefghijklmnop"

// Reverse generates n pairs of the sequence-reversal task: a random string of minLen to maxLen letters from
// ReverseAlphabet and the same string reversed. It is the smallest task on which attention visibly matters
// (the alignment is an anti-diagonal), and small models learn it in a few hundred steps — handy for tests.
// The generator is a PCG seeded with seed; same seed, same pairs.
func Reverse(n int, seed int64, minLen, maxLen int) []Pair {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7265766572736531))
	minLen, maxLen = max(minLen, 1), max(maxLen, minLen, 1)
	pairs := make([]Pair, n)
	for i := range pairs {
		l := minLen + rng.IntN(maxLen-minLen+1)
		src := make([]byte, l)
		for j := range src {
			src[j] = ReverseAlphabet[rng.IntN(len(ReverseAlphabet))]
		}
		var tgt strings.Builder
		for j := l - 1; j >= 0; j-- {
			tgt.WriteByte(src[j])
		}
		pairs[i] = Pair{Source: string(src), Target: tgt.String()}
	}
	return pairs
}
