package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
)

// Frameworks, the values of Result.Framework, in the order of the report's tables.
const (
	TextgenXLA     = "textgen-xla"
	TextgenGo      = "textgen-go"
	TorchEager     = "pytorch-eager"
	TorchCompile   = "pytorch-compile"
	KerasTF        = "keras-tf"
	ReferenceTorch = TorchEager // the denominator of every ratio
)

// Metric names, the keys of Result.NA.
const (
	MetricTrain       = "train"
	MetricGreedy      = "greedy"
	MetricBeam        = "beam"
	MetricBatchDecode = "batch_decode"
)

// Result is what one runner process measured for one framework and one config. Runners print it as a single
// JSON line starting with ResultPrefix; the driver adds PeakRSSMB and WallS.
type Result struct {
	Framework string   `json:"framework"` // One of the framework constants.
	Config    string   `json:"config"`    // "S" or "L".
	Version   string   `json:"version"`   // e.g. "torch 2.15.0".
	Threads   int      `json:"threads"`   // Intra-op threads the framework was told to use (0: its default).
	Mode      string   `json:"mode"`      // How it was run, e.g. "fit(), jit_compile=True".
	Clip      bool     `json:"clip"`      // Whether global-norm gradient clipping was applied.
	Notes     []string `json:"notes,omitempty"`

	FirstStepS     float64   `json:"first_step_s"`     // Build + compile + the first training step.
	StepsPerRepeat int       `json:"steps_per_repeat"` // Training steps timed together in each repeat.
	StepS          []float64 `json:"step_s"`           // Seconds per training step, one per repeat (warm-up excluded).
	LossFirst      float64   `json:"loss_first"`       // Loss of the first step (≈ ln V from any sane init).
	LossLast       float64   `json:"loss_last"`        // Loss of the last timed step.

	GreedyFirstS float64   `json:"greedy_first_s"` // Build/compile + the first greedy decode (batch 1).
	GreedyS      []float64 `json:"greedy_s"`       // Seconds per greedy decode of one source, Config.Decode steps.
	BeamS        []float64 `json:"beam_s"`         // Seconds per beam search of one source, width Config.Beam.
	BatchDecodeS []float64 `json:"batch_decode_s"` // Seconds per greedy decode of a batch of Config.Batch sources.

	NA map[string]string `json:"na,omitempty"` // Metric → why it was not measured.

	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"` // Set by the driver from the child's rusage.
	WallS     float64 `json:"wall_s,omitempty"`      // Set by the driver.
}

// Probe is a matmul peak measurement: GFLOP/s of an N×N float32 product, one value per repeat.
type Probe struct {
	Name   string    `json:"name"` // e.g. "numpy 2.4.6 (OpenBLAS)".
	N      int       `json:"n"`
	GFLOPS []float64 `json:"gflops"`
}

// ResultPrefix starts the line that carries a runner's JSON result; everything else on stdout is log.
const ResultPrefix = "BENCH_RESULT "

// ProbePrefix starts the line that carries a Probe.
const ProbePrefix = "BENCH_PROBE "

// ParseOutput extracts the results and probes from a runner's stdout. A prefixed line that is not valid JSON is
// an error naming its line number.
func ParseOutput(out []byte) ([]Result, []Probe, error) {
	var rs []Result
	var ps []Probe
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		switch {
		case bytes.HasPrefix(b, []byte(ResultPrefix)):
			var r Result
			if err := json.Unmarshal(b[len(ResultPrefix):], &r); err != nil {
				return nil, nil, fmt.Errorf("bench: output line %d: result: %w", line, err)
			}
			rs = append(rs, r)
		case bytes.HasPrefix(b, []byte(ProbePrefix)):
			var p Probe
			if err := json.Unmarshal(b[len(ProbePrefix):], &p); err != nil {
				return nil, nil, fmt.Errorf("bench: output line %d: probe: %w", line, err)
			}
			ps = append(ps, p)
		}
	}
	return rs, ps, sc.Err()
}

// Emit formats v as one prefixed JSON line.
func Emit(prefix string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return prefix + string(b) + "\n", nil
}
