package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/eval"
)

func evalCmdBuf(args []string, stdout, stderr *bytes.Buffer) error {
	return evalCmd(args, stdout, stderr)
}

// writeTSV writes pairs to a TSV file in a temporary folder.
func writeTSV(t *testing.T, pairs []data.Pair) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pairs.tsv")
	if err := data.WriteTSV(path, pairs); err != nil {
		t.Fatal(err)
	}
	return path
}

// eval -json reports the trainer's teacher-forced loss and accuracy, the decoder's exact match, and sacreBLEU
// BLEU/chrF of those outputs (computed here again from the decode package and eval).
func TestEvalJSONMatchesComponents(t *testing.T) {
	dir, j := trainedRun(t)
	tsv := writeTSV(t, j.TestPairs)
	for _, strategy := range []string{"beam"} { // greedy: TestEvalText
		out, err := cli(t, evalCmdBuf, "-run", dir, "-tsv", tsv, "-json", "-strategy", strategy, "-beam", "3")
		if err != nil {
			t.Fatal(err)
		}
		var rep evalReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("eval -json printed invalid JSON: %v\n%s", err, out)
		}
		want, err := j.Trainer.Evaluate(j.TestEx, 64)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pairs != len(j.TestPairs) || math.Abs(rep.Loss-want.Loss) > 1e-4 || math.Abs(rep.TokenAccuracy-want.TokenAcc) > 1e-9 ||
			math.Abs(rep.Perplexity-math.Exp(rep.Loss)) > 1e-9 {
			t.Errorf("eval: %+v; trainer loss %.5f accuracy %.5f", rep, want.Loss, want.TokenAcc)
		}
		d, err := decode.New(testutil.Backend(t), j.Store, j.Model, j.Vocab)
		if err != nil {
			t.Fatal(err)
		}
		var srcs, hyps, refs []string
		for _, p := range j.TestPairs {
			srcs, refs = append(srcs, p.Source), append(refs, p.Target)
		}
		res, err := d.Decode(srcs, decode.Options{Strategy: strategy, Beam: 3})
		if err != nil {
			t.Fatal(err)
		}
		exact := 0
		for i, r := range res {
			hyps = append(hyps, r.Text)
			if r.Text == refs[i] {
				exact++
			}
		}
		bleu := eval.MustCorpusBLEU(hyps, [][]string{refs}, eval.BLEUOptions{Tokenize: eval.Tok13a})
		chrf := eval.MustCorpusChrF(hyps, [][]string{refs}, eval.DefaultChrFOptions())
		if rep.Strategy != strategy || rep.ExactMatch != float64(exact)/float64(len(refs)) || rep.BLEU != bleu.Score || rep.ChrF != chrf.Score ||
			!strings.Contains(rep.BLEUSignature, "tok:13a") {
			t.Errorf("%s: eval %+v; want exact %d/%d, BLEU %.4f, chrF %.4f", strategy, rep, exact, len(refs), bleu.Score, chrf.Score)
		}
		t.Logf("%s: loss %.4f, token accuracy %.4f, exact %.4f, BLEU %.2f, chrF %.2f", strategy, rep.Loss, rep.TokenAccuracy, rep.ExactMatch, rep.BLEU, rep.ChrF)
	}
}

func TestEvalText(t *testing.T) {
	dir, j := trainedRun(t)
	tsv := writeTSV(t, j.TestPairs[:10])
	out, err := cli(t, evalCmdBuf, "-run", dir, "-tsv", tsv)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pairs", "loss", "perplexity", "token accuracy", "exact match", "greedy decoding", "BLEU", "nrefs:1|case:mixed|eff:no|tok:13a", "chrF2"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
}

func TestChooseTokenizer(t *testing.T) {
	for _, c := range []struct {
		name string
		refs []string
		want string
	}{
		{"auto", []string{"hello", "world"}, eval.Tok13a},
		{"auto", []string{"hello", "床前明月光"}, eval.TokZh},
		{"auto", []string{"こんにちは"}, eval.Tok13a}, // kana only: not Han
		{"zh", []string{"hello"}, eval.TokZh},
		{"none", nil, eval.TokNone},
	} {
		got, err := chooseTokenizer(c.name, c.refs)
		if err != nil || got != c.want {
			t.Errorf("chooseTokenizer(%q, %q) = %q, %v; want %q", c.name, c.refs, got, err, c.want)
		}
	}
	if _, err := chooseTokenizer("intl", nil); err == nil {
		t.Error("unknown tokenizer accepted")
	}
}

func TestEvalErrors(t *testing.T) {
	dir, _ := trainedRun(t)
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.tsv", "")
	ragged := write("ragged.tsv", "abc\tcba\nno tab here\n")
	long := write("long.tsv", "abc\tcba\n\nabcdefghij\tx\n")
	longT := write("longt.tsv", "abc\tabcdefghij\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-run", dir}, "-tsv FILE is required"},
		{[]string{"-tsv", empty}, "no pairs"},
		{[]string{"-run", dir, "-tsv", ragged}, ragged + ":2"},
		{[]string{"-run", dir, "-tsv", filepath.Join(tmp, "missing.tsv")}, "missing.tsv"},
		{[]string{"-run", dir, "-tsv", long}, long + ":3: source (column 1) has 11 tokens"},
		{[]string{"-run", dir, "-tsv", longT}, longT + ":1: target (column 2) has 11 tokens"},
		{[]string{"-tsv", longT}, "-run DIR is required"},
		{[]string{"-run", dir, "-tsv", longT, "-tokenize", "intl"}, "-tokenize \"intl\""},
		{[]string{"-run", dir, "-tsv", longT, "stray"}, "unexpected arguments"},
	} {
		_, err := cli(t, evalCmdBuf, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("eval %q: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
