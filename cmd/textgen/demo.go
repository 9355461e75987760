package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/run"
)

func init() {
	register("demo", "train on the built-in date task, show held-out results and write a run folder (the main job)", runDemo)
}

func runDemo(args []string) error {
	cfg := run.DefaultConfig()
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	out := fs.String("out", "", "run folder to write (default runs/demo-<time>)")
	fs.IntVar(&cfg.Loop.Steps, "steps", cfg.Loop.Steps, "training steps")
	fs.Int64Var(&cfg.Model.Seed, "seed", cfg.Model.Seed, "seed of the weight initialisation")
	fs.IntVar(&cfg.Train, "train", cfg.Train, "training examples")
	fs.IntVar(&cfg.Test, "test", cfg.Test, "held-out test examples")
	show := fs.Int("show", 12, "held-out examples to print")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *out == "" {
		*out = filepath.Join("runs", "demo-"+time.Now().Format("20060102-150405"))
	}

	w, err := run.Create(*out)
	if err != nil {
		return err
	}
	defer w.Abort() // no-op after Commit.

	choice, err := backend.Choose()
	if err != nil {
		return err
	}
	fmt.Println(choice)
	be, err := backend.Start(choice)
	if err != nil {
		return err
	}
	defer be.Finalize()

	job, err := run.Prepare(be, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("task %q: %d train / %d validation / %d test pairs, vocabulary %d tokens; %d steps of batch %d\n",
		cfg.Task, len(job.TrainPairs), len(job.ValidPairs), len(job.TestPairs), job.Vocab.Size(),
		cfg.Loop.Steps, cfg.Loop.BatchSize)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h, err := job.Train(ctx, progress(os.Stderr, 0, cfg.Loop.Steps))
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted at step %d; nothing written", job.Trainer.GlobalStep())
	}
	exact, results, decodeSecs, err := job.Evaluate()
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\ninput\texpected\tgenerated\t")
	for i, r := range results[:min(*show, len(results))] {
		mark := "✓"
		if r.Text != job.TestPairs[i].Target {
			mark = "✗"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t\n", r.Source, job.TestPairs[i].Target, r.Text, mark)
	}
	_ = tw.Flush()
	fmt.Printf("\nheld-out exact match: %.2f%% (%d examples); training %.1fs (%.0f ms/step); decoding %.2fs\n",
		100*exact, len(results), h.Seconds, 1000*h.Seconds/float64(max(len(h.TrainLoss), 1)), decodeSecs)

	if err := w.SaveModel(job.Config, job.Vocab, job.Store); err != nil {
		return err
	}
	if err := w.WriteJSON(run.MetricsFile, run.Metrics{Backend: choice.String(), History: h, TestExact: exact,
		TestCount: len(results), TrainSecs: h.Seconds, DecodeSecs: decodeSecs}); err != nil {
		return err
	}
	if err := kernel.WriteRunCharts(w.Tmp, h, results[0]); err != nil {
		return err
	}
	if err := w.Commit(); err != nil {
		return err
	}
	fmt.Printf("run folder: %s (config.json, vocab.json, metrics.json, model/, loss.png/svg, attention.png/svg)\n", *out)
	return nil
}
