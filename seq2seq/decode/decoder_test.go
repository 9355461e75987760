package decode_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// The model of these tests is sequence reversal, trained briefly (70 steps, seconds on the Go backend; 9 of 57 held-out pairs right):
// good enough that its greedy outputs are mostly right, unsure enough that beam search and sampling have
// choices to make.
var (
	jobOnce sync.Once
	job     *run.Job
	jobDec  *decode.Decoder
	jobRef  *decode.Reference
	jobErr  error
)

func trained(t *testing.T) (*run.Job, *decode.Decoder, *decode.Reference) {
	t.Helper()
	be := testutil.Backend(t)
	testutil.Deadline(t, 5*time.Minute, func() {
		jobOnce.Do(func() {
			cfg := run.DefaultConfig()
			cfg.Task = "reverse"
			cfg.Train, cfg.Valid, cfg.Test = 2000, 64, 64
			cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 48, 24
			cfg.Model.MaxSource, cfg.Model.MaxTarget = 7, 7
			cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 70, 32, 0.01, 0
			if job, jobErr = run.Prepare(be, cfg); jobErr != nil {
				return
			}
			if _, jobErr = job.Train(context.Background(), train.Hooks{}); jobErr != nil {
				return
			}
			if jobDec, jobErr = decode.New(be, job.Store, job.Model, job.Vocab); jobErr != nil {
				return
			}
			jobRef, jobErr = decode.NewReference(be, job.Store, job.Model, job.Vocab)
		})
	})
	if jobErr != nil {
		t.Fatal(jobErr)
	}
	return job, jobDec, jobRef
}

// sources are the held-out sources plus random strings of the task's alphabet, n in all.
func sources(j *run.Job, n int) []string {
	var out []string
	for _, p := range j.TestPairs {
		out = append(out, p.Source)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for len(out) < n {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = byte('a' + rng.IntN(8))
		}
		out = append(out, string(b))
	}
	return out[:n]
}

func decodeOrFail(t *testing.T, d *decode.Decoder, srcs []string, o decode.Options) []decode.Result {
	t.Helper()
	var res []decode.Result
	var err error
	testutil.Deadline(t, 5*time.Minute, func() { res, err = d.Decode(srcs, o) })
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-4*max(1, math.Abs(a)) }

// The step-based greedy decoder gives the one-graph Greedy's tokens and attention; its scores are the sums
// of its per-token log-probabilities, which are the teacher-forced graph's.
func TestGreedyAgreesWithOneGraphGreedy(t *testing.T) {
	j, d, ref := trained(t)
	srcs := sources(j, 64)
	got := decodeOrFail(t, d, srcs, decode.DefaultOptions())
	g, err := j.Greedy()
	if err != nil {
		t.Fatal(err)
	}
	want, err := g.Decode(srcs)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for i := range srcs {
		if got[i].Text != want[i].Text || !slices.Equal(got[i].Tokens, want[i].Tokens) {
			t.Errorf("source %q: step greedy %q, one-graph greedy %q", srcs[i], got[i].Text, want[i].Text)
			continue
		}
		if len(got[i].Attention) != len(want[i].Attention) {
			t.Errorf("source %q: %d attention rows, want %d", srcs[i], len(got[i].Attention), len(want[i].Attention))
			continue
		}
		for r := range got[i].Attention {
			for c := range got[i].Attention[r] {
				if math.Abs(float64(got[i].Attention[r][c]-want[i].Attention[r][c])) > 1e-5 {
					t.Fatalf("source %q: attention[%d][%d] = %g, want %g", srcs[i], r, c, got[i].Attention[r][c], want[i].Attention[r][c])
				}
			}
		}
		sum := 0.0
		for _, x := range got[i].TokenLogProbs {
			sum += x
		}
		if !near(sum, got[i].LogProb) || got[i].Score != got[i].LogProb {
			t.Errorf("source %q: LogProb %g, Score %g, Σ token log-probs %g", srcs[i], got[i].LogProb, got[i].Score, sum)
		}
		if i < len(j.TestPairs) && got[i].Text == j.TestPairs[i].Target {
			right++
		}
	}
	t.Logf("held-out exact match of the briefly trained model: %d/%d", right, len(j.TestPairs))
	// Per-token log-probs against the teacher-forced graph, on a few sources.
	for _, r := range got[:4] {
		ids := r.IDs
		if r.Finished {
			ids = append(slices.Clone(ids), text.EOSID)
		}
		for p := range ids {
			lp, err := ref.NextLogProbs(r.Source, ids[:p], j.Model.Config.MaxTarget)
			if err != nil {
				t.Fatal(err)
			}
			if !near(float64(lp[ids[p]]), r.TokenLogProbs[p]) {
				t.Errorf("source %q position %d: log p %g, teacher-forced %g", r.Source, p, r.TokenLogProbs[p], lp[ids[p]])
			}
		}
	}
}

// Beam search of width 1 is greedy decoding: same tokens, same scores.
func TestBeamWidthOneIsGreedy(t *testing.T) {
	j, d, _ := trained(t)
	srcs := sources(j, 64)
	greedy := decodeOrFail(t, d, srcs, decode.DefaultOptions())
	beam := decodeOrFail(t, d, srcs, decode.Options{Strategy: decode.StrategyBeam, Beam: 1})
	for i := range srcs {
		if beam[i].Text != greedy[i].Text || !near(beam[i].LogProb, greedy[i].LogProb) || beam[i].Finished != greedy[i].Finished {
			t.Errorf("source %q: beam-1 %q (%.5f), greedy %q (%.5f)", srcs[i], beam[i].Text, beam[i].LogProb, greedy[i].Text, greedy[i].LogProb)
		}
	}
}

// On many inputs, the best hypothesis of a width-4 beam never has a lower log-probability than greedy's
// (α = 0: hypotheses rank by log-probability).
func TestBeamNotWorseThanGreedy(t *testing.T) {
	j, d, _ := trained(t)
	srcs := sources(j, 192)
	greedy := decodeOrFail(t, d, srcs, decode.DefaultOptions())
	beam := decodeOrFail(t, d, srcs, decode.Options{Strategy: decode.StrategyBeam, Beam: 4, NBest: 4})
	better := 0
	for i := range srcs {
		if beam[i].LogProb < greedy[i].LogProb-1e-5 {
			t.Errorf("source %q: beam %q log p %.5f < greedy %q %.5f", srcs[i], beam[i].Text, beam[i].LogProb, greedy[i].Text, greedy[i].LogProb)
		}
		if beam[i].LogProb > greedy[i].LogProb+1e-5 {
			better++
		}
		for k := 1; k < len(beam[i].NBest); k++ {
			if beam[i].NBest[k].Score > beam[i].NBest[k-1].Score {
				t.Errorf("source %q: n-best not sorted: %v", srcs[i], beam[i].NBest)
			}
		}
	}
	t.Logf("beam strictly better than greedy on %d of %d sources", better, len(srcs))
}

// The batched beam search returns what the reference (one source at a time, every hypothesis re-scored by
// the teacher-forced graph, no early stopping) returns: same n-best lists, same scores.
func TestBeamMatchesReference(t *testing.T) {
	j, d, ref := trained(t)
	srcs := sources(j, 80)[64:] // random strings: the model is least sure of them
	for _, o := range []decode.Options{
		{Strategy: decode.StrategyBeam, Beam: 4, NBest: 4},
		{Strategy: decode.StrategyBeam, Beam: 4, NBest: 2, LengthPenalty: 1},
		{Strategy: decode.StrategyBeam, Beam: 4, LengthPenalty: 0.6, MinLen: 5, NoRepeatNgram: 2},
		{Strategy: decode.StrategyBeam, Beam: 4, NBest: 3, LengthPenalty: -0.5, MaxLen: 4},
	} {
		name := fmt.Sprintf("K=%d α=%g n-best=%d min=%d max=%d no-repeat=%d", o.Beam, o.LengthPenalty, o.NBest, o.MinLen, o.MaxLen, o.NoRepeatNgram)
		got := decodeOrFail(t, d, srcs, o)
		for i, s := range srcs {
			want, err := ref.Beam(s, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(got[i].NBest) != len(want) {
				t.Errorf("%s: source %q: %d hypotheses, reference %d", name, s, len(got[i].NBest), len(want))
				continue
			}
			for k, w := range want {
				h := got[i].NBest[k]
				ids := h.IDs
				if h.Finished {
					ids = append(slices.Clone(ids), text.EOSID)
				}
				if !slices.Equal(ids, w.IDs) || h.Finished != w.Finished || !near(h.LogProb, w.LogProb) || !near(h.Score, w.Score) {
					t.Errorf("%s: source %q hypothesis %d: %v (log p %.5f, score %.5f, finished %v), reference %v (%.5f, %.5f, %v)",
						name, s, k, ids, h.LogProb, h.Score, h.Finished, w.IDs, w.LogProb, w.Score, w.Finished)
				}
			}
		}
	}
}

// hasRepeat reports whether ids (the end token included) contain an n-gram twice.
func hasRepeat(ids []int, n int) bool {
	seen := map[string]bool{}
	for i := 0; i+n <= len(ids); i++ {
		k := fmt.Sprint(ids[i : i+n])
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

func fullIDs(r decode.Result) []int {
	if r.Finished {
		return append(slices.Clone(r.IDs), text.EOSID)
	}
	return r.IDs
}

// With NoRepeatNgram = n no strategy ever emits an n-gram twice, on sources whose reversal repeats bigrams
// (which the model, unconstrained, reproduces); MinLen is respected by every strategy.
func TestNoRepeatNgramAndMinLen(t *testing.T) {
	j, d, _ := trained(t)
	srcs := []string{"ababab", "abcabc", "aaaa", "cdcdcd", "eeffee", "hghg"}
	plain := decodeOrFail(t, d, srcs, decode.DefaultOptions())
	repeats := 0
	for _, r := range plain {
		if hasRepeat(fullIDs(r), 2) {
			repeats++
		}
	}
	if repeats == 0 {
		t.Fatalf("no unconstrained output repeats a bigram, the test shows nothing: %v", plain)
	}
	short := sources(j, 64)
	for _, o := range []decode.Options{
		{Strategy: decode.StrategyGreedy},
		{Strategy: decode.StrategySample, Temperature: 1.5, NBest: 4, Seed: 3},
		{Strategy: decode.StrategyBeam, Beam: 4, NBest: 4},
	} {
		for _, n := range []int{1, 2, 3} {
			o.NoRepeatNgram = n
			for _, r := range decodeOrFail(t, d, srcs, o) {
				for _, h := range r.NBest {
					if hasRepeat(fullIDs(h), n) {
						t.Errorf("%s no-repeat %d: %q → %v repeats an n-gram", o.Strategy, n, r.Source, fullIDs(h))
					}
				}
			}
		}
		o.NoRepeatNgram, o.MinLen = 0, 5
		for _, r := range decodeOrFail(t, d, short, o) {
			for _, h := range r.NBest {
				if h.Finished && len(h.IDs) < 5 {
					t.Errorf("%s min length 5: %q → %q (%d tokens)", o.Strategy, r.Source, h.Text, len(h.IDs))
				}
			}
		}
	}
}

// Sampling in the limits is greedy decoding: top-k = 1, a tiny top-p, a temperature near 0.
func TestSamplingLimitsAreGreedy(t *testing.T) {
	j, d, _ := trained(t)
	srcs := sources(j, 64)
	greedy := decodeOrFail(t, d, srcs, decode.DefaultOptions())
	for _, o := range []decode.Options{
		{Strategy: decode.StrategySample, Temperature: 1, TopK: 1, Seed: 1},
		{Strategy: decode.StrategySample, Temperature: 1, TopP: 1e-6, Seed: 2},
		{Strategy: decode.StrategySample, Temperature: 1e-6, Seed: 3},
	} {
		for i, r := range decodeOrFail(t, d, srcs, o) {
			if r.Text != greedy[i].Text || !near(r.LogProb, greedy[i].LogProb) {
				t.Errorf("τ=%g top-k=%d top-p=%g: %q → %q, greedy %q", o.Temperature, o.TopK, o.TopP, srcs[i], r.Text, greedy[i].Text)
			}
		}
	}
}

// Sampling is seeded: the same seed gives the same samples, whatever the batch size; another seed others.
func TestSamplingSeeded(t *testing.T) {
	j, d, _ := trained(t)
	srcs := sources(j, 70)
	o := decode.Options{Strategy: decode.StrategySample, Temperature: 2, NBest: 2, Seed: 42}
	a := decodeOrFail(t, d, srcs, o)
	b := decodeOrFail(t, d, srcs, o)
	o1 := o
	o1.BatchSize = 16
	c := decodeOrFail(t, d, srcs, o1)
	o.Seed = 43
	e := decodeOrFail(t, d, srcs, o)
	differ := 0
	for i := range srcs {
		for k := range 2 {
			if a[i].NBest[k].Text != b[i].NBest[k].Text || a[i].NBest[k].LogProb != b[i].NBest[k].LogProb {
				t.Errorf("source %q sample %d: %q then %q with the same seed", srcs[i], k, a[i].NBest[k].Text, b[i].NBest[k].Text)
			}
			if a[i].NBest[k].Text != c[i].NBest[k].Text {
				t.Errorf("source %q sample %d: %q in batches of 64, %q in batches of 16", srcs[i], k, a[i].NBest[k].Text, c[i].NBest[k].Text)
			}
			if a[i].NBest[k].Text != e[i].NBest[k].Text {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Error("seeds 42 and 43 gave the same samples")
	}
}

// Sampled first tokens follow the model's distribution: 4,000 samples of one source's first token (MaxLen 1)
// against softmax of the teacher-forced log-probabilities (PAD and BOS excluded), by a chi-square bound.
func TestSamplingFollowsModel(t *testing.T) {
	j, d, ref := trained(t)
	const n = 4000
	src := "zzz" // unseen letters: a spread-out distribution
	lp, err := ref.NextLogProbs(src, nil, j.Model.Config.MaxTarget)
	if err != nil {
		t.Fatal(err)
	}
	for _, temp := range []float64{1, 3} {
		res := decodeOrFail(t, d, []string{src}, decode.Options{Strategy: decode.StrategySample, Temperature: temp, NBest: n, MaxLen: 1, Seed: 9})
		counts := make([]int, len(lp))
		for _, h := range res[0].NBest {
			counts[fullIDs(h)[0]]++
		}
		p := make([]float64, len(lp))
		total := 0.0
		for v := range lp {
			if v != text.PadID && v != text.BOSID {
				p[v] = math.Exp(float64(lp[v]) / temp)
				total += p[v]
			}
		}
		chi, cells := 0.0, 0
		for v := range p {
			p[v] /= total
			if p[v] == 0 {
				if counts[v] > 0 {
					t.Errorf("τ=%g: token %d drawn %d times, probability 0", temp, v, counts[v])
				}
				continue
			}
			e := p[v] * n
			if e < 5 { // too rare for the χ² approximation; still must not be over-drawn
				if float64(counts[v]) > e+6*math.Sqrt(e)+5 {
					t.Errorf("τ=%g: rare token %d drawn %d times, expected %.1f", temp, v, counts[v], e)
				}
				continue
			}
			chi += (float64(counts[v]) - e) * (float64(counts[v]) - e) / e
			cells++
		}
		df := float64(cells - 1)
		bound := df + 10*math.Sqrt(2*df) + 10
		t.Logf("τ=%g: χ²=%.1f over %d cells (bound %.1f)", temp, chi, cells, bound)
		if chi > bound {
			t.Errorf("τ=%g: sampled first tokens do not follow the model: χ²=%.1f > %.1f", temp, chi, bound)
		}
	}
}

// Batching does not change beam search: one source at a time gives the same n-best lists as 64 together.
func TestBeamBatchInvariant(t *testing.T) {
	j, d, _ := trained(t)
	srcs := sources(j, 64)[:8]
	o := decode.Options{Strategy: decode.StrategyBeam, Beam: 4, NBest: 2, LengthPenalty: 0.6}
	all := decodeOrFail(t, d, srcs, o)
	o.BatchSize = 1
	one := decodeOrFail(t, d, srcs, o)
	for i := range srcs {
		for k := range all[i].NBest {
			a, b := all[i].NBest[k], one[i].NBest[k]
			if a.Text != b.Text || !near(a.Score, b.Score) {
				t.Errorf("source %q hypothesis %d: %q (%.5f) in a batch of 8, %q (%.5f) alone", srcs[i], k, a.Text, a.Score, b.Text, b.Score)
			}
		}
	}
}

func TestBadOptions(t *testing.T) {
	_, d, _ := trained(t)
	for _, o := range []decode.Options{
		{Strategy: "viterbi"}, {MaxLen: -1}, {MinLen: 7}, {Strategy: decode.StrategySample, Temperature: -1},
		{Strategy: decode.StrategySample, TopP: 1.5}, {Strategy: decode.StrategyBeam, Beam: 2, NBest: 3},
		{NBest: 2}, {Strategy: decode.StrategyBeam, LengthPenalty: math.NaN()},
	} {
		if _, err := d.Decode([]string{"abc"}, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if _, err := d.Decode([]string{"abcdefghij"}, decode.DefaultOptions()); err == nil {
		t.Error("a source longer than max_source accepted")
	}
}

// Teacher-forced statistics agree with the trainer's validation (another graph, batched differently).
func TestScoreTeacherForcedMatchesTrainer(t *testing.T) {
	j, d, _ := trained(t)
	got, err := d.ScoreTeacherForced(j.ValidPairs, 16)
	if err != nil {
		t.Fatal(err)
	}
	want, err := j.Trainer.Evaluate(j.ValidEx, 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.5f (trainer %.5f), perplexity %.4f, token accuracy %.4f (trainer %.4f), %d tokens",
		got.Loss(), want.Loss, got.Perplexity(), got.TokenAccuracy(), want.TokenAcc, got.Tokens)
	if got.Pairs != len(j.ValidPairs) || math.Abs(got.Loss()-want.Loss) > 1e-4 || math.Abs(got.TokenAccuracy()-want.TokenAcc) > 1e-9 {
		t.Errorf("teacher-forced %+v (loss %.6f, accuracy %.6f), trainer %+v", got, got.Loss(), got.TokenAccuracy(), want)
	}
	if _, err := d.ScoreTeacherForced([]data.Pair{{Source: "abc", Target: "abcdefghijk"}}, 0); err == nil {
		t.Error("a target longer than max_target accepted")
	}
}

// With a beam as wide as the vocabulary and MaxLen 2, beam search is exhaustive: its best hypothesis is the
// best of every sequence of at most 2 tokens, enumerated here one by one with the teacher-forced graph.
func TestWideBeamIsExhaustive(t *testing.T) {
	j, d, ref := trained(t)
	V := j.Model.Config.VocabSize
	srcs := sources(j, 80)[72:]
	res := decodeOrFail(t, d, srcs, decode.Options{Strategy: decode.StrategyBeam, Beam: V, MaxLen: 2})
	for i, s := range srcs {
		first, err := ref.NextLogProbs(s, nil, 2)
		if err != nil {
			t.Fatal(err)
		}
		best, bestIDs := math.Inf(-1), []int(nil)
		consider := func(lp float64, ids ...int) {
			if lp > best {
				best, bestIDs = lp, ids
			}
		}
		consider(float64(first[text.EOSID]), text.EOSID)
		for v := text.EOSID + 1; v < V; v++ { // every token but PAD, BOS (never generated) and EOS
			second, err := ref.NextLogProbs(s, []int{v}, 2)
			if err != nil {
				t.Fatal(err)
			}
			for w := text.EOSID; w < V; w++ {
				consider(float64(first[v])+float64(second[w]), v, w)
			}
		}
		if got := fullIDs(res[i]); !slices.Equal(got, bestIDs) || !near(res[i].LogProb, best) {
			t.Errorf("source %q: beam %v (%.5f), exhaustive best %v (%.5f)", s, got, res[i].LogProb, bestIDs, best)
		}
	}
}
