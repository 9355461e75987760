package bench

import (
	"math"
	"slices"
)

// Summary is the spread of repeated measurements.
type Summary struct {
	Median, Min, Max float64
	N                int
}

// Summarize returns the median, minimum and maximum of xs (NaN for all three when xs is empty).
func Summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Summary{Median: med, Min: s[0], Max: s[n-1], N: n}
}

// Map applies f to every value: e.g. seconds per step → tokens per second. f must be monotonic for Min and Max
// to stay meaningful; a decreasing f swaps them, which Map undoes.
func (s Summary) Map(f func(float64) float64) Summary {
	lo, hi := f(s.Min), f(s.Max)
	if lo > hi {
		lo, hi = hi, lo
	}
	return Summary{Median: f(s.Median), Min: lo, Max: hi, N: s.N}
}
