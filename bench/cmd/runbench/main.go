// Command runbench runs the whole benchmark — textgen on XLA and on the Go backend, PyTorch eager and
// torch.compile, Keras 3 on TensorFlow, and the matmul probes — each in its own process, one after another, and
// writes docs/benchmarks.md with the tables and a chart. `bash scripts/bench.sh` builds and calls it.
//
//	runbench -python .textgen/bench-venv/bin/python -textgenbench .textgen/bench/textgenbench
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/gotextgen/textgen/bench"
	"github.com/gotextgen/textgen/internal/atomicfile"
	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/backend"
)

// counts are the repetition counts of one run.
type counts struct{ warmup, repeats, steps, decodeRepeats int }

func (c counts) args(dash string) []string {
	return []string{dash + "warmup", strconv.Itoa(c.warmup), dash + "repeats", strconv.Itoa(c.repeats),
		dash + "steps", strconv.Itoa(c.steps), dash + "decode-repeats", strconv.Itoa(c.decodeRepeats)}
}

// plan returns the counts for a framework and config. L gets fewer repeats than S (a step is ~50× the work),
// and the pure-Go backend, at ~1.5 GFLOP/s about 100 s per L step on 2 cores, fewer still.
func plan(quick bool, fw, cfg string) counts {
	switch {
	case quick:
		return counts{0, 2, 1, 2}
	case cfg == "L" && fw == bench.TextgenGo:
		return counts{0, 2, 1, 2}
	case cfg == "L":
		return counts{1, 3, 1, 5}
	case fw == bench.TextgenGo:
		return counts{1, 5, 2, 10}
	}
	return counts{3, 7, 5, 10}
}

type job struct {
	fw, cfg string
	argv    []string
	dir     string
	timeout time.Duration
}

type options struct {
	python, textgenbench, out, chart, only, configs, logs, history string
	quick                                                          bool
	from                                                           string
	timeout                                                        time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.python, "python", ".textgen/bench-venv/bin/python", "Python of the bench venv (torch, tensorflow-cpu, keras)")
	flag.StringVar(&o.textgenbench, "textgenbench", ".textgen/bench/textgenbench", "the built bench/cmd/textgenbench")
	flag.StringVar(&o.out, "out", "docs/benchmarks.md", "report to write")
	flag.StringVar(&o.chart, "chart", "docs/benchmarks-train.png", "chart to write")
	flag.StringVar(&o.history, "sections", "bench/findings.md,bench/history.md", "comma-separated markdown files appended to the report (profiling findings, earlier measurements)")
	flag.StringVar(&o.logs, "logs", ".textgen/bench/logs", "folder for each run's stderr and the raw results")
	flag.StringVar(&o.only, "only", "", "comma-separated frameworks to run (default all)")
	flag.StringVar(&o.configs, "configs", "S,L", "comma-separated configs")
	flag.StringVar(&o.from, "from", "", "rewrite the report from a results.json of an earlier run instead of running")
	flag.BoolVar(&o.quick, "quick", false, "tiny step counts: checks the pipeline, numbers meaningless")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Minute, "limit of each run (torch.compile may exceed it on L)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "runbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	root, err := project.Root()
	if err != nil {
		return err
	}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(root, p)
	}
	o.python, o.textgenbench, o.out, o.chart, o.logs = abs(o.python), abs(o.textgenbench), abs(o.out), abs(o.chart), abs(o.logs)
	if err := os.MkdirAll(o.logs, 0o755); err != nil {
		return err
	}
	peers := filepath.Join(root, "bench", "peers")
	var jobs []job
	probes := []job{
		{fw: "probe-xla", argv: []string{o.textgenbench, "-backend", "xla", "-probe", "2048", "-repeats", "5"}, dir: root},
		{fw: "probe-go", argv: []string{o.textgenbench, "-backend", "go", "-probe", "1024", "-repeats", "3"}, dir: root},
		{fw: "probe-python", argv: []string{o.python, "torch_seq2seq.py", "--probe", "2048", "--repeats", "5"}, dir: peers},
	}
	for _, cfg := range strings.Split(o.configs, ",") {
		for _, fw := range []string{bench.TextgenXLA, bench.TorchEager, bench.TorchCompile, bench.KerasTF, bench.TextgenGo} { // the slowest last
			c := plan(o.quick, fw, cfg)
			var argv []string
			dir := peers
			switch fw {
			case bench.TextgenXLA, bench.TextgenGo:
				be := "xla"
				if fw == bench.TextgenGo {
					be = "go"
				}
				argv = append([]string{o.textgenbench, "-config", cfg, "-backend", be}, c.args("-")...)
				dir = root
			case bench.TorchEager, bench.TorchCompile:
				mode := "eager"
				if fw == bench.TorchCompile {
					mode = "compile"
				}
				argv = append([]string{o.python, "torch_seq2seq.py", "--config", cfg, "--mode", mode}, c.args("--")...)
			case bench.KerasTF:
				argv = append([]string{o.python, "keras_seq2seq.py", "--config", cfg}, c.args("--")...)
			}
			jobs = append(jobs, job{fw: fw, cfg: cfg, argv: argv, dir: dir})
		}
	}
	if o.only != "" {
		keep := map[string]bool{}
		for _, f := range strings.Split(o.only, ",") {
			keep[f] = true
		}
		var kept []job
		for _, j := range append(probes, jobs...) {
			if keep[j.fw] {
				kept = append(kept, j)
			}
		}
		probes, jobs = nil, kept
	}

	rep := bench.Report{Command: "bash scripts/bench.sh", ChartPath: filepath.Base(o.chart)}
	for _, f := range strings.Split(o.history, ",") {
		if f == "" {
			continue
		}
		h, err := os.ReadFile(abs(f))
		if err != nil {
			return fmt.Errorf("reading a report section: %w", err)
		}
		rep.Sections = append(rep.Sections, string(h))
	}
	if o.from != "" {
		raw, err := os.ReadFile(abs(o.from))
		if err != nil {
			return err
		}
		var old bench.Report
		if err := json.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("%s: %w", o.from, err)
		}
		rep.Machine, rep.Results, rep.Probes = old.Machine, old.Results, old.Probes
	} else {
		rep.Machine = machine(o.python)
		rep.Machine.LoadStart = loadavg()
		// results.json is rewritten after every run, so an interrupted benchmark still leaves what it measured
		// (runbench -from .textgen/bench/logs/results.json writes a report from it).
		save := func() error {
			rep.Machine.LoadEnd = loadavg()
			bench.SortResults(rep.Results)
			raw, _ := json.MarshalIndent(bench.Report{Machine: rep.Machine, Results: rep.Results, Probes: rep.Probes}, "", "  ")
			return atomicfile.Write(filepath.Join(o.logs, "results.json"), raw, 0o644)
		}
		for _, j := range append(probes, jobs...) {
			j.timeout = o.timeout
			res, ps := runJob(j, o.logs)
			rep.Probes = append(rep.Probes, ps...)
			if res != nil {
				rep.Results = append(rep.Results, *res)
			}
			if err := save(); err != nil {
				return err
			}
		}
	}
	p, err := rep.Chart()
	if err != nil {
		fmt.Fprintln(os.Stderr, "runbench: no chart:", err)
		rep.ChartPath = ""
	} else if err := plots.Save(p, 18*vg.Centimeter, 10*vg.Centimeter, o.chart); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		return err
	}
	if err := atomicfile.Write(o.out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "runbench: wrote", o.out, "and", o.chart)
	return nil
}

// runJob runs one process, returning its result (with peak RSS and wall time, or an n/a reason when it failed)
// and any probes it printed.
func runJob(j job, logs string) (*bench.Result, []bench.Probe) {
	name := j.fw
	if j.cfg != "" {
		name += "-" + j.cfg
	}
	fmt.Fprintf(os.Stderr, "runbench: %s: %s\n", name, strings.Join(j.argv, " "))
	ctx, cancel := context.WithTimeout(context.Background(), j.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, j.argv[0], j.argv[1:]...)
	cmd.Dir = j.dir
	cmd.Env = append(os.Environ(), "BENCH_THREADS="+strconv.Itoa(runtime.NumCPU()), "PYTHONUNBUFFERED=1")
	cmd.WaitDelay = 10 * time.Second
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	logPath := filepath.Join(logs, name+".log")
	if logf, err := os.Create(logPath); err == nil {
		defer logf.Close()
		cmd.Stderr = logf
	}
	start := time.Now()
	runErr := cmd.Run()
	wall := time.Since(start).Seconds()
	results, probes, perr := bench.ParseOutput(stdout.Bytes())
	if j.cfg == "" { // a probe job
		if runErr != nil || perr != nil {
			fmt.Fprintf(os.Stderr, "runbench: %s failed: %v %v (see %s)\n", name, runErr, perr, logPath)
		}
		return nil, probes
	}
	var res *bench.Result
	if len(results) > 0 {
		res = &results[0]
	}
	why := ""
	switch {
	case ctx.Err() != nil:
		why = fmt.Sprintf("n/a (timed out after %s)", j.timeout)
	case runErr != nil:
		why = fmt.Sprintf("n/a (failed: %s)", lastLine(logPath))
	case perr != nil || res == nil:
		why = "n/a (no result printed)"
	}
	if why != "" {
		fmt.Fprintf(os.Stderr, "runbench: %s: %s\n", name, why)
		res = &bench.Result{Framework: j.fw, Config: j.cfg, NA: map[string]string{bench.MetricTrain: why,
			bench.MetricGreedy: why, bench.MetricBeam: why, bench.MetricBatchDecode: why}}
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.PeakRSSMB = float64(ru.Maxrss) / 1024 // Linux: KiB
		}
	}
	res.WallS = wall
	return res, probes
}

// lastLine returns the last non-empty line of a log, shortened, for an n/a reason.
func lastLine(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	l := strings.TrimSpace(lines[len(lines)-1])
	if len(l) > 160 {
		l = l[:160] + "…"
	}
	return strings.ReplaceAll(l, "|", "/")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func machine(python string) bench.Machine {
	m := bench.Machine{Date: time.Now().UTC().Format("2006-01-02 15:04 MST"), Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		if strings.Contains(string(b), " avx512f") {
			m.CPU += " (AVX-512)"
		} else if strings.Contains(string(b), " avx2") {
			m.CPU += " (AVX2)"
		}
	}
	m.Environment = []string{
		fmt.Sprintf("XLA: the PJRT CPU plugin of the PyPI wheel %s %s (installed by `textgen setup`).", backend.PluginWheel, backend.PluginWheelVersion),
		"PyTorch: PyPI's default Linux wheel (a CUDA build; its NVIDIA wheels are installed but unused, see bench/requirements.txt), " +
			"run on the CPU with torch.set_num_threads(all logical CPUs). Keras 3 on `tensorflow-cpu`.",
	}
	if out, err := exec.Command(python, "-c", "import platform; print(platform.python_version())").Output(); err == nil {
		m.Python = strings.TrimSpace(string(out))
	}
	return m
}
