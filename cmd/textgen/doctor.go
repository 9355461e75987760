package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/seq2seq/backend"
)

func init() {
	register("doctor", "report what is installed under .textgen and which backend would run", runDoctor)
}

// doctorExtras are further reports printed by "textgen doctor" after the installed-tools report, in order.
// EXTENSION POINT: other files of this command append to it from their init(), e.g. the backend choice:
//
//	func init() { doctorExtras = append(doctorExtras, func(w io.Writer) { ... }) }
var doctorExtras = []func(io.Writer){reportBackend}

// reportBackend says which backend the policy picks here, why, and whether it starts.
func reportBackend(w io.Writer) {
	c, err := backend.Choose()
	if err != nil {
		fmt.Fprintf(w, "backend: ERROR %v\n", err)
		return
	}
	fmt.Fprintln(w, c)
	b, err := backend.Start(c)
	if err != nil {
		fmt.Fprintf(w, "backend: ERROR starting it: %v\n", err)
		return
	}
	fmt.Fprintf(w, "backend started: %s\n", b.Description())
	b.Finalize()
}

// runDoctor reports the project-local tools and the extras; it fails if a tool is missing.
func runDoctor(args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: textgen doctor\n\nReports what `textgen setup` installed under <repo>/.textgen, "+
			"and fails listing what is missing.")
	}
	if done, err := parseFlags(fs, args); done {
		return err
	}
	root, err := project.Root()
	if err != nil {
		return err
	}
	err = kernel.Doctor(root, os.Stdout)
	for _, extra := range doctorExtras {
		extra(os.Stdout)
	}
	return err
}
