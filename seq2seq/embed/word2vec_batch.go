package embed

import "math/rand/v2"

// w2vBatch is one GoMLX step's worth of examples, built on the host. Example b has C input slots
// (skip-gram: C = 1, the context word; CBOW: C = 2·window, the context words) and 1+K targets
// (the centre word, then K noise words).
type w2vBatch struct {
	B, C, K int
	n       int       // examples filled; rows n..B-1 are padding (all masks 0)
	inputs  []int32   // [B, C] word indices into W_in
	inMask  []float32 // [B, C] 1 for a real input slot
	targets []int32   // [B, 1+K] word indices into W_out; column 0 is the centre word
	tMask   []float32 // [B, 1+K] 1 for a target trained; 0 for padding and noise words equal to the centre
	alpha   float64   // learning rate of the step
}

func newW2VBatch(b, c, k int) *w2vBatch {
	return &w2vBatch{B: b, C: c, K: k, inputs: make([]int32, b*c), inMask: make([]float32, b*c),
		targets: make([]int32, b*(1+k)), tMask: make([]float32, b*(1+k))}
}

// reset empties the batch (all rows padding).
func (b *w2vBatch) reset() {
	b.n = 0
	clear(b.inputs)
	clear(b.inMask)
	clear(b.targets)
	clear(b.tMask)
}

// w2vStream turns sentences into batches as gensim's train_batch_sg / train_batch_cbow walk them:
// per sentence, drop words out of the vocabulary, drop frequent words by sub-sampling, cut at
// [MaxSentenceLen], then per centre word i draw a reduced window b in [0, window) and pair i with
// every j ≠ i, |i-j| ≤ window-b, inside the sentence. Noise words are drawn per example, and one
// equal to the centre word is skipped (masked), as gensim skips it.
type w2vStream struct {
	cfg   Word2VecConfig
	vocab *w2vVocab
	rng   *rand.Rand
	batch *w2vBatch
	// step runs a full (or final, padded) batch; it returns an error to stop.
	step func(*w2vBatch) error

	wordsDone    int64 // corpus words consumed, all epochs (drives alpha)
	wordsTotal   int64
	trainedWords int64
	examples     int64
	kept         []int32
	reduced      []int
}

// alphaAt is gensim's linear decay: alpha - (alpha-min_alpha)·progress, never below min_alpha.
func (s *w2vStream) alphaAt(done int64) float64 {
	a := s.cfg.Alpha - (s.cfg.Alpha-s.cfg.MinAlpha)*float64(done)/float64(s.wordsTotal)
	return max(a, s.cfg.MinAlpha)
}

// sentence adds the examples of one sentence, running full batches as they fill.
func (s *w2vStream) sentence(words []string) error {
	s.kept = s.kept[:0]
	for _, w := range words {
		i, ok := s.vocab.index[w]
		if !ok {
			continue
		}
		if s.cfg.Sample > 0 && s.vocab.sampleInt[i] < s.rng.Uint32() {
			continue
		}
		s.kept = append(s.kept, int32(i))
		if len(s.kept) == MaxSentenceLen {
			break
		}
	}
	s.trainedWords += int64(len(s.kept))
	s.reduced = s.reduced[:0]
	for range s.kept {
		r := 0
		if s.cfg.ShrinkWindows {
			r = s.rng.IntN(s.cfg.Window)
		}
		s.reduced = append(s.reduced, r)
	}
	n := len(s.kept)
	for i := range s.kept {
		w := s.cfg.Window - s.reduced[i]
		lo, hi := max(0, i-w), min(n, i+w+1)
		if s.cfg.SG == 1 {
			for j := lo; j < hi; j++ {
				if j != i {
					if err := s.add(s.kept[i], s.kept[j:j+1]); err != nil {
						return err
					}
				}
			}
			continue
		}
		var ctx [64]int32
		c := ctx[:0]
		for j := lo; j < hi; j++ {
			if j != i {
				c = append(c, s.kept[j])
			}
		}
		if len(c) == 0 { // gensim trains W_out with a zero input: no change at all
			continue
		}
		if err := s.add(s.kept[i], c); err != nil {
			return err
		}
	}
	s.wordsDone += int64(len(words))
	return nil
}

// add appends one example (centre word, its input words) and its noise words.
func (s *w2vStream) add(centre int32, inputs []int32) error {
	b := s.batch
	if b.n == 0 {
		b.alpha = s.alphaAt(s.wordsDone)
	}
	row := b.n
	for c, w := range inputs {
		b.inputs[row*b.C+c] = w
		b.inMask[row*b.C+c] = 1
	}
	t := row * (1 + b.K)
	b.targets[t], b.tMask[t] = centre, 1
	last := s.vocab.cumTable[len(s.vocab.cumTable)-1]
	for k := 1; k <= b.K; k++ {
		w := s.vocab.noise(s.rng.Uint32N(last))
		b.targets[t+k] = w
		if w != centre {
			b.tMask[t+k] = 1
		}
	}
	b.n++
	s.examples++
	if b.n == b.B {
		return s.flush()
	}
	return nil
}

// flush runs the batch if it holds any example.
func (s *w2vStream) flush() error {
	if s.batch.n == 0 {
		return nil
	}
	err := s.step(s.batch)
	s.batch.reset()
	return err
}
