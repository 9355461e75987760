package data_test

import (
	"fmt"

	"github.com/gotextgen/textgen/seq2seq/data"
)

func ExampleSplitVerses() {
	// A verse of 全唐诗 with an editorial note (a variant reading) and a quoted word.
	lines, ok := data.SplitVerses("水急客舟（一作「行」）疾，山花拂面香。\n「借問」酒家何處有？")
	fmt.Println(lines, ok)
	lines, ok = data.SplitVerses("綬吐芽猶嫩，冰□已鏤津。") // □: a lost character
	fmt.Println(lines, ok)
	// Output:
	// [水急客舟疾 山花拂面香 借問酒家何處有] true
	// [綬吐芽猶嫩 冰□已鏤津] false
}

func ExampleToSimplified() {
	fmt.Println(data.ToSimplified("舉頭望明月，低頭思故鄉。"))
	// Output: 举头望明月，低头思故乡。
}

func ExampleNextLinePairs() {
	poem := data.Poem{Title: "静夜思", Author: "李白", Lines: []string{"床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"}}
	for _, p := range data.NextLinePairs([]data.Poem{poem}) {
		fmt.Println(p.Source, "->", p.Target)
	}
	fmt.Println(data.Sentences([]data.Poem{poem})[0][:5])
	// Output:
	// 床前明月光 -> 疑是地上霜
	// 疑是地上霜 -> 举头望明月
	// 举头望明月 -> 低头思故乡
	// [床 前 明 月 光]
}

func ExampleTangPoems() {
	// testdata/corpus mirrors the layout `go run ./cmd/textgen setup` installs; use data.CorporaDir()
	// for the real corpora.
	poems, err := data.TangPoems("testdata/corpus", 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range poems {
		fmt.Println(p.Title, p.Author, p.Lines)
	}
	// Output:
	// 帝京篇十首 一 太宗皇帝 [秦川雄帝宅 函谷壮皇居 绮殿千寻起 离宫百雉余]
	// 注释测试 李白 [水急客舟疾 山花拂面香 借问爽节在 谁知一目了然]
}
