package embed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
)

// randomVectors returns n seeded vectors of dimension d built around a few directions, so that
// neighbourhoods have structure, with words w0..w{n-1} and one Chinese word.
func randomVectors(t *testing.T, n, d int, seed uint64) *Vectors {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 9))
	centres := make([][]float32, 8)
	for i := range centres {
		centres[i] = make([]float32, d)
		for j := range centres[i] {
			centres[i][j] = float32(r.NormFloat64())
		}
	}
	words := make([]string, n)
	data := make([]float32, n*d)
	for i := range n {
		words[i] = fmt.Sprintf("w%d", i)
		c := centres[i%len(centres)]
		for j := range d {
			data[i*d+j] = c[j] + float32(r.NormFloat64())
		}
	}
	words[n-1] = "月亮"
	v, err := New(words, d, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// naiveMostSimilar is the reference: gensim's most_similar computed row by row in float64.
func naiveMostSimilar(v *Vectors, q Query, k int) []Neighbor {
	mean := make([]float64, v.Dim)
	skip := map[string]bool{}
	for s, list := range [][]string{q.Positive, q.Negative} {
		for _, w := range list {
			vec, _ := v.Lookup(w)
			n := float64(norm32(vec))
			for j, x := range vec {
				mean[j] += float64(1-2*s) * float64(x) / n
			}
			skip[w] = true
		}
	}
	var mn float64
	for _, x := range mean {
		mn += x * x
	}
	type scored struct {
		i   int
		sim float64
	}
	var all []scored
	for i := range v.Len() {
		if skip[v.Words[i]] {
			continue
		}
		var dot float64
		for j, x := range v.Vector(i) {
			dot += float64(x) * mean[j]
		}
		all = append(all, scored{i, dot / math.Sqrt(mn) / float64(norm32(v.Vector(i)))})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].sim > all[b].sim })
	var out []Neighbor
	for _, s := range all[:k] {
		out = append(out, Neighbor{v.Words[s.i], float32(s.sim)})
	}
	return out
}

// sameNeighbors fails unless got and want have the same words in the same order and similarities
// within tol.
func sameNeighbors(t *testing.T, what string, got, want []Neighbor, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results; want %d\ngot  %v\nwant %v", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].Word != want[i].Word || math.Abs(float64(got[i].Similarity-want[i].Similarity)) > tol {
			t.Fatalf("%s: result %d is %v; want %v\ngot  %v\nwant %v", what, i+1, got[i], want[i], got, want)
		}
	}
}

func testQueries(v *Vectors) []Query {
	var qs []Query
	for _, i := range []int{0, 1, 7, 100, 333, v.Len() - 1} {
		qs = append(qs, Query{Positive: []string{v.Words[i]}})
	}
	for _, abc := range [][3]int{{0, 1, 2}, {10, 20, 30}, {5, 13, 21}, {v.Len() - 1, 4, 9}} {
		qs = append(qs, Query{Positive: []string{v.Words[abc[0]], v.Words[abc[2]]}, Negative: []string{v.Words[abc[1]]}})
	}
	return append(qs, Query{Positive: []string{"w3", "w4", "w5"}}, Query{Negative: []string{"w6"}})
}

// TestIndexMatchesNaive checks the batched GoMLX queries against the row-by-row reference.
func TestIndexMatchesNaive(t *testing.T) {
	be := testutil.Backend(t)
	v := randomVectors(t, 400, 24, 1)
	testutil.Deadline(t, time.Minute, func() {
		x, err := NewIndex(be, v)
		if err != nil {
			t.Fatal(err)
		}
		qs := testQueries(v)
		got, err := x.MostSimilar(qs, 10)
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range qs {
			sameNeighbors(t, fmt.Sprintf("query %d %+v", i+1, q), got[i], naiveMostSimilar(v, q, 10), 1e-5)
		}
		a, err := x.Analogy("w10", "w20", "w30", 10)
		if err != nil {
			t.Fatal(err)
		}
		sameNeighbors(t, "Analogy(w10, w20, w30)", a, got[7], 0)
		n, err := x.Neighbors([]string{"w0"}, 3)
		if err != nil {
			t.Fatal(err)
		}
		sameNeighbors(t, "Neighbors(w0, 3)", n[0], got[0][:3], 0)
		vn, err := v.Neighbors(be, []string{"w0"}, 3)
		if err != nil {
			t.Fatal(err)
		}
		sameNeighbors(t, "Vectors.Neighbors(w0, 3)", vn[0], got[0][:3], 0)
		if _, err := x.Neighbors([]string{"w0", "nope"}, 3); !errors.Is(err, ErrUnknownWord) {
			t.Errorf("unknown word: got %v; want ErrUnknownWord", err)
		}
		if _, err := x.Neighbors([]string{"w0"}, 0); err == nil {
			t.Error("k = 0: no error")
		}
		// A zero vector is never a neighbour.
		z := slices.Clone(v.Data)
		clear(z[5*v.Dim : 6*v.Dim])
		zv, _ := New(v.Words, v.Dim, z)
		zx, err := NewIndex(be, zv)
		if err != nil {
			t.Fatal(err)
		}
		all, err := zx.Neighbors([]string{"w0"}, v.Len())
		if err != nil {
			t.Fatal(err)
		}
		if len(all[0]) != v.Len()-2 || slices.ContainsFunc(all[0], func(n Neighbor) bool { return n.Word == "w5" }) {
			t.Errorf("zero vector: %d results (want %d), w5 among them?", len(all[0]), v.Len()-2)
		}
	})
}

// TestIndexMatchesGensim runs the same queries through gensim's KeyedVectors.most_similar on the
// same vectors, read from our word2vec text file: same ranking, similarities within 1e-5.
func TestIndexMatchesGensim(t *testing.T) {
	python, root := venvPython(t)
	be := testutil.Backend(t)
	v := randomVectors(t, 400, 24, 2)
	dir := t.TempDir()
	vecFile := filepath.Join(dir, "vectors.txt")
	if err := WriteFile(vecFile, v, Text); err != nil {
		t.Fatal(err)
	}
	qs := append(testQueries(v), Query{Positive: []string{"nope"}})
	type gq struct {
		Positive []string `json:"positive"`
		Negative []string `json:"negative"`
		TopN     int      `json:"topn"`
	}
	var spec []gq
	for _, q := range qs {
		spec = append(spec, gq{q.Positive, q.Negative, 10})
	}
	raw, _ := json.Marshal(spec)
	qFile, outFile := filepath.Join(dir, "queries.json"), filepath.Join(dir, "out.json")
	if err := os.WriteFile(qFile, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := filepath.Join(root, "seq2seq", "embed", "testdata", "word2vec_gensim.py")
	if out, err := exec.CommandContext(ctx, python, "-W", "ignore", script, "neighbors", vecFile, qFile, outFile).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	var res struct {
		Results []struct {
			Result [][2]any
			Error  string
		}
	}
	if raw, err := os.ReadFile(outFile); err != nil || json.Unmarshal(raw, &res) != nil || len(res.Results) != len(qs) {
		t.Fatalf("reading %s: %v (%d results)", outFile, err, len(res.Results))
	}
	testutil.Deadline(t, time.Minute, func() {
		x, err := NewIndex(be, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := x.MostSimilar(qs[:len(qs)-1], 10)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			var want []Neighbor
			for _, p := range res.Results[i].Result {
				want = append(want, Neighbor{p[0].(string), float32(p[1].(float64))})
			}
			sameNeighbors(t, fmt.Sprintf("query %d %+v", i+1, qs[i]), got[i], want, 1e-5)
		}
		if res.Results[len(qs)-1].Error == "" {
			t.Error("gensim accepted an unknown word")
		}
		if _, err := x.MostSimilar(qs[len(qs)-1:], 10); !errors.Is(err, ErrUnknownWord) {
			t.Errorf("unknown word: got %v; want ErrUnknownWord", err)
		}
	})
}
