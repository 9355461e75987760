package text

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestCharTokenizer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"ascii", "abc", []string{"a", "b", "c"}},
		{"chinese", "这是一个测试", []string{"这", "是", "一", "个", "测", "试"}},
		{"mixed chinese english numbers", "我有3只猫 and 12 dogs!",
			[]string{"我", "有", "3", "只", "猫", " ", "a", "n", "d", " ", "1", "2", " ", "d", "o", "g", "s", "!"}},
		{"emoji zwj family", "👩‍👩‍👧", []string{"👩‍👩‍👧"}},
		{"flag", "🇨🇳", []string{"🇨🇳"}},
		{"two flags", "🇨🇳🇺🇸", []string{"🇨🇳", "🇺🇸"}},
		{"skin tone", "👍🏽", []string{"👍🏽"}},
		{"emoji in text", "好👍🏽!", []string{"好", "👍🏽", "!"}},
		{"combining mark", "e\u0301", []string{"e\u0301"}},
		{"combining in word", "cafe\u0301s", []string{"c", "a", "f", "e\u0301", "s"}},
		{"precomposed differs", "\u00e9", []string{"\u00e9"}},
		{"two combining marks", "a\u0301\u0323b", []string{"a\u0301\u0323", "b"}},
		{"crlf", "a\r\nb", []string{"a", "\r\n", "b"}},
		{"hangul jamo", "\u1100\u1161\u11a8", []string{"\u1100\u1161\u11a8"}},
		{"invalid utf8", "a\xffb\xc3", []string{"a", "\xff", "b", "\xc3"}},
	}
	var tok CharTokenizer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tok.Tokenize(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := tok.Detokenize(got); back != tt.in {
				t.Errorf("Detokenize(Tokenize(%q)) = %q", tt.in, back)
			}
		})
	}
}

func TestCharTokenizerName(t *testing.T) {
	if got := (CharTokenizer{}).Name(); got != "char" {
		t.Errorf("Name() = %q, want %q", got, "char")
	}
}

func TestTokenizerByName(t *testing.T) {
	tok, err := TokenizerByName("char")
	if err != nil {
		t.Fatalf("TokenizerByName(char): %v", err)
	}
	if _, ok := tok.(CharTokenizer); !ok {
		t.Errorf("TokenizerByName(char) = %T, want CharTokenizer", tok)
	}
	for _, name := range TokenizerNames() {
		tok, err := TokenizerByName(name)
		if err != nil || tok.Name() != name {
			t.Errorf("TokenizerByName(%q) = %v, %v; want a tokenizer named %q", name, tok, err, name)
		}
	}
	if got := TokenizerNames(); !slices.Equal(got, []string{"char", "whitespace", "word"}) {
		t.Errorf("TokenizerNames() = %q", got)
	}
	_, err = TokenizerByName("bpe")
	if !errors.Is(err, ErrUnknownTokenizer) {
		t.Fatalf("TokenizerByName(bpe) error = %v, want ErrUnknownTokenizer", err)
	}
	if want := `unknown tokenizer "bpe" (known: char, whitespace, word)`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func FuzzCharTokenizer(f *testing.F) {
	for _, s := range []string{"", "abc", "这是一个测试", "👩‍👩‍👧🇨🇳👍🏽", "e\u0301", "a\r\n\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var tok CharTokenizer
		tokens := tok.Tokenize(s)
		if back := tok.Detokenize(tokens); back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
		for i, tk := range tokens {
			if tk == "" {
				t.Fatalf("empty token at %d for %q", i, s)
			}
			if utf8.ValidString(tk) && utf8.RuneCountInString(tk) == 0 {
				t.Fatalf("token %q has no runes", tk)
			}
		}
	})
}
