package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/project"
	"github.com/gotextgen/textgen/internal/testutil"
)

// Environment variables read by the tests that run sacreBLEU.
const (
	pythonEnv     = "TEXTGEN_PYTHON"      // A Python with sacrebleu 2.6.0, tried before the project's venv.
	skipPythonEnv = "TEXTGEN_SKIP_PYTHON" // "1": skip (loudly) instead of failing when no Python has sacreBLEU.
)

// Sizes of the random cross-check.
const (
	mixedCorpora = 120 // Corpora from mixedVocab, all tokenizers.
	zhCorpora    = 40  // Corpora from zhVocab, tokenize "zh".
)

// Every random corpus, scored by sacreBLEU 2.6.0 and by this package, gives the same tokenizations (13a and
// zh, byte for byte), the same BLEU statistics, formatted scores and signatures, and scores within scoreTol,
// for sacreBLEU's defaults and for random options (all tokenizers and smoothings, lowercase, other n-gram
// orders, effective order, chrF++, ...). Python's whitespace and lowercasing are compared over all code
// points, sacreBLEU's zh character table over the BMP and every 61st code point above it.
func TestMatchesSacreBLEU(t *testing.T) {
	req := randomRequest()
	resp := runSacreBLEU(t, req)
	t.Logf("reference: sacreBLEU %s on Python %s (Unicode %s)", resp.SacreBLEUVersion, resp.PythonVersion,
		resp.UnidataVersion)
	a := compareWithSacreBLEU(t, req, resp)
	t.Logf("%d corpora (%d mixed, %d Chinese): %d lines tokenized, %d BLEU and %d chrF scores compared; "+
		"max |Go − sacreBLEU|: BLEU %.3g, chrF %.3g", mixedCorpora+zhCorpora, mixedCorpora, zhCorpora,
		a.tokenized, a.bleu, a.chrf, a.maxBLEU, a.maxChrF)
	if resp.Unicode == nil {
		t.Fatal("sacrebleu_ref.py wrote no unicode facts")
	}
	compareUnicode(t, resp.Unicode)
}

// randomRequest builds the random corpora and what to compute on each: BLEU and chrF with sacreBLEU's defaults
// and with random options, and sentence-level scores of a few segments. Every segment is also tokenized.
func randomRequest() refRequest {
	var req refRequest
	req.Unicode = true
	for c := range mixedCorpora + zhCorpora {
		g, name, toks := newCorpusGen(uint64(c), mixedVocab, separators), fmt.Sprintf("mixed-%d", c),
			[]string{Tok13a, Tok13a, TokZh, TokNone}
		defaults := BLEUOptions{}
		if c >= mixedCorpora {
			g, name, toks = newCorpusGen(uint64(c), zhVocab, []string{"", "", "", " "}), fmt.Sprintf("zh-%d", c),
				[]string{TokZh}
			defaults = BLEUOptions{Tokenize: TokZh}
		}
		hyps, refs := g.corpus()
		req.BLEU = append(req.BLEU,
			bleuCase{Name: name, Hyps: hyps, Refs: refs, Opts: defaults.kwargs()},
			bleuCase{Name: name + "/random", Hyps: hyps, Refs: refs, Opts: g.bleuOptions(toks...).kwargs()})
		req.ChrF = append(req.ChrF,
			chrfCase{Name: name, Hyps: hyps, Refs: refs, Opts: ChrFOptions{}.kwargs()},
			chrfCase{Name: name + "/random", Hyps: hyps, Refs: refs, Opts: g.chrFOptions().kwargs()})
		for range 2 {
			i := g.rng.IntN(len(hyps))
			seg := make([][]string, len(refs))
			for k := range refs {
				seg[k] = refs[k][i : i+1]
			}
			sentence := g.bleuOptions(toks...)
			sentence.EffectiveOrder = true // as sacreBLEU's sentence_bleu()
			req.BLEU = append(req.BLEU, bleuCase{Name: fmt.Sprintf("%s/sentence-%d", name, i),
				Hyps: hyps[i : i+1], Refs: seg, Sentence: true, Opts: sentence.kwargs()})
			req.ChrF = append(req.ChrF, chrfCase{Name: fmt.Sprintf("%s/sentence-%d", name, i),
				Hyps: hyps[i : i+1], Refs: seg, Sentence: true, Opts: g.chrFOptions().kwargs()})
		}
		req.Tokenize = append(req.Tokenize, hyps...)
		for _, r := range refs {
			req.Tokenize = append(req.Tokenize, r...)
		}
	}
	req.Tokenize = append(req.Tokenize, tokenizerEdgeCases...)
	return req
}

// runSacreBLEU runs testdata/sacrebleu_ref.py on req, once, with the first Python that has sacreBLEU 2.6.0:
// $TEXTGEN_PYTHON, then the project's venv (<root>/.textgen/venv/bin/python). Without one the test fails
// saying how to install it, or skips loudly when TEXTGEN_SKIP_PYTHON=1.
func runSacreBLEU(t *testing.T, req refRequest) refResponse {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "sacrebleu_ref.py"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json")
	raw, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	py, tried := testutil.RunReference(t, pythonCandidates(), 5*time.Minute, script, inPath, outPath)
	if py != "" {
		var resp refResponse
		raw, err := os.ReadFile(outPath)
		if err == nil {
			err = json.Unmarshal(raw, &resp)
		}
		if err != nil {
			t.Fatalf("reading the output of %s %s: %v", py, script, err)
		}
		t.Logf("sacreBLEU via %s", py)
		return resp
	}
	msg := fmt.Sprintf("no Python with sacrebleu 2.6.0 found; it is the reference this package is checked against.\n"+
		"Tried:\n  %s\nRun `go run ./cmd/textgen setup` (installs it into .textgen/venv), or set %s to a Python "+
		"that has it (pip install sacrebleu==2.6.0). %s=1 skips this check (not for CI).",
		strings.Join(tried, "\n  "), pythonEnv, skipPythonEnv)
	if os.Getenv(skipPythonEnv) == "1" {
		t.Skipf("!!!!!!!! %s=1: BLEU and chrF NOT checked against sacreBLEU !!!!!!!!\n%s", skipPythonEnv, msg)
	}
	t.Fatal(msg)
	return refResponse{}
}

// pythonCandidates lists the Pythons to try, in order: $TEXTGEN_PYTHON if set, then the project's venv.
func pythonCandidates() []string {
	var c []string
	if py := os.Getenv(pythonEnv); py != "" {
		c = append(c, py)
	}
	if root, err := project.Root(); err == nil {
		c = append(c, filepath.Join(root, project.ToolsDirName, "venv", "bin", "python"))
	}
	return c
}
