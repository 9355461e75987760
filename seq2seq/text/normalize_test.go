package text

import (
	"slices"
	"testing"
)

func TestNormalizerZeroIsIdentity(t *testing.T) {
	var n Normalizer
	if !n.IsIdentity() {
		t.Fatal("zero Normalizer is not the identity")
	}
	for _, s := range []string{"", "Ｈｅｌｌｏ ＡＢＣ", "e\u0301 é", "ﬁ Straße", "这是，一个。", "a\xffb"} {
		if got := n.Normalize(s); got != s {
			t.Errorf("identity Normalize(%q) = %q", s, got)
		}
	}
	tokens := []string{"3.14", ",", "<num>"}
	if got := n.Filter(tokens); !slices.Equal(got, tokens) {
		t.Errorf("identity Filter = %q", got)
	}
	if d := DefaultNormalizer(); !d.NFKC || !d.HalfWidth || d.Case != CaseKeep || d.Punct != PunctKeep || d.Numbers != NumberKeep {
		t.Errorf("DefaultNormalizer() = %+v", d)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		n    Normalizer
		in   string
		want string
	}{
		{"nfkc composes", Normalizer{NFKC: true}, "cafe\u0301", "caf\u00e9"},
		{"nfkc ligature", Normalizer{NFKC: true}, "ﬁne", "fine"},
		{"nfkc full width", Normalizer{NFKC: true}, "ＡＢＣ１２３，！", "ABC123,!"},
		{"nfkc circled and units", Normalizer{NFKC: true}, "①㎏", "1kg"},
		{"nfkc keeps cjk", Normalizer{NFKC: true}, "这是一个测试。「好」、", "这是一个测试。「好」、"},
		{"nfkc half-width katakana widens", Normalizer{NFKC: true}, "ｶﾀｶﾅ", "カタカナ"},
		{"nfkc keeps emoji", Normalizer{NFKC: true}, "👩‍👩‍👧🇨🇳👍🏽", "👩‍👩‍👧🇨🇳👍🏽"},
		{"half width ascii", Normalizer{HalfWidth: true}, "Ｈｅｌｌｏ，ｗｏｒｌｄ！　１２３", "Hello,world! 123"},
		{"half width keeps cjk punctuation", Normalizer{HalfWidth: true}, "你好。「好」、《书》·", "你好。「好」、《书》·"},
		{"half width chinese comma", Normalizer{HalfWidth: true}, "你好，世界！", "你好,世界!"},
		{"half width leaves ligature", Normalizer{HalfWidth: true}, "ﬁ①", "ﬁ①"},
		{"half width keeps invalid utf8", Normalizer{HalfWidth: true}, "Ａ\xffＢ", "A\xffB"},
		{"lower", Normalizer{Case: CaseLower}, "Hello WORLD Ünïcode", "hello world ünïcode"},
		{"lower greek final sigma", Normalizer{Case: CaseLower}, "ΟΔΟΣ", "οδος"},
		{"lower keeps eszett", Normalizer{Case: CaseLower}, "Straße", "straße"},
		{"fold eszett", Normalizer{Case: CaseFold}, "Straße", "strasse"},
		{"fold greek", Normalizer{Case: CaseFold}, "ΟΔΟΣ", "οδοσ"},
		{"case leaves chinese", Normalizer{Case: CaseFold}, "这是U.S.", "这是u.s."},
		{"default", DefaultNormalizer(), "Ｈｅｌｌｏ cafe\u0301 ﬁ", "Hello café fi"},
		{"nfkc then fold", Normalizer{NFKC: true, Case: CaseFold}, "ＡＢＣ ﬁ Straße", "abc fi strasse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.n.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := tt.n.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	in := []string{"我", "在", "2021", "年", "，", "U.S.", "3.14", "1,000", "don't", "!", "...", "$", "👍🏽", "١٢", "三", "3.", "<num>"}
	tests := []struct {
		name string
		n    Normalizer
		want []string
	}{
		{"keep", Normalizer{}, in},
		{"drop punct", Normalizer{Punct: PunctDrop},
			[]string{"我", "在", "2021", "年", "U.S.", "3.14", "1,000", "don't", "$", "👍🏽", "١٢", "三", "3.", "<num>"}},
		{"num token", Normalizer{Numbers: NumberToken},
			[]string{"我", "在", "<num>", "年", "，", "U.S.", "<num>", "<num>", "don't", "!", "...", "$", "👍🏽", "<num>", "三", "3.", "<num>"}},
		{"digits", Normalizer{Numbers: NumberDigits},
			[]string{"我", "在", "2", "0", "2", "1", "年", "，", "U.S.", "3", ".", "1", "4", "1", ",", "0", "0", "0", "don't", "!", "...", "$", "👍🏽", "١", "٢", "三", "3.", "<num>"}},
		{"drop punct and digits", Normalizer{Punct: PunctDrop, Numbers: NumberDigits},
			[]string{"我", "在", "2", "0", "2", "1", "年", "U.S.", "3", ".", "1", "4", "1", ",", "0", "0", "0", "don't", "$", "👍🏽", "١", "٢", "三", "3.", "<num>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(in)
			got := tt.n.Filter(in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Filter = %q\nwant     %q", got, tt.want)
			}
			if !slices.Equal(in, before) {
				t.Errorf("Filter changed its input")
			}
		})
	}
}

func TestIsNumberIsPunct(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "2021": true, "3.14": true, "1,000,000": true, "２０": true,
		"": false, ".5": false, "3.": false, "1..2": false, "1e5": false, "-3": false, "三": false, "½": false} {
		if got := IsNumber(s); got != want {
			t.Errorf("IsNumber(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{".": true, "...": true, "，": true, "。": true, "《": true, "'": true, "-": true,
		"": false, "$": false, "+": false, "👍": false, "U.S.": false, "a": false, "\xff": false} {
		if got := IsPunct(s); got != want {
			t.Errorf("IsPunct(%q) = %v", s, got)
		}
	}
}

func TestNormalizerValidate(t *testing.T) {
	for _, n := range []Normalizer{{Case: "upper"}, {Punct: "keepish"}, {Numbers: "words"}} {
		if err := n.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil", n)
		}
	}
}

func TestPipeline(t *testing.T) {
	p := NewPipeline(Normalizer{NFKC: true, Case: CaseLower, Punct: PunctDrop, Numbers: NumberToken}, WordTokenizer{})
	if p.Name() != "word" {
		t.Errorf("Name() = %q", p.Name())
	}
	got := p.Tokenize("Ｈｅｌｌｏ, World! I paid $3.14 in 2021.")
	want := []string{"hello", "world", "i", "paid", "$", "<num>", "in", "<num>"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
	if d := p.Detokenize(got); d != "hello world i paid $<num> in <num>" {
		t.Errorf("Detokenize = %q", d)
	}
	// A nil inner tokenizer is CharTokenizer.
	var q Pipeline
	if got := q.Tokenize("ab"); !slices.Equal(got, []string{"a", "b"}) || q.Name() != "char" {
		t.Errorf("zero Pipeline: %q %q", got, q.Name())
	}
}
