package eval

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false,
	"recompute testdata/golden.json with sacreBLEU (needs a Python with sacrebleu 2.6.0)")

// goldenPath holds goldenRequest and sacreBLEU 2.6.0's answers to it, so that TestGolden runs without Python.
var goldenPath = filepath.Join("testdata", "golden.json")

// golden is the file's content.
type golden struct {
	Note     string      `json:"note"`
	Request  refRequest  `json:"request"`
	Response refResponse `json:"response"`
}

// sacreBLEU's README example: three hypotheses, two reference streams.
var (
	readmeHyps = []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	readmeRefs = [][]string{
		{"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
		{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."},
	}
)

// goldenRequest lists the fixed cases: sacreBLEU's README example, Chinese, HTML entities, empty hypotheses,
// lowercasing of 'İ' and 'Σ', every smoothing, sentence-level BLEU, ties between reference lengths, and chrF
// variants; plus the tokenizer edge cases.
func goldenRequest() refRequest {
	zhHyps := []string{"我们今天去北京。", "天气很好，我很高兴！", "他喜欢吃苹果和米饭"}
	zhRefs := [][]string{{"今天我们去北京。", "天气非常好，我很开心！", "他喜欢吃米饭和苹果。"}}
	entHyps := []string{"&quot;Hello&quot;, she said &amp; left.", "3.14 is &lt; 4, e.g. 1,000-2,000."}
	entRefs := [][]string{{`"Hello," she said & left.`, "3.14 < 4, e.g. 1,000 - 2,000."}}
	lcHyps := []string{"İSTANBUL ΟΔΟΣ ΣΟΦΟΣ", "The CAT sat."}
	lcRefs := [][]string{{"istanbul οδος σοφος", "the cat sat."}}
	tieHyps := []string{"a b c d"}
	tieRefs := [][]string{{"a b c"}, {"a b c d e"}, {"x a b c d y"}}
	b := func(name string, hyps []string, refs [][]string, o BLEUOptions) bleuCase {
		return bleuCase{Name: name, Hyps: hyps, Refs: refs, Opts: o.kwargs()}
	}
	c := func(name string, hyps []string, refs [][]string, o ChrFOptions) chrfCase {
		return chrfCase{Name: name, Hyps: hyps, Refs: refs, Opts: o.kwargs()}
	}
	sentence := func(name, hyp string, refs []string, o BLEUOptions) bleuCase {
		streams := make([][]string, len(refs))
		for k, r := range refs {
			streams[k] = []string{r}
		}
		return bleuCase{Name: name, Hyps: []string{hyp}, Refs: streams, Sentence: true, Opts: o.kwargs()}
	}
	return refRequest{
		Tokenize: tokenizerEdgeCases,
		BLEU: []bleuCase{
			b("readme", readmeHyps, readmeRefs, BLEUOptions{}),
			b("readme-1ref", readmeHyps, readmeRefs[:1], BLEUOptions{}),
			b("readme-floor", readmeHyps, readmeRefs, BLEUOptions{Smooth: SmoothFloor}),
			b("readme-add-k", readmeHyps, readmeRefs, BLEUOptions{Smooth: SmoothAddK}),
			b("readme-none", readmeHyps, readmeRefs[:1], BLEUOptions{Smooth: SmoothNone}),
			b("readme-lowercase-none-tok", readmeHyps, readmeRefs, BLEUOptions{Lowercase: true, Tokenize: TokNone}),
			b("readme-order-2", readmeHyps, readmeRefs, BLEUOptions{MaxNgramOrder: 2}),
			b("zh", zhHyps, zhRefs, BLEUOptions{Tokenize: TokZh}),
			b("zh-with-13a", zhHyps, zhRefs, BLEUOptions{}),
			b("entities", entHyps, entRefs, BLEUOptions{}),
			b("lowercase", lcHyps, lcRefs, BLEUOptions{Lowercase: true}),
			b("empty-hyps", []string{"", ""}, [][]string{{"a b", "c"}}, BLEUOptions{}),
			b("empty-ref", []string{"a b c", "d"}, [][]string{{"a b c", ""}}, BLEUOptions{}),
			b("closest-ref-tie", tieHyps, tieRefs, BLEUOptions{}),
			sentence("sentence-effective", "The cat sat", []string{"The cat sat on the mat."},
				BLEUOptions{EffectiveOrder: true}),
			sentence("sentence-no-effective", "The cat sat", []string{"The cat sat on the mat."}, BLEUOptions{}),
			sentence("sentence-floor-0.5", "a b x d", []string{"a b c d"},
				BLEUOptions{Smooth: SmoothFloor, SmoothValue: 0.5, EffectiveOrder: true}),
		},
		ChrF: []chrfCase{
			c("readme", readmeHyps, readmeRefs, ChrFOptions{}),
			c("readme-chrF++", readmeHyps, readmeRefs, ChrFOptions{WordOrder: 2}),
			c("readme-eps", readmeHyps, readmeRefs, ChrFOptions{EpsSmoothing: true}),
			c("readme-whitespace-lc", readmeHyps, readmeRefs, ChrFOptions{Whitespace: true, Lowercase: true}),
			c("readme-beta1-order4", readmeHyps, readmeRefs[:1], ChrFOptions{Beta: 1, CharOrder: 4}),
			c("zh", zhHyps, zhRefs, ChrFOptions{}),
			c("zh-chrF++", zhHyps, zhRefs, ChrFOptions{WordOrder: 2}),
			c("empty-hyps", []string{"", ""}, [][]string{{"a b", "c"}}, ChrFOptions{}),
			c("punctuation-chrF++", entHyps, entRefs, ChrFOptions{WordOrder: 2}),
		},
	}
}

// The fixed cases of goldenRequest give sacreBLEU 2.6.0's results, stored in testdata/golden.json.
// go test -run TestGolden -update recomputes them with sacreBLEU.
func TestGolden(t *testing.T) {
	req := goldenRequest()
	if *update {
		resp := runSacreBLEU(t, req)
		raw, err := json.MarshalIndent(golden{
			Note: "Written by `go test ./seq2seq/eval -run TestGolden -update`: " +
				"the answers of testdata/sacrebleu_ref.py.",
			Request:  req,
			Response: resp,
		}, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (sacreBLEU %s, Python %s)", goldenPath, resp.SacreBLEUVersion, resp.PythonVersion)
	}
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s: %v", goldenPath, err)
	}
	stored, _ := json.Marshal(g.Request)
	current, _ := json.Marshal(req)
	if !bytes.Equal(stored, current) {
		t.Fatalf("%s was written for other cases than goldenRequest's; rerun with -update", goldenPath)
	}
	a := compareWithSacreBLEU(t, g.Request, g.Response)
	t.Logf("%d tokenizations, %d BLEU and %d chrF scores as sacreBLEU %s; max |Go − sacreBLEU|: BLEU %.3g, chrF %.3g",
		a.tokenized, a.bleu, a.chrf, g.Response.SacreBLEUVersion, a.maxBLEU, a.maxChrF)
}
