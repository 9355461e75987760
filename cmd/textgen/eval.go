package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/eval"
	"github.com/gotextgen/textgen/seq2seq/run"
)

func init() {
	register("eval", "score a trained run folder on a TSV of pairs: loss, perplexity, accuracy, exact match, BLEU, chrF", runEval)
}

// evalReport is what textgen eval prints (as text, or as JSON with -json).
type evalReport struct {
	Run           string  `json:"run"`
	TSV           string  `json:"tsv"`
	Pairs         int     `json:"pairs"`
	Tokens        int     `json:"target_tokens"`  // Target tokens scored, end tokens included.
	Loss          float64 `json:"loss"`           // Teacher-forced mean cross-entropy per target token (nats).
	Perplexity    float64 `json:"perplexity"`     // exp(loss).
	TokenAccuracy float64 `json:"token_accuracy"` // Teacher-forced, fraction of target tokens.
	Strategy      string  `json:"strategy"`       // Decoding strategy of the generated outputs.
	ExactMatch    float64 `json:"exact_match"`    // Fraction of outputs equal to their target.
	BLEU          float64 `json:"bleu"`           // Corpus BLEU, 0–100 (sacreBLEU 2.6.0).
	BLEUSignature string  `json:"bleu_signature"`
	BLEUDetail    string  `json:"bleu_detail"` // sacreBLEU's line: precisions, brevity penalty, lengths.
	ChrF          float64 `json:"chrf"`        // Corpus chrF2, 0–100.
	ChrFSignature string  `json:"chrf_signature"`
	DecodeSecs    float64 `json:"decode_secs"`
}

// chooseTokenizer resolves -tokenize: "auto" is zh when any reference has a Han character, else 13a.
func chooseTokenizer(name string, refs []string) (string, error) {
	switch name {
	case eval.Tok13a, eval.TokZh, eval.TokNone:
		return name, nil
	case "auto":
		for _, r := range refs {
			for _, c := range r {
				if unicode.Is(unicode.Han, c) {
					return eval.TokZh, nil
				}
			}
		}
		return eval.Tok13a, nil
	}
	return "", fmt.Errorf("-tokenize %q: want auto, 13a, zh or none", name)
}

// checkLengths reports the first pair of path (by line) too long for the model.
func checkLengths(path string, pairs []data.Pair, l *run.Loaded) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var lines []int // line number of each pair: ParseTSV skips empty lines
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSuffix(strings.TrimPrefix(line, "\uFEFF"), "\r") != "" {
			lines = append(lines, i+1)
		}
	}
	S, T := l.Config.Model.MaxSource, l.Config.Model.MaxTarget
	for i, p := range pairs {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		if n := len(l.Vocab.EncodeWithEOS(p.Source)); n > S {
			return fmt.Errorf("%s:%d: source (column 1) has %d tokens with the end token; the model reads at most %d (max_source)", path, line, n, S)
		}
		if n := len(l.Vocab.EncodeWithEOS(p.Target)); n > T {
			return fmt.Errorf("%s:%d: target (column 2) has %d tokens with the end token; the model generates at most %d (max_target)", path, line, n, T)
		}
	}
	return nil
}

func runEval(args []string) error { return evalCmd(args, os.Stdout, os.Stderr) }

func evalCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("run", "", "run folder (config.json, vocab.json, model/) written by textgen demo")
	tsv := fs.String("tsv", "", "pairs to score: source<TAB>target per line")
	tok := fs.String("tokenize", "auto", "BLEU tokenizer: auto (zh when the references contain Chinese, else 13a), 13a, zh or none")
	asJSON := fs.Bool("json", false, "print the metrics as JSON")
	opts := decodeFlags(fs)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if err := checkDecodeFlags(fs, opts); err != nil {
		return err
	}
	if *tsv == "" {
		return errors.New("-tsv FILE is required: the pairs to score")
	}
	pairs, err := data.ReadTSV(*tsv)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		return fmt.Errorf("%s: no pairs (the file is empty)", *tsv)
	}
	refs := make([]string, len(pairs))
	sources := make([]string, len(pairs))
	for i, p := range pairs {
		sources[i], refs[i] = p.Source, p.Target
	}
	tokName, err := chooseTokenizer(*tok, refs)
	if err != nil {
		return err
	}
	l, d, be, err := loadDecoder(*dir, stderr)
	if err != nil {
		return err
	}
	defer be.Finalize()
	if err := checkLengths(*tsv, pairs, l); err != nil {
		return err
	}

	tf, err := d.ScoreTeacherForced(pairs, opts.BatchSize)
	if err != nil {
		return fmt.Errorf("%s: %w", *tsv, err)
	}
	start := time.Now()
	results, err := d.Decode(sources, *opts)
	if err != nil {
		return fmt.Errorf("%s: %w", *tsv, err)
	}
	secs := time.Since(start).Seconds()
	hyps := make([]string, len(results))
	exact := 0
	for i, r := range results {
		hyps[i] = r.Text
		if r.Text == refs[i] {
			exact++
		}
	}
	bleu, err := eval.CorpusBLEU(hyps, [][]string{refs}, eval.BLEUOptions{Tokenize: tokName})
	if err != nil {
		return err
	}
	chrf, err := eval.CorpusChrF(hyps, [][]string{refs}, eval.DefaultChrFOptions())
	if err != nil {
		return err
	}
	strategy := opts.Strategy
	if strategy == "" {
		strategy = "greedy"
	}
	rep := evalReport{Run: *dir, TSV: *tsv, Pairs: len(pairs), Tokens: tf.Tokens, Loss: tf.Loss(), Perplexity: tf.Perplexity(),
		TokenAccuracy: tf.TokenAccuracy(), Strategy: strategy, ExactMatch: float64(exact) / float64(len(pairs)),
		BLEU: bleu.Score, BLEUSignature: bleu.Signature, BLEUDetail: bleu.String(), ChrF: chrf.Score,
		ChrFSignature: chrf.Signature, DecodeSecs: secs}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "pairs\t%d\t%s\n", rep.Pairs, rep.TSV)
	fmt.Fprintf(tw, "loss\t%.4f\tteacher-forced, per target token (%d tokens)\n", rep.Loss, rep.Tokens)
	fmt.Fprintf(tw, "perplexity\t%.4f\t\n", rep.Perplexity)
	fmt.Fprintf(tw, "token accuracy\t%.2f%%\tteacher-forced\n", 100*rep.TokenAccuracy)
	fmt.Fprintf(tw, "exact match\t%.2f%%\t%s decoding, %.2fs\n", 100*rep.ExactMatch, rep.Strategy, rep.DecodeSecs)
	fmt.Fprintf(tw, "BLEU\t%.2f\t%s\n", rep.BLEU, rep.BLEUSignature)
	fmt.Fprintf(tw, "chrF2\t%.2f\t%s\n", rep.ChrF, rep.ChrFSignature)
	return tw.Flush()
}
