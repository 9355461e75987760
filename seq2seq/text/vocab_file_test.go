package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// testVocab has Chinese, emoji, combining marks and characters that
// encoding/json would escape by default.
func testVocab() *Vocab {
	return BuildVocab([]string{"这是一个测试", "这是 <b>&\"\\</b> 3 👩‍👩‍👧🇨🇳👍🏽 e\u0301"}, CharTokenizer{}, DefaultVocabConfig())
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vocab.json")
	v := testVocab()
	if err := v.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vocabTokens(got), vocabTokens(v)) || got.Tokenizer().Name() != "char" {
		t.Errorf("loaded %q (%s), want %q", vocabTokens(got), got.Tokenizer().Name(), vocabTokens(v))
	}
	s := "这是一个测试 👩‍👩‍👧"
	if d := got.Decode(got.Encode(s)); d != s {
		t.Errorf("loaded vocab round trip: %q", d)
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte(`"<pad>"`)) || !bytes.Contains(data, []byte(`"这"`)) {
		t.Errorf("file should keep tokens readable:\n%s", data)
	}
	// Save again over the file; no temporary files stay behind.
	if err := BuildVocab([]string{"x"}, nil, DefaultVocabConfig()).Save(path); err != nil {
		t.Fatal(err)
	}
	if got, _ := Load(path); got.Size() != NumSpecial+1 {
		t.Errorf("overwritten file has %d tokens, want %d", got.Size(), NumSpecial+1)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only vocab.json", len(entries))
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("file mode = %v, %v; want 0644", info.Mode(), err)
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "vocab.json")
	err := testVocab().Save(missing)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "no", "such", "dir")) {
		t.Errorf("Save into missing dir: error %v should name the folder", err)
	}
	path := filepath.Join(dir, "zero.json")
	if err := new(Vocab).Save(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Save of zero Vocab: error %v should name %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed Save left a file behind: %v", err)
	}
	// A tokenizer Load would not know: refuse to write the file.
	err = BuildVocab([]string{"a b"}, spaceTokenizer{}, DefaultVocabConfig()).Save(path)
	if !errors.Is(err, ErrUnknownTokenizer) || !strings.Contains(err.Error(), path) {
		t.Errorf("Save with unregistered tokenizer: error %v, want ErrUnknownTokenizer naming %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed Save left a file behind: %v", err)
	}
}

func TestGoldenFile(t *testing.T) {
	golden := filepath.Join("testdata", "vocab_v1.json")
	var buf bytes.Buffer
	n, err := testVocab().WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v; buffer holds %d bytes", n, err, buf.Len())
	}
	checkGolden(t, golden, buf.Bytes(), "WriteTo output")
	v, err := Load(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vocabTokens(v), vocabTokens(testVocab())) {
		t.Errorf("golden file loads as %q", vocabTokens(v))
	}
}

func TestJSONMarshalRoundTrip(t *testing.T) {
	type wrapper struct {
		Name  string `json:"name"`
		Vocab *Vocab `json:"vocab"`
	}
	data, err := json.Marshal(wrapper{"w", testVocab()})
	if err != nil {
		t.Fatal(err)
	}
	var w wrapper
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vocabTokens(w.Vocab), vocabTokens(testVocab())) {
		t.Errorf("json round trip gave %q", vocabTokens(w.Vocab))
	}
	if err := json.Unmarshal([]byte(`{"vocab":{"format":"x"}}`), &w); err == nil {
		t.Error("json.Unmarshal accepted a bad vocabulary")
	}
	var v Vocab
	if err := v.UnmarshalJSON([]byte("null")); err != nil || v.Size() != 0 {
		t.Errorf("UnmarshalJSON(null) = %v, size %d", err, v.Size())
	}
}

func TestLoadErrors(t *testing.T) {
	const specials = `"<pad>","<bos>","<eos>","<unk>"`
	tests := []struct {
		name   string
		data   string
		field  string
		offset int64 // bytes read when the JSON error was found (1-based position of the bad byte); -1: none
		want   string
	}{
		{"empty file", "", "", -1, "empty file"},
		{"blank file", " \n", "", -1, "empty file"},
		{"truncated", `{"format":"textgen-vocab","version":1,"tokens":["<pad>",`, "", 56, "byte 56: truncated JSON"},
		{"invalid json", `{"format":"textgen-vocab",}`, "", 27, "byte 27: invalid JSON: invalid character '}'"},
		{"trailing garbage", `{"format":"textgen-vocab"} x`, "", 28, "after top-level value"},
		{"not an object", `[1,2]`, "", 1, "got a JSON array, want an object"},
		{"version is a string", `{"format":"textgen-vocab","version":"1"}`, "version", 39, `field "version": got a JSON string, want int`},
		{"token is a number", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":[` + specials + `,7]}`, "tokens", 100, "got a JSON number, want string"},
		{"unknown format", `{"format":"gensim","version":1,"tokenizer":"char","tokens":[` + specials + `]}`, "format", -1, `unknown format "gensim" (want "textgen-vocab")`},
		{"missing format", `{"version":1,"tokenizer":"char","tokens":[` + specials + `]}`, "format", -1, `missing format`},
		{"unsupported version", `{"format":"textgen-vocab","version":3,"tokenizer":"char","tokens":[` + specials + `]}`, "version", -1, "unsupported version 3 (this build reads versions 1 to 2)"},
		{"missing version", `{"format":"textgen-vocab","tokenizer":"char","tokens":[` + specials + `]}`, "version", -1, "unsupported version 0"},
		{"unknown tokenizer", `{"format":"textgen-vocab","version":1,"tokenizer":"bpe","tokens":[` + specials + `]}`, "tokenizer", -1, `unknown tokenizer "bpe" (known: char, whitespace, word)`},
		{"empty tokens", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":[]}`, "tokens", -1, "token list is empty"},
		{"missing tokens", `{"format":"textgen-vocab","version":1,"tokenizer":"char"}`, "tokens", -1, "token list is empty"},
		{"specials out of place", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":["<pad>","<unk>","<bos>","<eos>"]}`, "tokens", -1, `index 1 is "<unk>"; want special token "<bos>"`},
		{"specials missing", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":["a","b"]}`, "tokens", -1, `index 0 is "a"; want special token "<pad>"`},
		{"duplicate token", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":[` + specials + `,"这","是","这"]}`, "tokens", -1, `duplicate token "这" at index 6 (first at index 4)`},
		{"null token", `{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":[` + specials + `,null]}`, "tokens", -1, "empty token at index 4"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := Load(path)
			if err == nil {
				t.Fatalf("Load accepted %s: %q", tt.data, vocabTokens(v))
			}
			var ve *VocabError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v (%T) is not a *VocabError", err, err)
			}
			if ve.Path != path || ve.Field != tt.field || ve.Offset != tt.offset {
				t.Errorf("Path, Field, Offset = %q, %q, %d; want %q, %q, %d", ve.Path, ve.Field, ve.Offset, path, tt.field, tt.offset)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, path+": ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q should start with %q and contain %q", msg, path, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("Load(missing) = %v; want fs.ErrNotExist naming %s", err, path)
	}
}

func TestUnknownTokenizerWraps(t *testing.T) {
	_, err := ReadVocab(strings.NewReader(`{"format":"textgen-vocab","version":1,"tokenizer":"bpe","tokens":["<pad>","<bos>","<eos>","<unk>"]}`), "mem")
	if !errors.Is(err, ErrUnknownTokenizer) {
		t.Errorf("error %v should wrap ErrUnknownTokenizer", err)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadVocabReadError(t *testing.T) {
	_, err := ReadVocab(failReader{}, "in.json")
	if err == nil || !strings.Contains(err.Error(), "in.json") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("ReadVocab error = %v", err)
	}
}

// FuzzLoadVocab feeds arbitrary bytes to the reader: it must never panic,
// must report errors as *VocabError naming the input, and whatever it
// accepts must survive a write/read round trip.
func FuzzLoadVocab(f *testing.F) {
	f.Add([]byte(`{"format":"textgen-vocab","version":1,"tokenizer":"char","tokens":["<pad>","<bos>","<eos>","<unk>","a"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadVocab(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			var ve *VocabError
			if !errors.As(err, &ve) || !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error %q (%T) should be a *VocabError naming the input", err, err)
			}
			return
		}
		tokens := vocabTokens(v)
		if e := checkTokens(tokens); e != nil {
			t.Fatalf("accepted an invalid token list: %v", e)
		}
		for id, tok := range tokens {
			if v.ID(tok) != id {
				t.Fatalf("ID(Token(%d)) = %d", id, v.ID(tok))
			}
		}
		var buf bytes.Buffer
		if _, err := v.WriteTo(&buf); err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		v2, err := ReadVocab(&buf, "again.json")
		if err != nil {
			t.Fatalf("re-reading written vocabulary: %v", err)
		}
		if !slices.Equal(vocabTokens(v2), tokens) || v2.Tokenizer().Name() != v.Tokenizer().Name() ||
			v2.Normalizer() != v.Normalizer() {
			t.Fatalf("round trip changed the vocabulary")
		}
	})
}
