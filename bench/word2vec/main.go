// Command word2vec measures textgen's GoMLX word2vec trainer against gensim 4.4 on the same corpus
// and settings: training words/s of ours on each backend and of gensim with 1 and 2 worker threads,
// side by side and as ratios to gensim workers=1, plus overlap@k of nearest neighbours against
// gensim's vectors (and gensim against itself with another seed, the reference).
//
//	go run ./bench/word2vec [-poems 5000] [-backends go,xla] [-workers 1,2] [-epochs 5] ...
//
// The corpus is chinese-poetry's 全唐诗 (characters as tokens) from `.textgen/corpora` (installed by
// `go run ./cmd/textgen setup`; -corpora DIR to use another folder). Gensim runs from the project
// venv (.textgen/venv). Words/s = corpus words × epochs / training seconds (vocabulary building
// excluded for both; ours includes graph compilation). Timings on a shared machine are noisy.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/compute"

	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/embed"
)

// ProbeChars are the characters whose neighbours are compared.
var ProbeChars = strings.Fields("月 山 春 风 花 水 云 人 日 夜 秋 天 江 雨 酒 马 白 青 心 门")

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/word2vec:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := embed.DefaultWord2VecConfig()
	corpora := flag.String("corpora", "", "corpora folder (default: .textgen/corpora of this checkout)")
	poems := flag.Int("poems", 5000, "number of Tang poems to train on (0: all)")
	backends := flag.String("backends", "go,xla", "our backends to run, comma-separated (go, xla, or GOMLX_BACKEND values)")
	workers := flag.String("workers", "1,2", "gensim worker counts to run, comma-separated (empty: skip gensim)")
	k := flag.Int("k", 10, "neighbours compared per probe character")
	flag.IntVar(&cfg.SG, "sg", cfg.SG, "1 skip-gram, 0 CBOW")
	flag.IntVar(&cfg.VectorSize, "vector-size", cfg.VectorSize, "vector dimension")
	flag.IntVar(&cfg.Window, "window", cfg.Window, "window")
	flag.IntVar(&cfg.MinCount, "min-count", cfg.MinCount, "min_count")
	flag.IntVar(&cfg.Negative, "negative", cfg.Negative, "noise words per example")
	flag.Float64Var(&cfg.Sample, "sample", cfg.Sample, "sub-sampling threshold")
	flag.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "epochs")
	flag.IntVar(&cfg.BatchSize, "batch", cfg.BatchSize, "our examples per GoMLX step")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of our training runs to this file")
	flag.Parse()
	if err := cfg.Validate(); err != nil {
		return err
	}
	dir := *corpora
	if dir == "" {
		var err error
		if dir, err = data.CorporaDir(); err != nil {
			return err
		}
	}
	ps, err := data.TangPoems(dir, *poems)
	if err != nil {
		return err
	}
	sentences := data.Sentences(ps)
	tmp, err := os.MkdirTemp("", "bench-word2vec-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var words int
	var b strings.Builder
	for _, s := range sentences {
		words += len(s)
		b.WriteString(strings.Join(s, " ") + "\n")
	}
	corpusFile := filepath.Join(tmp, "corpus.txt")
	if err := os.WriteFile(corpusFile, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("corpus: %d Tang poems, %d characters; config %+v\n", len(sentences), words, cfg)

	type row struct {
		name   string
		wps    float64
		vecs   *embed.Vectors
		detail string
	}
	var rows []row
	var gensimRef, gensimOther *embed.Vectors
	for _, w := range splitList(*workers) {
		n, err := strconv.Atoi(w)
		if err != nil {
			return fmt.Errorf("-workers: %w", err)
		}
		runs, err := gensimTrain(tmp, corpusFile, cfg, n, []int64{1, 2})
		if err != nil {
			return err
		}
		for i, r := range runs {
			if i == 0 {
				rows = append(rows, row{fmt.Sprintf("gensim workers=%d", n), r.wps, r.vecs, fmt.Sprintf("%.1fs", r.seconds)})
			}
			if n == 1 && i == 0 {
				gensimRef = r.vecs
			}
			if n == 1 && i == 1 {
				gensimOther = r.vecs
			}
		}
	}
	for _, name := range splitList(*backends) {
		be, err := startBackend(name)
		if err != nil {
			return err
		}
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		vecs, stats, err := embed.TrainWord2Vec(context.Background(), be, sentences, cfg, nil)
		pprof.StopCPUProfile()
		be.Finalize()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, row{"ours " + name, stats.WordsPerSec, vecs,
			fmt.Sprintf("%.1fs, %d steps, final loss %.3f", stats.Seconds, stats.Steps, stats.EpochLoss[len(stats.EpochLoss)-1])})
	}
	probe, err := startBackend("go")
	if err != nil {
		return err
	}
	fmt.Printf("\n%-22s %12s %10s %12s  %s\n", "trainer", "words/s", "ratio", fmt.Sprintf("overlap@%d", *k), "")
	base := 0.0
	for _, r := range rows {
		if base == 0 && strings.HasPrefix(r.name, "gensim workers=1") {
			base = r.wps
		}
	}
	for _, r := range rows {
		ratio, ov := "", ""
		if base > 0 {
			ratio = fmt.Sprintf("%.3f", r.wps/base)
		}
		if gensimRef != nil && r.vecs != gensimRef {
			if m, _, err := embed.NeighborOverlap(probe, r.vecs, gensimRef, ProbeChars, *k); err == nil {
				ov = fmt.Sprintf("%.3f", m)
			} else {
				ov = err.Error()
			}
		}
		fmt.Printf("%-22s %12.0f %10s %12s  %s\n", r.name, r.wps, ratio, ov, r.detail)
	}
	if gensimRef != nil && gensimOther != nil {
		m, _, err := embed.NeighborOverlap(probe, gensimOther, gensimRef, ProbeChars, *k)
		if err != nil {
			return err
		}
		fmt.Printf("%-22s %12s %10s %12.3f  (reference: gensim seed 2 vs seed 1)\n", "gensim seed 2", "", "", m)
	}
	fmt.Println("ratio: words/s ÷ gensim workers=1; overlap: vs gensim workers=1 seed 1, over", len(ProbeChars), "characters")
	return nil
}

// gensimRun is one gensim training run.
type gensimRun struct {
	seconds, wps float64
	vecs         *embed.Vectors
}

// gensimTrain trains gensim once per seed with the project venv's Python and reads the vectors back.
func gensimTrain(tmp, corpus string, cfg embed.Word2VecConfig, workers int, seeds []int64) ([]gensimRun, error) {
	root, err := project.Root()
	if err != nil {
		return nil, err
	}
	python := filepath.Join(project.ToolsDir(root), "venv", "bin", "python")
	prefix := filepath.Join(tmp, fmt.Sprintf("gensim-w%d-", workers))
	params := cfg.GensimParams()
	params["workers"], params["seeds"], params["prefix"] = workers, seeds, prefix
	pj, _ := json.Marshal(params)
	pfile, out := filepath.Join(tmp, "params.json"), filepath.Join(tmp, "gensim.json")
	if err := os.WriteFile(pfile, pj, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	script := filepath.Join(root, "seq2seq", "embed", "testdata", "word2vec_gensim.py")
	if msg, err := exec.CommandContext(ctx, python, "-W", "ignore", script, "train", corpus, pfile, out).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("gensim (%s; run `go run ./cmd/textgen setup` for the venv): %v\n%s", python, err, msg)
	}
	var res struct {
		Runs []struct {
			Seed        int64
			Seconds     float64
			WordsPerSec float64 `json:"words_per_sec"`
		}
	}
	raw, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(raw, &res)
	}
	if err != nil {
		return nil, err
	}
	var runs []gensimRun
	for _, r := range res.Runs {
		v, err := embed.ReadFile(fmt.Sprintf("%s%d.txt", prefix, r.Seed), embed.Text, embed.DefaultOptions())
		if err != nil {
			return nil, err
		}
		runs = append(runs, gensimRun{seconds: r.Seconds, wps: r.WordsPerSec, vecs: v})
	}
	return runs, nil
}

// startBackend starts the backend named as $GOMLX_BACKEND would name it.
func startBackend(name string) (compute.Backend, error) {
	env := backend.ProcessEnv()
	env.Backend = name
	choice, err := backend.ChooseWith(env)
	if err != nil {
		return nil, err
	}
	return backend.Start(choice)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
