package run

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gotextgen/textgen/seq2seq/data"
)

// Task makes a job's data. Pairs returns the training, validation and test pairs for cfg (deterministic:
// the same config gives the same pairs, which is what lets a run resume). Check, if set, reports config
// fields the task cannot use, by JSON name.
type Task struct {
	Pairs func(cfg Config) (train, valid, test []data.Pair, err error)
	Check func(cfg Config) error
}

func (t Task) check(cfg Config) error {
	if t.Check == nil {
		return nil
	}
	return t.Check(cfg)
}

var tasks = map[string]Task{
	"dates":   {Pairs: generated(func(n int, cfg Config) []data.Pair { return data.Dates(n, cfg.DataSeed) }), Check: checkGenerated},
	"reverse": {Pairs: generated(func(n int, cfg Config) []data.Pair { return data.Reverse(n, cfg.DataSeed, 2, cfg.Model.MaxSource-1) }), Check: checkGenerated},
	"tsv":     {Pairs: tsvPairs, Check: checkTSV},
}

// RegisterTask adds a task under name (e.g. a corpus reader); it panics if name is taken (a programming error).
func RegisterTask(name string, t Task) {
	if _, ok := tasks[name]; ok {
		panic(fmt.Sprintf("run: task %q registered twice", name))
	}
	tasks[name] = t
}

// TaskNames lists the known tasks, sorted.
func TaskNames() []string {
	names := make([]string, 0, len(tasks))
	for n := range tasks {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// generated makes a task of gen(n) pairs, split by data.Split into train, valid and test by the counts.
func generated(gen func(n int, cfg Config) []data.Pair) func(Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
	return func(cfg Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
		total := cfg.Train + cfg.Valid + cfg.Test
		return data.Split(gen(total, cfg), cfg.DataSeed, float64(cfg.Valid)/float64(total), float64(cfg.Test)/float64(total))
	}
}

func checkGenerated(cfg Config) error {
	var errs []error
	if cfg.Train < cfg.Loop.BatchSize || cfg.Valid < 1 || cfg.Test < 1 {
		errs = append(errs, fmt.Errorf("fields \"train\", \"valid\", \"test\" are %d, %d, %d: need train ≥ loop.batch_size (%d) and valid, test ≥ 1",
			cfg.Train, cfg.Valid, cfg.Test, cfg.Loop.BatchSize))
	}
	for name, v := range map[string]string{"train_file": cfg.TrainFile, "valid_file": cfg.ValidFile, "test_file": cfg.TestFile} {
		if v != "" {
			errs = append(errs, fmt.Errorf("field %q is set but task %q generates its data: remove it or use task \"tsv\"", name, cfg.Task))
		}
	}
	return errors.Join(errs...)
}

func checkTSV(cfg Config) error {
	var missing []string
	if cfg.TrainFile == "" {
		missing = append(missing, `"train_file"`)
	}
	if cfg.ValidFile == "" {
		missing = append(missing, `"valid_file"`)
	}
	if len(missing) > 0 {
		return fmt.Errorf("task \"tsv\" needs field %s", strings.Join(missing, " and "))
	}
	return nil
}

// tsvPairs reads the task's TSV files (errors name the file and line).
func tsvPairs(cfg Config) (train, valid, test []data.Pair, err error) {
	if train, err = data.ReadTSV(cfg.TrainFile); err != nil {
		return nil, nil, nil, fmt.Errorf("field \"train_file\": %w", err)
	}
	if valid, err = data.ReadTSV(cfg.ValidFile); err != nil {
		return nil, nil, nil, fmt.Errorf("field \"valid_file\": %w", err)
	}
	test = valid
	if cfg.TestFile != "" {
		if test, err = data.ReadTSV(cfg.TestFile); err != nil {
			return nil, nil, nil, fmt.Errorf("field \"test_file\": %w", err)
		}
	}
	if len(train) < cfg.Loop.BatchSize || len(valid) == 0 || len(test) == 0 {
		return nil, nil, nil, fmt.Errorf("%s, %s, %s hold %d, %d, %d pairs: need ≥ loop.batch_size (%d) training pairs and ≥ 1 of the others",
			cfg.TrainFile, cfg.ValidFile, cfg.TestFile, len(train), len(valid), len(test), cfg.Loop.BatchSize)
	}
	return train, valid, test, nil
}
