package eval

import (
	"math/rand/v2"
	"strings"
)

// mixedVocab is the vocabulary of the random corpora: words and pieces that exercise every rule of the 13a
// and zh tokenizers (periods and commas next to digits, dashes after digits, HTML entities, "<skipped>",
// ASCII symbols), whitespace Python splits on but Go's strings.Fields does not ("\x1c"), characters the zh
// table covers by accident ('—', '…', '€', '→'), Chinese, full-width forms, emoji with modifiers and joiners,
// combining marks, and the special cases of Python's str.lower() ('İ', final 'Σ').
var mixedVocab = []string{
	"the", "The", "dog", "bit", "man", "It", "was", "not", "unexpected", "No", "one", "surprised", "had",
	"bitten", "him", "first", "a", "an", "of", "and", "to", "in", "is", "that", "with", "for", "New", "York",
	"e-mail", "well-known", "state-of-the-art", "U.S.", "Dr.", "etc.", "don't", "it's", "rock'n'roll",
	"3.14", "1,000", "1.000,5", "42", "7", "0", "7-3", "2024-01-05", "-5", "5-", "$5", "100%", "C++", "#tag",
	"@user", "a/b", "x=y", "a_b", "^", "~", "|", "\\", "`", "<b>", "</b>", "<", ">", "&", "&amp;", "&quot;",
	"&lt;", "&gt;", "&amp;quot;", "&nbsp;", "&#39;", "<skipped>", "<skip", "ped>", `"quoted"`, `"`, "'single'",
	"'", "(paren)", "(", ")", "[brackets]", "{braces}", ".", ",", "!", "?", ";", ":", "...", ".,", ",.", "-",
	"--", "-\n", "—", "–", "…", "«", "»", "“", "”", "‘", "’", "€", "→", "½", "·", "Σ", "ΣΑΣ", "ΟΔΟΣ.",
	"σοφός", "ΌΣΟΣ", "İstanbul", "STRASSE", "Straße", "ǅ", "café", "cafe\u0301", "naïve", "ÜNÏCÖDÉ", "中",
	"文", "我们", "中文。", "你好，世界", "（", "）", "「", "」", "、", "１２３", "ＡＢＣ", "ｶﾀｶﾅ", "한국어", "日本語",
	"カタカナ", "😀", "👍🏽", "👩\u200d👩\u200d👧", "🇨🇳", "𠀀", "☃", "✓", "㈱", "\u200b", "x\u00a0y", "tab\tsep",
	"multi\nline", "x\x1cy", "\u2028", "\ufeff",
}

// zhVocab is the vocabulary of the Chinese corpora: Chinese words and punctuation, with some Latin, digits and
// ASCII punctuation mixed in as in real Chinese text.
var zhVocab = []string{
	"我", "你", "他", "她", "们", "是", "的", "了", "在", "有", "这", "个", "一", "不", "人", "中国", "北京",
	"上海", "今天", "明天", "天气", "很", "好", "学生", "老师", "喜欢", "吃", "苹果", "米饭", "看", "书", "电影",
	"机器", "翻译", "模型", "评估", "，", "。", "！", "？", "、", "：", "；", "“", "”", "《", "》", "（", "）",
	"…", "—", "·", "２０２４年", "3.5", "1,000", "GPU", "AI", "e-mail", "OK", ".", ",", "!", "(", ")", "-",
	"10-20", "😀", "𠀀", "々", "〇", "ㄅ", "㐀", "ＡＩ",
}

// separators join the words of a segment; mostly a space, sometimes nothing or whitespace Python and Go see
// differently.
var separators = []string{" ", " ", " ", " ", " ", " ", " ", "", "", "  ", "\t", "\u3000", "\u2009", "\u00a0",
	"\n", "\x1f"}

// corpusGen draws random corpora from a seeded PCG, so every run tests the same cases.
type corpusGen struct {
	rng   *rand.Rand
	vocab []string
	seps  []string
}

func newCorpusGen(seed uint64, vocab, seps []string) *corpusGen {
	return &corpusGen{rng: rand.New(rand.NewPCG(seed, 0x5eed)), vocab: vocab, seps: seps}
}

// words returns up to maxLen random words.
func (g *corpusGen) words(maxLen int) []string {
	w := make([]string, g.rng.IntN(maxLen+1))
	for i := range w {
		w[i] = g.vocab[g.rng.IntN(len(g.vocab))]
	}
	return w
}

// perturb returns a copy of words with some words replaced, dropped, inserted or swapped, so that
// hypotheses and other references share some but not all n-grams with the first reference.
func (g *corpusGen) perturb(words []string, rate float64) []string {
	var out []string
	for _, w := range words {
		switch p := g.rng.Float64(); {
		case p < rate/3:
			out = append(out, g.vocab[g.rng.IntN(len(g.vocab))])
		case p < 2*rate/3: // dropped
		case p < rate:
			out = append(out, w, g.vocab[g.rng.IntN(len(g.vocab))])
		default:
			out = append(out, w)
		}
	}
	if len(out) > 1 && g.rng.Float64() < rate {
		i := g.rng.IntN(len(out) - 1)
		out[i], out[i+1] = out[i+1], out[i]
	}
	return out
}

// join joins words with random separators and sometimes adds whitespace at either end.
func (g *corpusGen) join(words []string) string {
	var b strings.Builder
	if g.rng.IntN(10) == 0 {
		b.WriteString([]string{" ", "\t", "\u3000", "\n"}[g.rng.IntN(4)])
	}
	for i, w := range words {
		if i > 0 {
			b.WriteString(g.seps[g.rng.IntN(len(g.seps))])
		}
		b.WriteString(w)
	}
	if g.rng.IntN(8) == 0 {
		b.WriteString([]string{" ", "\n", " \n", "\t", "-\n", "\u2028"}[g.rng.IntN(6)])
	}
	return b.String()
}

// corpus returns hypotheses and 1 to 3 reference streams (refs[k][i]) of 1 to 30 segments. About one
// hypothesis in twelve and one reference in forty are empty.
func (g *corpusGen) corpus() (hyps []string, refs [][]string) {
	nSeg, nRefs := 1+g.rng.IntN(30), 1+g.rng.IntN(3)
	refs = make([][]string, nRefs)
	for range nSeg {
		base := g.words(25)
		for k := range nRefs {
			w := base
			if k > 0 {
				w = g.perturb(base, 0.4)
			}
			if g.rng.IntN(40) == 0 {
				w = nil
			}
			refs[k] = append(refs[k], g.join(w))
		}
		if g.rng.IntN(12) == 0 {
			hyps = append(hyps, "")
		} else {
			hyps = append(hyps, g.join(g.perturb(base, 0.1+0.6*g.rng.Float64())))
		}
	}
	return hyps, refs
}

// bleuOptions returns random BLEU options, sacreBLEU's defaults about half of the time for each field.
func (g *corpusGen) bleuOptions(tokenizers ...string) BLEUOptions {
	o := BLEUOptions{Tokenize: tokenizers[g.rng.IntN(len(tokenizers))], Lowercase: g.rng.IntN(3) == 0,
		EffectiveOrder: g.rng.IntN(4) == 0}
	o.Smooth = []string{SmoothExp, SmoothExp, SmoothExp, SmoothFloor, SmoothAddK, SmoothNone, ""}[g.rng.IntN(7)]
	if g.rng.IntN(2) == 0 {
		o.SmoothValue = []float64{0.01, 0.5, 2}[g.rng.IntN(3)]
	}
	if g.rng.IntN(5) == 0 {
		o.MaxNgramOrder = 1 + g.rng.IntN(6)
	}
	return o
}

// chrFOptions returns random chrF options: word orders 0 to 3 (2 is chrF++), character orders 1 to 8.
func (g *corpusGen) chrFOptions() ChrFOptions {
	o := ChrFOptions{WordOrder: []int{0, 0, 2, 2, 1, 3}[g.rng.IntN(6)], Lowercase: g.rng.IntN(3) == 0,
		Whitespace: g.rng.IntN(4) == 0, EpsSmoothing: g.rng.IntN(4) == 0}
	if g.rng.IntN(3) == 0 {
		o.CharOrder = 1 + g.rng.IntN(8)
	}
	if g.rng.IntN(3) == 0 {
		o.Beta = 1 + g.rng.IntN(3)
	}
	return o
}
