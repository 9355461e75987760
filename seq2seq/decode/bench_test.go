package decode_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
)

// BenchmarkDecode times every strategy on the run folder named by $TEXTGEN_BENCH_RUN (for example the date
// model written by `textgen demo -out DIR`), on 64 sources per call and on one source (latency), with the
// one-graph Greedy for comparison. Graphs compile before the timed loop. docs/decoding.md lists results.
//
//	TEXTGEN_BENCH_RUN=runs/demo GOMLX_BACKEND=go go test ./seq2seq/decode/ -run '^$' -bench Decode -benchtime 10x
func BenchmarkDecode(b *testing.B) {
	dir := os.Getenv("TEXTGEN_BENCH_RUN")
	if dir == "" {
		b.Skip("set TEXTGEN_BENCH_RUN to a run folder (textgen demo -out DIR) to benchmark decoding")
	}
	l, err := run.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	be := testutil.Backend(b)
	m := seqmodel.New(l.Config.Model)
	d, err := decode.New(be, l.Store, m, l.Vocab)
	if err != nil {
		b.Fatal(err)
	}
	var pairs []data.Pair
	switch l.Config.Task {
	case "dates":
		pairs = data.Dates(64, 12345)
	default:
		pairs = data.Reverse(64, 12345, 2, l.Config.Model.MaxSource-1)
	}
	srcs := make([]string, len(pairs))
	for i, p := range pairs {
		srcs[i] = p.Source
	}
	g, err := decode.NewGreedy(be, l.Store, m, l.Vocab)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{64, 1} {
		g.BatchSize = n
		b.Run(fmt.Sprintf("one-graph-greedy/batch=%d", n), func(b *testing.B) {
			if _, err := g.Decode(srcs[:n]); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := g.Decode(srcs[:n]); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, c := range []struct {
			name string
			o    decode.Options
		}{
			{"greedy", decode.Options{Strategy: decode.StrategyGreedy}},
			{"sample-t0.8-topk10", decode.Options{Strategy: decode.StrategySample, Temperature: 0.8, TopK: 10, Seed: 1}},
			{"sample-topp0.9", decode.Options{Strategy: decode.StrategySample, Temperature: 1, TopP: 0.9, Seed: 1}},
			{"beam4", decode.Options{Strategy: decode.StrategyBeam, Beam: 4}},
			{"beam8-lp0.6-nbest4", decode.Options{Strategy: decode.StrategyBeam, Beam: 8, NBest: 4, LengthPenalty: 0.6}},
		} {
			b.Run(fmt.Sprintf("%s/batch=%d", c.name, n), func(b *testing.B) {
				if _, err := d.Decode(srcs[:n], c.o); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := d.Decode(srcs[:n], c.o); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
