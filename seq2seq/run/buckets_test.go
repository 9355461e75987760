package run

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
)

// decoded fakes the greedy decoding of a source: its characters plus the
// end token as SourceTokens, and text as the output.
func decoded(source, text string) decode.Result {
	toks := append(strings.Split(source, ""), "<eos>")
	return decode.Result{Source: source, SourceTokens: toks, Text: text}
}

func TestLengthBuckets(t *testing.T) {
	pairs := []data.Pair{
		{Source: "ab", Target: "ba"},
		{Source: "abc", Target: "cba"},
		{Source: "abcdef", Target: "fedcba"},
		{Source: "abcdefg", Target: "gfedcba"},
		{Source: "abcdefghijkl", Target: "lkjihgfedcba"},
		{Source: "猫猫猫猫猫", Target: "猫猫猫猫猫"}, // 5 tokens, not 15 bytes
	}
	results := []decode.Result{
		decoded("ab", "ba"),
		decoded("abc", "cab"),
		decoded("abcdef", "fedcba"),
		decoded("abcdefg", "gfedcba"),
		decoded("abcdefghijkl", "lkjihgfedcb"),
		decoded("猫猫猫猫猫", "猫猫猫猫猫"),
	}
	got, err := LengthBuckets(pairs, results, 1, 6, 11, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := []Bucket{
		{Min: 1, Max: 5, Count: 3, Hits: 2},
		{Min: 6, Max: 10, Count: 2, Hits: 2},
		{Min: 11, Max: 19, Count: 1, Hits: 0},
		{Min: 20, Max: 20, Count: 0, Hits: 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("buckets = %v, want %v", got, want)
	}
	var labels []string
	var acc []string
	for _, b := range got {
		labels = append(labels, b.Label())
		acc = append(acc, fmt.Sprintf("%.3f", b.Accuracy()))
	}
	if s := strings.Join(labels, " "); s != "1–5 6–10 11–19 20" {
		t.Errorf("labels %q", s)
	}
	if s := strings.Join(acc, " "); s != "0.667 1.000 0.000 0.000" {
		t.Errorf("accuracies %q", s)
	}

	// The last bucket is open-ended: it stretches to the longest source.
	got, err = LengthBuckets(pairs, results, 2, 6)
	if err != nil {
		t.Fatal(err)
	}
	if got[1].Max != 12 || got[1].Count != 3 {
		t.Errorf("open last bucket = %+v, want Max 12, Count 3", got[1])
	}
}

func TestLengthBucketsErrors(t *testing.T) {
	pairs := []data.Pair{{Source: "ab", Target: "ba"}}
	res := []decode.Result{decoded("ab", "ba")}
	for _, tc := range []struct {
		name    string
		pairs   []data.Pair
		results []decode.Result
		starts  []int
		want    string
	}{
		{"count", pairs, nil, []int{1}, "1 pairs but 0 results"},
		{"no starts", pairs, res, nil, "no bucket starts"},
		{"not increasing", pairs, res, []int{1, 5, 5}, "not strictly increasing (index 2)"},
		{"too short", pairs, res, []int{3, 6}, `pair 0 source "ab" has 2 tokens, below the first bucket start 3`},
		{"misaligned", pairs, []decode.Result{decoded("xy", "yx")}, []int{1}, `result 0 decodes "xy", pair 0 has source "ab"`},
	} {
		_, err := LengthBuckets(tc.pairs, tc.results, tc.starts...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
