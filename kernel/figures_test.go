package kernel

import (
	"strings"
	"testing"

	"github.com/gotextgen/textgen/plots"
	"github.com/gotextgen/textgen/seq2seq/decode"
	"github.com/gotextgen/textgen/seq2seq/run"
)

func TestAttentionPanelTrimsToTokens(t *testing.T) {
	r := decode.Result{
		SourceTokens: []string{"a", "b", "<eos>"},
		Tokens:       []string{"b", "a"},
		Attention:    [][]float32{{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0.3, 0.3, 0.4}}, // one row too many
	}
	p := AttentionPanel("t", r)
	if len(p.Weights) != 3 || strings.Join(p.Generated, " ") != "b a <eos>" {
		t.Errorf("panel: %d rows, generated %q; want 3 rows, \"b a <eos>\"", len(p.Weights), p.Generated)
	}
	if err := ShowAttentionGrid(2, p, p); err != nil { // renders even outside a notebook
		t.Fatal(err)
	}
	r.Attention = r.Attention[:2] // decoding hit max_target: no <eos> row
	if p := AttentionPanel("t", r); len(p.Generated) != 2 {
		t.Errorf("truncated decoding: generated %q, want 2 tokens", p.Generated)
	}
	bad := p
	bad.Source = bad.Source[:1]
	if err := ShowAttentionGrid(1, bad); err == nil {
		t.Errorf("mismatched panel: no error")
	}
}

func TestBucketBars(t *testing.T) {
	a := []run.Bucket{{Min: 1, Max: 5, Count: 4, Hits: 2}, {Min: 6, Max: 9, Count: 2, Hits: 0}}
	b := []run.Bucket{{Min: 1, Max: 5, Count: 4, Hits: 4}, {Min: 6, Max: 9, Count: 2, Hits: 1}}
	cats, series, err := BucketBars([]string{"none", "attention"}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cats, " ") != "1–5 6–9" || series[1].Name != "attention" || series[0].Values[0] != 0.5 || series[1].Values[1] != 0.5 {
		t.Errorf("categories %q, series %+v", cats, series)
	}
	if err := ShowBuckets("t", []string{"none", "attention"}, a, b); err != nil {
		t.Fatal(err)
	}
	other := []run.Bucket{{Min: 1, Max: 4}, {Min: 5, Max: 9}}
	if _, _, err := BucketBars([]string{"none", "other"}, a, other); err == nil || !strings.Contains(err.Error(), `"1–4"`) {
		t.Errorf("different buckets: err = %v", err)
	}
	if _, _, err := BucketBars([]string{"one"}, a, b); err == nil {
		t.Errorf("names short: no error")
	}
}

func TestShowGatesAndTrajectory(t *testing.T) {
	tokens := []string{"a", "b", "c"}
	vals := [][]float32{{0, 1}, {0.5, 0.5}, {1, 0}}
	if err := ShowGates(tokens, plots.Gate{Name: "f", Values: vals}); err != nil {
		t.Fatal(err)
	}
	if err := ShowGates(tokens[:2], plots.Gate{Name: "f", Values: vals}); err == nil {
		t.Errorf("tokens short: no error")
	}
	if err := ShowTrajectory("h", vals, tokens); err != nil {
		t.Fatal(err)
	}
	if err := ShowTrajectory("h", vals, tokens[:1]); err == nil {
		t.Errorf("tokens short: no error")
	}
}
