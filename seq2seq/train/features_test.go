package train_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// tiny is sequence reversal of 1 to 4 letters: examples, a small model config and a short loop config.
func tiny(t *testing.T) (*train.Examples, seqmodel.Config, train.Config) {
	t.Helper()
	pairs := data.Reverse(256, 1, 1, 4)
	var texts []string
	for _, p := range pairs {
		texts = append(texts, p.Source, p.Target)
	}
	v := text.BuildVocab(texts, text.CharTokenizer{}, text.DefaultVocabConfig())
	ex, err := train.Encode(v, pairs, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	m := seqmodel.Config{VocabSize: v.Size(), Embed: 8, Hidden: 16, Attention: 8, MaxSource: 5, MaxTarget: 5, ForgetBias: 1, Seed: 1}
	l := train.Config{Steps: 10, BatchSize: 16, LearningRate: 0.01, Seed: 1}
	return ex, m, l
}

func newTrainer(t *testing.T, m seqmodel.Config, l train.Config) *train.Trainer {
	t.Helper()
	tr, err := train.New(testutil.Backend(t), model.NewStore(), seqmodel.New(m), l)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// variables copies every variable of the store (weights, optimizer state, RNG) by path.
func variables(store *model.Store) map[string][]byte {
	out := map[string][]byte{}
	for v := range store.IterVariables() {
		val := v.MustValue()
		_ = val.ConstBytes(func(b []byte) { out[v.Path()] = slices.Clone(b) })
	}
	return out
}

func float32s(store *model.Store, trainableOnly bool) map[string][]float32 {
	out := map[string][]float32{}
	for v := range store.IterVariables() {
		if v.Trainable || !trainableOnly {
			if val := v.MustValue(); val.DType().IsFloat() {
				out[v.Path()] = tensors.MustCopyFlatData[float32](val)
			}
		}
	}
	return out
}

func TestLearningRateSchedules(t *testing.T) {
	c := train.Config{Steps: 100, BatchSize: 1, LearningRate: 0.01}
	for _, s := range []int{1, 50, 100} {
		if got := c.LearningRateAt(s); got != 0.01 {
			t.Errorf("constant: step %d: %g", s, got)
		}
	}
	c.WarmupSteps = 4
	for s, want := range map[int]float64{1: 0.0025, 2: 0.005, 4: 0.01, 5: 0.01, 100: 0.01} {
		if got := c.LearningRateAt(s); math.Abs(got-want) > 1e-15 {
			t.Errorf("constant with warm-up: step %d: %g, want %g", s, got, want)
		}
	}
	c.Schedule, c.MinLR = train.ScheduleCosine, 0.001
	// Cosine from step 4 (η) to step 100 (min_lr); halfway (step 52) is the mean of the two.
	for s, want := range map[int]float64{2: 0.005, 4: 0.01, 52: 0.0055, 100: 0.001,
		28: 0.001 + 0.009*(1+math.Cos(math.Pi*24/96))/2} {
		if got := c.LearningRateAt(s); math.Abs(got-want) > 1e-15 {
			t.Errorf("cosine: step %d: %.17g, want %.17g", s, got, want)
		}
	}
	c.Schedule, c.MinLR = train.ScheduleNoam, 0
	// η·min(s/w, √(w/s)): the peak η at w = 4, then η/2 at 16, η/5 at 100.
	for s, want := range map[int]float64{1: 0.0025, 4: 0.01, 16: 0.005, 100: 0.002} {
		if got := c.LearningRateAt(s); math.Abs(got-want) > 1e-15 {
			t.Errorf("noam: step %d: %g, want %g", s, got, want)
		}
	}
	c.TeacherForcing = &train.TeacherForcing{Ratio: 1, Final: 0.5, DecaySteps: 10}
	for s, want := range map[int]float64{1: 1, 6: 0.75, 11: 0.5, 50: 0.5} {
		if got := c.TeacherForcingRatio(s); math.Abs(got-want) > 1e-15 {
			t.Errorf("teacher forcing: step %d: %g, want %g", s, got, want)
		}
	}
}

// The graph is fed the schedule's values: after each step the store's learning rate is float32 of the
// schedule at that step, and the history records it.
func TestGraphUsesScheduledLearningRate(t *testing.T) {
	ex, m, l := tiny(t)
	l.Schedule, l.WarmupSteps, l.Steps = train.ScheduleNoam, 2, 4
	tr := newTrainer(t, m, l)
	s := train.NewShuffler(ex, l.BatchSize, l.Seed)
	testutil.Deadline(t, 3*time.Minute, func() {
		for step := 1; step <= l.Steps; step++ {
			st, err := tr.StepStats(s.Next())
			if err != nil {
				t.Fatal(err)
			}
			got := tensors.ToScalar[float32](tr.Store.GetVariable("/optimizers/" + optimizer.ParamLearningRate).MustValue())
			if want := float32(l.LearningRateAt(step)); got != want || st.LR != l.LearningRateAt(step) {
				t.Errorf("step %d: graph learning rate %g (stats %g), want %g", step, got, st.LR, want)
			}
		}
	})
}

// Global-norm clipping, checked by hand: the gradients g of a batch are scaled by c/‖g‖ when ‖g‖ > c, and
// Adam's first step from zero moments moves each weight by lr·ĝ/(|ĝ|+ε) (m̂ = ĝ, v̂ = ĝ² after bias correction).
// A tiny c makes ĝ comparable to ε = 1e-7, so the update differs visibly from unclipped Adam's lr·sign(g).
// A huge c changes nothing: the weights equal those of plain Adam bit for bit.
func TestClipNormByHand(t *testing.T) {
	ex, m, l := tiny(t)
	rows := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	const clip = 1e-5
	l.ClipNorm = clip
	tr := newTrainer(t, m, l)
	testutil.Deadline(t, 3*time.Minute, func() {
		_, grads, err := tr.Gradients(ex.Rows(rows))
		if err != nil {
			t.Fatal(err)
		}
		w0 := float32s(tr.Store, true)
		norm2 := 0.0
		for _, g := range grads {
			for _, x := range tensors.MustCopyFlatData[float32](g) {
				norm2 += float64(x) * float64(x)
			}
		}
		norm := math.Sqrt(norm2)
		st, err := tr.StepStats(ex.Rows(rows))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(st.GradNorm-norm) > 1e-5*norm {
			t.Errorf("reported gradient norm %g, hand computation %g", st.GradNorm, norm)
		}
		scale := math.Min(1, clip/norm)
		w1 := float32s(tr.Store, true)
		clipped2, maxDiff, maxFromSign := 0.0, 0.0, 0.0
		for path, g := range grads {
			for i, x := range tensors.MustCopyFlatData[float32](g) {
				gc := float64(x) * scale
				clipped2 += gc * gc
				want := l.LearningRate * gc / (math.Abs(gc) + 1e-7)
				got := float64(w0[path][i] - w1[path][i])
				maxDiff = max(maxDiff, math.Abs(got-want))
				if x != 0 {
					maxFromSign = max(maxFromSign, math.Abs(got-l.LearningRate*math.Copysign(1, float64(x))))
				}
			}
		}
		t.Logf("‖g‖ = %.6g, clip %g: ‖clipped g‖ = %.6g; max |update − hand Adam| = %.3g; max |update − unclipped Adam| = %.3g",
			norm, clip, math.Sqrt(clipped2), maxDiff, maxFromSign)
		if math.Abs(math.Sqrt(clipped2)-clip) > 1e-6*clip {
			t.Errorf("clipped gradient norm %g, want the clip %g", math.Sqrt(clipped2), clip)
		}
		if maxDiff > 1e-4*l.LearningRate {
			t.Errorf("update differs from the hand computation by up to %g", maxDiff)
		}
		if maxFromSign < 0.1*l.LearningRate {
			t.Errorf("clipping changed nothing visible: updates within %g of unclipped Adam", maxFromSign)
		}
	})

	// Huge clip: bit-identical to no clipping after three steps.
	run := func(clip float64) map[string][]byte {
		l := l
		l.ClipNorm = clip
		tr := newTrainer(t, m, l)
		s := train.NewShuffler(ex, l.BatchSize, l.Seed)
		testutil.Deadline(t, 3*time.Minute, func() {
			for range 3 {
				if _, err := tr.Step(s.Next()); err != nil {
					t.Fatal(err)
				}
			}
		})
		return variables(tr.Store)
	}
	plain, huge := run(0), run(1e30)
	for k, v := range plain {
		if !slices.Equal(v, huge[k]) {
			t.Errorf("clip_norm 1e30 changed variable %s", k)
		}
	}
}

// smoothedByHand is (1−ε)·NLL + ε·mean_v(−log p_v) averaged over the non-padding labels, in float64.
func smoothedByHand(logits [][][]float64, labels [][]int32, eps float64) float64 {
	sum, n := 0.0, 0
	for b := range logits {
		for t, row := range logits[b] {
			if labels[b][t] == text.PadID {
				continue
			}
			mx := slices.Max(row)
			z := 0.0
			for _, x := range row {
				z += math.Exp(x - mx)
			}
			logZ := mx + math.Log(z)
			uniform := 0.0
			for _, x := range row {
				uniform += logZ - x
			}
			uniform /= float64(len(row))
			sum += (1-eps)*(logZ-row[labels[b][t]]) + eps*uniform
			n++
		}
	}
	return sum / float64(n)
}

// Label smoothing equals the hand computation and PyTorch's F.cross_entropy(label_smoothing=ε, ignore_index=0).
func TestLabelSmoothingMatchesPyTorch(t *testing.T) {
	const B, T, V, eps = 2, 4, 7, 0.2
	rng := rand.New(rand.NewPCG(3, 4))
	logits := make([][][]float64, B)
	flat := make([]float32, 0, B*T*V)
	for b := range logits {
		logits[b] = make([][]float64, T)
		for t := range logits[b] {
			logits[b][t] = make([]float64, V)
			for v := range logits[b][t] {
				x := float32(rng.NormFloat64() * 2)
				logits[b][t][v] = float64(x)
				flat = append(flat, x)
			}
		}
	}
	labels := [][]int32{{4, 6, text.EOSID, text.PadID}, {5, text.EOSID, text.PadID, text.PadID}}
	be := testutil.Backend(t)
	lossOf := func(eps float64) float64 {
		out := MustExecOnce(be, func(l, y *Node) *Node {
			return seqmodel.SmoothedLoss(eps)([]*Node{y}, []*Node{l})
		}, tensors.FromFlatDataAndDimensions(flat, B, T, V), tensors.FromValue(labels))
		return float64(tensors.ToScalar[float32](out))
	}
	got, hand := lossOf(eps), smoothedByHand(logits, labels, eps)
	if math.Abs(got-hand) > 1e-5 {
		t.Errorf("smoothed loss %.7f, hand computation %.7f", got, hand)
	}
	if got0, hand0 := lossOf(0), smoothedByHand(logits, labels, 0); math.Abs(got0-hand0) > 1e-5 {
		t.Errorf("ε=0: loss %.7f, plain cross-entropy by hand %.7f", got0, hand0)
	}

	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json")
	b, _ := json.Marshal(map[string]any{"logits": logits, "labels": labels, "epsilon": eps})
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "smoothing_ref.py"))
	py, tried := testutil.RunReference(t, testutil.TorchPythons(), 2*time.Minute, script, in, out)
	if py == "" {
		msg := "no Python here can import torch:\n  " + strings.Join(tried, "\n  ") +
			"\ninstall it: apt-get install -y --no-install-recommends python3-torch"
		if os.Getenv("TEXTGEN_SKIP_TORCH") == "1" {
			t.Skip("!!!!!!!! TEXTGEN_SKIP_TORCH=1: label smoothing NOT checked against PyTorch !!!!!!!!\n" + msg)
		}
		t.Fatal(msg)
	}
	var ref struct {
		Loss    float64 `json:"loss"`
		Version string  `json:"torch_version"`
	}
	raw, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(raw, &ref)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ε=%g: textgen %.7f, hand %.7f, PyTorch %s %.7f", eps, got, hand, ref.Version, ref.Loss)
	if math.Abs(got-ref.Loss) > 1e-5 {
		t.Errorf("smoothed loss %.7f, PyTorch %.7f", got, ref.Loss)
	}
}

// Scheduled sampling with ratio 1 is teacher forcing exactly; with ratio 0 each step is fed the previous
// step's argmax, i.e. its logits are the teacher-forced logits of its own greedy tokens, and those tokens are
// what greedy decoding generates up to the end token.
func TestScheduledSamplingEnds(t *testing.T) {
	ex, m, _ := tiny(t)
	be := testutil.Backend(t)
	s2s := seqmodel.New(m)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, m.Seed)
	forced, err := model.NewExec(be, store, func(scope *model.Scope, src, in *Node) *Node { return s2s.TrainLogits(scope, src, in) })
	if err != nil {
		t.Fatal(err)
	}
	sampled, err := model.NewExec(be, store, func(scope *model.Scope, src, in, p *Node) *Node {
		return s2s.ScheduledSampling(scope, src, in, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	greedy, err := model.NewExec(be, store, func(scope *model.Scope, src *Node) *Node {
		tok, _ := s2s.Greedy(scope, src, m.MaxTarget)
		return tok
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{3, 7, 11, 19}
	exec := func(e *model.Exec, args ...any) *tensors.Tensor {
		out, err := e.Exec(args...)
		if err != nil {
			t.Fatal(err)
		}
		return out[0]
	}
	testutil.Deadline(t, 3*time.Minute, func() {
		b := ex.Rows(rows)
		want := tensors.MustCopyFlatData[float32](exec(forced, b.Src, b.TgtIn))
		b = ex.Rows(rows)
		if got := tensors.MustCopyFlatData[float32](exec(sampled, b.Src, b.TgtIn, float32(1))); !slices.Equal(got, want) {
			t.Error("teacher_forcing 1: logits differ from teacher forcing")
		}
		b = ex.Rows(rows)
		free := exec(sampled, b.Src, b.TgtIn, float32(0))
		V, T := m.VocabSize, ex.T
		logits := tensors.MustCopyFlatData[float32](free)
		own := make([]int32, len(rows)*T) // argmax of each step
		fed := make([]int32, len(rows)*T) // BOS, then the previous argmax
		for r := range rows {
			fed[r*T] = text.BOSID
			for t := range T {
				row := logits[(r*T+t)*V : (r*T+t+1)*V]
				own[r*T+t] = int32(slices.Index(row, slices.Max(row)))
				if t+1 < T {
					fed[r*T+t+1] = own[r*T+t]
				}
			}
		}
		b = ex.Rows(rows)
		again := tensors.MustCopyFlatData[float32](exec(forced, b.Src, tensors.FromFlatDataAndDimensions(fed, len(rows), T)))
		if d := maxAbsDiff(again, logits); d > 1e-6 {
			t.Errorf("teacher_forcing 0: logits differ by %g from teacher forcing on the model's own argmax tokens", d)
		}
		b = ex.Rows(rows)
		toks := tensors.MustCopyFlatData[int32](exec(greedy, b.Src))
		for r := range rows {
			for j := range T {
				if toks[r*T+j] != own[r*T+j] {
					t.Errorf("row %d step %d: greedy %d, sampled argmax %d", r, j, toks[r*T+j], own[r*T+j])
				}
				if toks[r*T+j] == text.EOSID {
					break
				}
			}
		}
	})
}

func maxAbsDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// Length buckets cut the padding and keep every example within its batch's bounds; same seed, same batches.
func TestBucketsCutPadding(t *testing.T) {
	pairs := data.Reverse(2000, 2, 1, 15)
	var texts []string
	for _, p := range pairs {
		texts = append(texts, p.Source, p.Target)
	}
	v := text.BuildVocab(texts, text.CharTokenizer{}, text.DefaultVocabConfig())
	ex, err := train.Encode(v, pairs, 16, 16)
	if err != nil {
		t.Fatal(err)
	}
	padding := func(s *train.Shuffler) (frac float64, shapes map[[2]int]bool, order []int) {
		shapes = map[[2]int]bool{}
		for range 200 {
			b := s.Next()
			frac += train.PaddingFraction(b) / 200
			S, T := b.Src.Shape().Dim(1), b.TgtOut.Shape().Dim(1)
			shapes[[2]int{S, T}] = true
			for _, i := range b.Index {
				if ls, lt := ex.Lengths(i); ls > S || lt > T {
					t.Fatalf("example %d (%d, %d tokens) in a batch of bounds (%d, %d)", i, ls, lt, S, T)
				}
			}
			order = append(order, b.Index...)
		}
		return
	}
	plain, _, _ := padding(train.NewShuffler(ex, 32, 1))
	s4, err := train.NewBucketShuffler(ex, 32, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	bucketed, shapes, order := padding(s4)
	s4b, _ := train.NewBucketShuffler(ex, 32, 1, 4)
	_, _, order2 := padding(s4b)
	t.Logf("padding fraction over 200 batches: %.1f%% without buckets, %.1f%% with 4 buckets %v (shapes seen %v)",
		100*plain, 100*bucketed, s4.Bounds(), shapes)
	if !(bucketed < plain*0.75) {
		t.Errorf("buckets did not cut padding: %.3f vs %.3f", bucketed, plain)
	}
	if want := [][2]int{{4, 4}, {8, 8}, {12, 12}, {16, 16}}; !slices.Equal(s4.Bounds(), want) {
		t.Errorf("bounds %v, want %v", s4.Bounds(), want)
	}
	if len(shapes) != 4 {
		t.Errorf("%d batch shapes, want 4", len(shapes))
	}
	if !slices.Equal(order, order2) {
		t.Error("same seed, different bucketed batches")
	}
}

// Every out-of-range or contradictory field is reported by its JSON name.
func TestConfigValidateNamesFields(t *testing.T) {
	base := train.DefaultConfig()
	for field, change := range map[string]func(c *train.Config){
		`"schedule"`:                    func(c *train.Config) { c.Schedule = "linear" },
		`"warmup_steps"`:                func(c *train.Config) { c.Schedule, c.WarmupSteps = train.ScheduleCosine, c.Steps },
		`"schedule" is "noam"`:          func(c *train.Config) { c.Schedule = train.ScheduleNoam },
		`"min_lr"`:                      func(c *train.Config) { c.MinLR = 0.001 },
		`"clip_norm"`:                   func(c *train.Config) { c.ClipNorm = -1 },
		`"label_smoothing"`:             func(c *train.Config) { c.LabelSmoothing = 1 },
		`"teacher_forcing.ratio"`:       func(c *train.Config) { c.TeacherForcing = &train.TeacherForcing{Ratio: 1.5} },
		`"teacher_forcing.final"`:       func(c *train.Config) { c.TeacherForcing = &train.TeacherForcing{Ratio: 1, Final: 0.5} },
		`"teacher_forcing.decay_steps"`: func(c *train.Config) { c.TeacherForcing = &train.TeacherForcing{Ratio: 1, DecaySteps: -1} },
		`"buckets"`:                     func(c *train.Config) { c.Buckets = -1 },
		`"metric"`:                      func(c *train.Config) { c.Metric = "bleu" },
		`"patience"`:                    func(c *train.Config) { c.Patience = -1 },
		`"checkpoint_every"`:            func(c *train.Config) { c.CheckpointEvery = -1 },
		`"keep_checkpoints"`:            func(c *train.Config) { c.KeepCheckpoints = -1 },
	} {
		c := base
		change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v", field, err)
		}
	}
}
