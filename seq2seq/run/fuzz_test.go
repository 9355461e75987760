package run_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotextgen/textgen/seq2seq/run"
)

// FuzzDecodeConfig: any input gives a config or an error, never a panic; an accepted config validates and
// survives a JSON round trip. Seeds: testdata/*.json and a few edge cases.
func FuzzDecodeConfig(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"loop": {"teacher_forcing": 0.5}}`, `{"loop": {"teacher_forcing": null}}`,
		`{"model": {"max_source": 1e400}}`, `{"task": "tsv", "train_file": "\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		cfg, err := run.DecodeConfig(bytes.NewReader(in), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("accepted config does not validate: %v", err)
		}
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		again, err := run.DecodeConfig(bytes.NewReader(b), "again.json")
		if err != nil {
			t.Fatalf("re-encoded config rejected: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(again)
		if !bytes.Equal(b, b2) {
			t.Errorf("round trip changed the config:\n%s\n%s", b, b2)
		}
	})
}
