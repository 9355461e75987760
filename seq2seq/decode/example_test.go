package decode_test

import (
	"fmt"

	"github.com/gotextgen/textgen/seq2seq/decode"
)

// GNMT's length penalty: hypotheses rank by log P / lp. With α = 1, a 7-token hypothesis (end token
// included) divides its log-probability by 2; with α = 0 nothing changes.
func ExampleLengthPenalty() {
	for _, alpha := range []float64{0, 0.6, 1} {
		fmt.Printf("α=%.1f: lp(2)=%.3f lp(7)=%.3f\n", alpha, decode.LengthPenalty(2, alpha), decode.LengthPenalty(7, alpha))
	}
	// A 2-token hypothesis of log P −1.0 against a 6-token one of log P −1.3:
	for _, alpha := range []float64{0, 1} {
		fmt.Printf("α=%.0f: short %.3f, long %.3f\n", alpha, -1.0/decode.LengthPenalty(2, alpha), -1.3/decode.LengthPenalty(6, alpha))
	}
	// Output:
	// α=0.0: lp(2)=1.000 lp(7)=1.000
	// α=0.6: lp(2)=1.097 lp(7)=1.516
	// α=1.0: lp(2)=1.167 lp(7)=2.000
	// α=0: short -1.000, long -1.300
	// α=1: short -0.857, long -0.709
}
