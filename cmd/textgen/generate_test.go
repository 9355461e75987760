package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/run"
	"github.com/gotextgen/textgen/seq2seq/train"
)

var (
	runOnce sync.Once
	runDir  string
	runJob  *run.Job
	runErr  error
)

// trainedRun writes, once per test binary, the run folder of a small reversal model trained for 200 steps
// (seconds on the Go backend) with run.Writer, as textgen demo does.
func trainedRun(t *testing.T) (string, *run.Job) {
	t.Helper()
	be := testutil.Backend(t)
	testutil.Deadline(t, 5*time.Minute, func() {
		runOnce.Do(func() {
			cfg := run.DefaultConfig()
			cfg.Task = "reverse"
			cfg.Train, cfg.Valid, cfg.Test = 2000, 32, 64
			cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 48, 24
			cfg.Model.MaxSource, cfg.Model.MaxTarget = 7, 7
			cfg.Loop.Steps, cfg.Loop.BatchSize, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 200, 32, 0.01, 0
			if runJob, runErr = run.Prepare(be, cfg); runErr != nil {
				return
			}
			if _, runErr = runJob.Train(context.Background(), train.Hooks{}); runErr != nil {
				return
			}
			dir, err := os.MkdirTemp("", "textgen-generate-test-")
			if err != nil {
				runErr = err
				return
			}
			runDir = filepath.Join(dir, "run")
			w, err := run.Create(runDir)
			if err != nil {
				runErr = err
				return
			}
			if runErr = w.SaveModel(runJob.Config, runJob.Vocab, runJob.Store); runErr == nil {
				runErr = w.Commit()
			}
		})
	})
	if runErr != nil {
		t.Fatal(runErr)
	}
	return runDir, runJob
}

func TestMain(m *testing.M) {
	code := m.Run()
	if runDir != "" {
		_ = os.RemoveAll(filepath.Dir(runDir))
	}
	os.Exit(code)
}

// cli runs a command function and returns its stdout.
func cli(t *testing.T, f func(args []string, stdout, stderr *bytes.Buffer) error, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	var err error
	testutil.Deadline(t, 5*time.Minute, func() { err = f(args, &out, &errOut) })
	return out.String(), err
}

func generateCmd(args []string, stdout, stderr *bytes.Buffer) error {
	return generate(args, stdout, stderr)
}

// generate prints input<TAB>generation per hypothesis; its beam and sampling outputs are those of the
// decode package on the same weights (the in-memory job that wrote the folder), its greedy outputs the
// reversals.
func TestGenerateMatchesDecoder(t *testing.T) {
	dir, j := trainedRun(t)
	prompts := []string{"abc", "hello", "xyz"}
	d, err := decode.New(testutil.Backend(t), j.Store, j.Model, j.Vocab)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		opts decode.Options
	}{
		{[]string{"-strategy", "beam", "-beam", "4", "-n-best", "3", "-length-penalty", "0.6"},
			decode.Options{Strategy: decode.StrategyBeam, Beam: 4, NBest: 3, LengthPenalty: 0.6}},
		{[]string{"-strategy", "sample", "-temperature", "1.5", "-top-k", "5", "-n-best", "2", "-seed", "7"},
			decode.Options{Strategy: decode.StrategySample, Temperature: 1.5, TopK: 5, NBest: 2, Seed: 7}},
	} {
		out, err := cli(t, generateCmd, append(append([]string{"-run", dir}, c.args...), prompts...)...)
		if err != nil {
			t.Fatalf("generate %v: %v", c.args, err)
		}
		res, err := d.Decode(prompts, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range res {
			for _, h := range r.NBest {
				want = append(want, r.Source+"\t"+h.Text)
			}
		}
		if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, want) {
			t.Errorf("generate %v printed\n%q\nwant\n%q", c.args, got, want)
		}
	}
	// The trained model reverses.
	if out, _ := cli(t, generateCmd, "-run", dir, "abc", "hello", "xyz"); !strings.HasPrefix(out, "abc\tcba\nhello\tolleh\n") {
		t.Errorf("generate abc hello xyz printed %q, want the reversals first", out)
	}
}

func TestGenerateVerboseAndInputFile(t *testing.T) {
	dir, _ := trainedRun(t)
	in := filepath.Join(t.TempDir(), "prompts.txt")
	if err := os.WriteFile(in, []byte("\uFEFFabc\r\n\nhello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, generateCmd, "-run", dir, "-v", "-input", in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// Two prompts, each a result line and a token line.
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "abc\tcba\tlogp=") || !strings.Contains(lines[0], "\ttokens=4") ||
		!strings.HasPrefix(lines[2], "hello\tolleh\tlogp=") || !strings.HasPrefix(lines[1], "  c:") {
		t.Errorf("generate -v -input printed:\n%s", out)
	}
}

func TestGenerateErrors(t *testing.T) {
	dir, _ := trainedRun(t)
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("abc\n\xff\xfe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"abc"}, "-run DIR is required"},
		{[]string{"-run", filepath.Join(dir, "nope"), "abc"}, "is not a directory"},
		{[]string{"-run", dir}, "no prompts"},
		{[]string{"-run", dir, "-input", empty}, "no prompts"},
		{[]string{"-run", dir, "-input", bad}, bad + ":2: invalid UTF-8"},
		{[]string{"-run", dir, "-input", empty, "abc"}, "not both"},
		{[]string{"-run", dir, "abcdefghij"}, "prompt 1 \"abcdefghij\" has 11 tokens"},
		{[]string{"-run", dir, "-strategy", "viterbi", "abc"}, "must be greedy, sample or beam"},
		{[]string{"-run", dir, "-n-best", "2", "abc"}, "must be 1 for greedy"},
		{[]string{"-run", dir, "-strategy", "beam", "-beam", "2", "-n-best", "3", "abc"}, "≤ the beam width 2"},
		{[]string{"-run", dir, "-strategy", "sample", "-top-p", "1.5", "abc"}, "top-p"},
		{[]string{"-run", dir, "-strategy", "sample", "-temperature", "-1", "abc"}, "temperature"},
		{[]string{"-run", dir, "-strategy", "sample", "-temperature", "0", "abc"}, "-temperature 0: must be > 0"},
		{[]string{"-run", dir, "-strategy", "sample", "-top-p", "0", "abc"}, "-top-p 0: must be in (0, 1]"},
		{[]string{"-run", dir, "-strategy", "beam", "-beam", "0", "abc"}, "-beam 0: the beam width must be ≥ 1"},
		{[]string{"-run", dir, "-batch", "0", "abc"}, "-batch 0: must be ≥ 1"},
	} {
		_, err := cli(t, generateCmd, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("generate %q: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}

// readPrompts never panics; what it returns are the file's non-blank lines, valid UTF-8, without line ends.
func FuzzReadPrompts(f *testing.F) {
	for _, s := range []string{"abc\n", "\uFEFFa\r\nb", "\xff\n", "", "\n\n x \n", "März\t3\r\n床前明月光\n"} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "prompts.txt")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readPrompts(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) && !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		nonBlank := 0
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSuffix(line, "\r")
			if i == 0 {
				line = strings.TrimPrefix(line, "\uFEFF")
			}
			if strings.TrimSpace(line) != "" {
				nonBlank++
			}
		}
		if len(got) != nonBlank {
			t.Errorf("%d prompts from %q, want %d", len(got), b, nonBlank)
		}
		for _, p := range got {
			if !utf8.ValidString(p) || strings.ContainsAny(p, "\n") || strings.TrimSpace(p) == "" {
				t.Errorf("bad prompt %q from %q", p, b)
			}
		}
	})
}
