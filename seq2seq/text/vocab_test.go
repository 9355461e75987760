package text

import (
	"slices"
	"strings"
	"testing"
)

// spaceTokenizer splits on single spaces: a stand-in for word tokenizers.
type spaceTokenizer struct{}

func (spaceTokenizer) Name() string { return "space" }
func (spaceTokenizer) Tokenize(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
}
func (spaceTokenizer) Detokenize(tokens []string) string { return strings.Join(tokens, " ") }

func vocabTokens(v *Vocab) []string {
	out := make([]string, v.Size())
	for id := range out {
		out[id] = v.Token(id)
	}
	return out
}

func TestSpecialIDs(t *testing.T) {
	v := BuildVocab(nil, nil, DefaultVocabConfig())
	if v.Size() != NumSpecial {
		t.Fatalf("empty corpus: Size() = %d, want %d", v.Size(), NumSpecial)
	}
	for id, tok := range map[int]string{PadID: "<pad>", BOSID: "<bos>", EOSID: "<eos>", UnkID: "<unk>"} {
		if got := v.Token(id); got != tok {
			t.Errorf("Token(%d) = %q, want %q", id, got, tok)
		}
		if got := v.ID(tok); got != id {
			t.Errorf("ID(%q) = %d, want %d", tok, got, id)
		}
	}
	if !slices.Equal(SpecialTokens(), []string{PadToken, BOSToken, EOSToken, UnkToken}) {
		t.Errorf("SpecialTokens() = %q", SpecialTokens())
	}
}

func TestBuildVocabOrder(t *testing.T) {
	// Counts: c 3, a 2, b 2, ' ' 1, d 1. Ties break by byte order.
	texts := []string{"aab", "bc", "c c", "d"}
	tests := []struct {
		name string
		cfg  VocabConfig
		want []string
	}{
		{"default", DefaultVocabConfig(), []string{"c", "a", "b", " ", "d"}},
		{"min freq 2", VocabConfig{MinFreq: 2}, []string{"c", "a", "b"}},
		{"min freq 0 means 1", VocabConfig{MinFreq: 0}, []string{"c", "a", "b", " ", "d"}},
		{"max size 6", VocabConfig{MaxSize: 6}, []string{"c", "a"}},
		{"max size below specials", VocabConfig{MaxSize: 2}, nil},
		{"max size larger than corpus", VocabConfig{MaxSize: 100}, []string{"c", "a", "b", " ", "d"}},
		{"both", VocabConfig{MinFreq: 2, MaxSize: 5}, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := BuildVocab(texts, CharTokenizer{}, tt.cfg)
			got := vocabTokens(v)
			want := append(SpecialTokens(), tt.want...)
			if !slices.Equal(got, want) {
				t.Errorf("tokens = %q, want %q", got, want)
			}
		})
	}
}

func TestBuildVocabDeterministic(t *testing.T) {
	texts := []string{"这是一个测试", "这是 a test 123", "👩‍👩‍👧 🇨🇳 👍🏽", "e\u0301té", "zyx", "xyz", "最后"}
	want := vocabTokens(BuildVocab(texts, CharTokenizer{}, DefaultVocabConfig()))
	for i := range 20 {
		shuffled := slices.Clone(texts)
		// A fixed permutation per round: rotate and reverse.
		shuffled = append(shuffled[i%len(texts):], shuffled[:i%len(texts)]...)
		if i%2 == 1 {
			slices.Reverse(shuffled)
		}
		got := vocabTokens(BuildVocab(shuffled, CharTokenizer{}, DefaultVocabConfig()))
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: tokens = %q, want %q", i, got, want)
		}
	}
	// Equal counts are ordered by bytes: "x" < "y" < "z", all seen twice,
	// after the more frequent tokens.
	if i, j, k := slices.Index(want, "x"), slices.Index(want, "y"), slices.Index(want, "z"); !(i < j && j < k) {
		t.Errorf("tie order x,y,z at %d,%d,%d; want increasing", i, j, k)
	}
}

func TestBuildVocabSkipsSpecialsAndInvalid(t *testing.T) {
	v := BuildVocab([]string{"<pad> hi <unk> <eos> hi", "\xff"}, spaceTokenizer{}, DefaultVocabConfig())
	want := append(SpecialTokens(), "hi") // "\xff" is not valid UTF-8
	if got := vocabTokens(v); !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
	if v.Tokenizer().Name() != "space" {
		t.Errorf("Tokenizer().Name() = %q, want space", v.Tokenizer().Name())
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	texts := []string{
		"这是一个测试",
		"我有3只猫 and 12 dogs! 第2章: Hello, 世界。",
		"family 👩‍👩‍👧, flag 🇨🇳, thumbs 👍🏽",
		"cafe\u0301 and e\u0301",
		"line one\r\nline two",
	}
	v := BuildVocab(texts, CharTokenizer{}, DefaultVocabConfig())
	for _, s := range texts {
		ids := v.Encode(s)
		if got := v.Decode(ids); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
		for i, id := range ids {
			if id < NumSpecial || id >= v.Size() {
				t.Errorf("Encode(%q)[%d] = %d, want an ordinary ID", s, i, id)
			}
		}
		withEOS := v.EncodeWithEOS(s)
		if len(withEOS) != len(ids)+1 || withEOS[len(ids)] != EOSID || !slices.Equal(withEOS[:len(ids)], ids) {
			t.Errorf("EncodeWithEOS(%q) = %v, want %v + EOS", s, withEOS, ids)
		}
		if got := v.Decode(withEOS); got != s {
			t.Errorf("Decode(EncodeWithEOS(%q)) = %q", s, got)
		}
	}
	if got := len(v.Encode("👩‍👩‍👧")); got != 1 {
		t.Errorf("family emoji encodes to %d IDs, want 1", got)
	}
	if got := len(v.Encode("这是一个测试")); got != 6 {
		t.Errorf("这是一个测试 encodes to %d IDs, want 6", got)
	}
}

func TestUnknown(t *testing.T) {
	v := BuildVocab([]string{"ab"}, CharTokenizer{}, DefaultVocabConfig())
	if got := v.ID("z"); got != UnkID {
		t.Errorf("ID(z) = %d, want UnkID", got)
	}
	if _, ok := v.Lookup("z"); ok {
		t.Error("Lookup(z) found a token")
	}
	if id, ok := v.Lookup("a"); !ok || v.Token(id) != "a" {
		t.Errorf("Lookup(a) = %d, %v", id, ok)
	}
	if got, want := v.Encode("azb测"), []int{v.ID("a"), UnkID, v.ID("b"), UnkID}; !slices.Equal(got, want) {
		t.Errorf("Encode(azb测) = %v, want %v", got, want)
	}
	if got := v.Decode(v.Encode("azb")); got != "a<unk>b" {
		t.Errorf("Decode(Encode(azb)) = %q, want %q", got, "a<unk>b")
	}
	for _, id := range []int{-1, v.Size(), 1 << 40} {
		if got := v.Token(id); got != UnkToken {
			t.Errorf("Token(%d) = %q, want <unk>", id, got)
		}
	}
}

func TestDecodeSpecials(t *testing.T) {
	v := BuildVocab([]string{"xy"}, CharTokenizer{}, DefaultVocabConfig())
	x, y := v.ID("x"), v.ID("y")
	tests := []struct {
		ids  []int
		want string
	}{
		{nil, ""},
		{[]int{BOSID, x, y, EOSID, x, x}, "xy"},
		{[]int{x, PadID, y, PadID}, "xy"},
		{[]int{EOSID, x}, ""},
		{[]int{x, UnkID, 99, -5}, "x<unk><unk><unk>"},
	}
	for _, tt := range tests {
		if got := v.Decode(tt.ids); got != tt.want {
			t.Errorf("Decode(%v) = %q, want %q", tt.ids, got, tt.want)
		}
	}
	got := v.Tokens([]int{BOSID, x, EOSID, PadID, 99})
	if want := []string{"<bos>", "x", "<eos>", "<pad>", "<unk>"}; !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}

func TestNewVocab(t *testing.T) {
	v, err := NewVocab(append(SpecialTokens(), "你", "好"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 6 || v.ID("好") != 5 || v.Tokenizer().Name() != "char" {
		t.Errorf("got size %d, ID(好) %d, tokenizer %q", v.Size(), v.ID("好"), v.Tokenizer().Name())
	}
	bad := []struct {
		name   string
		tokens []string
		want   string
	}{
		{"empty", nil, "token list is empty"},
		{"short", []string{"<pad>", "<bos>"}, `special token "<eos>" must be at index 2`},
		{"wrong order", []string{"<pad>", "<eos>", "<bos>", "<unk>"}, `index 1 is "<eos>"; want special token "<bos>"`},
		{"duplicate", append(SpecialTokens(), "a", "b", "a"), `duplicate token "a" at index 6 (first at index 4)`},
		{"duplicate special", append(SpecialTokens(), "<unk>"), `duplicate token "<unk>" at index 4 (first at index 3)`},
		{"empty token", append(SpecialTokens(), ""), "empty token at index 4"},
		{"invalid utf8", append(SpecialTokens(), "\xff"), `token "\xff" at index 4 is not valid UTF-8`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVocab(tt.tokens, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewVocab error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestZeroVocab(t *testing.T) {
	var v Vocab
	if v.Size() != 0 || v.ID("a") != UnkID || v.Token(0) != UnkToken {
		t.Error("zero Vocab: unexpected Size/ID/Token")
	}
	if got := v.Encode("ab"); !slices.Equal(got, []int{UnkID, UnkID}) {
		t.Errorf("zero Vocab Encode = %v", got)
	}
	if got := v.Decode([]int{4}); got != UnkToken {
		t.Errorf("zero Vocab Decode = %q", got)
	}
	if _, err := v.MarshalJSON(); err == nil {
		t.Error("zero Vocab MarshalJSON: no error")
	}
}
