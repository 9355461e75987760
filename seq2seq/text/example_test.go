package text_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/gotextgen/textgen/seq2seq/text"
)

func ExampleCharTokenizer() {
	var tok text.CharTokenizer
	tokens := tok.Tokenize("这是一个测试 👩‍👩‍👧🇨🇳👍🏽")
	fmt.Println(len(tokens), "tokens:", strings.Join(tokens, "|"))
	fmt.Println(tok.Detokenize(tokens))

	// A letter and its combining accent stay one token; %+q shows the runes.
	fmt.Printf("%+q\n", tok.Tokenize("cafe\u0301"))
	// Output:
	// 10 tokens: 这|是|一|个|测|试| |👩‍👩‍👧|🇨🇳|👍🏽
	// 这是一个测试 👩‍👩‍👧🇨🇳👍🏽
	// ["c" "a" "f" "e\u0301"]
}

func ExampleBuildVocab() {
	corpus := []string{"这是一个测试", "这是一只猫"}
	v := text.BuildVocab(corpus, text.CharTokenizer{}, text.DefaultVocabConfig())
	fmt.Println("size:", v.Size())
	var all []string
	for id := range v.Size() {
		all = append(all, v.Token(id))
	}
	fmt.Println(strings.Join(all, " "))

	ids := v.EncodeWithEOS("这是猫!")
	fmt.Println("ids:", ids)
	fmt.Println("back:", v.Decode(ids))
	// Output:
	// size: 12
	// <pad> <bos> <eos> <unk> 一 是 这 个 只 测 猫 试
	// ids: [6 5 10 3 2]
	// back: 这是猫<unk>
}

func ExampleVocab_WriteTo() {
	v := text.BuildVocab([]string{"ab", "b"}, nil, text.DefaultVocabConfig())
	v.WriteTo(os.Stdout) // Save writes the same bytes to a file
	// Output:
	// {
	//   "format": "textgen-vocab",
	//   "version": 1,
	//   "tokenizer": "char",
	//   "tokens": [
	//     "<pad>",
	//     "<bos>",
	//     "<eos>",
	//     "<unk>",
	//     "b",
	//     "a"
	//   ]
	// }
}
