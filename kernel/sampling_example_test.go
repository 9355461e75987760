package kernel_test

import (
	"fmt"
	"strings"

	"github.com/gotextgen/textgen/kernel"
)

// Distinct-n of three samples of the same input: the same date twice and one variant. Unigrams: 6 distinct
// characters of 30; bigrams: 8 distinct of 27.
func ExampleDistinctN() {
	var samples [][]string
	for _, s := range []string{"2021-03-03", "2021-03-03", "2021-03-08"} {
		samples = append(samples, strings.Split(s, ""))
	}
	fmt.Printf("distinct-1 %.3f, distinct-2 %.3f\n", kernel.DistinctN(samples, 1), kernel.DistinctN(samples, 2))
	// Output: distinct-1 0.200, distinct-2 0.296
}
