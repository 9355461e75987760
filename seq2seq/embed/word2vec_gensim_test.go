package embed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
)

// qualityPoems is the number of Tang poems (about 48,000 characters) of the quality test.
const qualityPoems = 1000

// probeChars are the characters whose neighbourhoods the quality test compares.
var probeChars = strings.Fields("月 山 春 风 花 水 云 人 日 夜 秋 天 江 雨 酒 马 白 青 心 门")

// tangSentences returns the first n Tang poems as character sentences, or skips the test when the
// corpora are not installed. TEXTGEN_CORPORA names another corpora folder.
func tangSentences(t *testing.T, n int) [][]string {
	t.Helper()
	dir := os.Getenv("TEXTGEN_CORPORA")
	if dir == "" {
		var err error
		if dir, err = data.CorporaDir(); err != nil {
			if errors.Is(err, data.ErrCorporaMissing) {
				t.Skipf("!!!!!!!! Tang corpus NOT installed, word2vec quality NOT tested: %v", err)
			}
			t.Fatal(err)
		}
	}
	poems, err := data.TangPoems(dir, n)
	if err != nil {
		if errors.Is(err, data.ErrCorporaMissing) {
			t.Skipf("!!!!!!!! Tang corpus NOT installed, word2vec quality NOT tested: %v", err)
		}
		t.Fatal(err)
	}
	return data.Sentences(poems)
}

// gensimWord2Vec trains gensim's Word2Vec (workers=1) with cfg's settings once per seed and
// returns the vectors.
func gensimWord2Vec(t *testing.T, sentences [][]string, cfg Word2VecConfig, seeds ...int64) []*Vectors {
	t.Helper()
	python, root := venvPython(t)
	dir := t.TempDir()
	var b strings.Builder
	for _, s := range sentences {
		b.WriteString(strings.Join(s, " ") + "\n")
	}
	corpus, params, out := filepath.Join(dir, "corpus.txt"), filepath.Join(dir, "params.json"), filepath.Join(dir, "out.json")
	p := cfg.GensimParams()
	p["seeds"], p["prefix"] = seeds, filepath.Join(dir, "gensim-")
	raw, _ := json.Marshal(p)
	if err := os.WriteFile(corpus, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(params, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	script := filepath.Join(root, "seq2seq", "embed", "testdata", "word2vec_gensim.py")
	cmd := exec.CommandContext(ctx, python, "-W", "ignore", script, "train", corpus, params, out)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, msg)
	}
	var vecs []*Vectors
	for _, seed := range seeds {
		v, err := ReadFile(fmt.Sprintf("%s%d.txt", p["prefix"], seed), Text, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		vecs = append(vecs, v)
	}
	return vecs
}

// TestWord2VecQualityVsGensim trains our skip-gram and gensim's on the same Tang poems with the
// same settings and compares nearest neighbours (overlap@10) of common characters. Gensim against
// itself with another seed is the reference for what agreement to expect; ours must reach 75% of
// it and at least 0.3 (chance is about 10/vocabulary, under 0.01). The vocabularies must be equal,
// in the same order.
func TestWord2VecQualityVsGensim(t *testing.T) {
	sentences := tangSentences(t, qualityPoems)
	cfg := DefaultWord2VecConfig()
	g := gensimWord2Vec(t, sentences, cfg, 1, 2)
	be := testutil.Backend(t)
	testutil.Deadline(t, 3*time.Minute, func() {
		ours, stats, err := TrainWord2Vec(context.Background(), be, sentences, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("ours: %d words × %d epochs in %.1fs (%.0f words/s), loss by epoch %.3f",
			stats.CorpusWords, cfg.Epochs, stats.Seconds, stats.WordsPerSec, stats.EpochLoss)
		if strings.Join(ours.Words, " ") != strings.Join(g[0].Words, " ") {
			t.Errorf("vocabulary differs from gensim's: %d vs %d words", ours.Len(), g[0].Len())
		}
		ref, _, err := NeighborOverlap(be, g[1], g[0], probeChars, 10)
		if err != nil {
			t.Fatal(err)
		}
		got, each, err := NeighborOverlap(be, ours, g[0], probeChars, 10)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("overlap@10 over %d characters: ours vs gensim %.3f, gensim seed 2 vs seed 1 %.3f; per character %v",
			len(probeChars), got, ref, each)
		if got < 0.3 || got < 0.75*ref {
			t.Errorf("overlap@10 ours vs gensim %.3f; want ≥ 0.3 and ≥ 0.75 × %.3f (gensim vs gensim)", got, ref)
		}
	})
}
