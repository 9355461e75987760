package data

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// sources returns the set of sources in pairs.
func sources(pairs []Pair) map[string]bool {
	set := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		set[p.Source] = true
	}
	return set
}

func TestSplitDatesDisjoint(t *testing.T) {
	const n = 100000 // large enough that Dates repeats sources
	all := Dates(n, 5)
	train, valid, test, err := SplitDates(n, 5, 0.1, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	unique := sources(all)
	if len(unique) == n {
		t.Fatal("no repeated sources in the input; the test does not exercise deduplication")
	}
	tr, va, te := sources(train), sources(valid), sources(test)
	for s := range va {
		if tr[s] {
			t.Fatalf("source %q in train and valid", s)
		}
	}
	for s := range te {
		if tr[s] || va[s] {
			t.Fatalf("source %q in test and another split", s)
		}
	}
	if got := len(train) + len(valid) + len(test); got != len(unique) {
		t.Errorf("splits hold %d pairs, want %d (distinct sources)", got, len(unique))
	}
	if len(tr) != len(train) || len(va) != len(valid) || len(te) != len(test) {
		t.Error("a split holds a repeated source")
	}
	wantValid, wantTest := int(0.1*float64(len(unique))+0.5), int(0.2*float64(len(unique))+0.5)
	if len(valid) != wantValid || len(test) != wantTest {
		t.Errorf("valid, test = %d, %d; want %d, %d", len(valid), len(test), wantValid, wantTest)
	}

	train2, valid2, test2, _ := SplitDates(n, 5, 0.1, 0.2)
	if !slices.Equal(train, train2) || !slices.Equal(valid, valid2) || !slices.Equal(test, test2) {
		t.Error("SplitDates is not deterministic")
	}
}

func TestSplitKeepsSourceGroups(t *testing.T) {
	var pairs []Pair
	for i := range 50 {
		src := strings.Repeat("x", i+1)
		pairs = append(pairs, Pair{src, "a"}, Pair{src, "b"}, Pair{src, "a"}) // one exact duplicate
	}
	train, valid, test, err := Split(pairs, 1, 0.2, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	for name, split := range map[string][]Pair{"train": train, "valid": valid, "test": test} {
		count := make(map[string]int)
		for _, p := range split {
			count[p.Source]++
		}
		for s, c := range count {
			if c != 2 {
				t.Errorf("%s: source %q has %d pairs, want its 2 distinct targets", name, s, c)
			}
		}
	}
	if len(train) != 60 || len(valid) != 20 || len(test) != 20 {
		t.Errorf("sizes %d/%d/%d, want 60/20/20", len(train), len(valid), len(test))
	}
	if pairs[1] != (Pair{"x", "b"}) {
		t.Error("Split modified its input")
	}
	tr2, _, _, _ := Split(pairs, 2, 0.2, 0.2)
	if slices.Equal(train, tr2) {
		t.Error("different seeds gave the same training set")
	}
}

func TestSplitEdgeCases(t *testing.T) {
	train, valid, test, err := Split(nil, 1, 0.1, 0.1)
	if err != nil || train == nil || valid == nil || test == nil || len(train)+len(valid)+len(test) != 0 {
		t.Errorf("Split(nil) = %v, %v, %v, %v; want three empty non-nil slices", train, valid, test, err)
	}
	pairs := Dates(10, 1)
	if train, valid, test, _ := Split(pairs, 1, 0, 0); len(train) != 10 || len(valid)+len(test) != 0 {
		t.Errorf("fractions 0: sizes %d/%d/%d", len(train), len(valid), len(test))
	}
	if train, valid, test, _ := Split(pairs, 1, 0.5, 0.5); len(train) != 0 || len(valid) != 5 || len(test) != 5 {
		t.Errorf("fractions 0.5+0.5: sizes %d/%d/%d", len(train), len(valid), len(test))
	}
	for _, fr := range [][2]float64{{-0.1, 0}, {0, 1.5}, {0.6, 0.6}, {math.NaN(), 0}, {0, math.Inf(1)}} {
		if _, _, _, err := Split(pairs, 1, fr[0], fr[1]); err == nil {
			t.Errorf("Split with fractions %v: no error", fr)
		}
	}
}
