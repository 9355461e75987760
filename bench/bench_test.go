package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/report.golden.md")

// matmuls enumerates the model's matrix products as (rows, inner, cols), independently of Config.Flops's
// closed form: it walks the forward pass of bench/peers/torch_seq2seq.py layer by layer.
func matmuls(c Config, batch, steps int) [][3]int {
	B, E, H, A, V, S := batch, c.Embed, c.Hidden, c.Attention, c.Vocab, c.Source
	var out [][3]int
	for range S {
		out = append(out, [3]int{B, E, 4 * H}, [3]int{B, H, 4 * H}) // encoder LSTM: x·Wx, h·Wh
	}
	out = append(out, [3]int{B * S, H, A}) // keys
	for range steps {
		out = append(out,
			[3]int{B, H, A},         // query
			[3]int{B * S, A, 1},     // vᵀ tanh(…)
			[3]int{B, S, H},         // context: [1,S]·[S,H] per row
			[3]int{B, E + H, 4 * H}, // cell input kernel over [emb; ctx]
			[3]int{B, H, 4 * H},     // cell recurrent kernel
			[3]int{B, 2 * H, V},     // output over [h; ctx]
		)
	}
	return out
}

func TestFlopsMatchesEnumeratedMatmuls(t *testing.T) {
	for _, c := range Configs {
		for _, bs := range [][2]int{{c.Batch, c.Target}, {1, c.Decode}, {5, 3}} {
			var want float64
			for _, m := range matmuls(c, bs[0], bs[1]) {
				want += 2 * float64(m[0]) * float64(m[1]) * float64(m[2])
			}
			if got := c.Flops(bs[0], bs[1]); got != want {
				t.Errorf("config %s batch %d steps %d: Flops = %g, enumerated products give %g", c.Name, bs[0], bs[1], got, want)
			}
		}
	}
	// Hand count for a toy size: B=E=H=A=V=S=1, one step: encoder 2·2·4 = 16, keys 2, step 2+2+2+2·3·4+2·2 = 34.
	toy := Config{Vocab: 1, Embed: 1, Hidden: 1, Attention: 1, Source: 1}
	if got := toy.Flops(1, 1); got != 52 {
		t.Errorf("toy Flops = %g, want 52", got)
	}
	if got, want := Configs[0].TrainFlops(), 3*Configs[0].Flops(64, 24); got != want {
		t.Errorf("TrainFlops = %g, want %g", got, want)
	}
}

func TestDataIsTheReversalTask(t *testing.T) {
	c := Configs[0]
	bs, err := Data(c, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bs {
		for r := range c.Batch {
			src, in, out := b.Src[r*c.Source:(r+1)*c.Source], b.TgtIn[r*c.Target:(r+1)*c.Target], b.TgtOut[r*c.Target:(r+1)*c.Target]
			if src[c.Source-1] != EOSID || out[c.Target-1] != EOSID || in[0] != BOSID {
				t.Fatalf("batch %d row %d: end/begin tokens wrong: src %v in %v out %v", i, r, src, in, out)
			}
			for s := range c.Source - 1 {
				if src[s] < 4 || src[s] >= int32(c.Vocab) {
					t.Fatalf("batch %d row %d: token %d out of [4,%d)", i, r, src[s], c.Vocab)
				}
				if out[c.Target-2-s] != src[s] {
					t.Fatalf("batch %d row %d: target is not the reversed source: %v vs %v", i, r, src, out)
				}
			}
			for k := 1; k < c.Target; k++ {
				if in[k] != out[k-1] {
					t.Fatalf("batch %d row %d: TgtIn is not TgtOut shifted right", i, r)
				}
			}
		}
	}
	again, _ := Data(c, 3, 7)
	other, _ := Data(c, 3, 8)
	if !equalBatches(bs, again) || equalBatches(bs, other) {
		t.Error("Data is not a function of its seed")
	}
	// The first token by hand: state 7·1664525 + 1013904223 = 1025555898; >>8 = 4006077; 4 + 4006077 mod 60 = 61.
	if bs[0].Src[0] != 61 {
		t.Errorf("first token = %d, want 61", bs[0].Src[0])
	}
	if _, err := Data(Config{Name: "x", Vocab: 64, Source: 5, Target: 6, Batch: 1}, 1, 1); err == nil || !strings.Contains(err.Error(), "source (5) = target (6)") {
		t.Errorf("unequal lengths: err = %v", err)
	}
}

func equalBatches(a, b []Batch) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// TestDataMatchesPython runs bench/peers/common.py's generator (standard library only) and compares.
func TestDataMatchesPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found; the peers need it anyway")
	}
	for _, c := range Configs {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, py, "check_data.py", c.Name, "12345")
		cmd.Dir = "peers"
		out, err := cmd.Output()
		cancel()
		if err != nil {
			t.Fatalf("check_data.py %s: %v", c.Name, err)
		}
		var got struct{ Src, TgtIn, TgtOut [][]int32 }
		if err := json.Unmarshal(bytes.ReplaceAll(bytes.ReplaceAll(out, []byte(`"tgt_in"`), []byte(`"TgtIn"`)), []byte(`"tgt_out"`), []byte(`"TgtOut"`)), &got); err != nil {
			t.Fatal(err)
		}
		want, _ := Data(c, 2, 12345)
		flat := func(rows [][]int32) []int32 {
			var f []int32
			for _, r := range rows {
				f = append(f, r...)
			}
			return f
		}
		if !equalBatches([]Batch{{Src: flat(got.Src), TgtIn: flat(got.TgtIn), TgtOut: flat(got.TgtOut)}}, want[1:]) {
			t.Errorf("config %s: Python's second batch differs from Go's", c.Name)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{3, 1, 2})
	if s != (Summary{Median: 2, Min: 1, Max: 3, N: 3}) {
		t.Errorf("odd: %+v", s)
	}
	if s := Summarize([]float64{4, 1, 2, 3}); s.Median != 2.5 {
		t.Errorf("even median = %g, want 2.5", s.Median)
	}
	if s := Summarize(nil); !math.IsNaN(s.Median) || s.N != 0 {
		t.Errorf("empty: %+v", s)
	}
	rate := Summarize([]float64{0.5, 0.25, 1}).Map(func(x float64) float64 { return 100 / x })
	if rate != (Summary{Median: 200, Min: 100, Max: 400, N: 3}) {
		t.Errorf("decreasing map: %+v", rate)
	}
}

func TestParseOutput(t *testing.T) {
	r := Result{Framework: TorchEager, Config: "S", StepS: []float64{0.5}, NA: map[string]string{MetricBeam: "why"}}
	line, err := Emit(ResultPrefix, r)
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := Emit(ProbePrefix, Probe{Name: "p", N: 8, GFLOPS: []float64{1, 2}})
	rs, ps, err := ParseOutput([]byte("log line\n" + line + "more log\n" + pl))
	if err != nil || len(rs) != 1 || len(ps) != 1 || rs[0].NA[MetricBeam] != "why" || ps[0].GFLOPS[1] != 2 {
		t.Fatalf("round trip: %+v %+v %v", rs, ps, err)
	}
	_, _, err = ParseOutput([]byte("a\nb\n" + ResultPrefix + "{oops\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("bad JSON: err = %v, want one naming line 3", err)
	}
}

func sampleReport() Report {
	s, l := Configs[0], Configs[1]
	step := func(c Config, tokPerS float64) []float64 { // steps of the given throughput, ±10%
		x := float64(c.TargetTokens()) / tokPerS
		return []float64{x, 0.9 * x, 1.1 * x}
	}
	return Report{
		Command:   "bash scripts/bench.sh",
		ChartPath: "benchmarks-train.png",
		Machine:   Machine{Date: "2026-12-03 17:00 UTC", CPU: "Test CPU", Cores: 2, LoadStart: "0.10, 0.20, 0.30", LoadEnd: "1.00, 1.00, 1.00", Go: "go1.26.8", Python: "3.11.7"},
		Probes:    []Probe{{Name: "numpy", N: 2048, GFLOPS: []float64{100, 90, 110}}, {Name: "xla", N: 2048, GFLOPS: []float64{80}}},
		Results: []Result{
			{Framework: TorchEager, Config: "S", Version: "torch 9", Mode: "eager", Clip: true, Threads: 2, StepsPerRepeat: 5,
				StepS: step(s, 2000), GreedyS: []float64{0.02}, BeamS: []float64{0.03}, BatchDecodeS: []float64{0.5}, PeakRSSMB: 500},
			{Framework: TextgenXLA, Config: "S", Version: "GoMLX", Mode: "trainer", Threads: 2, StepsPerRepeat: 5,
				StepS: step(s, 7000), GreedyS: []float64{0.008}, BatchDecodeS: []float64{0.05}, PeakRSSMB: 1000,
				NA: map[string]string{MetricBeam: "n/a (not yet): no beam search"}},
			{Framework: TorchCompile, Config: "S", NA: map[string]string{MetricTrain: "n/a (timed out after 15m0s)"}},
			{Framework: TorchEager, Config: "L", StepS: step(l, 500), GreedyS: []float64{0.1}},
			{Framework: TextgenXLA, Config: "L", StepS: step(l, 550), GreedyS: []float64{0.06}},
		},
		Sections: []string{"## Earlier measurements\n\nKept."},
	}
}

func TestReportGolden(t *testing.T) {
	rep := sampleReport()
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bench -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("report differs from %s (go test ./bench -update rewrites it):\n%s", path, buf.String())
	}
	for _, s := range []string{"| textgen-xla | 0.0 | 7000 (6364–7778) | 3.50× |", "n/a (timed out after 15m0s)",
		"| S: XLA training vs PyTorch eager | 3.50 | 3.50 | ≥ 3.00 | **yes** / **yes** |", "**110.0 GFLOP/s** (numpy)", "## Earlier measurements"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

func TestTargets(t *testing.T) {
	rep := sampleReport()
	peak, _ := rep.Peak()
	got := map[string]Target{}
	for _, tg := range rep.Targets(peak) {
		got[tg.What] = tg
	}
	if tg := got["S: XLA training vs PyTorch eager"]; math.Abs(tg.Value-3.5) > 1e-9 || !tg.Met() {
		t.Errorf("S vs eager: %+v", tg)
	}
	if tg := got["L: XLA training vs PyTorch eager"]; math.Abs(tg.Value-1.1) > 1e-9 || tg.Met() {
		t.Errorf("L vs eager: %+v (1.1 < 1.2 must not be met)", tg)
	}
	if tg := got["S: XLA training vs torch.compile"]; !math.IsNaN(tg.Value) || tg.Met() {
		t.Errorf("vs timed-out torch.compile: %+v, want NaN and not met", tg)
	}
	if tg := got["S: XLA greedy latency / PyTorch eager's"]; math.Abs(tg.Value-0.4) > 1e-9 || !tg.Met() {
		t.Errorf("greedy: %+v", tg)
	}
	wantFrac := 3 * Configs[1].Flops(64, 32) / (float64(Configs[1].TargetTokens()) / 550) / 1e9 / 110
	if tg := got["L: XLA training GFLOP/s / matmul peak"]; math.Abs(tg.Value-wantFrac) > 1e-9 {
		t.Errorf("peak fraction %g, want %g", tg.Value, wantFrac)
	}
}

func TestChart(t *testing.T) {
	rep := sampleReport()
	if _, err := rep.Chart(); err != nil {
		t.Fatal(err)
	}
	rep.Results = nil
	if _, err := rep.Chart(); err == nil {
		t.Error("chart without results: want an error")
	}
}

func TestConfigByName(t *testing.T) {
	if c, err := ConfigByName("L"); err != nil || c.Vocab != 8000 || c.Hidden != 512 {
		t.Errorf("L: %+v %v", c, err)
	}
	if _, err := ConfigByName("M"); err == nil || !strings.Contains(err.Error(), `"M"`) {
		t.Errorf("unknown: %v", err)
	}
}

func TestBusyMachineWarningOnlyWhenLoaded(t *testing.T) {
	rep := sampleReport()
	rep.Machine.LoadEnd = "2.50, 1.00, 1.00"
	var busy bytes.Buffer
	if err := rep.Write(&busy); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Measured on a busy machine** (load average up to 2.5 on 2 CPUs)",
		"| S: XLA training vs PyTorch eager | 3.50 | 3.50 | ≥ 3.00 | undecided: busy machine (**yes** / **yes**) |",
		"| S: XLA training vs torch.compile | n/a | n/a | ≥ 1.00 | no / no |"} {
		if !strings.Contains(busy.String(), s) {
			t.Errorf("busy report lacks %q", s)
		}
	}
	rep.Machine.LoadStart, rep.Machine.LoadEnd = "1.90, 3.00, 3.00", "0.50, 0.40, 0.30" // only the 1-minute figure counts
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "busy machine") {
		t.Error("load 1.9 on 2 CPUs is not busy, but the report says so")
	}
	if firstLoad("garbage") != 0 || firstLoad("12.5, 1, 1") != 12.5 {
		t.Error("firstLoad parses wrongly")
	}
}

func TestTargetsOnBestRepeats(t *testing.T) {
	rep := sampleReport()
	// PyTorch eager on L: steps of 4.1 s, 4.0 s and 1.0 s (one quiet repeat); textgen: 3.0 s each.
	for i := range rep.Results {
		switch r := &rep.Results[i]; {
		case r.Framework == TorchEager && r.Config == "L":
			r.StepS = []float64{4.1, 4.0, 1.0}
		case r.Framework == TextgenXLA && r.Config == "L":
			r.StepS = []float64{3, 3, 3}
		}
	}
	for _, tg := range rep.Targets(100) {
		if tg.What != "L: XLA training vs PyTorch eager" {
			continue
		}
		if math.Abs(tg.Value-4.0/3) > 1e-9 || math.Abs(tg.Best-1.0/3) > 1e-9 || !tg.Met() || tg.met(tg.Best) {
			t.Errorf("medians 4.0/3 (met), best 1/3 (not met): got %+v", tg)
		}
	}
}
