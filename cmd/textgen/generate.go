package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/gomlx/compute"

	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/decode"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/text"
)

func init() {
	register("generate", "generate from a trained run folder: greedy, sampling or beam search", runGenerate)
}

// decodeFlags registers the decoding options on fs (shared by generate and eval).
func decodeFlags(fs *flag.FlagSet) *decode.Options {
	o := decode.DefaultOptions()
	fs.StringVar(&o.Strategy, "strategy", o.Strategy, "decoding strategy: greedy, sample or beam")
	fs.IntVar(&o.Beam, "beam", 5, "beam width (-strategy beam)")
	fs.Float64Var(&o.LengthPenalty, "length-penalty", 0, "beam search length penalty α of ((5+|Y|)/6)^α; 0 ranks by the raw log-probability")
	fs.Float64Var(&o.Temperature, "temperature", 1, "sampling temperature > 0 (-strategy sample): below 1 sharpens the distribution, above 1 flattens it")
	fs.IntVar(&o.TopK, "top-k", 0, "sample among the k most likely tokens only; 0 = all")
	fs.Float64Var(&o.TopP, "top-p", 1, "nucleus sampling: sample among the most likely tokens up to this cumulative probability")
	fs.IntVar(&o.NBest, "n-best", 1, "hypotheses per input: the n best of a beam, or n samples")
	fs.Int64Var(&o.Seed, "seed", 1, "sampling seed: the same seed gives the same samples")
	fs.IntVar(&o.MaxLen, "max-len", 0, "generated tokens at most, the end token included; 0 = the model's max_target")
	fs.IntVar(&o.MinLen, "min-len", 0, "generated tokens at least before the end token")
	fs.IntVar(&o.NoRepeatNgram, "no-repeat-ngram", 0, "never repeat an n-gram of this size within an output; 0 = off")
	fs.IntVar(&o.BatchSize, "batch", 64, "inputs decoded together")
	return &o
}

// checkDecodeFlags rejects explicit flag values that decode.Options would read as "the default":
// -temperature 0, -top-p 0 and -beam 0 (and -batch 0).
func checkDecodeFlags(fs *flag.FlagSet, o *decode.Options) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch {
		case f.Name == "temperature" && o.Temperature <= 0:
			err = fmt.Errorf("-temperature %g: must be > 0 (-strategy greedy takes the most likely token)", o.Temperature)
		case f.Name == "top-p" && !(o.TopP > 0 && o.TopP <= 1):
			err = fmt.Errorf("-top-p %g: must be in (0, 1]", o.TopP)
		case f.Name == "beam" && o.Beam < 1:
			err = fmt.Errorf("-beam %d: the beam width must be ≥ 1", o.Beam)
		case f.Name == "batch" && o.BatchSize < 1:
			err = fmt.Errorf("-batch %d: must be ≥ 1", o.BatchSize)
		}
	})
	return err
}

// loadDecoder loads a run folder and prepares its decoder on the backend chosen by the project's policy
// (reported on stderr). The caller finalizes the backend.
func loadDecoder(dir string, stderr io.Writer) (*run.Loaded, *decode.Decoder, compute.Backend, error) {
	if dir == "" {
		return nil, nil, nil, errors.New("-run DIR is required: a run folder written by textgen demo")
	}
	l, err := run.Load(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	choice, err := backend.Choose()
	if err != nil {
		return nil, nil, nil, err
	}
	fmt.Fprintln(stderr, choice)
	be, err := backend.Start(choice)
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := decode.New(be, l.Store, seqmodel.New(l.Config.Model), l.Vocab)
	if err != nil {
		be.Finalize()
		return nil, nil, nil, err
	}
	return l, d, be, nil
}

// readPrompts reads one prompt per line of path; blank lines are skipped, invalid UTF-8 is an error naming the line.
func readPrompts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8", path, line)
		}
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no prompts (the file is empty or blank)", path)
	}
	return out, nil
}

func runGenerate(args []string) error { return generate(args, os.Stdout, os.Stderr) }

// generate is the generate command writing its results to stdout and its notes to stderr.
func generate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: textgen generate -run DIR [flags] (PROMPT... | -input FILE)\n\nPrints one line per hypothesis: input<TAB>generation (with -v: log-probability, score and per-token log-probabilities).\n\nflags:")
		fs.PrintDefaults()
	}
	dir := fs.String("run", "", "run folder (config.json, vocab.json, model/) written by textgen demo")
	input := fs.String("input", "", "file of prompts, one per line (instead of PROMPT arguments)")
	verbose := fs.Bool("v", false, "also print scores and per-token log-probabilities")
	opts := decodeFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := checkDecodeFlags(fs, opts); err != nil {
		return err
	}
	prompts := fs.Args()
	switch {
	case *input != "" && len(prompts) > 0:
		return fmt.Errorf("give prompts as arguments or with -input, not both")
	case *input != "":
		var err error
		if prompts, err = readPrompts(*input); err != nil {
			return err
		}
	case len(prompts) == 0:
		return fmt.Errorf("no prompts: give them as arguments (after the flags) or with -input FILE")
	}
	l, d, be, err := loadDecoder(*dir, stderr)
	if err != nil {
		return err
	}
	defer be.Finalize()
	for i, p := range prompts {
		if n, max := len(l.Vocab.EncodeWithEOS(p)), l.Config.Model.MaxSource; n > max {
			where := fmt.Sprintf("prompt %d", i+1)
			if *input != "" {
				where = fmt.Sprintf("%s: prompt %d", *input, i+1)
			}
			return fmt.Errorf("%s %q has %d tokens with the end token; the model reads at most %d (max_source)", where, p, n, max)
		}
	}
	results, err := d.Decode(prompts, *opts)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	for _, r := range results {
		for _, h := range r.NBest {
			fmt.Fprintf(w, "%s\t%s", r.Source, h.Text)
			if *verbose {
				fmt.Fprintf(w, "\tlogp=%.4f\tscore=%.4f\ttokens=%d", h.LogProb, h.Score, len(h.TokenLogProbs))
				if !h.Finished {
					fmt.Fprint(w, "\tunfinished")
				}
				fmt.Fprint(w, "\n ")
				for k, lp := range h.TokenLogProbs {
					tok := l.Vocab.Token(text.EOSID)
					if k < len(h.Tokens) {
						tok = h.Tokens[k]
					}
					fmt.Fprintf(w, " %s:%.3f", tok, lp)
				}
			}
			fmt.Fprintln(w)
		}
	}
	return w.Flush()
}
