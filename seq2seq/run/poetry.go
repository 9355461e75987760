package run

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/gotextgen/textgen/seq2seq/data"
)

// Poetry task names (see PoetrySplit for the pairs and the split).
const (
	// TaskPoetry: line → next line of 全唐诗 (chinese-poetry's quantangshi, ~57,000 poems, simplified).
	TaskPoetry = "poetry"
	// TaskPoetry300: line → next line of 唐诗三百首 (fortunes-zh's tang300, 313 poems): a small corpus for
	// quick runs and notebooks.
	TaskPoetry300 = "poetry300"
	// TaskContinue: the first characters of a verse → the rest of it and the next verse (see ContinuePairs),
	// from 全唐诗: the model that continues a prompt such as 这是一个.
	TaskContinue = "continue"
)

// poetryStream is the PCG stream (second seed word) of PoetrySplit's shuffle.
const poetryStream = 0x706f657472795f31 // "poetry_1"

func init() {
	RegisterTask(TaskPoetry, Task{Pairs: poetryPairs(readTang, nextLines), Check: checkPoetry})
	RegisterTask(TaskPoetry300, Task{Pairs: poetryPairs(data.Tang300, nextLines), Check: checkPoetry})
	RegisterTask(TaskContinue, Task{Pairs: poetryPairs(readTang, ContinuePairs), Check: checkPoetry})
}

// readTang reads all of 全唐诗 in simplified characters.
func readTang(dir string) ([]data.Poem, error) { return data.TangPoems(dir, 0) }

// poetryPairs makes a task that reads the poems from the project's corpora folder and splits them with
// PoetrySplit into the config's train, valid and test sizes.
func poetryPairs(read func(dir string) ([]data.Poem, error), pairs func(data.Poem) []data.Pair) func(Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
	return func(cfg Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
		dir, err := data.CorporaDir()
		if err != nil {
			return nil, nil, nil, err
		}
		return poetryFrom(dir, read, pairs, cfg)
	}
}

// poetryFrom is poetryPairs on the corpora folder dir.
func poetryFrom(dir string, read func(dir string) ([]data.Poem, error), pairs func(data.Poem) []data.Pair, cfg Config) ([]data.Pair, []data.Pair, []data.Pair, error) {
	poems, err := read(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	return PoetrySplit(poems, pairs, cfg.DataSeed, cfg.Train, cfg.Valid, cfg.Test)
}

func checkPoetry(cfg Config) error {
	var errs []error
	if cfg.Train < cfg.Loop.BatchSize || cfg.Valid < 1 || cfg.Test < 1 {
		errs = append(errs, fmt.Errorf("fields \"train\", \"valid\", \"test\" are %d, %d, %d: need train ≥ loop.batch_size (%d) and valid, test ≥ 1",
			cfg.Train, cfg.Valid, cfg.Test, cfg.Loop.BatchSize))
	}
	for name, v := range map[string]string{"train_file": cfg.TrainFile, "valid_file": cfg.ValidFile, "test_file": cfg.TestFile} {
		if v != "" {
			errs = append(errs, fmt.Errorf("field %q is set but task %q reads the installed corpora: remove it or use task \"tsv\"", name, cfg.Task))
		}
	}
	if cfg.Model.MaxSource < MaxVerse+1 || cfg.Model.MaxTarget < poetryTargetLen(cfg.Task) {
		errs = append(errs, fmt.Errorf("fields \"model.max_source\", \"model.max_target\" are %d, %d: task %q needs at least %d, %d (verses of up to %d characters plus the end token)",
			cfg.Model.MaxSource, cfg.Model.MaxTarget, cfg.Task, MaxVerse+1, poetryTargetLen(cfg.Task), MaxVerse))
	}
	return errors.Join(errs...)
}

// poetryTargetLen is the model.max_target a poetry task needs.
func poetryTargetLen(task string) int {
	if task == TaskContinue {
		return 2*MaxVerse + 1 // rest of a verse, "，", the next verse, end token
	}
	return MaxVerse + 1
}

// MaxVerse is the longest verse of the poetry tasks: 七言, seven characters.
const MaxVerse = 7

// RegularVerse reports whether line is a verse of regulated length: 5 (五言) or 7 (七言) characters.
func RegularVerse(line string) bool {
	n := utf8.RuneCountInString(line)
	return n == 5 || n == 7
}

// nextLines is data.NextLinePairs of one poem, keeping only the pairs of the poetry tasks: both verses
// regular (5 or 7 characters) and of the same length. This drops the irregular lines of 古体 and 词-like
// poems and the seams between stanzas of different metre, so the target length is the source length.
func nextLines(p data.Poem) []data.Pair {
	var out []data.Pair
	for _, pr := range data.NextLinePairs([]data.Poem{p}) {
		if RegularVerse(pr.Source) && utf8.RuneCountInString(pr.Source) == utf8.RuneCountInString(pr.Target) {
			out = append(out, pr)
		}
	}
	return out
}

// ContinuePairs makes the pairs of the continue task from one poem: for every verse pair (a, b) kept by
// the next-line filter and every prefix length k = 1 … len(a)-1, source = a's first k characters and
// target = the rest of a, "，", then b. E.g. 白日依山尽 / 黄河入海流 gives 白日 → 依山尽，黄河入海流.
// A prompt that is not a verse (这是一个) is thus read as the start of one.
func ContinuePairs(p data.Poem) []data.Pair {
	var out []data.Pair
	for _, pr := range nextLines(p) {
		a := []rune(pr.Source)
		for k := 1; k < len(a); k++ {
			out = append(out, data.Pair{Source: string(a[:k]), Target: string(a[k:]) + "，" + pr.Target})
		}
	}
	return out
}

// PoetrySplit turns poems into train, validation and test pairs with pairs (one poem's examples) and
// splits them by poem, so that no poem gives pairs to two sets:
//
//   - poems with the same verses as an earlier poem (全唐诗 lists some poems under two authors) are dropped;
//   - the poems are shuffled with rand.New(rand.NewPCG(uint64(seed), "poetry_1")), and taken in that order
//     for the test set until it has nTest pairs, then for the validation set until it has nValid, then for
//     the training set until it has nTrain (the last poem of each set may give only some of its pairs);
//   - a held-out (test or validation) pair is used only if its source verse appears in no other poem, so
//     famous lines quoted elsewhere cannot leak from the training set.
//
// The same poems and seed always give the same sets. It is an error, naming the pairs available, when the
// poems cannot fill the sizes asked for.
func PoetrySplit(poems []data.Poem, pairs func(data.Poem) []data.Pair, seed int64, nTrain, nValid, nTest int) (train, valid, test []data.Pair, err error) {
	if nTrain < 1 || nValid < 0 || nTest < 0 {
		return nil, nil, nil, fmt.Errorf("poetry split: sizes train %d, valid %d, test %d: want train ≥ 1, the others ≥ 0", nTrain, nValid, nTest)
	}
	type unit struct{ pairs []data.Pair }
	seen := map[string]bool{}
	verseCount := map[string]int{} // poems holding each verse
	var units []unit
	for _, p := range poems {
		key := strings.Join(p.Lines, "/")
		if seen[key] {
			continue
		}
		seen[key] = true
		distinct := map[string]bool{}
		for _, l := range p.Lines {
			if !distinct[l] {
				distinct[l] = true
				verseCount[l]++
			}
		}
		if ps := pairs(p); len(ps) > 0 {
			units = append(units, unit{ps})
		}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), poetryStream))
	rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })

	i := 0
	fillHeldOut := func(n int) []data.Pair {
		out := []data.Pair{}
		for ; i < len(units) && len(out) < n; i++ {
			for _, pr := range units[i].pairs {
				if len(out) < n && verseCount[sourceVerse(pr)] == 1 {
					out = append(out, pr)
				}
			}
		}
		return out
	}
	test = fillHeldOut(nTest)
	valid = fillHeldOut(nValid)
	train = []data.Pair{}
	for ; i < len(units) && len(train) < nTrain; i++ {
		train = append(train, units[i].pairs[:min(len(units[i].pairs), nTrain-len(train))]...)
	}
	if len(test) < nTest || len(valid) < nValid || len(train) < nTrain {
		return nil, nil, nil, fmt.Errorf("poetry split: the %d usable poems give %d test, %d validation and %d training pairs, fewer than the %d, %d, %d asked for (fields \"test\", \"valid\", \"train\")",
			len(units), len(test), len(valid), len(train), nTest, nValid, nTrain)
	}
	return train, valid, test, nil
}

// sourceVerse is the verse a pair comes from: the source itself, or for a continue pair (a prefix) the
// verse made of the source and the target up to "，".
func sourceVerse(pr data.Pair) string {
	rest, _, cut := strings.Cut(pr.Target, "，")
	if !cut {
		return pr.Source
	}
	return pr.Source + rest
}

// TaskPairs returns the training, validation and test pairs of cfg's task, as Prepare makes them (e.g. to
// evaluate a loaded run on its own test split).
func TaskPairs(cfg Config) (train, valid, test []data.Pair, err error) {
	task, ok := tasks[cfg.Task]
	if !ok {
		return nil, nil, nil, fmt.Errorf("%w: field \"task\": unknown task %q (tasks: %s)", ErrConfig, cfg.Task, strings.Join(TaskNames(), ", "))
	}
	return task.Pairs(cfg)
}

// LengthMatch is the fraction of outputs[i] that are regular verses (5 or 7 characters) of the same length
// as sources[i]: how often a next-line model keeps the metre. It is 0 for no outputs.
func LengthMatch(sources, outputs []string) float64 {
	hits := 0
	for i, o := range outputs {
		if i < len(sources) && RegularVerse(o) && utf8.RuneCountInString(o) == utf8.RuneCountInString(sources[i]) {
			hits++
		}
	}
	return float64(hits) / float64(max(len(outputs), 1))
}

// ContinueShape reports whether output, generated by a continue model for prompt, has the shape of its
// targets: the prompt and the output up to "，" make a regular verse (5 or 7 characters), followed by a next
// verse of the same length.
func ContinueShape(prompt, output string) bool {
	rest, next, ok := strings.Cut(output, "，")
	verse := prompt + rest
	return ok && RegularVerse(verse) && utf8.RuneCountInString(next) == utf8.RuneCountInString(verse)
}
