"""Notebook 01 · Embeddings: raw text → tokens → vocabulary → vectors (issue 3, item 7)."""
from make_notebooks import MUST, SETUP, code, md

CELLS = [
    md("""
# 01 · Embeddings: words become vectors

A network cannot read characters; it reads numbers. This notebook walks the whole way from raw text to vectors:

**raw text → tokens → vocabulary (token IDs) → vectors**

It answers a well-known Chinese tutorial on text generation ("Python 深度学习实战：文本生成") step by step. That
tutorial starts by *loading a pretrained Word2Vec model* and splits Chinese on spaces, and its FAQ asks how to treat
punctuation, numbers and letter case. Here each of those becomes a runnable cell: we tokenize Chinese properly, answer
the FAQ by showing how the token streams change, build and save a vocabulary, train word2vec (skip-gram) on Tang
poems, look at neighbours, an analogy and a 2-D map, check our trainer against Gensim's, and finally load a
pretrained vector file into an embedding matrix — the tutorial's first step, done right.

The first cell points GoNB at this checkout so the notebook uses the project's own packages and pinned versions.
"""),
    code(SETUP),
    md("""
`show` prints a token stream with its length, tokens separated by `│`. `tangSentences(n)` reads the first `n` poems
of 全唐诗 (installed by `go run ./cmd/textgen setup`, converted to simplified characters) as one sentence of
characters per poem. Files written by this notebook go to `embeddings-run/`, next to the notebook.
"""),
    code("""
import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gotextgen/textgen/kernel"
	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/backend"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/embed"
	"github.com/gotextgen/textgen/seq2seq/text"
)

""" + MUST + """

// runDir holds the files this notebook writes: vocabulary, vectors, gensim's output.
const runDir = "embeddings-run"

// neighbours formats similarity query results as "word 0.93 word 0.91 …".
func neighbours(ns []embed.Neighbor) string {
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, "%s %.2f  ", n.Word, n.Similarity)
	}
	return b.String()
}

// show prints a token stream: its name, its length and the tokens between bars.
func show(name string, tokens []string) {
	fmt.Printf("%-16s %3d │ %s\\n", name, len(tokens), strings.Join(tokens, " │ "))
}

// tangSentences returns the first n Tang poems as sentences of characters (verse punctuation removed).
func tangSentences(n int) [][]string {
	dir, err := data.CorporaDir()
	must(err)
	poems, err := data.TangPoems(dir, n)
	must(err)
	return data.Sentences(poems)
}

%%
must(os.MkdirAll(runDir, 0o755))
s := tangSentences(1)
fmt.Printf("the first poem of 全唐诗 has %d characters: %s\\n", len(s[0]), strings.Join(s[0], ""))
"""),
    md("""
## 1 · Raw text → tokens

Chinese is written without spaces, so "split on spaces" — what the tutorial does — returns the whole line as **one
token**: a vocabulary of whole sentences, every one of them seen once. Two ways that work:

- **characters** (`text.CharTokenizer`): one token per character. Classical poetry is mostly one word per character,
  and the vocabulary stays small (a few thousand).
- **words** (`text.WordTokenizer`): Chinese runs are segmented with the gse dictionary segmenter; other scripts by
  rules. Fewer, longer tokens and a much larger vocabulary.

The check: the whitespace tokenizer gives exactly one token for 静夜思, the character tokenizer one per character.
"""),
    code("""
%%
poem := "床前明月光，疑是地上霜。举头望明月，低头思故乡。"
chars := text.CharTokenizer{}.Tokenize(poem)
show("char", chars)
show("word (gse)", text.WordTokenizer{}.Tokenize(poem))
ws := text.WhitespaceTokenizer{}.Tokenize(poem)
show("whitespace", ws)
if len(ws) != 1 || len(chars) != len([]rune(poem)) {
	panic(fmt.Sprintf("whitespace: %d tokens, want 1; char: %d tokens, want %d", len(ws), len(chars), len([]rune(poem))))
}
"""),
    md("""
Real text mixes scripts, numbers and emoji. Characters are *grapheme clusters*, so the family emoji 👩‍👩‍👧 (five code
points) stays one token; the word tokenizer keeps `ChatGPT` and `3.14` whole and splits at script boundaries
(`2021` `年`). Note the full-width letters `Ｈｅｌｌｏ`: they look like `Hello` but are different characters — the FAQ
below fixes that.
"""),
    code("""
%%
mixed := "2021年，我用ChatGPT写了3首诗🎉 Ｈｅｌｌｏ, World! π≈3.14 👩‍👩‍👧"
chars := text.CharTokenizer{}.Tokenize(mixed)
show("char", chars)
show("word", text.WordTokenizer{}.Tokenize(mixed))
show("whitespace", text.WhitespaceTokenizer{}.Tokenize(mixed))
if !slices.Contains(chars, "👩‍👩‍👧") || (text.CharTokenizer{}).Detokenize(chars) != mixed {
	panic("the family emoji must be one token, and characters must join back into the text")
}
"""),
    md("""
## 2 · The FAQ: punctuation, numbers, case

A `text.Normalizer` answers each question with an option; a `text.Pipeline` applies it around a tokenizer. Each row
below changes one option and shows the word tokens of the same sentence:

| question | options | when |
|---|---|---|
| punctuation | keep (default) · drop | keep for generation (the model must write `，` and `。`); drop for word2vec on prose |
| numbers | keep · `<num>` · digits | `<num>` keeps one-off numbers out of a small vocabulary; digits let the model write any number with 10 tokens |
| case | keep · lower · fold | lower for small English corpora; fold for caseless matching (`Straße` → `strasse`) |
| width | NFKC / half-width | always: full-width `Ｈｅｌｌｏ１２３` and `Hello123` become the same tokens |

`text.DefaultNormalizer()` (NFKC and half-width on, the rest kept) is the recommended start. Note that the Chinese
comma `，` *is* the full-width form of `,`, so NFKC turns it into `,`, while `。` has no ASCII twin and stays.
"""),
    code("""
%%
faq := "Apple发布了iPhone 15，售价5,999元！ＡＢＣ１２３ Straße"
options := []struct {
	name string
	n    text.Normalizer
}{
	{"as is", text.Normalizer{}},
	{"punct drop", text.Normalizer{Punct: text.PunctDrop}},
	{"numbers <num>", text.Normalizer{Numbers: text.NumberToken}},
	{"numbers digits", text.Normalizer{Numbers: text.NumberDigits}},
	{"case lower", text.Normalizer{Case: text.CaseLower}},
	{"case fold", text.Normalizer{Case: text.CaseFold}},
	{"NFKC", text.Normalizer{NFKC: true}},
	{"default", text.DefaultNormalizer()},
}
streams := map[string][]string{}
for _, o := range options {
	streams[o.name] = text.NewPipeline(o.n, text.WordTokenizer{}).Tokenize(faq)
	show(o.name, streams[o.name])
}
switch {
case slices.Contains(streams["punct drop"], "，") || !slices.Contains(streams["as is"], "，"):
	panic("punct drop must remove ，")
case strings.Count(strings.Join(streams["numbers <num>"], " "), text.NumToken) != 2:
	panic("numbers <num>: want 15 and 5,999 replaced")
case !slices.Contains(streams["case lower"], "iphone") || !slices.Contains(streams["case fold"], "strasse"):
	panic("lower must give iphone, fold strasse")
case !slices.Contains(streams["NFKC"], "ABC123"):
	panic("NFKC must turn ＡＢＣ１２３ into ABC123")
}
"""),
    md("""
## 3 · Vocabulary: tokens → IDs

`text.BuildVocab` counts the tokens of a corpus and gives each an ID, most frequent first, after four special tokens
(`<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3). `MinFreq` leaves out rare tokens: they encode as `<unk>`. On 2,000 Tang
poems, characters as tokens, `MinFreq: 5` removes nearly half of the distinct characters while turning under 4% of
the running text into `<unk>`.

The vocabulary file is JSON and stores the tokenizer and the normalizer, so `text.Load` gives back a vocabulary that
tokenizes new text exactly as the one saved. The check: same size, same tokens, same IDs for a line of new text.
"""),
    code("""
%%
var lines []string
for _, s := range tangSentences(2000) {
	lines = append(lines, strings.Join(s, ""))
}
all := text.BuildVocab(lines, text.CharTokenizer{}, text.VocabConfig{MinFreq: 1})
v := text.BuildVocab(lines, text.CharTokenizer{}, text.VocabConfig{MinFreq: 5})
unk, total := 0, 0
for _, l := range lines {
	for _, id := range v.Encode(l) {
		total++
		if id == text.UnkID {
			unk++
		}
	}
}
fmt.Printf("%d poems; vocabulary %d tokens with MinFreq 1, %d with MinFreq 5 (%.1f%% of the text becomes <unk>)\\n",
	len(lines), all.Size(), v.Size(), 100*float64(unk)/float64(total))
fmt.Println("most frequent:", v.Tokens([]int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}))
rare := all.Token(all.Size() - 1) // the rarest character
line := "明月照" + rare
fmt.Printf("%q → %v → %q\\n", line, v.Encode(line), v.Decode(v.Encode(line)))

// A word vocabulary that normalises as it tokenizes (the FAQ's answers), saved and loaded back.
n := text.DefaultNormalizer()
n.Case, n.Numbers = text.CaseLower, text.NumberToken
wv := text.BuildVocab([]string{"Apple发布了iPhone 15", "APPLE 的售价是5,999元", "苹果公司发布了新手机"},
	text.NewPipeline(n, text.WordTokenizer{}), text.DefaultVocabConfig())
path := filepath.Join(runDir, "vocab.json")
must(wv.Save(path))
back, err := text.Load(path)
must(err)
probe := "ＡＰＰＬＥ发布了iPhone 16"
fmt.Printf("%s: %d tokens; %q → %v\\n", path, back.Size(), probe, back.Tokens(back.Encode(probe)))
if back.Size() != wv.Size() || !slices.Equal(back.Encode(probe), wv.Encode(probe)) || back.Normalizer() != n {
	panic("the loaded vocabulary must tokenize and number tokens as the saved one")
}
if v.Encode(line)[3] != text.UnkID {
	panic("a character below MinFreq must encode as <unk>")
}
"""),
    md("""
## 4 · Train word2vec (skip-gram) on Tang poems

Word2vec gives each word a vector such that words used in the same contexts get similar vectors. Skip-gram
(`sg=1`) trains each word to predict the words around it (within `window`), with negative sampling: for each true
(word, context) pair, `negative` random words are pushed away.

`embed.TrainWord2Vec` follows Gensim 4.4's `Word2Vec` setting by setting (its defaults here: 100 dimensions,
window 5, `min_count` 5, 5 epochs). It runs on GoMLX, on the backend `backend.MustNew` picks by the project's policy:
XLA when its plugin is installed (the trainer is 3–6× faster there than on the pure-Go backend, see
`docs/embeddings.md`), else pure Go. We train on the first 2,000 poems (about 100,000 characters) and save the
vectors in word2vec's text format, where the next cells read them.
"""),
    code("""
// w2vConfig is the word2vec setting of this notebook, ours and gensim's: gensim's defaults with skip-gram.
func w2vConfig() embed.Word2VecConfig {
	cfg := embed.DefaultWord2VecConfig()
	cfg.SG, cfg.Seed = 1, 1
	return cfg
}

// trainPoems is how many Tang poems word2vec trains on.
const trainPoems = 2000

%%
be, choice := backend.MustNew()
fmt.Println(choice)
sentences := tangSentences(trainPoems)
var ends []embed.Word2VecProgress // the last step of each epoch
vecs, stats, err := embed.TrainWord2Vec(context.Background(), be, sentences, w2vConfig(), func(p embed.Word2VecProgress) {
	if len(ends) < p.Epoch {
		ends = append(ends, p)
	}
	ends[p.Epoch-1] = p
})
must(err)
for i, p := range ends {
	fmt.Printf("epoch %d: %6d/%d words, %6.0f words/s, mean loss %.3f\\n", p.Epoch, p.WordsDone, p.WordsTotal, p.WordsPerSec, stats.EpochLoss[i])
}
fmt.Printf("%d characters in the vocabulary, %d dimensions; %d corpus characters × %d epochs in %.1f s\\n",
	vecs.Len(), vecs.Dim, stats.CorpusWords, w2vConfig().Epochs, stats.Seconds)
must(embed.WriteFile(filepath.Join(runDir, "tang.vec"), vecs, embed.Text))
if l := stats.EpochLoss; l[len(l)-1] >= l[0] {
	panic("the loss must fall from the first epoch to the last")
}
"""),
    md("""
## Neighbours

`embed.Index` answers Gensim's `most_similar`: the words whose vectors have the highest cosine similarity with the
query's. Characters used in the same places in verses come out together: 月 (moon) with 照 (shine), 楼 (tower),
晓 (dawn); 山 (mountain) with directions and frontier places (北 关 塞 陇); 春 (spring) with branches, trees and
blossoms (枝 树 花 桃).
"""),
    code("""
%%
be, _ := backend.MustNew()
vecs := embed.MustReadFile(filepath.Join(runDir, "tang.vec"), embed.Text, embed.Options{})
index, err := embed.NewIndex(be, vecs)
must(err)
queries := []string{"月", "山", "春"}
near, err := index.Neighbors(queries, 10)
must(err)
for i, q := range queries {
	fmt.Printf("%s: %s\\n", q, neighbours(near[i]))
}
must(kernel.ShowNeighbours(3, queries, near))
"""),
    md("""
## Analogies

`index.Analogy(a, b, c, k)` is Gensim's `most_similar(positive=[a, c], negative=[b])`: the words nearest to
a − b + c, "b is to a as c is to ?". On 100,000 characters of poetry some analogies work and most do not; below
are three, with the answer one might hope for and its rank among the top 5 (0: not there). Directions work:
东:西 :: 南:北. For 春:花 :: 秋:? the poet's answer would be 月 (春花秋月), the vectors answer with autumn leaves or
cold; 男:女 :: 父:母 fails — family words are rare in these poems.
"""),
    code("""
// analogies are b:a :: c:hoped, asked as Analogy(a, b, c).
var analogies = [][4]string{{"西", "东", "南", "北"}, {"花", "春", "秋", "月"}, {"女", "男", "父", "母"}}

// analogyTable prints the top 5 answers of each analogy and the rank of the hoped answer (0: not in the top 5).
func analogyTable(index *embed.Index) {
	for _, q := range analogies {
		res, err := index.Analogy(q[0], q[1], q[2], 5)
		must(err)
		rank := 1 + slices.IndexFunc(res, func(n embed.Neighbor) bool { return n.Word == q[3] })
		fmt.Printf("%s:%s :: %s:?  → %s (%s: rank %d)\\n", q[1], q[0], q[2], neighbours(res), q[3], rank)
	}
}

%%
be, _ := backend.MustNew()
index, err := embed.NewIndex(be, embed.MustReadFile(filepath.Join(runDir, "tang.vec"), embed.Text, embed.Options{}))
must(err)
analogyTable(index)
"""),
    md("""
## The 2-D map

100 dimensions do not fit on a page, so `plots.EmbeddingMap` projects the vectors of the 100 most frequent characters
(plus a few chosen ones) to 2-D, coloured by kind: numbers, directions, colours, seasons, the rest. **PCA** keeps the
two directions of largest variance — a faithful but crowded linear view. **t-SNE** places points so that near
neighbours stay near, which shows groups better but distorts distances between them. Both use unit-length vectors,
so closeness follows cosine similarity. Look for the numbers (orange) gathering in one place, the colours (pink) among
the images of nature (月 花 风 山 水), and the grammatical words (不 无 何 此 知 见) in a region of their own: the
vectors learned parts of speech and topics from co-occurrence alone.
"""),
    code("""
// mapGroups are the coloured kinds of the 2-D map, group 1, 2, … (0: everything else).
var mapGroups = [][]string{
	strings.Fields("一 二 三 四 五 六 七 八 九 十 百 千 万"),
	strings.Fields("东 西 南 北 上 下"),
	strings.Fields("白 青 红 黄 绿 碧 紫 金"),
	strings.Fields("春 夏 秋 冬"),
}

%%
vecs := embed.MustReadFile(filepath.Join(runDir, "tang.vec"), embed.Text, embed.Options{})
words := slices.Clone(vecs.Words[:100]) // most frequent first
for _, g := range mapGroups {
	for _, w := range g {
		if _, ok := vecs.Lookup(w); ok && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
}
groups := make([]int, len(words))
for i, w := range words {
	for g, members := range mapGroups {
		if slices.Contains(members, w) {
			groups[i] = g + 1
		}
	}
}
fmt.Printf("%d characters on the map\\n", len(words))
opts := plots.DefaultEmbeddingOptions()
opts.Groups = groups
opts.Title = "Tang poems, skip-gram: PCA (numbers, directions, colours, seasons coloured)"
must(kernel.ShowEmbeddingMap(vecs, words, opts))
opts.Projection, opts.Title = plots.ProjectionTSNE, "the same characters, t-SNE"
must(kernel.ShowEmbeddingMap(vecs, words, opts))
"""),
    md("""
## 5 · Cross-check with Gensim

Is our trainer right? Train Gensim 4.4's `Word2Vec` (from the project's Python venv, one worker thread) with the
same settings on the same sentences, and compare neighbourhoods: **overlap@10** is the fraction of a word's 10
nearest neighbours in our vectors that are also among its 10 nearest in Gensim's, averaged over 20 common characters.
Random numbers differ between the two (and so do their vectors), so the reference for "as close as can be" is Gensim
against *itself* with another seed. The check: ours vs Gensim at least 0.3 (chance is under 0.01) and at least 75% of
Gensim vs Gensim. The two vocabularies must be identical, word for word and in order.

`kernel.GensimWord2Vec` writes the sentences to a file, runs `seq2seq/embed/testdata/word2vec_gensim.py` and reads
the vectors Gensim saved with `save_word2vec_format` (they stay in `embeddings-run/`).
"""),
    code("""
// probeChars are the characters whose neighbourhoods are compared.
var probeChars = strings.Fields("月 山 春 风 花 水 云 人 日 夜 秋 天 江 雨 酒 马 白 青 心 门")

%%
be, _ := backend.MustNew()
ours := embed.MustReadFile(filepath.Join(runDir, "tang.vec"), embed.Text, embed.Options{})
g, err := kernel.GensimWord2Vec(context.Background(), runDir, tangSentences(trainPoems), w2vConfig(), 1, 2)
must(err)
fmt.Println("gensim:", w2vConfig().GensimParams())
if !slices.Equal(ours.Words, g[0].Words) {
	panic(fmt.Sprintf("vocabularies differ: ours %d words, gensim %d", ours.Len(), g[0].Len()))
}
got, each, err := embed.NeighborOverlap(be, ours, g[0], probeChars, 10)
must(err)
ref, _, err := embed.NeighborOverlap(be, g[1], g[0], probeChars, 10)
must(err)
fmt.Printf("same vocabulary (%d characters)\\noverlap@10 ours vs gensim: %.3f\\noverlap@10 gensim seed 2 vs seed 1: %.3f\\n",
	ours.Len(), got, ref)
for i, c := range probeChars {
	fmt.Printf("%s %.1f  ", c, each[i])
}
fmt.Println()
if got < 0.3 || got < 0.75*ref {
	panic(fmt.Sprintf("overlap@10 ours vs gensim %.3f: want ≥ 0.3 and ≥ 0.75 × %.3f", got, ref))
}
index, err := embed.NewIndex(be, g[0])
must(err)
fmt.Println("the analogies on gensim's vectors:")
analogyTable(index)
"""),
    md("""
## 6 · Vector files, and the tutorial's first step done right

Word2vec vectors are shared as files in three layouts: word2vec **text** (a header `count dim`, then `word v1 … vdim`
per line), word2vec **binary** (the same header, then the word and `dim` little-endian float32s) and GloVe (text
without header). `embed.WriteFile` writes them as Gensim's `save_word2vec_format` does, and `embed.ReadFile` reads
them as `load_word2vec_format` does; text values are printed so that they read back bit-identical.
"""),
    code("""
%%
vecs := embed.MustReadFile(filepath.Join(runDir, "tang.vec"), embed.Text, embed.Options{})
bin := filepath.Join(runDir, "tang.bin")
must(embed.WriteFile(bin, vecs, embed.Binary))
back := embed.MustReadFile(bin, embed.Binary, embed.Options{})
for _, f := range []string{"tang.vec", "tang.bin"} {
	st, err := os.Stat(filepath.Join(runDir, f))
	must(err)
	fmt.Printf("%-9s %8d bytes\\n", f, st.Size())
}
if !slices.Equal(back.Words, vecs.Words) || !slices.Equal(back.Data, vecs.Data) {
	panic("text and binary files must hold the same words and the same float32 values")
}
fmt.Println("text and binary hold the same", back.Len(), "vectors, bit for bit")
"""),
    md("""
The tutorial's first step loads a pretrained model and looks up `w2v_model[word]` for every word of its own
vocabulary — which fails on the first word the model does not know, and, with Chinese split on spaces, no word is
known. Done right: load the file (here the one **Gensim** wrote in section 5, standing in for any pretrained file),
build the vocabulary of *your* corpus with the *same tokenization* as the vectors (characters), and let
`embed.InitMatrix` fill the `[V, D]` embedding matrix: `<pad>` zeros, known tokens their pretrained vector, unknown
ones small seeded random values — and report the coverage. Our corpus here is 唐诗三百首 (Debian's fortunes-zh), a
different source than the 全唐诗 poems the vectors were trained on. The same corpus split on spaces finds nothing.
"""),
    code("""
%%
pre := embed.MustReadFile(filepath.Join(runDir, "gensim-1.txt"), embed.Text, embed.Options{})
dir, err := data.CorporaDir()
must(err)
poems, err := data.Tang300(dir)
must(err)
var lines []string
for _, p := range poems {
	lines = append(lines, strings.Join(p.Lines, ""))
}
vocab := text.BuildVocab(lines, text.CharTokenizer{}, text.DefaultVocabConfig())
matrix, cov := embed.InitMatrix(vocab, pre, 1)
fmt.Printf("pretrained: %d vectors × %d; 唐诗三百首: %d poems, vocabulary %d tokens\\n", pre.Len(), pre.Dim, len(poems), vocab.Size())
fmt.Printf("embedding matrix [%d, %d]: %d tokens found, %d missing (%.1f%% coverage); first missing: %v\\n",
	vocab.Size(), pre.Dim, cov.Found, cov.Missing, 100*float64(cov.Found)/float64(cov.Found+cov.Missing), cov.MissingTokens)

id := vocab.ID("月")
want, _ := pre.Lookup("月")
row := matrix[id*pre.Dim : (id+1)*pre.Dim]
if !slices.Equal(row, want) || slices.ContainsFunc(matrix[:pre.Dim], func(x float32) bool { return x != 0 }) {
	panic("row of 月 must be its pretrained vector, the <pad> row zeros")
}
if cov.Found+cov.Missing != vocab.Size()-text.NumSpecial || cov.Found < cov.Missing {
	panic(fmt.Sprintf("coverage %+v does not add up or is below half", cov))
}
fmt.Printf("row %d (月) = its pretrained vector %.3f…; row 0 (<pad>) = zeros\\n", id, row[:3])

// The tutorial's way: split on spaces.
spaces := text.BuildVocab(lines, text.WhitespaceTokenizer{}, text.DefaultVocabConfig())
_, bad := embed.InitMatrix(spaces, pre, 1)
fmt.Printf("split on spaces: %d \\"words\\" (whole poems), %d found in the pretrained vectors\\n", spaces.Size()-text.NumSpecial, bad.Found)
if bad.Found != 0 {
	panic("whole poems cannot be in a character vector file")
}
"""),
    md("""
## What to take away

- Tokenize Chinese by characters (or segment words); never split it on spaces.
- Decide punctuation, numbers, case and width once, in a `Normalizer`, and keep it with the vocabulary file.
- Word2vec turns co-occurrence into geometry: neighbours and some analogies come out of 100,000 characters of poetry;
  our GoMLX trainer agrees with Gensim about as much as Gensim agrees with itself.
- A pretrained file is only useful with the same tokenization as your vocabulary; `InitMatrix` says how much it covers.

Next: [02 · the LSTM cell](02-lstm.ipynb), which reads these vectors one step at a time.
"""),
]

NOTEBOOK = ("01-embeddings.ipynb", CELLS, 3)
