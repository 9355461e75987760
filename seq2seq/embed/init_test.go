package embed

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gotextgen/textgen/seq2seq/text"
)

func testVocab(t *testing.T, tokens ...string) *text.Vocab {
	t.Helper()
	v, err := text.NewVocab(append(text.SpecialTokens(), tokens...), nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInitMatrix(t *testing.T) {
	vocab := testVocab(t, "这", "是", "😀", "x", "y")
	vecs := mustVectors(t, []string{"是", "<unk>", "x", "unused"}, 3,
		[]float32{1, 2, 3, 9, 9, 9, 4, 5, 6, 7, 7, 7})
	m, cov := InitMatrix(vocab, vecs, 42)
	if len(m) != vocab.Size()*3 {
		t.Fatalf("len %d, want %d", len(m), vocab.Size()*3)
	}
	row := func(id int) []float32 { return m[id*3 : id*3+3] }
	if !slices.Equal(row(text.PadID), []float32{0, 0, 0}) {
		t.Errorf("pad row %v, want zeros", row(text.PadID))
	}
	if !slices.Equal(row(vocab.ID("是")), []float32{1, 2, 3}) || !slices.Equal(row(vocab.ID("x")), []float32{4, 5, 6}) {
		t.Errorf("found rows %v %v", row(vocab.ID("是")), row(vocab.ID("x")))
	}
	for _, id := range []int{text.BOSID, text.EOSID, text.UnkID, vocab.ID("这"), vocab.ID("😀"), vocab.ID("y")} {
		nonzero := false
		for _, x := range row(id) {
			if x < -0.5/3 || x >= 0.5/3 {
				t.Errorf("row %d (%q): %v outside [-1/6, 1/6)", id, vocab.Token(id), x)
			}
			nonzero = nonzero || x != 0
		}
		if !nonzero {
			t.Errorf("row %d (%q) is all zeros", id, vocab.Token(id))
		}
	}
	want := Coverage{Found: 2, Missing: 3, MissingTokens: []string{"这", "😀", "y"}}
	if fmt.Sprint(cov) != fmt.Sprint(want) {
		t.Errorf("coverage %+v, want %+v", cov, want)
	}

	// Same seed, same matrix, whatever the table; the random rows depend only on seed and ID.
	m2, _ := InitMatrix(vocab, &Vectors{Words: vecs.Words, Dim: 3, Data: vecs.Data}, 42)
	if !slices.Equal(m, m2) {
		t.Error("same vocabulary and seed gave different matrices")
	}
	m3, _ := InitMatrix(vocab, mustVectors(t, []string{"x"}, 3, []float32{4, 5, 6}), 42)
	if !slices.Equal(m3[vocab.ID("这")*3:][:3], row(vocab.ID("这"))) || slices.Equal(m3[vocab.ID("是")*3:][:3], row(vocab.ID("是"))) {
		t.Error("random rows changed with the table")
	}
	m4, _ := InitMatrix(vocab, vecs, 43)
	if slices.Equal(m, m4) {
		t.Error("seeds 42 and 43 gave the same matrix")
	}
}

func TestInitMatrixCoverageList(t *testing.T) {
	var tokens []string
	for i := range 30 {
		tokens = append(tokens, fmt.Sprintf("w%02d", i))
	}
	_, cov := InitMatrix(testVocab(t, tokens...), mustVectors(t, []string{"w05"}, 2, []float32{1, 2}), 1)
	if cov.Found != 1 || cov.Missing != 29 || len(cov.MissingTokens) != MaxMissingTokens || cov.MissingTokens[5] != "w06" {
		t.Errorf("coverage %+v", cov)
	}
}

func TestInitMatrixNil(t *testing.T) {
	vocab := testVocab(t, "a")
	for _, vecs := range []*Vectors{nil, {}, {Words: []string{"a"}, Dim: 2, Data: []float32{1}}} {
		if m, cov := InitMatrix(vocab, vecs, 1); m != nil || cov.Found+cov.Missing != 0 {
			t.Errorf("InitMatrix(%v) = %v, %+v", vecs, m, cov)
		}
	}
	if m, _ := InitMatrix(nil, mustVectors(t, []string{"a"}, 1, []float32{1}), 1); m != nil {
		t.Errorf("nil vocab: %v", m)
	}
}
