package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/gotextgen/textgen/seq2seq/train"
)

// progress shows training on w (os.Stderr in the commands): a progress bar when w is a terminal, plain log
// lines about every tenth of the run otherwise (no escape codes in logs). first is the step the run starts
// from (non-zero when resuming), steps the step it ends at.
func progress(w io.Writer, first, steps int) train.Hooks {
	var hooks train.Hooks
	f, isFile := w.(*os.File)
	tty := isFile && isatty.IsTerminal(f.Fd())
	if tty {
		bar := progressbar.NewOptions(steps, progressbar.OptionSetWriter(w),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetDescription("training"), progressbar.OptionClearOnFinish())
		_ = bar.Set(first)
		hooks.OnStep = func(step int, loss float64) {
			bar.Describe(fmt.Sprintf("loss %.4f", loss))
			_ = bar.Set(step)
		}
	} else {
		start := time.Now()
		every := max((steps-first)/10, 1)
		hooks.OnStep = func(step int, loss float64) {
			if (step-first)%every == 0 || step == steps {
				el := time.Since(start)
				eta := time.Duration(float64(el) / float64(step-first) * float64(steps-step))
				fmt.Fprintf(w, "step %d/%d  loss %.4f  elapsed %s  eta %s\n", step, steps, loss,
					el.Round(time.Second), eta.Round(time.Second))
			}
		}
	}
	hooks.OnEval = func(p *train.Point) error {
		if tty {
			fmt.Fprintln(w) // below the progress bar
		}
		fmt.Fprintf(w, "validation at step %d: loss %.4f, token accuracy %.2f%%, exact match %.2f%%\n",
			p.Step, p.Loss, 100*p.TokenAcc, 100*p.ExactMatch)
		return nil
	}
	return hooks
}
