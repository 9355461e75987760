package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gotextgen/textgen/seq2seq/embed"
)

func init() {
	register("embed", "word vectors: convert between word2vec text, word2vec binary and GloVe files", runEmbed)
}

const embedUsage = `usage: textgen embed <sub-command> [flags]

sub-commands:
  convert   read a word vector file in one format and write it in another

Run "textgen embed convert -h" for its flags; docs/embeddings.md describes the formats.
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
