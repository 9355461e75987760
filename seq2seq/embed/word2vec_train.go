package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TrainWord2Vec trains word vectors on sentences (each a list of tokens) with word2vec's negative
// sampling, following gensim 4.4's Word2Vec (see [Word2VecConfig] for each setting), and returns
// the input vectors (gensim's model.wv) with words in gensim's order: by descending count, ties with
// the word seen first last. Only gensim's seeding cannot be matched; the semantics are its own.
//
// The host walks the corpus (sub-sampling, reduced windows and noise words drawn from one
// math/rand/v2 PCG seeded by cfg.Seed) and fills batches of cfg.BatchSize examples; a compiled
// GoMLX graph (see w2vStepGraph) runs each step on the backend, updating both tables, W_in and
// W_out of shape [V, D], in place (their buffers are donated). Unlike gensim, which updates after
// every pair, the examples of one step all see the tables as they were before it.
//
// progress, if not nil, is called after every step. ctx cancels training between steps.
// Words that a vector file cannot hold (empty, holding a space or newline, invalid UTF-8) are an
// error naming the sentence and position; so is a corpus where no word reaches min_count
// ([ErrNoVocabulary]).
func TrainWord2Vec(ctx context.Context, backend compute.Backend, sentences [][]string, cfg Word2VecConfig,
	progress func(Word2VecProgress)) (*Vectors, *Word2VecStats, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	vocab, err := buildW2VVocab(sentences, cfg)
	if err != nil {
		return nil, nil, err
	}
	if vocab.corpus == 0 {
		return nil, nil, fmt.Errorf("word2vec: %w: empty corpus", ErrNoVocabulary)
	}
	V, D := len(vocab.words), cfg.VectorSize
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x77327632)) // "w2v2"
	init := make([]float32, V*D)
	for i := range init { // gensim's prep_vectors: uniform in [-1, 1) / vector_size
		init[i] = (rng.Float32()*2 - 1) / float32(D)
	}
	wIn := tensors.FromFlatDataAndDimensions(init, V, D)
	wOut := tensors.FromFlatDataAndDimensions(make([]float32, V*D), V, D)
	defer func() { // the current tables, whichever step we stopped at
		_ = wIn.FinalizeAll()
		_ = wOut.FinalizeAll()
	}()

	exec, err := graph.NewExec(backend, w2vStepGraph)
	if err != nil {
		return nil, nil, fmt.Errorf("word2vec: building the training graph: %w", err)
	}
	defer exec.Finalize()
	c, mean := 1, float32(1)
	if cfg.SG == 0 {
		c = 2 * cfg.Window
		if !cfg.CBOWMean {
			mean = 0
		}
	}
	stats := &Word2VecStats{VocabSize: V, MinCount: vocab.minCount, CorpusWords: vocab.corpus,
		RetainedWords: vocab.retained}
	s := &w2vStream{cfg: cfg, vocab: vocab, rng: rng, batch: newW2VBatch(cfg.BatchSize, c, cfg.Negative),
		wordsTotal: vocab.corpus * int64(cfg.Epochs)}
	start := time.Now()
	var epoch int
	var epochLoss float64
	var epochExamples int64
	s.step = func(b *w2vBatch) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		in, err1 := graph.DonateTensorBuffer(wIn, backend, 0)
		out, err2 := graph.DonateTensorBuffer(wOut, backend, 0)
		if err := firstErr(err1, err2); err != nil {
			return fmt.Errorf("word2vec step %d: %w", stats.Steps+1, err)
		}
		res, err := exec.Exec(in, out,
			tensors.FromFlatDataAndDimensions(b.inputs, b.B, b.C), tensors.FromFlatDataAndDimensions(b.inMask, b.B, b.C),
			tensors.FromFlatDataAndDimensions(b.targets, b.B, 1+b.K), tensors.FromFlatDataAndDimensions(b.tMask, b.B, 1+b.K),
			float32(b.alpha), mean)
		if err != nil {
			return fmt.Errorf("word2vec step %d: %w", stats.Steps+1, err)
		}
		wIn, wOut = res[0], res[1]
		loss := float64(tensors.ToScalar[float32](res[2]))
		_ = res[2].FinalizeAll()
		stats.Steps++
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("word2vec step %d: loss is %v: lower alpha or batch_size", stats.Steps, loss)
		}
		epochLoss += loss
		epochExamples += int64(b.n)
		if progress != nil {
			sec := time.Since(start).Seconds()
			progress(Word2VecProgress{Epoch: epoch + 1, WordsDone: s.wordsDone, WordsTotal: s.wordsTotal,
				WordsPerSec: float64(s.wordsDone) / sec, Loss: loss / float64(b.n), Alpha: b.alpha})
		}
		return nil
	}
	for epoch = 0; epoch < cfg.Epochs; epoch++ {
		epochLoss, epochExamples = 0, 0
		for _, sent := range sentences {
			if err := s.sentence(sent); err != nil {
				return nil, nil, err
			}
		}
		if err := s.flush(); err != nil { // gensim's jobs do not span epochs either
			return nil, nil, err
		}
		stats.EpochLoss = append(stats.EpochLoss, epochLoss/float64(max(epochExamples, 1)))
	}
	data, err := tensors.CopyFlatData[float32](wIn)
	if err != nil {
		return nil, nil, fmt.Errorf("word2vec: reading the vectors: %w", err)
	}
	stats.Seconds = time.Since(start).Seconds()
	stats.TrainedWords, stats.Examples = s.trainedWords, s.examples
	stats.WordsPerSec = float64(s.wordsTotal) / stats.Seconds
	vecs, err := New(vocab.words, D, data)
	if err != nil {
		return nil, nil, fmt.Errorf("word2vec: %w", err)
	}
	return vecs, stats, nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
