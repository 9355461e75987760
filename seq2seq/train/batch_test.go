package train

import (
	"errors"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/text"
)

func TestEncodeLayout(t *testing.T) {
	v := text.BuildVocab([]string{"ab", "ba", "月"}, text.CharTokenizer{}, text.DefaultVocabConfig())
	ex, err := Encode(v, []data.Pair{{Source: "ab", Target: "月"}}, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	a, b, yue := int32(v.ID("a")), int32(v.ID("b")), int32(v.ID("月"))
	if want := []int32{a, b, text.EOSID, text.PadID}; !slices.Equal(ex.Src, want) {
		t.Errorf("Src = %v, want %v", ex.Src, want)
	}
	if want := []int32{text.BOSID, yue, text.PadID}; !slices.Equal(ex.TgtIn, want) {
		t.Errorf("TgtIn = %v, want %v (BOS, target, pad; no EOS fed)", ex.TgtIn, want)
	}
	if want := []int32{yue, text.EOSID, text.PadID}; !slices.Equal(ex.TgtOut, want) {
		t.Errorf("TgtOut = %v, want %v", ex.TgtOut, want)
	}
	_, err = Encode(v, []data.Pair{{Source: "ab", Target: "月"}, {Source: "abab", Target: "a"}}, 4, 3)
	if !errors.Is(err, ErrTooLong) {
		t.Fatalf("over-long source: error %v, want ErrTooLong", err)
	}
	t.Log(err)
}

func TestShufflerIsSeededAndCoversEpochs(t *testing.T) {
	v := text.BuildVocab([]string{"abc"}, text.CharTokenizer{}, text.DefaultVocabConfig())
	pairs := make([]data.Pair, 10)
	for i := range pairs {
		pairs[i] = data.Pair{Source: "abc"[:1+i%3], Target: "a"}
	}
	ex, err := Encode(v, pairs, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	order := func(seed int64) []int {
		s := NewShuffler(ex, 5, seed)
		var idx []int
		for range 4 { // two epochs of two batches
			b := s.Next()
			if got := b.Src.Shape().Dimensions; !slices.Equal(got, []int{5, 4}) {
				t.Fatalf("batch shape %v", got)
			}
			idx = append(idx, b.Index...)
			for _, x := range []*tensors.Tensor{b.Src, b.TgtIn, b.TgtOut} {
				_ = x.FinalizeAll()
			}
		}
		return idx
	}
	a, b, c := order(1), order(1), order(2)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different batches")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds, same batches")
	}
	for e := range 2 {
		epoch := slices.Clone(a[e*10 : (e+1)*10])
		slices.Sort(epoch)
		if !slices.Equal(epoch, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("epoch %d is not a permutation: %v", e, epoch)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{{Steps: 0, BatchSize: 1, LearningRate: 1}, {Steps: 1, BatchSize: 0, LearningRate: 1},
		{Steps: 1, BatchSize: 1, LearningRate: 0}, {Steps: 1, BatchSize: 1, LearningRate: 1, EvalEvery: -1}} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
