package eval_test

import (
	"fmt"

	"github.com/gotextgen/textgen/seq2seq/eval"
)

// sacreBLEU's README example: three hypotheses and two reference streams; refs[k][i] is the k-th reference of
// hyps[i].
var (
	hyps = []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	refs = [][]string{
		{"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
		{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."},
	}
)

func ExampleCorpusBLEU() {
	b, err := eval.CorpusBLEU(hyps, refs, eval.BLEUOptions{}) // sacreBLEU's defaults
	if err != nil {
		panic(err)
	}
	fmt.Println(b)
	fmt.Println(b.Signature)
	fmt.Printf("%.4f %v %v\n", b.Score, b.Counts, b.Totals)
	// Output:
	// BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
	// nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0
	// 48.5308 [14 7 5 3] [17 14 11 8]
}

func ExampleCorpusChrF() {
	chrF := eval.MustCorpusChrF(hyps, refs, eval.ChrFOptions{})
	chrFpp := eval.MustCorpusChrF(hyps, refs, eval.ChrFOptions{WordOrder: 2})
	fmt.Println(chrF, "|", chrF.Signature)
	fmt.Println(chrFpp, "|", chrFpp.Signature)
	// Output:
	// chrF2 = 59.73 | nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0
	// chrF2++ = 59.15 | nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0
}

func ExampleSentenceBLEU() {
	// sacreBLEU's sentence_bleu() turns effective order on: without it, a hypothesis shorter than four
	// tokens scores 0.
	for _, eff := range []bool{false, true} {
		b, _ := eval.SentenceBLEU("The cat sat", []string{"The cat sat on the mat."},
			eval.BLEUOptions{EffectiveOrder: eff})
		fmt.Println(b)
	}
	// Output:
	// BLEU = 0.00 100.0/100.0/100.0/0.0 (BP = 0.264 ratio = 0.429 hyp_len = 3 ref_len = 7)
	// BLEU = 26.36 100.0/100.0/100.0/0.0 (BP = 0.264 ratio = 0.429 hyp_len = 3 ref_len = 7)
}

func ExampleTokenize13a() {
	for _, s := range []string{
		"It wasn't surprising.",
		"The price: $1,000.50 (2024-05)!",
		"&quot;Hi&quot; &amp; bye",
		"中文，测试。",
	} {
		fmt.Println(eval.Tokenize13a(s))
	}
	// Output:
	// It wasn't surprising .
	// The price : $ 1,000.50 ( 2024 - 05 ) !
	// " Hi " & bye
	// 中文，测试。
}

func ExampleTokenizeZh() {
	fmt.Println(eval.TokenizeZh("我们今天去北京。GPU 3.5元"))
	// Output:
	// 我 们 今 天 去 北 京 。 GPU 3.5 元
}
