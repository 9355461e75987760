// Command poetry measures a trained poetry run folder on its own test split: how often the generated next
// line keeps the metre (a verse of the source's length, 5 or 7 characters; for task continue, see
// run.ContinueShape), BLEU (sacreBLEU's zh tokenizer)
// and chrF against the real next lines for greedy decoding and beam search, the training time, samples, and
// the continuations of a few prompts. It prints a Markdown report (docs/poetry.md quotes one).
//
//	go run ./bench/poetry -run runs/poetry [-beam 5] [-samples 10] [-prompts 这是一个,春风,明月]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/eval"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
)

func main() {
	if err := report(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "poetry:", err)
		os.Exit(1)
	}
}

// scores are one strategy's numbers on the test split.
type scores struct {
	name        string
	outputs     []string
	lengthMatch float64
	bleu        eval.BLEU
	chrF        eval.ChrF
	seconds     float64
}

func report(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("poetry", flag.ContinueOnError)
	dir := fs.String("run", "runs/poetry", "run folder trained on task poetry, poetry300 or continue")
	beam := fs.Int("beam", 5, "beam width of the beam search")
	samples := fs.Int("samples", 10, "test pairs shown (the first ones of the test split)")
	prompts := fs.String("prompts", "这是一个,春风,明月,白日依山尽,两个黄鹂鸣翠柳", "comma-separated prompts to continue")
	limit := fs.Int("limit", 0, "test pairs decoded (0: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := run.Load(*dir)
	if err != nil {
		return err
	}
	var m run.Metrics // Stays zero for a run that has not finished (its newest checkpoint is evaluated).
	if b, err := os.ReadFile(filepath.Join(*dir, run.MetricsFile)); err == nil {
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(*dir, run.MetricsFile), err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	_, _, test, err := run.TaskPairs(l.Config)
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(test) {
		test = test[:*limit]
	}
	if len(test) == 0 {
		return errors.New("the test split is empty")
	}
	sources, refs := make([]string, len(test)), make([]string, len(test))
	for i, p := range test {
		sources[i], refs[i] = p.Source, p.Target
	}
	be, choice, err := backend.New()
	if err != nil {
		return err
	}
	defer be.Finalize()
	d, err := decode.New(be, l.Store, seqmodel.New(l.Config.Model), l.Vocab)
	if err != nil {
		return err
	}
	strategies := []struct {
		name string
		opts decode.Options
	}{
		{"greedy", decode.Options{Strategy: decode.StrategyGreedy}},
		{fmt.Sprintf("beam %d", *beam), decode.Options{Strategy: decode.StrategyBeam, Beam: *beam}},
		{"sample (T 0.8, top-k 20)", decode.Options{Strategy: decode.StrategySample, Temperature: 0.8, TopK: 20, Seed: 1}},
	}
	var all []scores
	for _, s := range strategies {
		start := time.Now()
		res, err := d.Decode(sources, s.opts)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		sc := scores{name: s.name, seconds: time.Since(start).Seconds()}
		for _, r := range res {
			sc.outputs = append(sc.outputs, r.Text)
		}
		sc.lengthMatch = run.LengthMatch(sources, sc.outputs)
		if l.Config.Task == run.TaskContinue {
			hits := 0
			for i, o := range sc.outputs {
				if run.ContinueShape(sources[i], o) {
					hits++
				}
			}
			sc.lengthMatch = float64(hits) / float64(len(sources))
		}
		if sc.bleu, err = eval.CorpusBLEU(sc.outputs, [][]string{refs}, eval.BLEUOptions{Tokenize: eval.TokZh}); err != nil {
			return err
		}
		if sc.chrF, err = eval.CorpusChrF(sc.outputs, [][]string{refs}, eval.DefaultChrFOptions()); err != nil {
			return err
		}
		all = append(all, sc)
	}

	steps := 0
	if h := m.History; h != nil && len(h.Steps) > 0 {
		steps = h.Steps[len(h.Steps)-1]
	}
	fmt.Fprintf(w, "Run %s: task %q, %d training pairs, vocabulary %d, model embed %d hidden %d attention %d; %s.\n\n",
		*dir, l.Config.Task, l.Config.Train, l.Config.Model.VocabSize, l.Config.Model.Embed, l.Config.Model.Hidden,
		l.Config.Model.Attention, choice)
	if m.History == nil {
		fmt.Fprintf(w, "Training has not finished (no %s): weights of %s.\n\n", run.MetricsFile, l.Weights)
	} else {
		fmt.Fprintf(w, "Training: %d steps of batch %d in %.0f s (%.0f ms/step, including validation), on %s.\n\n",
			steps, l.Config.Loop.BatchSize, m.TrainSecs, 1000*m.TrainSecs/float64(max(steps, 1)), m.Backend)
	}
	fmt.Fprintf(w, "Test split: %d pairs (whole poems held out).\n\n", len(test))
	shape := "right length (5/7, = source)"
	if l.Config.Task == run.TaskContinue {
		shape = "right shape (prompt+rest 5/7, next verse as long)"
	}
	fmt.Fprintf(w, "| decoding | %s | BLEU (zh) | chrF | decode s |\n", shape)
	fmt.Fprintln(w, "|---|---|---|---|---|")
	// Baseline: the source line itself as the "next line" (for task continue, the source).
	copyBLEU, err := eval.CorpusBLEU(sources, [][]string{refs}, eval.BLEUOptions{Tokenize: eval.TokZh})
	if err != nil {
		return err
	}
	copyChrF, err := eval.CorpusChrF(sources, [][]string{refs}, eval.DefaultChrFOptions())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "| baseline: copy the source | - | %.2f | %.2f | - |\n", copyBLEU.Score, copyChrF.Score)
	for _, sc := range all {
		fmt.Fprintf(w, "| %s | %.1f%% | %.2f | %.2f | %.1f |\n", sc.name, 100*sc.lengthMatch, sc.bleu.Score, sc.chrF.Score, sc.seconds)
	}
	for _, sc := range all {
		fmt.Fprintf(w, "\n%s: %s\n", sc.name, sc.bleu)
	}
	fmt.Fprintf(w, "\nSamples (the first %d test pairs): source → greedy / %s / %s (real next line)\n\n", *samples, all[1].name, all[2].name)
	for i := range min(*samples, len(test)) {
		fmt.Fprintf(w, "- %s → %s / %s / %s (%s)\n", sources[i], all[0].outputs[i], all[1].outputs[i], all[2].outputs[i], refs[i])
	}
	if *prompts != "" {
		ps := strings.Split(*prompts, ",")
		fmt.Fprintf(w, "\nPrompts: prompt → greedy / %s / 3 samples (temperature 0.8, top-k 20, seed 1)\n\n", all[1].name)
		var outs [][]string
		for _, s := range []decode.Options{strategies[0].opts, strategies[1].opts,
			{Strategy: decode.StrategySample, Temperature: 0.8, TopK: 20, NBest: 3, Seed: 1}} {
			res, err := d.Decode(ps, s)
			if err != nil {
				return fmt.Errorf("prompts: %w", err)
			}
			texts := make([]string, len(res))
			for i, r := range res {
				var hyps []string
				for _, h := range r.NBest {
					hyps = append(hyps, h.Text)
				}
				texts[i] = strings.Join(hyps, "、")
				if len(hyps) == 0 {
					texts[i] = r.Text
				}
			}
			outs = append(outs, texts)
		}
		for i, p := range ps {
			fmt.Fprintf(w, "- %s → %s / %s / %s\n", p, outs[0][i], outs[1][i], outs[2][i])
		}
	}
	return nil
}
