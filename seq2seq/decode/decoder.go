package decode

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/seq2seq/data"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Decoder decodes with any strategy (greedy, sampling, beam search) by driving the model's step graph from Go:
// one graph encodes a batch of sources, one advances every row by one token; the choice of tokens and the
// beam bookkeeping are Go code (choose.go, beam.go). Both graphs compile once per batch shape.
type Decoder struct {
	model   *seqmodel.Seq2Seq
	vocab   *text.Vocab
	steps   *steps
	backend compute.Backend
	store   *model.Store
	tf      *model.Exec // teacher-forced statistics (score.go), built on first use
}

// New prepares a decoder over the weights in store. Graphs compile on first use.
func New(backend compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, v *text.Vocab) (*Decoder, error) {
	if v.Size() != m.Config.VocabSize {
		return nil, fmt.Errorf("%w: the vocabulary has %d tokens, the model %d", ErrOptions, v.Size(), m.Config.VocabSize)
	}
	s, err := newSteps(backend, store, m)
	if err != nil {
		return nil, err
	}
	return &Decoder{model: m, vocab: v, steps: s, backend: backend, store: store}, nil
}

// hyp is one hypothesis during decoding.
type hyp struct {
	ids      []int       // generated tokens, the end token included when finished
	lps      []float64   // log p of each
	att      [][]float32 // [len(ids)][S] attention of each step
	logProb  float64     // Σ lps
	finished bool
}

// extend returns h followed by token tok of log-probability lp and attention row att (copied).
func (h hyp) extend(tok int, lp float64, att []float32) hyp {
	return hyp{ids: append(append([]int(nil), h.ids...), tok), lps: append(append([]float64(nil), h.lps...), lp),
		att: append(append([][]float32(nil), h.att...), append([]float32(nil), att...)), logProb: h.logProb + lp,
		finished: tok == text.EOSID}
}

// Decode decodes every source with opts. A source too long for the model, or bad options, is an error.
// Results are in the order of sources; each holds its opts.NBest hypotheses in NBest, the first also in the
// result's own fields.
func (d *Decoder) Decode(sources []string, opts Options) ([]Result, error) {
	cfg := d.model.Config
	o, err := opts.withDefaults(cfg.MaxTarget)
	if err != nil {
		return nil, err
	}
	pairs := make([]data.Pair, len(sources))
	for i, s := range sources {
		pairs[i] = data.Pair{Source: s}
	}
	ex, err := train.Encode(d.vocab, pairs, cfg.MaxSource, cfg.MaxTarget)
	if err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(sources))
	for _, idx := range train.Chunks(ex.N, o.BatchSize) {
		hyps, err := d.decodeBatch(ex, idx, o)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			results = append(results, d.result(sources[i], hyps[j], o))
		}
	}
	return results, nil
}

// bucket is the number of source rows a batch of n sources is padded to: 1, 4, 16, 64, … capped at max.
func bucket(n, max int) int {
	b := 1
	for b < n {
		b *= 4
	}
	return min(b, max)
}

// decodeBatch decodes the example rows idx of ex, padded to a bucket size, and returns their hypotheses.
func (d *Decoder) decodeBatch(ex *train.Examples, idx []int, o Options) ([][]hyp, error) {
	B, S, R := bucket(len(idx), o.BatchSize), ex.S, o.rowsPerSource()
	src := make([]int32, B*S)
	for b := range B {
		i := idx[min(b, len(idx)-1)] // padding rows repeat the last source
		copy(src[b*S:(b+1)*S], ex.Src[i*S:(i+1)*S])
	}
	rows := make([]int32, B*R)
	for n := range rows {
		rows[n] = int32(n / R)
	}
	ss, err := d.steps.begin(src, B, S, rows)
	if err != nil {
		return nil, err
	}
	defer ss.close()
	if o.Strategy == StrategyBeam {
		return beamSearch(ss, len(idx), o)
	}
	return sampleBatch(ss, idx, o)
}

// sampleBatch runs greedy decoding or sampling: R = NBest independent rows per source, each choosing its own
// next token until it emits the end token or reaches MaxLen. idx are the sources' indices (for the seeds).
func sampleBatch(ss *session, idx []int, o Options) ([][]hyp, error) {
	R, V, S := o.rowsPerSource(), ss.V, ss.S
	ru := rules{minLen: o.MinLen, noRepeat: o.NoRepeatNgram}
	temp := o.Temperature
	if o.Strategy == StrategyGreedy {
		temp = 0
	}
	smp := &sampler{temperature: temp, topK: o.TopK, topP: o.TopP}
	hyps := make([]hyp, ss.N)
	done := make([]bool, ss.N)
	rngs := make([]*rand.Rand, ss.N)
	for n := range ss.N {
		if b := n / R; b < len(idx) {
			rngs[n] = sampleRNG(o.Seed, idx[b], n%R)
		} else {
			done[n] = true // padding row
		}
	}
	prev, parent := make([]int32, ss.N), make([]int32, ss.N)
	for n := range prev {
		prev[n], parent[n] = text.BOSID, int32(n)
	}
	buf := make([]float64, V)
	for range o.MaxLen {
		lp, att, err := ss.next(prev, parent)
		if err != nil {
			return nil, err
		}
		live := false
		for n := range ss.N {
			if done[n] {
				prev[n] = text.PadID
				continue
			}
			row := lp[n*V : (n+1)*V]
			tok := text.EOSID // when every token is banned
			if ru.allowed(buf, row, hyps[n].ids) {
				tok = smp.sample(buf, rngs[n])
			}
			hyps[n] = hyps[n].extend(tok, float64(row[tok]), att[n*S:(n+1)*S])
			prev[n] = int32(tok)
			done[n] = tok == text.EOSID
			live = live || !done[n]
		}
		if !live {
			break
		}
	}
	out := make([][]hyp, len(idx))
	for b := range out {
		out[b] = hyps[b*R : (b+1)*R]
	}
	return out, nil
}

// result converts the hypotheses of one source to a Result.
func (d *Decoder) result(source string, hyps []hyp, o Options) Result {
	src := d.vocab.EncodeWithEOS(source)
	var all []Result
	for _, h := range hyps {
		r := Result{Source: source, SourceTokens: d.vocab.Tokens(src), TokenLogProbs: h.lps, LogProb: h.logProb,
			Score: h.logProb, Finished: h.finished}
		if o.Strategy == StrategyBeam {
			r.Score = h.logProb / LengthPenalty(len(h.ids), o.LengthPenalty)
		}
		r.IDs = h.ids
		if h.finished {
			r.IDs = h.ids[:len(h.ids)-1]
		}
		r.Tokens = d.vocab.Tokens(r.IDs)
		r.Text = d.vocab.Decode(r.IDs)
		for _, a := range h.att {
			r.Attention = append(r.Attention, a[:len(src)])
		}
		all = append(all, r)
	}
	best := all[0]
	best.NBest = all
	return best
}
