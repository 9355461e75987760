package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// fixtureCorpora is a corpora folder in chinese-poetry's and fortunes-zh's layouts: 17 poems in traditional
// characters (one a duplicate of 靜夜思, one that quotes its first verse, one with a lost character □, one
// with lines of 10 and 1 characters, one with no two equal-length regular verses) and 4 in tang300.
var fixtureCorpora = filepath.Join("testdata", "poetry")

// Pairs the fixture gives: 12 poems of 4 regular verses (3 pairs each; the duplicate of 静夜思 is not
// counted), 将进酒 and 咏鹅 with 2 each, 读书 with 1.
const fixturePairs = 12*3 + 2 + 2 + 1

func fixtureConfig(task string, trainN, validN, testN int) Config {
	cfg := DefaultConfig()
	cfg.Task = task
	cfg.Train, cfg.Valid, cfg.Test = trainN, validN, testN
	cfg.Model.MaxSource, cfg.Model.MaxTarget = 8, poetryTargetLen(task)
	cfg.Loop.BatchSize = 8
	return cfg
}

func fixtureSplit(t *testing.T, cfg Config) (train, valid, test []data.Pair) {
	t.Helper()
	pairs := nextLines
	if cfg.Task == TaskContinue {
		pairs = ContinuePairs
	}
	train, valid, test, err := poetryFrom(fixtureCorpora, readTang, pairs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return train, valid, test
}

func TestPoetryFixturePairs(t *testing.T) {
	poems, err := readTang(fixtureCorpora)
	if err != nil {
		t.Fatal(err)
	}
	// Without held-out sets every pair goes to training; one more is an error that says how many there are.
	all, _, _, err := PoetrySplit(poems, nextLines, 1, fixturePairs, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = PoetrySplit(poems, nextLines, 1, fixturePairs+1, 0, 0)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d training pairs", fixturePairs)) {
		t.Errorf("asking for one pair too many: error %v, want one naming the %d training pairs available", err, fixturePairs)
	}
	train, valid, test := fixtureSplit(t, fixtureConfig(TaskPoetry, 20, 4, 6))
	if len(train) != 20 || len(valid) != 4 || len(test) != 6 {
		t.Fatalf("sizes %d, %d, %d, want 20, 4, 6", len(train), len(valid), len(test))
	}
	for _, p := range slices.Concat(train, valid, test) {
		if !slices.Contains(all, p) {
			t.Errorf("split pair %v is not one of the corpus's pairs", p)
		}
	}
	for _, p := range all {
		n := utf8.RuneCountInString(p.Source)
		if (n != 5 && n != 7) || utf8.RuneCountInString(p.Target) != n {
			t.Errorf("pair %q → %q: want two verses of the same length, 5 or 7", p.Source, p.Target)
		}
	}
	// Converted to simplified characters; the 10-character line of 将进酒 and the 1-character 鹅 are gone.
	for _, want := range []data.Pair{{Source: "举头望明月", Target: "低头思故乡"}, {Source: "奔流到海不复回", Target: "人生得意须尽欢"},
		{Source: "曲项向天歌", Target: "白毛浮绿水"}, {Source: "床前明月光", Target: "照我读书堂"}} {
		if !slices.Contains(all, want) {
			t.Errorf("pair %v missing", want)
		}
	}
	for _, p := range all {
		if strings.Contains(p.Source, "君不见") || p.Source == "鹅" || p.Source == "春风吹绿草" {
			t.Errorf("pair %v should have been filtered out", p)
		}
	}
	// The duplicate 静夜思 is dropped: its pairs appear once.
	if n := len(slices.DeleteFunc(slices.Clone(all), func(p data.Pair) bool { return p.Source != "举头望明月" })); n != 1 {
		t.Errorf("举头望明月 → 低头思故乡 appears %d times, want 1 (duplicate poems dropped)", n)
	}
}

// poemOf maps each fixture verse to the title of its poem (verses quoted by two poems map to both; the
// duplicate of 静夜思 is left out, as PoetrySplit does).
func poemOf(t *testing.T) map[string][]string {
	poems, err := readTang(fixtureCorpora)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]string{}
	for _, p := range poems {
		if strings.HasSuffix(p.Title, "（重出）") {
			continue
		}
		for _, l := range p.Lines {
			m[l] = append(m[l], p.Title)
		}
	}
	return m
}

func TestPoetrySplitByPoem(t *testing.T) {
	owner := poemOf(t)
	for seed := int64(1); seed <= 20; seed++ {
		cfg := fixtureConfig(TaskPoetry, 20, 6, 8)
		cfg.DataSeed = seed
		train, valid, test := fixtureSplit(t, cfg)
		sets := [][]data.Pair{train, valid, test}
		in := make([]map[string]bool, 3) // poem titles of each set
		for k, set := range sets {
			in[k] = map[string]bool{}
			for _, p := range set {
				titles := owner[p.Source]
				if k > 0 && len(titles) != 1 {
					t.Errorf("seed %d: held-out pair %v has a source verse found in %d poems %v", seed, p, len(titles), titles)
				}
				if len(titles) == 1 {
					in[k][titles[0]] = true
				}
			}
		}
		for a := range 3 {
			for b := a + 1; b < 3; b++ {
				for title := range in[a] {
					if in[b][title] {
						t.Errorf("seed %d: poem %s gives pairs to sets %d and %d", seed, title, a, b)
					}
				}
			}
		}
	}
}

func TestPoetrySplitDeterministic(t *testing.T) {
	cfg := fixtureConfig(TaskPoetry, 20, 6, 8)
	a1, a2, a3 := fixtureSplit(t, cfg)
	b1, b2, b3 := fixtureSplit(t, cfg)
	if !slices.Equal(a1, b1) || !slices.Equal(a2, b2) || !slices.Equal(a3, b3) {
		t.Error("the same config gave different splits")
	}
	cfg.DataSeed = 2
	c1, _, c3 := fixtureSplit(t, cfg)
	if slices.Equal(a1, c1) && slices.Equal(a3, c3) {
		t.Error("data_seed 1 and 2 gave the same split")
	}
}

func TestPoetry300Fixture(t *testing.T) {
	poems, err := data.Tang300(fixtureCorpora)
	if err != nil {
		t.Fatal(err)
	}
	// 4 poems of 4 verses.
	if _, _, _, err := PoetrySplit(poems, nextLines, 1, 12, 0, 0); err != nil {
		t.Errorf("want 12 pairs: %v", err)
	}
	// Held-out sets of 2 take a poem each (its third pair is unused), leaving 2 poems for training.
	train, valid, test, err := poetryFrom(fixtureCorpora, data.Tang300, nextLines, fixtureConfig(TaskPoetry300, 6, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(train) != 6 || len(valid) != 2 || len(test) != 2 {
		t.Errorf("sizes %d, %d, %d, want 6, 2, 2", len(train), len(valid), len(test))
	}
}

func ExampleContinuePairs() {
	p := data.Poem{Title: "登鹳雀楼", Lines: []string{"白日依山尽", "黄河入海流"}}
	for _, pr := range ContinuePairs(p) {
		fmt.Println(pr.Source, "→", pr.Target)
	}
	// Output:
	// 白 → 日依山尽，黄河入海流
	// 白日 → 依山尽，黄河入海流
	// 白日依 → 山尽，黄河入海流
	// 白日依山 → 尽，黄河入海流
}

func TestContinueFixture(t *testing.T) {
	owner := poemOf(t)
	train, valid, test := fixtureSplit(t, fixtureConfig(TaskContinue, 100, 10, 10))
	for _, p := range slices.Concat(valid, test) {
		if len(owner[sourceVerse(p)]) != 1 {
			t.Errorf("held-out pair %v: its verse %q is in %d poems", p, sourceVerse(p), len(owner[sourceVerse(p)]))
		}
	}
	for _, p := range train {
		if len(owner[sourceVerse(p)]) == 0 {
			t.Errorf("pair %v: %q is not a verse of the corpus", p, sourceVerse(p))
		}
	}
}

func TestPoetryCorpusMissing(t *testing.T) {
	dir := t.TempDir()
	for _, read := range []func(string) ([]data.Poem, error){readTang, data.Tang300} {
		_, _, _, err := poetryFrom(dir, read, nextLines, fixtureConfig(TaskPoetry, 8, 1, 1))
		if !errors.Is(err, data.ErrCorporaMissing) || !strings.Contains(err.Error(), "textgen setup") {
			t.Errorf("empty corpora folder: error %v, want ErrCorporaMissing pointing to `textgen setup`", err)
		}
	}
}

func TestPoetryCheck(t *testing.T) {
	cfg := fixtureConfig(TaskPoetry, 100, 10, 10)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Model.MaxTarget = 7 }, "model.max_target"},
		{func(c *Config) { c.Task = TaskContinue }, "needs at least 8, 15"},
		{func(c *Config) { c.TrainFile = "x.tsv" }, `"train_file"`},
		{func(c *Config) { c.Train = 4 }, "train ≥ loop.batch_size"},
	} {
		bad := cfg
		c.edit(&bad)
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}

// A tiny model trains on the fixture's pairs and writes lines of its characters.
func TestPoetryTinyTraining(t *testing.T) {
	const name = "poetry-fixture"
	if _, ok := tasks[name]; !ok {
		RegisterTask(name, Task{Check: checkPoetry, Pairs: func(cfg Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
			return poetryFrom(fixtureCorpora, readTang, nextLines, cfg)
		}})
	}
	cfg := fixtureConfig(name, 24, 4, 6)
	cfg.Model.Embed, cfg.Model.Hidden, cfg.Model.Attention = 16, 32, 16
	cfg.Loop.Steps, cfg.Loop.LearningRate, cfg.Loop.EvalEvery = 60, 0.01, 0
	be := testutil.Backend(t)
	testutil.Deadline(t, 5*time.Minute, func() {
		j, err := Prepare(be, cfg)
		if err != nil {
			t.Fatal(err)
		}
		h, err := j.Train(context.Background(), train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		first, last := h.TrainLoss[0], h.TrainLoss[len(h.TrainLoss)-1]
		if !(last < first/2) {
			t.Errorf("loss %.3f → %.3f: want it at least halved", first, last)
		}
		_, res, err := j.ExactMatch(j.TestPairs)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			t.Logf("%s → %s (real %s)", j.TestPairs[i].Source, r.Text, j.TestPairs[i].Target)
			if r.Text == "" || strings.Contains(r.Text, "<") {
				t.Errorf("%s → %q: want a line of characters", j.TestPairs[i].Source, r.Text)
			}
		}
	})
}

// The real corpora, when installed: sizes, lengths and no source verse of a held-out pair in training.
func TestPoetryRealCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: reading 全唐诗 takes several seconds")
	}
	dir, err := data.CorporaDir()
	if err != nil {
		t.Skipf("corpora not installed (run `go run ./cmd/textgen setup`): %v", err)
	}
	for _, c := range []struct {
		task                 string
		read                 func(string) ([]data.Poem, error)
		trainN, validN, test int
	}{
		{TaskPoetry300, data.Tang300, 2000, 100, 200},
		{TaskPoetry, readTang, 200000, 200, 2000},
	} {
		train, valid, test, err := poetryFrom(dir, c.read, nextLines, fixtureConfig(c.task, c.trainN, c.validN, c.test))
		if err != nil {
			t.Fatalf("%s: %v", c.task, err)
		}
		if len(train) != c.trainN || len(valid) != c.validN || len(test) != c.test {
			t.Errorf("%s: sizes %d, %d, %d", c.task, len(train), len(valid), len(test))
		}
		sources := map[string]bool{}
		for _, p := range train {
			sources[p.Source], sources[p.Target] = true, true
		}
		for _, p := range slices.Concat(valid, test) {
			if sources[p.Source] {
				t.Errorf("%s: held-out source %q is also a training verse", c.task, p.Source)
			}
			if !RegularVerse(p.Source) || utf8.RuneCountInString(p.Target) != utf8.RuneCountInString(p.Source) {
				t.Errorf("%s: pair %v is not two verses of 5 or 7 characters", c.task, p)
			}
		}
	}
}

func TestLengthMatch(t *testing.T) {
	src := []string{"白日依山尽", "两个黄鹂鸣翠柳", "白日依山尽", "两个黄鹂鸣翠柳"}
	out := []string{"黄河入海流", "一行白鹭上青天", "黄河入海流水", "一行白鹭"}
	if got := LengthMatch(src, out); got != 0.5 {
		t.Errorf("LengthMatch = %v, want 0.5", got)
	}
	if got := LengthMatch(nil, nil); got != 0 {
		t.Errorf("LengthMatch of nothing = %v, want 0", got)
	}
}

func TestContinueShape(t *testing.T) {
	for _, c := range []struct {
		prompt, output string
		want           bool
	}{
		{"白日", "依山尽，黄河入海流", true},
		{"这是一个", "人，不知何年人", true},
		{"这是一个", "春风吹，花开满山红遍野", true},
		{"这是一个", "春风吹，花开满山红", false}, // 7 then 5
		{"这是一个", "人", false},
		{"白日依山尽", "，黄河入海流", true},
		{"两个", "黄鹂，鸣翠柳", false},
	} {
		if got := ContinueShape(c.prompt, c.output); got != c.want {
			t.Errorf("ContinueShape(%q, %q) = %v, want %v", c.prompt, c.output, got, c.want)
		}
	}
	for _, p := range ContinuePairs(data.Poem{Lines: []string{"两个黄鹂鸣翠柳", "一行白鹭上青天"}}) {
		if !ContinueShape(p.Source, p.Target) {
			t.Errorf("pair %v does not have the shape ContinueShape checks", p)
		}
	}
}
