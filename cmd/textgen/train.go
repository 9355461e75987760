package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/run"
)

func init() {
	register("train", "train a job described by a JSON config into a run folder, with checkpoints; -resume continues one", runTrain)
}

// trainFlags are the command's flags; the overrides apply to fields of the config file.
type trainFlags struct {
	config, out     string
	resume          bool
	steps           int
	seed            int64
	lr              float64
	batch, evalEver int
	task            string
}

func runTrain(args []string) error {
	var f trainFlags
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: textgen train -config run.json [-out runs/NAME] [flags]
       textgen train -out runs/NAME -resume [-steps N]

Trains the job of a config file (see docs/training.md; fields left out keep the demo's defaults, unknown
fields are errors) into a run folder: config.json and vocab.json first, checkpoints while training, then
model/ and metrics.json. Ctrl-C or SIGTERM saves a checkpoint before exiting; -resume continues exactly.

`)
		fs.PrintDefaults()
	}
	fs.StringVar(&f.config, "config", "", "job config file (JSON); with -resume it must match the run folder's")
	fs.StringVar(&f.out, "out", "", "run folder (default runs/<task>-<time>; required with -resume)")
	fs.BoolVar(&f.resume, "resume", false, "continue the run folder -out from its newest checkpoint")
	fs.IntVar(&f.steps, "steps", 0, "override loop.steps (total steps; with -resume, train further)")
	fs.Int64Var(&f.seed, "seed", 0, "override model.seed (weight initialisation)")
	fs.Float64Var(&f.lr, "lr", 0, "override loop.learning_rate")
	fs.IntVar(&f.batch, "batch", 0, "override loop.batch_size")
	fs.IntVar(&f.evalEver, "eval-every", 0, "override loop.eval_every")
	fs.StringVar(&f.task, "task", "", "override task (one of: "+strings.Join(run.TaskNames(), ", ")+")")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	choice, err := backend.Choose()
	if err != nil {
		return err
	}
	var job *run.Job
	if f.resume {
		job, err = resumeJob(f, set, choice)
	} else {
		job, err = newJob(f, set, choice)
	}
	if err != nil {
		return err
	}
	return trainJob(job, choice.String(), os.Stdout, os.Stderr)
}

// newJob reads the config, applies the overrides and starts the run folder.
func newJob(f trainFlags, set map[string]bool, choice backend.Choice) (*run.Job, error) {
	if f.config == "" {
		return nil, errors.New("-config is required (or -resume with -out)")
	}
	cfg, err := run.ParseConfig(f.config)
	if err != nil {
		return nil, err
	}
	if set["steps"] {
		cfg.Loop.Steps = f.steps
	}
	if set["seed"] {
		cfg.Model.Seed = f.seed
	}
	if set["lr"] {
		cfg.Loop.LearningRate = f.lr
	}
	if set["batch"] {
		cfg.Loop.BatchSize = f.batch
	}
	if set["eval-every"] {
		cfg.Loop.EvalEvery = f.evalEver
	}
	if set["task"] {
		cfg.Task = f.task
	}
	// Files named relative to the config file are stored absolute, so the run folder works from anywhere.
	for _, p := range []*string{&cfg.TrainFile, &cfg.ValidFile, &cfg.TestFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(filepath.Dir(f.config), *p)
			if abs, err := filepath.Abs(*p); err == nil {
				*p = abs
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%s with the flags given: %w", f.config, err)
	}
	if f.out == "" {
		f.out = filepath.Join("runs", cfg.Task+"-"+time.Now().Format("20060102-150405"))
	}
	if _, err := os.Stat(f.out); err == nil {
		return nil, fmt.Errorf("run folder %s already exists: add -resume to continue it, or choose another -out", f.out)
	}
	fmt.Println(choice)
	be, err := backend.Start(choice)
	if err != nil {
		return nil, err
	}
	job, err := run.Prepare(be, cfg)
	if err != nil {
		return nil, err
	}
	if err := job.Start(f.out); err != nil {
		return nil, err
	}
	return job, nil
}

// resumeJob reopens the run folder; only -steps (and a matching -config) may accompany -resume.
func resumeJob(f trainFlags, set map[string]bool, choice backend.Choice) (*run.Job, error) {
	if f.out == "" {
		return nil, errors.New("-resume needs -out, the run folder to continue")
	}
	for _, name := range []string{"seed", "lr", "batch", "eval-every", "task"} {
		if set[name] {
			return nil, fmt.Errorf("-%s cannot change a run being resumed (only -steps can); start a new run folder instead", name)
		}
	}
	opt := run.ResumeOptions{Steps: f.steps}
	if f.config != "" {
		cfg, err := run.ParseConfig(f.config)
		if err != nil {
			return nil, err
		}
		opt.Config = &cfg
	}
	fmt.Println(choice)
	be, err := backend.Start(choice)
	if err != nil {
		return nil, err
	}
	return run.Resume(be, f.out, opt)
}

// trainJob trains, then evaluates on the held-out pairs and finishes the run folder.
func trainJob(job *run.Job, backendName string, stdout, stderr io.Writer) error {
	cfg := job.Config
	first := job.Trainer.GlobalStep()
	fmt.Fprintf(stdout, "task %q: %d train / %d validation / %d test pairs, vocabulary %d tokens; steps %d→%d of batch %d; run folder %s\n",
		cfg.Task, len(job.TrainPairs), len(job.ValidPairs), len(job.TestPairs), job.Vocab.Size(),
		first, cfg.Loop.Steps, cfg.Loop.BatchSize, job.Dir)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := job.Train(ctx, progress(stderr, first, cfg.Loop.Steps))
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted at step %d; checkpoint saved in %s: continue with\n  textgen train -out %s -resume",
			job.Trainer.GlobalStep(), filepath.Join(job.Dir, run.CheckpointsDir), job.Dir)
	}
	if h.Stopped != "" {
		fmt.Fprintln(stdout, h.Stopped)
	}
	exact, results, decodeSecs, err := job.Evaluate()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "held-out exact match: %.2f%% (%d examples); training %.1fs; decoding %.2fs\n",
		100*exact, len(results), h.Seconds, decodeSecs)
	if err := job.Finish(run.Metrics{Backend: backendName, History: h, TestExact: exact, TestCount: len(results),
		TrainSecs: h.Seconds, DecodeSecs: decodeSecs}); err != nil {
		return err
	}
	if cfg.Model.Attention > 0 && len(results) > 0 {
		if err := kernel.WriteRunCharts(job.Dir, h, results[0]); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "run folder: %s %v\n", job.Dir, run.FolderFiles(job.Dir))
	return nil
}
