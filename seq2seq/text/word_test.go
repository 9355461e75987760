package text

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestWordTokenizer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		back string // Detokenize(Tokenize(in)); "" means in itself
	}{
		{"empty", "", nil, ""},
		{"spaces only", " \t\n", nil, " "},
		{"chinese", "这是一个测试", []string{"这是", "一个", "测试"}, ""},
		{"chinese words", "南京市长江大桥。", []string{"南京市", "长江大桥", "。"}, ""},
		{"mixed", "我在2021年去了U.S.，don't worry",
			[]string{"我", "在", "2021", "年", "去", "了", "U.S.", "，", "don't", "worry"}, ""},
		{"script boundaries", "AI模型mp3 Привет мир", []string{"AI", "模型", "mp3", "Привет", "мир"}, ""},
		{"english", "I said \"hello\" (twice), e.g. 3.14 or 1,000 e-mails!",
			[]string{"I", "said", `"`, "hello", `"`, "(", "twice", ")", ",", "e.g.", "3.14", "or", "1,000", "e-mails", "!"}, ""},
		{"apostrophes", "O'Brien's rock'n'roll ’tis don’t", []string{"O'Brien's", "rock'n'roll", "’", "tis", "don’t"}, "O'Brien's rock'n'roll’ tis don’t"},
		{"hyphens", "state-of-the-art COVID-19 -5 a--b", []string{"state-of-the-art", "COVID-19", "-", "5", "a", "-", "-", "b"}, "state-of-the-art COVID-19 - 5 a - - b"},
		{"abbreviations", "the U.S.A. and Mr. Smith, i.e. him", []string{"the", "U.S.A.", "and", "Mr", ".", "Smith", ",", "i.e.", "him"}, ""},
		{"not an abbreviation", "U.S", []string{"U", ".", "S"}, "U. S"},
		{"url", "see https://example.com/a?b=1&c=(2). Or www.go.dev, ok",
			[]string{"see", "https://example.com/a?b=1&c=(2)", ".", "Or", "www.go.dev", ",", "ok"}, ""},
		{"url in parens", "(http://x.org/y)", []string{"(", "http://x.org/y", ")"}, ""},
		{"url stops at chinese", "http://x.org/中文", []string{"http://x.org/", "中文"}, ""},
		{"emoji", "好👍🏽! 👩‍👩‍👧🇨🇳", []string{"好", "👍🏽", "!", "👩‍👩‍👧", "🇨🇳"}, "好👍🏽! 👩‍👩‍👧 🇨🇳"},
		{"combining marks", "cafe\u0301 nai\u0308ve", []string{"cafe\u0301", "nai\u0308ve"}, ""},
		{"combining mark on han", "中\u0301文", []string{"中\u0301", "文"}, ""},
		{"traditional", "這是一個測試", []string{"這是", "一個", "測試"}, ""},
		{"full width", "ＡＢＣ１２３", []string{"ＡＢＣ１２３"}, ""},
		{"invalid utf8", "a\xff\xfeb", []string{"a", "\uFFFD", "b"}, "a \uFFFD b"},
		{"spacing lost", "I love 北京 !", []string{"I", "love", "北京", "!"}, "I love北京!"},
		{"newlines", "one\n\ntwo", []string{"one", "two"}, "one two"},
	}
	var tok WordTokenizer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tok.Tokenize(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			want := tt.back
			if want == "" {
				want = tt.in
			}
			if tt.name == "empty" || tt.name == "spaces only" {
				want = ""
			}
			if back := tok.Detokenize(got); back != want {
				t.Errorf("Detokenize = %q, want %q", back, want)
			}
			// Detokenized text tokenizes the same way again.
			if again := tok.Tokenize(tok.Detokenize(got)); !slices.Equal(again, got) {
				t.Errorf("Tokenize(Detokenize(tokens)) = %q, want %q", again, got)
			}
		})
	}
}

func TestWordDetokenize(t *testing.T) {
	tests := []struct {
		tokens []string
		want   string
	}{
		{[]string{"Hello", ",", "world", "!"}, "Hello, world!"},
		{[]string{"(", "a", ")", "[", "b", "]", "50", "%"}, "(a) [b] 50%"},
		{[]string{"he", "said", `"`, "hi", `"`, "and", "left", "."}, `he said "hi" and left.`},
		{[]string{"cost", "$", "5", "…"}, "cost $5…"},
		{[]string{"这是", "一个", "测试", "。"}, "这是一个测试。"},
		{[]string{"我", "爱", "Go", "和", "3.14"}, "我爱Go和3.14"},
		{[]string{"カタカナ", "と", "ひらがな"}, "カタカナとひらがな"},
		{[]string{"a", "", "b"}, "a b"},
		{nil, ""},
	}
	var tok WordTokenizer
	for _, tt := range tests {
		if got := tok.Detokenize(tt.tokens); got != tt.want {
			t.Errorf("Detokenize(%q) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
}

// wordGoldenInputs are segmented into testdata/word_tokens.golden; the file
// records what gse's dictionary gives, so a gse upgrade that changes
// segmentation shows up as a diff. Run go test -update to accept a change.
var wordGoldenInputs = []string{
	"这是一个测试",
	"这是一个",
	"我爱北京天安门",
	"南京市长江大桥",
	"今天天气很好，我们去公园散步吧。",
	"深度学习是机器学习的一个分支。",
	"床前明月光，疑是地上霜。举头望明月，低头思故乡。",
	"我在2021年去了U.S.，don't worry",
	"用Go语言和GoMLX训练seq2seq模型，准确率达到97.5%。",
	"他说：“你好！”然后走了。",
	"這是一個測試，繁體中文。",
	"The quick brown fox doesn't jump over the lazy dog's e-mail at https://example.com.",
	"表情👍🏽和国旗🇨🇳都不拆开",
}

func TestWordTokenizerGolden(t *testing.T) {
	var buf bytes.Buffer
	var tok WordTokenizer
	for _, s := range wordGoldenInputs {
		fmt.Fprintf(&buf, "%s\n\t%s\n", s, strings.Join(tok.Tokenize(s), " | "))
	}
	golden := filepath.Join("testdata", "word_tokens.golden")
	checkGolden(t, golden, buf.Bytes(), "segmentation")
}

func TestWordTokenizerConcurrent(t *testing.T) {
	var tok WordTokenizer
	want := tok.Tokenize("我在2021年去了U.S.，don't worry")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got := tok.Tokenize("我在2021年去了U.S.，don't worry"); !slices.Equal(got, want) {
					t.Errorf("concurrent Tokenize = %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLoadChineseDictionary(t *testing.T) {
	d, err := LoadChineseDictionary()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first call: %v (0 if an earlier test loaded it)", d)
	if d, err := LoadChineseDictionary(); d != 0 || err != nil {
		t.Errorf("second call = %v, %v; want 0, nil", d, err)
	}
}

func TestWhitespaceTokenizer(t *testing.T) {
	var tok WhitespaceTokenizer
	if tok.Name() != "whitespace" {
		t.Errorf("Name() = %q", tok.Name())
	}
	got := tok.Tokenize("  这是 一个\t测试\n\u3000don't 👩‍👩‍👧 ")
	want := []string{"这是", "一个", "测试", "don't", "👩‍👩‍👧"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
	if back := tok.Detokenize(got); back != "这是 一个 测试 don't 👩‍👩‍👧" {
		t.Errorf("Detokenize = %q", back)
	}
}

func FuzzWordTokenizer(f *testing.F) {
	for _, s := range append(wordGoldenInputs, "", " ", "a\xffb", "U.S", "www.", "http://", "e\u0301\u0301", "中\u0301", "'-.,", "1.2.3,4") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range []Tokenizer{WordTokenizer{}, NewPipeline(Normalizer{NFKC: true, Case: CaseFold, Punct: PunctDrop, Numbers: NumberDigits}, WordTokenizer{})} {
			tokens := tok.Tokenize(s)
			for i, tk := range tokens {
				if tk == "" || !utf8.ValidString(tk) {
					t.Fatalf("%s: token %d of %q is %q", tok.Name(), i, s, tk)
				}
			}
			_ = tok.Detokenize(tokens)
		}
		var ws WhitespaceTokenizer
		tokens := ws.Tokenize(s)
		if got, want := ws.Detokenize(tokens), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("whitespace round trip of %q = %q, want %q", s, got, want)
		}
		for i, tk := range tokens {
			if tk == "" {
				t.Fatalf("whitespace: empty token %d of %q", i, s)
			}
		}
	})
}
