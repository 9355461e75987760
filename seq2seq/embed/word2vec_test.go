package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/testutil"
)

// clusterCorpus returns sentences of 8 words drawn from one of two 10-word clusters ("a0".."a9",
// "b0".."b9"): words only ever co-occur with their own cluster.
func clusterCorpus(n int, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]string, n)
	for i := range out {
		c := "ab"[i%2 : i%2+1]
		for range 8 {
			out[i] = append(out[i], fmt.Sprintf("%s%d", c, r.IntN(10)))
		}
	}
	return out
}

func smallConfig(sg int) Word2VecConfig {
	cfg := DefaultWord2VecConfig()
	cfg.SG, cfg.VectorSize, cfg.Window, cfg.MinCount, cfg.Sample = sg, 16, 3, 1, 0
	cfg.Epochs, cfg.BatchSize, cfg.Alpha, cfg.Seed = 10, 256, 0.025, 7
	return cfg
}

// TestWord2VecClusters trains skip-gram and CBOW on the two-cluster corpus: every word's 5 nearest
// neighbours come from its own cluster, the loss falls, and the same seed gives bit-identical vectors.
func TestWord2VecClusters(t *testing.T) {
	be := testutil.Backend(t)
	sentences := clusterCorpus(400, 3)
	for _, sg := range []int{1, 0} {
		t.Run(fmt.Sprintf("sg=%d", sg), func(t *testing.T) {
			testutil.Deadline(t, 2*time.Minute, func() {
				cfg := smallConfig(sg)
				vecs, stats, err := TrainWord2Vec(context.Background(), be, sentences, cfg, nil)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("stats: %+v", *stats)
				if vecs.Len() != 20 || vecs.Dim != 16 {
					t.Fatalf("got %d vectors of dim %d; want 20 of 16", vecs.Len(), vecs.Dim)
				}
				if first, last := stats.EpochLoss[0], stats.EpochLoss[len(stats.EpochLoss)-1]; !(last < first*0.9) {
					t.Errorf("loss did not fall: %v", stats.EpochLoss)
				}
				index, err := NewIndex(be, vecs)
				if err != nil {
					t.Fatal(err)
				}
				res, err := index.Neighbors(vecs.Words, 5)
				if err != nil {
					t.Fatal(err)
				}
				for i, w := range vecs.Words {
					for _, n := range res[i] {
						if n.Word[0] != w[0] {
							t.Errorf("%s: neighbour %s (%.3f) from the other cluster; all: %v", w, n.Word, n.Similarity, res[i])
							break
						}
					}
				}
				again, _, err := TrainWord2Vec(context.Background(), be, sentences, cfg, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i := range vecs.Data {
					if math.Float32bits(vecs.Data[i]) != math.Float32bits(again.Data[i]) {
						t.Fatalf("same seed, different vectors: value %d is %v then %v", i, vecs.Data[i], again.Data[i])
					}
				}
				cfg.Seed++
				other, _, err := TrainWord2Vec(context.Background(), be, sentences, cfg, nil)
				if err != nil {
					t.Fatal(err)
				}
				if slices.Equal(other.Data, vecs.Data) {
					t.Error("another seed gave the same vectors")
				}
			})
		})
	}
}

// TestWord2VecVocab checks gensim's vocabulary rules on known counts: min_count, max_final_vocab,
// and the order (descending count; ties: the word seen first comes last, as gensim's lexsort).
func TestWord2VecVocab(t *testing.T) {
	sentences := [][]string{{"b", "a", "c", "a", "d"}, {"c", "e", "a", "b", "f", "f"}}
	// counts: a 3, b 2, c 2, d 1, e 1, f 2; first seen: b a c d e f
	cfg := DefaultWord2VecConfig()
	cfg.MinCount = 1
	v, err := buildW2VVocab(sentences, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "f", "c", "b", "e", "d"}; !slices.Equal(v.words, want) {
		t.Errorf("order %v; want %v", v.words, want)
	}
	if v.corpus != 11 || v.retained != 11 {
		t.Errorf("corpus %d, retained %d; want 11, 11", v.corpus, v.retained)
	}
	cfg.MinCount = 2
	v, _ = buildW2VVocab(sentences, cfg)
	if want := []string{"a", "f", "c", "b"}; !slices.Equal(v.words, want) || v.retained != 9 {
		t.Errorf("min_count 2: %v, retained %d; want %v, 9", v.words, v.retained, want)
	}
	cfg.MinCount, cfg.MaxFinalVocab = 1, 1 // 2nd largest count is 2 → effective min_count 3
	v, _ = buildW2VVocab(sentences, cfg)
	if !slices.Equal(v.words, []string{"a"}) || v.minCount != 3 {
		t.Errorf("max_final_vocab 1: %v, min_count %d; want [a], 3", v.words, v.minCount)
	}
	cfg.MinCount, cfg.MaxFinalVocab = 4, 0
	if _, err := buildW2VVocab(sentences, cfg); !errors.Is(err, ErrNoVocabulary) {
		t.Errorf("min_count 4: got %v; want ErrNoVocabulary", err)
	}
	cfg.MinCount = 1
	if _, err := buildW2VVocab([][]string{{"ok"}, {"x", "a b"}}, cfg); !errors.Is(err, ErrWord) ||
		!strings.Contains(err.Error(), "sentence 2, word 2") {
		t.Errorf("word with a space: got %v; want ErrWord naming sentence 2, word 2", err)
	}
}

// TestWord2VecSampling checks gensim's sub-sampling formula and the noise table on known counts.
func TestWord2VecSampling(t *testing.T) {
	counts := []int64{1000, 100, 10, 1}
	// sample 0.01, 1111 retained words → t = 11.11; p(c) = (sqrt(c/t)+1)·t/c.
	got := sampleInts(counts, 1111, 0.01)
	for i, c := range counts {
		tc := 0.01 * 1111
		p := min(1, (math.Sqrt(float64(c)/tc)+1)*tc/float64(c))
		if want := uint32(p * (1<<32 - 1)); got[i] != want {
			t.Errorf("count %d: sample_int %d; want %d (p=%.4f)", c, got[i], want, p)
		}
	}
	if got[3] != math.MaxUint32 || got[0] > math.MaxUint32/5 {
		t.Errorf("rare words must always be kept, frequent ones mostly dropped: %v", got)
	}
	// sample ≥ 1: t = int(sample·(3+√5)/2).
	if got := sampleInts([]int64{100}, 100, 10); got[0] != uint32((math.Sqrt(100.0/26)+1)*26/100*(1<<32-1)) {
		t.Errorf("sample=10: %d", got[0])
	}
	cum := cumTable([]int64{16, 1}, 0.75) // 8 and 1 of 9
	if want := []uint32{uint32(math.RoundToEven(8.0 / 9 * (1<<31 - 1))), 1<<31 - 1}; !slices.Equal(cum, want) {
		t.Errorf("cum table %v; want %v", cum, want)
	}
	v := &w2vVocab{cumTable: cum}
	if v.noise(0) != 0 || v.noise(cum[0]) != 0 || v.noise(cum[0]+1) != 1 {
		t.Error("noise draw is not bisect_left")
	}
}

// TestWord2VecWindows counts the examples of one sentence without sub-sampling: with shrinking
// off, a sentence of n distinct words gives Σ_i (min(i,w) + min(n-1-i,w)) skip-gram pairs and n
// CBOW windows; with shrinking on, fewer pairs but at least 2(n-1).
func TestWord2VecWindows(t *testing.T) {
	sent := strings.Fields("a b c d e f g")
	cfg := smallConfig(1)
	cfg.Window, cfg.ShrinkWindows = 2, false
	vocab, err := buildW2VVocab([][]string{sent}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	count := func(cfg Word2VecConfig) (examples int64, inputs int) {
		c := 1
		if cfg.SG == 0 {
			c = 2 * cfg.Window
		}
		s := &w2vStream{cfg: cfg, vocab: vocab, rng: rand.New(rand.NewPCG(1, 2)), batch: newW2VBatch(1000, c, 3),
			wordsTotal: 7}
		s.step = func(b *w2vBatch) error {
			for _, m := range b.inMask {
				inputs += int(m)
			}
			return nil
		}
		if err := s.sentence(sent); err != nil {
			t.Fatal(err)
		}
		if err := s.flush(); err != nil {
			t.Fatal(err)
		}
		return s.examples, inputs
	}
	if n, _ := count(cfg); n != 2+3+4+4+4+3+2 {
		t.Errorf("skip-gram pairs %d; want 22", n)
	}
	cfg.SG = 0
	if n, in := count(cfg); n != 7 || in != 22 {
		t.Errorf("CBOW: %d windows of %d inputs; want 7 of 22", n, in)
	}
	cfg.SG, cfg.ShrinkWindows = 1, true
	if n, _ := count(cfg); n >= 22 || n < 12 {
		t.Errorf("shrunk windows: %d pairs; want 12..21", n)
	}
}
