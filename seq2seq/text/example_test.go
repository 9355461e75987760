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

func ExampleWordTokenizer() {
	var tok text.WordTokenizer
	tokens := tok.Tokenize("我在2021年去了U.S.，don't worry 👍🏽")
	fmt.Println(strings.Join(tokens, " | "))
	fmt.Println(tok.Detokenize(tokens))

	tokens = tok.Tokenize(`He said "e-mail me" (at 3.14 p.m.)!`)
	fmt.Println(strings.Join(tokens, " | "))
	fmt.Println(tok.Detokenize(tokens))
	// Output:
	// 我 | 在 | 2021 | 年 | 去 | 了 | U.S. | ， | don't | worry | 👍🏽
	// 我在2021年去了U.S.，don't worry 👍🏽
	// He | said | " | e-mail | me | " | ( | at | 3.14 | p.m. | ) | !
	// He said "e-mail me" (at 3.14 p.m.)!
}

func ExampleWhitespaceTokenizer() {
	var tok text.WhitespaceTokenizer
	tokens := tok.Tokenize("  这是  一个\t测试\n")
	fmt.Printf("%q\n", tokens)
	fmt.Printf("%q\n", tok.Detokenize(tokens))
	// Output:
	// ["这是" "一个" "测试"]
	// "这是 一个 测试"
}

func ExampleNormalizer() {
	n := text.DefaultNormalizer()
	fmt.Println(n.Normalize("Ｈｅｌｌｏ，ｗｏｒｌｄ！ cafe\u0301 ﬁne 你好。"))

	n.Case = text.CaseLower
	n.Punct = text.PunctDrop
	n.Numbers = text.NumberToken
	p := text.NewPipeline(n, text.WordTokenizer{})
	fmt.Printf("%q\n", p.Tokenize("In 2021 I paid $3.14, twice!"))

	n.Numbers = text.NumberDigits
	fmt.Printf("%q\n", n.Filter([]string{"pi", "=", "3.14"}))
	// Output:
	// Hello,world! café fine 你好。
	// ["in" "<num>" "i" "paid" "$" "<num>" "twice"]
	// ["pi" "=" "3" "." "1" "4"]
}
