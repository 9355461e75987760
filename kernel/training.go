// Training figures of notebook 04: the loss of a batch with and without the padding mask, gradient norms
// and clipping, learning-rate schedules, and weight comparisons for checking an exact resume.

package kernel

import (
	"fmt"
	"math"
	"sort"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"

	"github.com/gotextgen/textgen/plots"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Masking is the teacher-forced loss of one batch, with and without the padding mask.
type Masking struct {
	NLL      [][]float32 // [B][T]: −log p(target token) at every target position, padding included.
	Real     [][]bool    // [B][T]: true where the target is a real token (not <pad>).
	Masked   float64     // model.MaskedLoss: the mean NLL over real tokens, what training minimises.
	Unmasked float64     // GoMLX's cross-entropy without a mask: the mean NLL over all B·T positions.
}

// MaskingLosses runs the job's model teacher-forced on batch b (which it consumes) and returns the per-position
// losses with model.MaskedLoss and the unmasked cross-entropy, each computed by its own graph code.
func MaskingLosses(j *run.Job, b train.Batch) (*Masking, error) {
	exec, err := model.NewExec(j.Backend, j.Store, func(scope *model.Scope, src, tgtIn, tgtOut *Node) []*Node {
		logits := j.Model.TrainLogits(scope, src, tgtIn)                                             // [B,T,V]
		logp := LogSoftmax(logits)                                                                   // [B,T,V]
		nll := Neg(ReduceSum(Mul(logp, OneHot(tgtOut, logits.Shape().Dim(-1), logits.DType())), -1)) // [B,T]
		masked := seqmodel.MaskedLoss([]*Node{tgtOut}, []*Node{logits})
		unmasked := loss.SparseCategoricalCrossEntropyLogits([]*Node{InsertAxes(tgtOut, -1)}, []*Node{logits})
		return []*Node{nll, ReduceAllMean(masked), ReduceAllMean(unmasked)}
	})
	if err != nil {
		return nil, fmt.Errorf("kernel: masking losses: %w", err)
	}
	out, err := exec.Exec(b.Src, b.TgtIn, b.TgtOut)
	if err != nil {
		return nil, fmt.Errorf("kernel: masking losses: %w", err)
	}
	B, T := b.TgtOut.Shape().Dim(0), b.TgtOut.Shape().Dim(1)
	tgt := tensors.MustCopyFlatData[int32](b.TgtOut)
	flat := tensors.MustCopyFlatData[float32](out[0])
	m := &Masking{
		Masked:   float64(tensors.ToScalar[float32](out[1])),
		Unmasked: float64(tensors.ToScalar[float32](out[2])),
	}
	for r := range B {
		m.NLL = append(m.NLL, flat[r*T:(r+1)*T])
		real := make([]bool, T)
		for t := range T {
			real[t] = tgt[r*T+t] != 0
		}
		m.Real = append(m.Real, real)
	}
	finalize(append(out, b.Src, b.TgtIn, b.TgtOut)...)
	return m, nil
}

// MeanNLL averages m.NLL in Go: over the real positions only (realOnly), or over all of them. It recomputes
// Masked and Unmasked independently of the graph.
func (m *Masking) MeanNLL(realOnly bool) float64 {
	sum, n := 0.0, 0
	for r, row := range m.NLL {
		for t, x := range row {
			if realOnly && !m.Real[r][t] {
				continue
			}
			sum, n = sum+float64(x), n+1
		}
	}
	return sum / float64(max(n, 1))
}

// PaddingFraction is the fraction of target positions of m that are padding.
func (m *Masking) PaddingFraction() float64 {
	pad, n := 0, 0
	for _, row := range m.Real {
		for _, real := range row {
			n++
			if !real {
				pad++
			}
		}
	}
	return float64(pad) / float64(max(n, 1))
}

func finalize(ts ...*tensors.Tensor) {
	for _, t := range ts {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
}

// GradientValues copies float32 gradients (as train.Trainer.Gradients returns them, by variable path) into
// Go slices, and finalizes the tensors.
func GradientValues(grads map[string]*tensors.Tensor) (map[string][]float32, error) {
	out := make(map[string][]float32, len(grads))
	for path, t := range grads {
		if t.DType() != dtypes.Float32 {
			return nil, fmt.Errorf("kernel: gradient of %s is %s, want float32", path, t.DType())
		}
		out[path] = tensors.MustCopyFlatData[float32](t)
		_ = t.FinalizeAll()
	}
	return out, nil
}

// GlobalNorm is ‖g‖ = √(Σᵢ ‖gᵢ‖²) over every gradient: the norm that global-norm clipping compares with
// clip_norm (summed in float64, in sorted path order so the result does not depend on map order).
func GlobalNorm(grads map[string][]float32) float64 {
	paths := make([]string, 0, len(grads))
	for p := range grads {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	sum := 0.0
	for _, p := range paths {
		for _, x := range grads[p] {
			sum += float64(x) * float64(x)
		}
	}
	return math.Sqrt(sum)
}

// ClipGlobalNorm returns the gradients scaled by min(1, c/‖g‖) (as PyTorch's clip_grad_norm_ and train's
// clip_norm), and the scale used. c ≤ 0 means no clipping (scale 1).
func ClipGlobalNorm(grads map[string][]float32, c float64) (clipped map[string][]float32, scale float64) {
	scale = 1
	if norm := GlobalNorm(grads); c > 0 && norm > c {
		scale = c / norm
	}
	clipped = make(map[string][]float32, len(grads))
	for p, g := range grads {
		out := make([]float32, len(g))
		for i, x := range g {
			out[i] = float32(float64(x) * scale)
		}
		clipped[p] = out
	}
	return clipped, scale
}

// ScheduleSeries is the learning rate of steps 1 … cfg.Steps under cfg (train.Config.LearningRateAt), as a
// series named name.
func ScheduleSeries(name string, cfg train.Config) plots.Series {
	s := plots.Series{Name: name}
	for step := 1; step <= cfg.Steps; step++ {
		s.X = append(s.X, float64(step))
		s.Y = append(s.Y, cfg.LearningRateAt(step))
	}
	return s
}

// HistorySeries is one per-step quantity of a history (its GradNorm or LR, say) against the step, named name.
func HistorySeries(name string, h *train.History, values []float64) (plots.Series, error) {
	if len(values) != len(h.Steps) {
		return plots.Series{}, fmt.Errorf("kernel: %s has %d values for %d steps", name, len(values), len(h.Steps))
	}
	s := plots.Series{Name: name, Y: append([]float64(nil), values...)}
	for _, st := range h.Steps {
		s.X = append(s.X, float64(st))
	}
	return s, nil
}

// CurvesPlot displays series as lines against the step (plots.LossCurves) with the y axis labelled yLabel,
// leaving room for the legend above the lines.
func CurvesPlot(title, yLabel string, series ...plots.Series) error {
	p, err := plots.LossCurves(title, series...)
	if err != nil {
		return err
	}
	p.Y.Label.Text = yLabel
	p.Y.Max += 0.07 * float64(len(series)+1) * (p.Y.Max - p.Y.Min) // room for the legend
	return DisplayPlot(p, LossWidth, LossHeight)
}

// BestValid is the validation point of h with the lowest loss (the first of equal ones), and ok false
// when h has none.
func BestValid(h *train.History) (best train.Point, ok bool) {
	for i, p := range h.Valid {
		if i == 0 || p.Loss < best.Loss {
			best, ok = p, true
		}
	}
	return best, ok
}

// WeightsDiff returns the largest absolute difference between the float variables of two stores, compared
// by path. A variable missing from one store, or of another shape, is an error naming it.
func WeightsDiff(a, b *model.Store) (float64, error) {
	values := func(s *model.Store) (map[string]*tensors.Tensor, error) {
		m := map[string]*tensors.Tensor{}
		for v := range s.IterVariables() {
			val, err := v.Value()
			if err != nil {
				return nil, fmt.Errorf("kernel: variable %s: %w", v.Path(), err)
			}
			if val != nil && val.DType().IsFloat() {
				m[v.Path()] = val
			}
		}
		return m, nil
	}
	va, err := values(a)
	if err != nil {
		return 0, err
	}
	vb, err := values(b)
	if err != nil {
		return 0, err
	}
	diff := 0.0
	for path, x := range va {
		y, ok := vb[path]
		if !ok {
			return 0, fmt.Errorf("kernel: variable %s is only in the first store", path)
		}
		if !x.Shape().Equal(y.Shape()) {
			return 0, fmt.Errorf("kernel: variable %s: shapes %s and %s", path, x.Shape(), y.Shape())
		}
		fx, fy := floats(x), floats(y)
		for i := range fx {
			diff = math.Max(diff, math.Abs(fx[i]-fy[i]))
		}
	}
	for path := range vb {
		if _, ok := va[path]; !ok {
			return 0, fmt.Errorf("kernel: variable %s is only in the second store", path)
		}
	}
	return diff, nil
}

// floats copies a float tensor into float64s.
func floats(t *tensors.Tensor) []float64 {
	var out []float64
	switch t.DType() {
	case dtypes.Float32:
		for _, x := range tensors.MustCopyFlatData[float32](t) {
			out = append(out, float64(x))
		}
	case dtypes.Float64:
		out = tensors.MustCopyFlatData[float64](t)
	}
	return out
}
