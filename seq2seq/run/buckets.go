package run

import (
	"fmt"
	"slices"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
)

// Bucket is the exact match of the pairs whose source length, in tokens
// without the end token, lies in [Min, Max].
type Bucket struct {
	Min, Max int // Source lengths, inclusive.
	Count    int // Pairs in the bucket.
	Hits     int // Pairs generated exactly.
}

// Accuracy is Hits/Count, or 0 for an empty bucket.
func (b Bucket) Accuracy() float64 {
	if b.Count == 0 {
		return 0
	}
	return float64(b.Hits) / float64(b.Count)
}

// Label names the bucket's lengths, e.g. "6–10", or "7" when Min == Max.
func (b Bucket) Label() string {
	if b.Min == b.Max {
		return fmt.Sprint(b.Min)
	}
	return fmt.Sprintf("%d–%d", b.Min, b.Max)
}

// LengthBuckets groups decodings by source length and counts exact matches
// in each group. results[i] is the decoding of pairs[i] (as Job.ExactMatch
// returns them); a source's length is len(results[i].SourceTokens)-1, its
// tokens without the end token. starts are the first lengths of the
// buckets, strictly increasing: starts 1, 6, 11 give the buckets 1–5, 6–10
// and 11–∞, the last bucket ending at the longest source seen (or at its
// start when it stays empty). Pairs shorter than starts[0] are an error, as
// are mismatched lengths.
func LengthBuckets(pairs []data.Pair, results []decode.Result, starts ...int) ([]Bucket, error) {
	if len(pairs) != len(results) {
		return nil, fmt.Errorf("length buckets: %d pairs but %d results", len(pairs), len(results))
	}
	if len(starts) == 0 {
		return nil, fmt.Errorf("length buckets: no bucket starts")
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] <= starts[i-1] {
			return nil, fmt.Errorf("length buckets: starts %v are not strictly increasing (index %d)", starts, i)
		}
	}
	buckets := make([]Bucket, len(starts))
	for k, s := range starts {
		buckets[k].Min, buckets[k].Max = s, s
		if k+1 < len(starts) {
			buckets[k].Max = starts[k+1] - 1
		}
	}
	last := &buckets[len(buckets)-1]
	for i, r := range results {
		if r.Source != pairs[i].Source {
			return nil, fmt.Errorf("length buckets: result %d decodes %q, pair %d has source %q", i, r.Source, i, pairs[i].Source)
		}
		n := max(len(r.SourceTokens)-1, 0)
		k, found := slices.BinarySearch(starts, n)
		if !found {
			k--
		}
		if k < 0 {
			return nil, fmt.Errorf("length buckets: pair %d source %q has %d tokens, below the first bucket start %d",
				i, pairs[i].Source, n, starts[0])
		}
		buckets[k].Count++
		if r.Text == pairs[i].Target {
			buckets[k].Hits++
		}
		if k == len(buckets)-1 {
			last.Max = max(last.Max, n)
		}
	}
	return buckets, nil
}

// ExactMatchByLength decodes pairs greedily and returns their exact match
// per source-length bucket (see LengthBuckets for starts).
func (j *Job) ExactMatchByLength(pairs []data.Pair, starts ...int) ([]Bucket, error) {
	_, results, err := j.ExactMatch(pairs)
	if err != nil {
		return nil, err
	}
	return LengthBuckets(pairs, results, starts...)
}

// String shows the bucket as "6–10: 57/188 (30.3%)".
func (b Bucket) String() string {
	return fmt.Sprintf("%s: %d/%d (%.1f%%)", b.Label(), b.Hits, b.Count, 100*b.Accuracy())
}
