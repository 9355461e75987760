package text

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func wordVocab() *Vocab {
	n := Normalizer{NFKC: true, HalfWidth: true, Case: CaseLower, Punct: PunctDrop, Numbers: NumberToken}
	return BuildVocab([]string{"我在2021年去了U.S.，don't worry", "Don't WORRY, 这是一个测试！"},
		NewPipeline(n, WordTokenizer{}), DefaultVocabConfig())
}

func TestSaveLoadNormalizer(t *testing.T) {
	v := wordVocab()
	want := []string{"<pad>", "<bos>", "<eos>", "<unk>", "don't", "worry", "<num>", "u.s.", "一个", "了", "去", "在", "年", "我", "测试", "这是"}
	if !slices.Equal(vocabTokens(v), want) {
		t.Fatalf("built %q\nwant  %q", vocabTokens(v), want)
	}
	path := filepath.Join(t.TempDir(), "vocab.json")
	if err := v.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, s := range []string{`"version": 2`, `"tokenizer": "word"`, `"case": "lower"`, `"punctuation": "drop"`, `"numbers": "num"`} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("file lacks %s:\n%s", s, data)
		}
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vocabTokens(got), want) || got.Tokenizer().Name() != "word" || got.Normalizer() != v.Normalizer() {
		t.Errorf("loaded %q, %s, %+v", vocabTokens(got), got.Tokenizer().Name(), got.Normalizer())
	}
	// The loaded vocabulary normalises as it did when it was built.
	ids := got.Encode("ＤＯＮ'Ｔ worry: 3.14 这是一个测试。")
	if d := got.Decode(ids); d != "don't worry <num>这是一个测试" {
		t.Errorf("Decode(Encode) = %q (ids %v)", d, ids)
	}
}

func TestVocabNormalizerGolden(t *testing.T) {
	golden := filepath.Join("testdata", "vocab_v2_word.json")
	var buf bytes.Buffer
	if _, err := wordVocab().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, golden, buf.Bytes(), "WriteTo output")
}

func TestVersion1LoadsWithIdentityNormalizer(t *testing.T) {
	v, err := Load(filepath.Join("testdata", "vocab_v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Normalizer().IsIdentity() {
		t.Errorf("version 1 file loaded with normalizer %+v", v.Normalizer())
	}
	if _, ok := v.Tokenizer().(CharTokenizer); !ok {
		t.Errorf("version 1 file loaded with tokenizer %T, want CharTokenizer", v.Tokenizer())
	}
	// Identity normalizers keep writing version 1 without a "normalizer".
	var buf bytes.Buffer
	NewVocabMust(t, NewPipeline(Normalizer{}, WordTokenizer{})).WriteTo(&buf)
	if s := buf.String(); !strings.Contains(s, `"version": 1`) || strings.Contains(s, "normalizer") {
		t.Errorf("identity normalizer written as:\n%s", s)
	}
}

func NewVocabMust(t *testing.T, tok Tokenizer) *Vocab {
	t.Helper()
	v, err := NewVocab(SpecialTokens(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadNormalizer(t *testing.T) {
	const head = `{"format":"textgen-vocab","version":2,"tokenizer":"word","tokens":["<pad>","<bos>","<eos>","<unk>"],"normalizer":`
	ok := []struct {
		json string
		want Normalizer
	}{
		{`null}`, Normalizer{}},
		{`{}}`, Normalizer{}},
		{`{"nfkc":true,"half_width":false,"case":"keep","punctuation":"keep","numbers":"keep"}}`, Normalizer{NFKC: true}},
		{`{"case":"fold","punctuation":"drop","numbers":"digits","future_option":1}}`, Normalizer{Case: CaseFold, Punct: PunctDrop, Numbers: NumberDigits}},
	}
	for _, tt := range ok {
		v, err := ReadVocab(strings.NewReader(head+tt.json), "n.json")
		if err != nil {
			t.Errorf("%s: %v", tt.json, err)
			continue
		}
		if v.Normalizer() != tt.want || v.Tokenizer().Name() != "word" {
			t.Errorf("%s: normalizer %+v, tokenizer %s", tt.json, v.Normalizer(), v.Tokenizer().Name())
		}
	}
	bad := []struct{ json, field, want string }{
		{`{"case":"upper"}}`, "normalizer.case", `unknown mode "upper" (want "keep", "lower" or "fold")`},
		{`{"punctuation":"strip"}}`, "normalizer.punctuation", `unknown mode "strip"`},
		{`{"numbers":"words"}}`, "normalizer.numbers", `unknown mode "words"`},
		{`{"nfkc":"yes"}}`, "normalizer.nfkc", "got a JSON string, want bool"},
		{`"lower"}`, "normalizer", "got a JSON string"},
	}
	for _, tt := range bad {
		_, err := ReadVocab(strings.NewReader(head+tt.json), "n.json")
		var ve *VocabError
		if !errors.As(err, &ve) || ve.Field != tt.field || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "n.json: ") {
			t.Errorf("%s: error %v, want field %s and %q", tt.json, err, tt.field, tt.want)
		}
	}
}

func TestSaveBadNormalizer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.json")
	v := NewVocabMust(t, NewPipeline(Normalizer{Case: "upper"}, CharTokenizer{}))
	if err := v.Save(path); err == nil || !strings.Contains(err.Error(), "upper") {
		t.Errorf("Save with bad normalizer: %v", err)
	}
	nested := NewPipeline(Normalizer{NFKC: true}, NewPipeline(Normalizer{Case: CaseLower}, WordTokenizer{}))
	if err := NewVocabMust(t, nested).Save(path); err == nil {
		t.Error("Save of nested normalizers succeeded")
	}
	// Nesting with identity layers is fine.
	nested = NewPipeline(Normalizer{}, NewPipeline(Normalizer{Case: CaseLower}, WordTokenizer{}))
	if err := NewVocabMust(t, nested).Save(path); err != nil {
		t.Error(err)
	}
	if v, err := Load(path); err != nil || v.Normalizer() != (Normalizer{Case: CaseLower}) {
		t.Errorf("Load = %v, %v", v, err)
	}
}
