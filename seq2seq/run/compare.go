package run

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/gomlx/compute"

	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// GoBackend starts GoMLX's pure-Go backend with textgen's settings for this
// machine (backend.ChooseWith with $GOMLX_BACKEND=go). Tiny models, such as
// the side-by-side comparisons of the notebooks, train faster on it than on
// XLA, which compiles every graph shape first (10–25 s on 2 CPU cores).
func GoBackend() (compute.Backend, error) {
	c, err := backend.ChooseWith(backend.Env{Backend: backend.Go})
	if err != nil {
		return nil, err
	}
	return backend.Start(c)
}

// PrepareAll prepares one job per config on be; an error names the config.
func PrepareAll(be compute.Backend, cfgs ...Config) ([]*Job, error) {
	jobs := make([]*Job, len(cfgs))
	for i, cfg := range cfgs {
		j, err := Prepare(be, cfg)
		if err != nil {
			return nil, fmt.Errorf("config %d: %w", i, err)
		}
		jobs[i] = j
	}
	return jobs, nil
}

// TrainAll trains jobs at the same time, one goroutine each, without hooks,
// and returns their histories in order. Small models on the pure-Go backend
// leave cores idle; training them together uses them. The error joins every
// job's error, each naming the job's index.
func TrainAll(ctx context.Context, jobs ...*Job) ([]*train.History, error) {
	hists := make([]*train.History, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			h, err := j.Train(ctx, train.Hooks{})
			hists[i] = h
			if err != nil {
				errs[i] = fmt.Errorf("job %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	return hists, errors.Join(errs...)
}
