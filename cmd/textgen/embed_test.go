package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/embed"
)

// clusterCorpusFile writes lines of 8 words from one of two clusters (a0..a9, b0..b9).
func clusterCorpusFile(t *testing.T, dir string) string {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for i := range 300 {
		for j := range 8 {
			if j > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%c%d", "ab"[i%2], r.IntN(10))
		}
		b.WriteString("\n")
	}
	path := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEmbedTrainAndNeighbors trains through the CLI (a -config file plus a flag that overrides it),
// reads the vectors back, and queries neighbours and an analogy.
func TestEmbedTrainAndNeighbors(t *testing.T) {
	testutil.Backend(t) // the CLI starts the same backend by the same policy
	dir := t.TempDir()
	corpus := clusterCorpusFile(t, dir)
	cfgFile := filepath.Join(dir, "w2v.json")
	if err := os.WriteFile(cfgFile, []byte(`{"vector_size": 12, "window": 3, "min_count": 1, "sample": 0, "epochs": 3, "batch_size": 256}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "vectors.bin")
	testutil.Deadline(t, 3*time.Minute, func() {
		if err := runEmbed([]string{"train", "-corpus", corpus, "-config", cfgFile, "-vector-size", "8",
			"-format", "binary", "-out", out, "-quiet"}); err != nil {
			t.Fatal(err)
		}
		vecs, err := embed.ReadFile(out, embed.Binary, embed.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if vecs.Len() != 20 || vecs.Dim != 8 {
			t.Errorf("got %d vectors of dimension %d; want 20 of 8 (the flag overrides the config file)", vecs.Len(), vecs.Dim)
		}
		got, err := captureStdout(func() error {
			return runEmbed([]string{"neighbors", "-vectors", out, "-format", "binary", "-k", "3",
				"a1", "-analogy", "a1,a2,b3", "b2"}) // flags may follow words
		})
		if err != nil {
			t.Fatal(err)
		}
		// Three blocks: "a1:" with three a-words, "b2:" with three b-words, then the analogy.
		blocks := strings.Split(strings.TrimSpace(got), "\n")
		if len(blocks) != 12 || blocks[0] != "a1:" || blocks[4] != "b2:" || blocks[8] != "a1 - a2 + b3:" {
			t.Fatalf("neighbors printed:\n%s", got)
		}
		for i, line := range blocks {
			if i%4 == 0 || i >= 8 {
				continue
			}
			if f := strings.Fields(line); len(f) != 3 || f[1][0] != blocks[i/4*4][0] || f[1] == blocks[i/4*4][:2] {
				t.Errorf("line %q: want a neighbour from the cluster of %s", line, blocks[i/4*4])
			}
		}
		if err := runEmbed([]string{"neighbors", "-vectors", out, "-format", "binary", "zzz"}); err == nil ||
			!strings.Contains(err.Error(), `"zzz"`) {
			t.Errorf("unknown word: got %v; want an error naming it", err)
		}
	})
}

func TestEmbedTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	corpus := clusterCorpusFile(t, dir)
	out := filepath.Join(dir, "v.txt")
	for _, args := range [][]string{
		{"train", "-corpus", corpus},                                    // no -out
		{"train", "-corpus", corpus, "-out", out, "-window", "0"},       // bad field
		{"train", "-corpus", corpus, "-out", out, "-min-count", "1000"}, // no vocabulary
		{"train", "-corpus", filepath.Join(dir, "missing.txt"), "-out", out},
		{"train", "-corpus", corpus, "-out", out, "-config", filepath.Join(dir, "missing.json")},
		{"neighbors", "-vectors", out},                    // no query
		{"neighbors", "-vectors", out, "-analogy", "a,b"}, // two words
	} {
		if err := runEmbed(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"windw": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runEmbed([]string{"train", "-corpus", corpus, "-out", out, "-config", bad}); err == nil ||
		!strings.Contains(err.Error(), "windw") {
		t.Errorf("unknown config key: got %v; want an error naming it", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s behind", out)
	}
}

// captureStdout runs fn and returns what it printed to os.Stdout.
func captureStdout(fn func() error) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	saved := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	err = fn()
	os.Stdout = saved
	w.Close()
	return string(<-done), err
}
