package embed_test

import (
	"fmt"
	"strings"

	"github.com/gotextgen/textgen/seq2seq/embed"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// A word2vec text file: a header "count dim", then one word and its values per line.
const tinyFile = `3 4
这是 0.1 0.2 0.3 0.4
一个 -1 0 1 2.5e-3
😀 1 1 1 1
`

func ExampleRead() {
	vecs, err := embed.Read(strings.NewReader(tinyFile), "tiny.txt", embed.Text, embed.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vecs.Len(), "vectors of dimension", vecs.Dim)
	v, ok := vecs.Lookup("一个")
	fmt.Println(v, ok)
	// Output:
	// 3 vectors of dimension 4
	// [-1 0 1 0.0025] true
}

func ExampleRead_error() {
	_, err := embed.Read(strings.NewReader("2 3\nword 0.1 0.2\n"), "bad.txt", embed.Text, embed.Options{})
	fmt.Println(err)
	// Output:
	// bad.txt:2: vector 1: byte 4: vector: wrong number of values: want 3 values after the word "word", got 2
}

func ExampleRead_limit() {
	vecs, _ := embed.Read(strings.NewReader(tinyFile), "tiny.txt", embed.Text, embed.Options{Limit: 2})
	fmt.Println(vecs.Words)
	// Output:
	// [这是 一个]
}

func ExampleWrite() {
	vecs, _ := embed.New([]string{"猫", "dog"}, 2, []float32{0.5, -1, 1.0 / 3, 1e-7})
	var out strings.Builder
	_ = embed.Write(&out, vecs, embed.Text)
	fmt.Print(out.String())
	// Output:
	// 2 2
	// 猫 0.5 -1
	// dog 0.33333334 1e-07
}

func ExampleInitMatrix() {
	vocab, _ := text.NewVocab(append(text.SpecialTokens(), "这是", "一个", "新"), nil)
	vecs, _ := embed.Read(strings.NewReader(tinyFile), "tiny.txt", embed.Text, embed.Options{})
	matrix, cov := embed.InitMatrix(vocab, vecs, 1)
	fmt.Println("shape", vocab.Size(), "x", vecs.Dim, "=", len(matrix))
	fmt.Println("<pad>", matrix[text.PadID*4:][:4])
	fmt.Println("这是", matrix[vocab.ID("这是")*4:][:4])
	fmt.Printf("found %d, missing %d: %q\n", cov.Found, cov.Missing, cov.MissingTokens)
	// Output:
	// shape 7 x 4 = 28
	// <pad> [0 0 0 0]
	// 这是 [0.1 0.2 0.3 0.4]
	// found 2, missing 1: ["新"]
}
