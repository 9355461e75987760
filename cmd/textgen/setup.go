package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/seq2seq/backend"
)

func init() {
	register("setup", "install project-local tools (venv+Jupyter, GoNB, goimports, kernel spec, PJRT CPU plugin, corpora, CJK font)", runSetup)
}

// runSetup installs everything the tests and notebooks need into <root>/.textgen. It is idempotent.
func runSetup(args []string) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: textgen setup [flags]\n\n"+
			"Installs into <repo>/.textgen: a Python venv with Jupyter (%s), goimports %s and GoNB %s,\n"+
			"the GoNB kernel spec, the PJRT CPU plugin for the XLA backend (%s %s from PyPI),\n"+
			"the text corpora (npm chinese-poetry %s; Debian fortunes-zh, fortunes-min, fortunes) in .textgen/corpora\n"+
			"and a CJK font for charts (Debian fonts-droid-fallback) in .textgen/fonts; see docs/corpora.md.\n"+
			"Steps already done are skipped. Flags:\n",
			kernel.RequirementsFile, kernel.GoImportsVersion, kernel.GoNBVersion, backend.PluginWheel, backend.PluginWheelVersion,
			kernel.ChinesePoetryVersion)
		fs.PrintDefaults()
	}
	skipXLA := fs.Bool("skip-xla", false, "do not install the PJRT CPU plugin (only the pure-Go backend will be available)")
	skipCorpora := fs.Bool("skip-corpora", false, "do not install the corpora and the CJK chart font (the poetry and fortune loaders will fail)")
	timeout := fs.Duration("timeout", kernel.DefaultStepTimeout, "time limit for each install step (pip install, building each Go tool, the plugin download)")
	python := fs.String("python", "python3", "Python (3.11 or newer) that creates the virtual environment")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	root, err := project.Root()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	start := time.Now()
	fmt.Printf("textgen setup: installing into %s\n", kernel.ToolsDir(root))
	cfg := kernel.DefaultInstallConfig(root)
	cfg.Timeout, cfg.Python = *timeout, *python
	if err := kernel.Install(ctx, cfg); err != nil {
		return err
	}

	fmt.Printf("==> PJRT CPU plugin (%s %s from PyPI, %s)\n", backend.PluginWheel, backend.PluginWheelVersion,
		kernel.PJRTDir(root))
	if plugin, ok := backend.CPUPluginInstalled(kernel.PJRTDir(root)); ok && !*skipXLA {
		fmt.Printf("    ok (cached): use it with GOMLX_BACKEND=xla:%s\n", plugin)
	} else if *skipXLA {
		fmt.Println("    skipped (-skip-xla): the XLA backend will not be available")
	} else {
		stepStart := time.Now()
		pctx, cancel := context.WithTimeout(ctx, *timeout)
		plugin, err := backend.InstallCPUPlugin(pctx, kernel.PJRTDir(root), kernel.VenvPython(root), os.Stdout)
		cancel()
		if err != nil {
			fmt.Printf("    FAILED after %v\n", time.Since(stepStart).Round(10*time.Millisecond))
			return fmt.Errorf("install step \"PJRT CPU plugin\": %w (-skip-xla skips this step)", err)
		}
		fmt.Printf("    ok (%v): use it with GOMLX_BACKEND=xla:%s\n", time.Since(stepStart).Round(10*time.Millisecond), plugin)
	}
	if *skipCorpora {
		fmt.Println("==> corpora and CJK font: skipped (-skip-corpora)")
	} else if err := kernel.InstallCorpora(ctx, cfg); err != nil {
		return fmt.Errorf("%w (-skip-corpora skips the corpora and the font)", err)
	}
	fmt.Printf("textgen setup: done in %v. `go run ./cmd/textgen doctor` reports what is installed.\n",
		time.Since(start).Round(10*time.Millisecond))
	return nil
}
