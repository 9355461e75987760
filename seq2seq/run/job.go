package run

import (
	"context"
	"fmt"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Job is a prepared training job: data generated and split, vocabulary built, model and trainer ready.
// It is what `textgen demo` and the notebooks drive.
type Job struct {
	Config                   Config
	Backend                  compute.Backend
	Vocab                    *text.Vocab
	TrainPairs, ValidPairs   []data.Pair
	TestPairs                []data.Pair
	TrainEx, ValidEx, TestEx *train.Examples
	Store                    *model.Store
	Model                    *seqmodel.Seq2Seq
	Trainer                  *train.Trainer
	History                  *train.History
	Dir                      string // Run folder receiving checkpoints and results (set by Start or Resume); "" for none.

	batches *train.Shuffler
	greedy  *decode.Greedy
}

// Prepare generates the task's data and builds everything needed to train on backend.
func Prepare(backend compute.Backend, cfg Config) (*Job, error) {
	return prepare(backend, cfg, nil)
}

// prepare is Prepare with an optional vocabulary (a resumed run's); nil builds it from the training pairs.
func prepare(backend compute.Backend, cfg Config, vocab *text.Vocab) (*Job, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	j := &Job{Config: cfg, Backend: backend}
	var err error
	if j.TrainPairs, j.ValidPairs, j.TestPairs, err = tasks[cfg.Task].Pairs(cfg); err != nil {
		return nil, fmt.Errorf("task %q: %w", cfg.Task, err)
	}
	j.Vocab = vocab
	if vocab == nil {
		var texts []string
		for _, p := range j.TrainPairs {
			texts = append(texts, p.Source, p.Target)
		}
		j.Vocab = text.BuildVocab(texts, text.CharTokenizer{}, text.VocabConfig{MinFreq: cfg.VocabMinFreq, MaxSize: cfg.VocabMaxSize})
	}
	j.Config.Model.VocabSize = j.Vocab.Size()
	S, T := j.Config.Model.MaxSource, j.Config.Model.MaxTarget
	if j.TrainEx, err = train.Encode(j.Vocab, j.TrainPairs, S, T); err != nil {
		return nil, fmt.Errorf("training data: %w", err)
	}
	if j.ValidEx, err = train.Encode(j.Vocab, j.ValidPairs, S, T); err != nil {
		return nil, fmt.Errorf("validation data: %w", err)
	}
	if j.TestEx, err = train.Encode(j.Vocab, j.TestPairs, S, T); err != nil {
		return nil, fmt.Errorf("test data: %w", err)
	}
	j.Store = model.NewStore()
	j.Model = seqmodel.New(j.Config.Model)
	if j.Trainer, err = train.New(backend, j.Store, j.Model, j.Config.Loop); err != nil {
		return nil, err
	}
	if j.batches, err = train.NewBucketShuffler(j.TrainEx, j.Config.Loop.BatchSize, j.Config.Loop.Seed, j.Config.Loop.Buckets); err != nil {
		return nil, err
	}
	return j, nil
}

// Greedy returns the job's greedy decoder (built on first use).
func (j *Job) Greedy() (*decode.Greedy, error) {
	if j.greedy == nil {
		g, err := decode.NewGreedy(j.Backend, j.Store, j.Model, j.Vocab)
		if err != nil {
			return nil, err
		}
		j.greedy = g
	}
	return j.greedy, nil
}

// ExactMatch decodes pairs greedily and returns the fraction generated exactly, with the decodings.
func (j *Job) ExactMatch(pairs []data.Pair) (float64, []decode.Result, error) {
	g, err := j.Greedy()
	if err != nil {
		return 0, nil, err
	}
	sources := make([]string, len(pairs))
	for i, p := range pairs {
		sources[i] = p.Source
	}
	res, err := g.Decode(sources)
	if err != nil {
		return 0, nil, err
	}
	hits := 0
	for i, r := range res {
		if r.Text == pairs[i].Target {
			hits++
		}
	}
	return float64(hits) / float64(max(len(pairs), 1)), res, nil
}

// Train runs the configured number of steps, validating (loss, token accuracy and greedy exact match on
// the validation set) every Loop.EvalEvery steps. hooks.OnEval, if set, is called after the exact match is filled.
func (j *Job) Train(ctx context.Context, hooks train.Hooks) (*train.History, error) {
	user := hooks.OnEval
	hooks.OnEval = func(p *train.Point) error {
		em, _, err := j.ExactMatch(j.ValidPairs)
		if err != nil {
			return err
		}
		p.ExactMatch = em
		if user != nil {
			return user(p)
		}
		return nil
	}
	h, err := j.Trainer.Run(ctx, j.batches, j.ValidEx, hooks)
	j.History = h
	return h, err
}

// Evaluate decodes the held-out test set.
func (j *Job) Evaluate() (exact float64, results []decode.Result, seconds float64, err error) {
	start := time.Now()
	exact, results, err = j.ExactMatch(j.TestPairs)
	return exact, results, time.Since(start).Seconds(), err
}
