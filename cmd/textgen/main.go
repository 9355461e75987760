// Command textgen trains and runs the textgen sequence-to-sequence models.
//
// Usage:
//
//	textgen demo     [flags]   train on the built-in date task and write a run folder (the main job)
//	textgen setup    [flags]   install project-local tools: Python venv with Jupyter, GoNB, goimports, PJRT plugin
//	textgen doctor             report which backend would run and why, and what is installed
//	textgen train    [flags]   train a model from a run config (dates, reverse, tsv, poetry, …) into a run folder; -resume
//	textgen generate [flags]   decode prompts with a trained run: greedy, sampling (temperature, top-k, top-p) or beam search
//	textgen eval     [flags]   loss, perplexity, token accuracy, exact match, BLEU and chrF of a run on a TSV file
//	textgen embed train [flags]     train word2vec (skip-gram or CBOW, negative sampling) like Gensim
//	textgen embed neighbors [flags] nearest neighbours and analogies (a − b + c) of trained vectors
//	textgen embed convert [flags]   convert word vectors between word2vec text/binary and GloVe (Gensim-compatible)
//
// Run "textgen <command> -h" for the flags of each command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
)

// command is one sub-command of textgen.
type command struct {
	summary string
	run     func(args []string) error
}

// commands maps sub-command names to their implementations; each lives in its own file.
var commands = map[string]command{}

func register(name, summary string, run func(args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// parseFlags parses a sub-command's flags; done is true when the command must return err right away
// (help was asked for — err is nil — or the flags are bad or followed by stray arguments).
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, err
	}
	if fs.NArg() > 0 {
		return true, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return false, nil
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: textgen <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, commands[n].summary)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "textgen: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := cmd.run(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "textgen %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
