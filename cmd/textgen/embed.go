package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/embed"
	"github.com/gotextgen/textgen/seq2seq/text"
)

func init() {
	register("embed", "word vectors: train word2vec, query neighbours and analogies, convert file formats", runEmbed)
}

const embedUsage = `usage: textgen embed <sub-command> [flags]

sub-commands:
  train      train word2vec (skip-gram or CBOW, negative sampling, like gensim) on a text file or Tang poems
  neighbors  nearest neighbours of words and analogies (a - b + c), like gensim's most_similar
  convert    read a word vector file in one format and write it in another

Run "textgen embed <sub-command> -h" for its flags; docs/embeddings.md describes the formats.
`

// runEmbed dispatches the embed sub-commands.
func runEmbed(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, embedUsage)
		return errors.New("missing sub-command")
	}
	switch args[0] {
	case "convert":
		return runEmbedConvert(args[1:])
	case "train":
		return runEmbedTrain(args[1:])
	case "neighbors", "neighbours":
		return runEmbedNeighbors(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(os.Stdout, embedUsage)
		return nil
	}
	fmt.Fprint(os.Stderr, embedUsage)
	return fmt.Errorf("unknown sub-command %q", args[0])
}

// runEmbedConvert reads a vector file and writes it in another format (atomically).
func runEmbedConvert(args []string) error {
	fs := flag.NewFlagSet("embed convert", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: textgen embed convert -in F -in-format text|binary|glove "+
			"-out F -out-format text|binary|glove [-limit N] [-unicode strict|replace|ignore]\n\n"+
			"Reads word vectors as gensim's KeyedVectors.load_word2vec_format does and writes them as its\n"+
			"save_word2vec_format does; the output file appears only once complete. Flags:\n")
		fs.PrintDefaults()
	}
	in := fs.String("in", "", "input vector file")
	inFormat := fs.String("in-format", "", "input format: text (word2vec text, header \"count dim\"), binary (word2vec binary) or glove (text, no header)")
	out := fs.String("out", "", "output vector file (replaced atomically)")
	outFormat := fs.String("out-format", "", "output format: text, binary or glove")
	limit := fs.Int("limit", 0, "read only the first N vectors (0: all), like gensim's limit")
	unicode := fs.String("unicode", "strict", "words that are not valid UTF-8: strict (error), replace (U+FFFD) or ignore (drop the bytes), like gensim's unicode_errors")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	for _, req := range []struct{ name, value string }{
		{"-in", *in}, {"-in-format", *inFormat}, {"-out", *out}, {"-out-format", *outFormat}} {
		if req.value == "" {
			fs.Usage()
			return fmt.Errorf("convert: missing %s", req.name)
		}
	}
	inF, err := embed.ParseFormat(*inFormat)
	if err != nil {
		return fmt.Errorf("convert: -in-format: %w", err)
	}
	outF, err := embed.ParseFormat(*outFormat)
	if err != nil {
		return fmt.Errorf("convert: -out-format: %w", err)
	}
	policy, err := embed.ParseUnicodePolicy(*unicode)
	if err != nil {
		return fmt.Errorf("convert: -unicode: %w", err)
	}
	start := time.Now()
	vecs, err := embed.ReadFile(*in, inF, embed.Options{Limit: *limit, Unicode: policy})
	if err != nil {
		return err
	}
	fmt.Printf("read %d vectors of dimension %d from %s (%v) in %v\n",
		vecs.Len(), vecs.Dim, *in, inF, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := embed.WriteFile(*out, vecs, outF); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%v) in %v\n", *out, outF, time.Since(start).Round(time.Millisecond))
	return nil
}

// w2vFlags binds one flag per Word2VecConfig field (named after its JSON key, '_' as '-').
func w2vFlags(fs *flag.FlagSet, c *embed.Word2VecConfig) {
	fs.IntVar(&c.SG, "sg", c.SG, "1 skip-gram, 0 CBOW")
	fs.IntVar(&c.VectorSize, "vector-size", c.VectorSize, "vector dimension")
	fs.IntVar(&c.Window, "window", c.Window, "largest distance between centre and context word")
	fs.BoolVar(&c.ShrinkWindows, "shrink-windows", c.ShrinkWindows, "draw each centre word's window from 1..window")
	fs.IntVar(&c.MinCount, "min-count", c.MinCount, "drop words seen fewer times")
	fs.IntVar(&c.MaxFinalVocab, "max-final-vocab", c.MaxFinalVocab, "raise min-count so at most this many words remain (0: no limit)")
	fs.Float64Var(&c.Sample, "sample", c.Sample, "frequent-word down-sampling threshold (0: off)")
	fs.IntVar(&c.Negative, "negative", c.Negative, "noise words per example")
	fs.Float64Var(&c.NSExponent, "ns-exponent", c.NSExponent, "exponent of the noise distribution count^e")
	fs.BoolVar(&c.CBOWMean, "cbow-mean", c.CBOWMean, "CBOW: mean (true) or sum (false) of the context vectors")
	fs.Float64Var(&c.Alpha, "alpha", c.Alpha, "initial learning rate")
	fs.Float64Var(&c.MinAlpha, "min-alpha", c.MinAlpha, "final learning rate (linear decay over all words of all epochs)")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "passes over the corpus")
	fs.Int64Var(&c.Seed, "seed", c.Seed, "random seed (same seed, corpus and backend: same vectors)")
	fs.IntVar(&c.BatchSize, "batch-size", c.BatchSize, "examples per GoMLX step")
}

// runEmbedTrain trains word2vec and writes the vectors (atomically).
func runEmbedTrain(args []string) error {
	fs := flag.NewFlagSet("embed train", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: textgen embed train -corpus FILE|tang -out FILE [-format text|binary|glove] "+
			"[-config JSON] [word2vec flags]\n\n"+
			"Trains word2vec with negative sampling on GoMLX, following gensim 4.4's Word2Vec. -corpus FILE reads\n"+
			"one sentence per line, split by -tokenizer; -corpus tang reads chinese-poetry's Tang poems (characters\n"+
			"as tokens) installed by `textgen setup`. Flags given on the command line override -config. Flags:\n")
		fs.PrintDefaults()
	}
	cfg := embed.DefaultWord2VecConfig()
	corpus := fs.String("corpus", "", "text file (one sentence per line) or \"tang\"")
	tokenizer := fs.String("tokenizer", "whitespace", "how -corpus FILE lines become tokens: "+strings.Join(text.TokenizerNames(), ", "))
	poems := fs.Int("poems", 0, "with -corpus tang: the number of poems (0: all)")
	corpora := fs.String("corpora", "", "with -corpus tang: the corpora folder (default .textgen/corpora)")
	out := fs.String("out", "", "output vector file (replaced atomically)")
	format := fs.String("format", "text", "output format: text, binary or glove")
	configFile := fs.String("config", "", "JSON file with word2vec settings (keys as in gensim: sg, vector_size, window, ...)")
	quiet := fs.Bool("quiet", false, "no progress lines")
	w2vFlags(fs, &cfg)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *corpus == "" || *out == "" {
		fs.Usage()
		return errors.New("train: -corpus and -out are required")
	}
	outF, err := embed.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("train: -format: %w", err)
	}
	if *configFile != "" {
		base := embed.DefaultWord2VecConfig()
		raw, err := os.ReadFile(*configFile)
		if err != nil {
			return fmt.Errorf("train: -config: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&base); err != nil {
			return fmt.Errorf("train: -config %s: %w", *configFile, err)
		}
		fromFlags := flag.NewFlagSet("", flag.ContinueOnError)
		w2vFlags(fromFlags, &base) // re-apply the flags given explicitly on top of the file
		fs.Visit(func(f *flag.Flag) {
			if fromFlags.Lookup(f.Name) != nil {
				_ = fromFlags.Set(f.Name, f.Value.String())
			}
		})
		cfg = base
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	sentences, what, err := loadSentences(*corpus, *tokenizer, *corpora, *poems)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	be, choice, err := backend.New()
	if err != nil {
		return err
	}
	defer be.Finalize()
	fmt.Println(choice)
	fmt.Printf("corpus: %s, %d sentences\n", what, len(sentences))
	var last time.Time
	progress := func(p embed.Word2VecProgress) {
		if *quiet || time.Since(last) < 2*time.Second && p.WordsDone < p.WordsTotal {
			return
		}
		last = time.Now()
		fmt.Printf("epoch %d/%d  words %d/%d (%.0f%%)  %.0f words/s  loss %.4f  alpha %.5f\n", p.Epoch, cfg.Epochs,
			p.WordsDone, p.WordsTotal, 100*float64(p.WordsDone)/float64(p.WordsTotal), p.WordsPerSec, p.Loss, p.Alpha)
	}
	vecs, stats, err := embed.TrainWord2Vec(context.Background(), be, sentences, cfg, progress)
	if err != nil {
		if errors.Is(err, embed.ErrWord) {
			return fmt.Errorf("train: %s (sentence N is line N): %w", *corpus, err)
		}
		return fmt.Errorf("train: %w", err)
	}
	if err := embed.WriteFile(*out, vecs, outF); err != nil {
		return err
	}
	fmt.Printf("trained %d vectors of dimension %d on %d words × %d epochs in %.1fs (%.0f words/s); loss by epoch %.4f\n",
		stats.VocabSize, cfg.VectorSize, stats.CorpusWords, cfg.Epochs, stats.Seconds, stats.WordsPerSec, stats.EpochLoss)
	fmt.Printf("wrote %s (%v)\n", *out, outF)
	return nil
}

// loadSentences reads the training corpus: a text file, one sentence per line (empty lines give
// empty sentences, so sentence N is line N), or "tang".
func loadSentences(corpus, tokenizer, corpora string, poems int) ([][]string, string, error) {
	if corpus == "tang" {
		dir := corpora
		if dir == "" {
			var err error
			if dir, err = data.CorporaDir(); err != nil {
				return nil, "", err
			}
		}
		ps, err := data.TangPoems(dir, poems)
		if err != nil {
			return nil, "", err
		}
		return data.Sentences(ps), fmt.Sprintf("%d Tang poems, characters as tokens", len(ps)), nil
	}
	tok, err := text.TokenizerByName(tokenizer)
	if err != nil {
		return nil, "", fmt.Errorf("-tokenizer: %w", err)
	}
	f, err := os.Open(corpus)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var sentences [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		var s []string
		for _, t := range tok.Tokenize(sc.Text()) {
			if strings.TrimSpace(t) != "" {
				s = append(s, t)
			}
		}
		sentences = append(sentences, s)
	}
	if err := sc.Err(); err != nil {
		return nil, "", fmt.Errorf("%s: line %d: %w", corpus, len(sentences)+1, err)
	}
	return sentences, fmt.Sprintf("%s (%s tokenizer)", corpus, tok.Name()), nil
}

// analogyList collects repeated -analogy a,b,c flags.
type analogyList [][3]string

func (a *analogyList) String() string { return fmt.Sprint(*a) }

func (a *analogyList) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) != 3 || slices.Contains(parts, "") {
		return fmt.Errorf("want three words a,b,c (meaning a - b + c), got %q", s)
	}
	*a = append(*a, [3]string{parts[0], parts[1], parts[2]})
	return nil
}

// runEmbedNeighbors prints the nearest neighbours of words and the answers to analogies.
func runEmbedNeighbors(args []string) error {
	fs := flag.NewFlagSet("embed neighbors", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: textgen embed neighbors -vectors FILE [-format text|binary|glove] [-k 10] "+
			"[-analogy a,b,c]... [WORD...]\n\n"+
			"Prints the k words nearest to each WORD by cosine similarity, and for each -analogy a,b,c the k words\n"+
			"nearest to a - b + c (gensim's most_similar(positive=[a, c], negative=[b])); query words are left out.\n"+
			"Flags:\n")
		fs.PrintDefaults()
	}
	vectors := fs.String("vectors", "", "vector file")
	format := fs.String("format", "text", "vector file format: text, binary or glove")
	k := fs.Int("k", 10, "neighbours per query")
	var analogies analogyList
	fs.Var(&analogies, "analogy", "a,b,c: words nearest to a - b + c (repeatable), e.g. king,man,woman")
	var words []string
	for { // flags may follow the words: "月 山 -analogy a,b,c"
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		rest := fs.Args()
		i := slices.IndexFunc(rest, func(a string) bool { return len(a) > 1 && a[0] == '-' })
		if i < 0 {
			words = append(words, rest...)
			break
		}
		words, args = append(words, rest[:i]...), rest[i:]
	}
	if *vectors == "" || len(words)+len(analogies) == 0 {
		fs.Usage()
		return errors.New("neighbors: -vectors and at least one WORD or -analogy are required")
	}
	if *k < 1 {
		return fmt.Errorf("neighbors: -k is %d; want at least 1", *k)
	}
	f, err := embed.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("neighbors: -format: %w", err)
	}
	vecs, err := embed.ReadFile(*vectors, f, embed.DefaultOptions())
	if err != nil {
		return err
	}
	be, _, err := backend.New()
	if err != nil {
		return err
	}
	defer be.Finalize()
	index, err := embed.NewIndex(be, vecs)
	if err != nil {
		return err
	}
	var queries []embed.Query
	var titles []string
	for _, w := range words {
		queries = append(queries, embed.Query{Positive: []string{w}})
		titles = append(titles, w)
	}
	for _, a := range analogies {
		queries = append(queries, embed.Query{Positive: []string{a[0], a[2]}, Negative: []string{a[1]}})
		titles = append(titles, fmt.Sprintf("%s - %s + %s", a[0], a[1], a[2]))
	}
	res, err := index.MostSimilar(queries, *k)
	if err != nil {
		return err
	}
	for i, r := range res {
		fmt.Printf("%s:\n", titles[i])
		for j, n := range r {
			fmt.Printf("  %2d. %s\t%.4f\n", j+1, n.Word, n.Similarity)
		}
	}
	return nil
}
