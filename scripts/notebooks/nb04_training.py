"""04 · Training: how a model is trained, and how to trust the run."""
from make_notebooks import MUST, SETUP, code, md

CELLS = [
    md("""
# 04 · Training: the loop, and how to trust a run

Training repeats one step thousands of times: take a batch, run the model on it with the correct previous tokens
fed in (*teacher forcing*), measure the masked cross-entropy, compute its gradients, clip them, and let Adam move
the weights by a learning rate that follows a schedule. This notebook opens that loop, shows the three details
that make it work — the padding **mask**, gradient **clipping**, the learning-rate **schedule** — and then the two
questions every run raises: *is it overfitting?* (train vs validation curves, early stopping, the best checkpoint)
and *can I stop and resume it?* (a resumed run gives exactly the same numbers as one that never stopped).
"""),
    code(SETUP),
    md("""
The task is string reversal (`abc` → `cba`) with a small model, on GoMLX's **pure-Go backend**
(`run.GoBackend`): tiny models train faster there than on XLA, which compiles every graph first.
`reverseConfig(n, steps)` is the job: `n` training strings of 2 to 8 letters, `steps` optimizer steps.
"""),
    code("""
import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

""" + MUST + """

// reverseConfig is reversal of 2 to 8 letters with a small model: n training strings, 200 validation
// strings, steps optimizer steps of 16 examples, validation only at the end.
func reverseConfig(n, steps int) run.Config {
	cfg := run.DefaultConfig()
	cfg.Task, cfg.Train, cfg.Valid, cfg.Test = "reverse", n, 200, 50
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 32, 16
	cfg.Model.MaxSource, cfg.Model.MaxTarget = 9, 9
	cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = steps, 16, 0.02, 0
	return cfg
}

%%
be, err := run.GoBackend()
must(err)
fmt.Println("backend:", be.Name())
"""),
    md("""
## The loop in a few lines

`run.Prepare` makes the data, the vocabulary, the model and a `train.Trainer`. A `train.Shuffler` deals the
training examples out in seeded, shuffled batches. `Trainer.StepStats` is one optimizer step: teacher-forced
logits `[B,T,V]`, masked cross-entropy, gradients, global-norm clipping, Adam with the learning rate of the step.
`Trainer.Run` (used by `job.Train` below) is this same loop plus validation, checkpoints, early stopping and a
guard that stops on a NaN loss.
"""),
    code("""
%%
be, _ := run.GoBackend()
job, err := run.Prepare(be, reverseConfig(2000, 150))
must(err)
batches := train.NewShuffler(job.TrainEx, job.Config.Loop.BatchSize, job.Config.Loop.Seed)
var first float64
for step := 1; step <= job.Config.Loop.Steps; step++ {
	s, err := job.Trainer.StepStats(batches.Next()) // forward, masked loss, backward, clip, Adam
	must(err)
	if step == 1 {
		first = s.Loss
	}
	if step == 1 || step%25 == 0 {
		fmt.Printf("step %3d   loss %.3f   gradient norm %6.3f   learning rate %.4f\\n", s.Step, s.Loss, s.GradNorm, s.LR)
	}
}
p, err := job.Trainer.Evaluate(job.ValidEx, 256)
must(err)
fmt.Printf("validation after %d steps: loss %.3f (first batch: %.3f), token accuracy %.1f%%\\n", p.Step, p.Loss, first, 100*p.TokenAcc)
if p.Loss >= first/2 {
	panic("150 steps should at least halve the loss")
}
"""),
    md("""
## Masking: padding must not count

A batch holds strings of different lengths, so the targets are padded with `<pad>` to one length `T`. The loss
is the mean of $-\\log p(y_t)$ over the **real** target tokens only (`model.MaskedLoss`). Without the mask the mean
also runs over the padding positions: the number then depends on how much padding the batch happens to hold, and
training would spend its effort on predicting `<pad>` instead of letters.

Below, a trained model scores one validation batch. `kernel.MaskingLosses` computes $-\\log p$ at every position
and both losses in the graph; the cell recomputes both means in plain Go and checks them.
"""),
    code("""
%%
be, _ := run.GoBackend()
jobs, err := run.PrepareAll(be, reverseConfig(2000, 150))
must(err)
_, err = run.TrainAll(context.Background(), jobs...)
must(err)
job := jobs[0]
m, err := kernel.MaskingLosses(job, job.ValidEx.Rows([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}))
must(err)
for r := range 3 {
	var cells []string
	for t, nll := range m.NLL[r] {
		mark := " "
		if !m.Real[r][t] {
			mark = "·" // padding
		}
		cells = append(cells, fmt.Sprintf("%5.2f%s", nll, mark))
	}
	fmt.Printf("%-10q −log p per position: %s\\n", job.ValidPairs[r].Target, strings.Join(cells, " "))
}
fmt.Printf("\\n%.0f%% of the batch's target positions are padding (·)\\n", 100*m.PaddingFraction())
fmt.Printf("masked loss   (model.MaskedLoss)     %.4f   mean over real tokens, in Go: %.4f\\n", m.Masked, m.MeanNLL(true))
fmt.Printf("unmasked loss (plain cross-entropy)  %.4f   mean over all positions, in Go: %.4f\\n", m.Unmasked, m.MeanNLL(false))
if math.Abs(m.Masked-m.MeanNLL(true)) > 1e-4 || math.Abs(m.Unmasked-m.MeanNLL(false)) > 1e-4 {
	panic("the graph's losses must equal the means computed in Go")
}
if math.Abs(m.Masked-m.Unmasked) < 0.05 {
	panic("with this much padding the two losses should differ")
}
"""),
    md("""
The model was never trained to predict `<pad>` (those positions were masked), so it gives padding a low
probability and the unmasked mean is dominated by positions that say nothing about reversal.

## Clipping: bounding the step

Early in training, or on an unlucky batch, the gradients can be huge, and one step can throw the weights far away.
Global-norm clipping measures $\\lVert g \\rVert = \\sqrt{\\sum_i \\lVert g_i \\rVert^2}$ over **all** gradients together
and, when it exceeds the threshold $c$ (`clip_norm`), scales every gradient by $c / \\lVert g \\rVert$: the direction
is kept, only the length shrinks. Below: the gradients of a fresh model on one batch (`Trainer.Gradients`), their
norm computed in Go and by the training step itself, and what clipping them to $c = 0.1$, below their norm, does.
Then a short run with `clip_norm` 1, and the norm of every step's gradients before clipping (`History.GradNorm`):
small at first, while the model outputs nearly uniform guesses, then often above the threshold.
"""),
    code("""
%%
be, _ := run.GoBackend()
cfg := reverseConfig(2000, 150)
cfg.Loop.ClipNorm = 1
job, err := run.Prepare(be, cfg)
must(err)
batch := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
_, grads, err := job.Trainer.Gradients(job.TrainEx.Rows(batch))
must(err)
g, err := kernel.GradientValues(grads)
must(err)
const c = 0.1
clipped, scale := kernel.ClipGlobalNorm(g, c)
s, err := job.Trainer.StepStats(job.TrainEx.Rows(batch)) // the same batch, through the training graph
must(err)
fmt.Printf("%d gradient tensors; global norm in Go %.4f, in the training step %.4f\\n", len(g), kernel.GlobalNorm(g), s.GradNorm)
fmt.Printf("clipped to c = %g: every gradient scaled by %.4f, global norm after %.4f\\n", c, scale, kernel.GlobalNorm(clipped))
if math.Abs(kernel.GlobalNorm(g)-s.GradNorm) > 1e-3*s.GradNorm || s.GradNorm <= c || math.Abs(kernel.GlobalNorm(clipped)-c) > 1e-6 {
	panic("the norms must agree, and clipping must bring the norm down to c")
}

h, err := job.Train(context.Background(), train.Hooks{}) // the remaining steps
must(err)
norms, err := kernel.HistorySeries("gradient norm before clipping", h, h.GradNorm)
must(err)
nClipped := 0
for _, n := range h.GradNorm {
	if n > cfg.Loop.ClipNorm {
		nClipped++
	}
}
fmt.Printf("%d of %d steps were clipped\\n", nClipped, len(h.GradNorm))
limit := plots.Series{Name: "clip_norm", X: []float64{1, float64(cfg.Loop.Steps)}, Y: []float64{cfg.Loop.ClipNorm, cfg.Loop.ClipNorm}}
must(kernel.CurvesPlot("global gradient norm per step", "‖g‖", norms, limit))
"""),
    md("""
## Learning-rate schedules

The learning rate need not be constant. A **warm-up** raises it linearly over the first steps, while Adam's
statistics are still poor; afterwards **cosine** decay lowers it smoothly to `min_lr` at the last step, and the
**inverse square root** (`noam`, from the Transformer paper) decays it as $\\eta\\sqrt{w/s}$. The chart is drawn from
`train.Config.LearningRateAt`, the very function whose value the training graph is fed at every step.
"""),
    code("""
%%
base := train.Config{Steps: 1000, BatchSize: 16, LearningRate: 0.01}
cosine, noam := base, base
cosine.Schedule, cosine.WarmupSteps, cosine.MinLR = train.ScheduleCosine, 100, 0.001
noam.Schedule, noam.WarmupSteps = train.ScheduleNoam, 100
series := []plots.Series{
	kernel.ScheduleSeries("constant", base),
	kernel.ScheduleSeries("warm-up 100 + cosine to 0.001", cosine),
	kernel.ScheduleSeries("inverse square root (noam), warm-up 100", noam),
}
for _, s := range series {
	fmt.Printf("%-42s step 1: %.5f   step 100: %.5f   step 400: %.5f   step 1000: %.5f\\n", s.Name, s.Y[0], s.Y[99], s.Y[399], s.Y[999])
}
if cosine.LearningRateAt(100) != 0.01 || noam.LearningRateAt(100) != 0.01 || cosine.LearningRateAt(1000) != 0.001 ||
	math.Abs(noam.LearningRateAt(400)-0.005) > 1e-12 {
	panic("warm-up must peak at η at step 100, cosine end at min_lr, noam halve η at 4× the warm-up")
}
must(kernel.CurvesPlot("learning rate schedules", "learning rate", series...))
"""),
    md("""
## Overfitting, early stopping and the best checkpoint

Give the same model only **60** training strings and it memorises them: the training loss keeps falling towards
zero while the validation loss — on strings it has never seen — stops improving and turns up. The chart below
updates in place while the model trains (`kernel.LiveTraining`): the training loss (smoothed), the validation
loss every 25 steps, and a status line with the progress and the time left.

With `patience` 8 the loop stops after 8 validations in a row without a new best, and the `best` checkpoint
keeps the weights of the best validation point. The check restores that checkpoint into a fresh trainer and finds
exactly the best validation loss again.
"""),
    code("""
%%
be, _ := run.GoBackend()
cfg := reverseConfig(60, 1000)
cfg.Loop.EvalEvery, cfg.Loop.Patience = 25, 8
job, err := run.Prepare(be, cfg)
must(err)
dir, err := os.MkdirTemp("", "textgen-overfit-")
must(err)
defer os.RemoveAll(dir)
must(job.Start(filepath.Join(dir, "run")))
hooks, chart := kernel.LiveTraining("60 training strings: train vs validation loss", cfg.Loop.Steps, 10)
h, err := job.Train(context.Background(), hooks)
must(err)
must(chart.Finish())

best, _ := kernel.BestValid(h)
last := h.Valid[len(h.Valid)-1]
fmt.Println(h.Stopped)
fmt.Printf("best validation loss %.3f at step %d; at the stop (step %d) %.3f, while the training loss fell from %.3f to %.3f\\n",
	best.Loss, best.Step, last.Step, last.Loss, h.TrainLoss[best.Step-1], h.TrainLoss[len(h.TrainLoss)-1])
if h.BestStep != best.Step || last.Step != best.Step+cfg.Loop.Patience*cfg.Loop.EvalEvery || last.Loss < best.Loss*1.02 {
	panic("validation loss should turn up (by ≥ 2%) and early stopping should stop patience validations after the best")
}

fresh, err := run.Prepare(be, cfg)
must(err)
must(fresh.Trainer.Restore(filepath.Join(dir, "run", run.CheckpointsDir, train.BestCheckpoint),
	train.NewShuffler(fresh.TrainEx, cfg.Loop.BatchSize, cfg.Loop.Seed)))
p, err := fresh.Trainer.Evaluate(fresh.ValidEx, 256)
must(err)
fmt.Printf("restored checkpoint %q: step %d, validation loss %.6f (best point: %.6f)\\n", train.BestCheckpoint, p.Step, p.Loss, best.Loss)
if p.Step != best.Step || math.Abs(p.Loss-best.Loss) > 1e-6 {
	panic("the best checkpoint must hold the weights of the best validation point")
}
"""),
    md("""
## Checkpoint and resume: exactly the same run

A checkpoint holds everything the next step depends on: the weights, Adam's moments, the step counter, the random
generators and the position in the shuffled batch order. So a run stopped at step 60 and resumed to step 120
(`job.Start`, `job.Train`, then `run.Resume` with `Steps: 120`) must give **bit-identical** losses and weights to a
run that went straight to 120. The check compares every one of the 120 losses with `==` and every weight.
"""),
    code("""
%%
be, _ := run.GoBackend()
dir, err := os.MkdirTemp("", "textgen-resume-")
must(err)
defer os.RemoveAll(dir)

half := reverseConfig(2000, 60)
half.Loop.CheckpointEvery = 20
stopped, err := run.Prepare(be, half)
must(err)
must(stopped.Start(filepath.Join(dir, "stopped")))
_, err = stopped.Train(context.Background(), train.Hooks{})
must(err)
resumed, err := run.Resume(be, filepath.Join(dir, "stopped"), run.ResumeOptions{Steps: 120})
must(err)
fmt.Println("resumed at step", resumed.Trainer.GlobalStep())
hr, err := resumed.Train(context.Background(), train.Hooks{})
must(err)

full := half
full.Loop.Steps = 120
straight, err := run.Prepare(be, full)
must(err)
must(straight.Start(filepath.Join(dir, "straight")))
hs, err := straight.Train(context.Background(), train.Hooks{})
must(err)

same := len(hr.TrainLoss) == len(hs.TrainLoss)
for i := range hs.TrainLoss {
	same = same && hr.TrainLoss[i] == hs.TrainLoss[i]
}
diff, err := kernel.WeightsDiff(resumed.Store, straight.Store)
must(err)
for _, s := range []int{59, 60, 61, 62, 120} {
	fmt.Printf("step %3d   straight %.7f   stopped+resumed %.7f\\n", s, hs.TrainLoss[s-1], hr.TrainLoss[s-1])
}
fmt.Printf("all %d losses identical: %v; largest weight difference: %g\\n", len(hs.TrainLoss), same, diff)
if !same || diff != 0 {
	panic("a resumed run must repeat the straight run exactly")
}
after := plots.Series{Name: "resumed at 60", X: kernel.LossSeries(hr, 1)[0].X[60:], Y: kernel.LossSeries(hr, 1)[0].Y[60:]}
before := plots.Series{Name: "stopped at 60", X: kernel.LossSeries(hr, 1)[0].X[:60], Y: kernel.LossSeries(hr, 1)[0].Y[:60]}
straightLoss := kernel.LossSeries(hs, 1)[0]
straightLoss.Name = "straight to 120"
must(kernel.CurvesPlot("training loss: straight vs stopped and resumed", "loss", straightLoss, before, after))
"""),
    md("""
## What to take away

- One step is: batch → teacher-forced logits → masked cross-entropy → gradients → clipping → Adam at the
  scheduled learning rate. Everything else in `Trainer.Run` is bookkeeping around it.
- The mask makes the loss about real tokens only; clipping bounds each step; a schedule shapes the learning rate.
- Watch the validation loss, not the training loss: it is the one that tells you when to stop, and the `best`
  checkpoint keeps the model from that moment.
- Checkpoints hold the whole training state, so an interrupted run resumes to exactly the same numbers.
"""),
]

NOTEBOOK = ("04-training.ipynb", CELLS, 4)
