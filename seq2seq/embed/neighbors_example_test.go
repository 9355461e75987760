package embed_test

import (
	"fmt"

	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/embed"
)

// Hand-made vectors with four axes: royal, female, person, fruit.
func ExampleIndex_Analogy() {
	vecs, err := embed.New([]string{"king", "queen", "man", "woman", "apple", "pear"}, 4, []float32{
		1, 0, 1, 0, // king
		1, 1, 1, 0, // queen
		0, 0, 1, 0, // man
		0, 1, 1, 0, // woman
		0, 0, 0, 1, // apple
		0.2, 0, 0, 1, // pear
	})
	if err != nil {
		panic(err)
	}
	be, _ := backend.MustNew()
	index, err := embed.NewIndex(be, vecs)
	if err != nil {
		panic(err)
	}
	// king - man + woman, gensim's most_similar(positive=["king", "woman"], negative=["man"]).
	res, err := index.Analogy("king", "man", "woman", 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %.3f\n", res[0].Word, res[0].Similarity)
	near, _ := index.Neighbors([]string{"apple"}, 1)
	for _, n := range near[0] {
		fmt.Printf("%s %.3f\n", n.Word, n.Similarity)
	}
	// Output:
	// queen 0.975
	// pear 0.981
}
