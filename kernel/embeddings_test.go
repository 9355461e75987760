package kernel

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/embed"
)

func TestShowNeighbours(t *testing.T) {
	ns := [][]embed.Neighbor{{{Word: "moon", Similarity: 0.9}, {Word: "night", Similarity: 0.5}}, {{Word: "hill", Similarity: 0.8}}, {{Word: "rain", Similarity: -0.2}, {Word: "wind", Similarity: 0.1}}}
	if err := ShowNeighbours(2, []string{"sun", "river", "cloud"}, ns); err != nil { // 2 rows, one tile empty
		t.Fatal(err)
	}
	if err := ShowNeighbours(2, []string{"sun"}, ns); err == nil {
		t.Error("1 query for 3 neighbour lists: no error")
	}
	ns[1][0].Similarity = 2 // not a cosine
	if err := ShowNeighbours(3, []string{"sun", "river", "cloud"}, ns); err == nil || !strings.Contains(err.Error(), `"river"`) {
		t.Errorf("similarity 2: error %v, want one naming the query \"river\"", err)
	}
}

// clusterCorpus is two groups of words that never share a sentence, plus two words seen only
// twice (below min_count 3).
func clusterCorpus() [][]string {
	a, b := strings.Fields("a1 a2 a3 a4 a5 a6"), strings.Fields("b1 b2 b3 b4 b5 b6")
	var s [][]string
	for i := range 150 {
		g := a
		if i%2 == 1 {
			g = b
		}
		var sent []string
		for j := range 8 {
			sent = append(sent, g[(i*7+j*5)%len(g)])
		}
		s = append(s, sent)
	}
	s[0], s[1] = append(s[0], "rare"), append(s[1], "rare")
	return s
}

// TestGensimWord2Vec checks that gensim gets our settings: same vocabulary, in the same order, as
// TrainWord2Vec (min_count drops "rare"), and gensim's vectors keep the two clusters apart.
func TestGensimWord2Vec(t *testing.T) {
	root, err := project.Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(VenvPython(root)); err != nil {
		msg := fmt.Sprintf("no venv Python (%v): run `go run ./cmd/textgen setup`", err)
		if os.Getenv("TEXTGEN_SKIP_PYTHON") == "1" {
			fmt.Fprintf(os.Stderr, "!!!!!!!! TEXTGEN_SKIP_PYTHON=1: gensim cross-check NOT tested: %s\n", msg)
			t.Skip(msg)
		}
		t.Fatal(msg + " (or set TEXTGEN_SKIP_PYTHON=1 to skip)")
	}
	sentences := clusterCorpus()
	cfg := embed.DefaultWord2VecConfig()
	cfg.VectorSize, cfg.MinCount, cfg.Epochs, cfg.Sample, cfg.BatchSize = 16, 3, 20, 0, 256
	dir := t.TempDir()
	g, err := GensimWord2Vec(context.Background(), dir, sentences, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gensim-1.txt")); err != nil {
		t.Errorf("gensim's file is not kept: %v", err)
	}
	testutil.Deadline(t, 2*time.Minute, func() {
		ours, _, err := embed.TrainWord2Vec(context.Background(), testutil.Backend(t), sentences, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ours.Words, g[0].Words) || slices.Contains(ours.Words, "rare") {
			t.Errorf("vocabularies: ours %q, gensim %q; want equal, without \"rare\"", ours.Words, g[0].Words)
		}
	})
	idx, err := embed.NewIndex(testutil.Backend(t), g[0])
	if err != nil {
		t.Fatal(err)
	}
	near, err := idx.Neighbors([]string{"a1", "b1"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{"a", "b"} {
		for _, n := range near[i] {
			if !strings.HasPrefix(n.Word, q) {
				t.Errorf("gensim: neighbours of %s1 %v leave its cluster", q, near[i])
			}
		}
	}
	cfg.MaxFinalVocab = 5
	if _, err := GensimWord2Vec(context.Background(), dir, sentences, cfg, 1); err == nil {
		t.Error("MaxFinalVocab set: no error")
	}
}
