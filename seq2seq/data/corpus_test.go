package data

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
)

const fixtureCorpora = "testdata/corpus"

func TestReadTangFixtureOriginal(t *testing.T) {
	poems, err := ReadTang(fixtureCorpora, TangOptions{Script: ScriptOriginal})
	if err != nil {
		t.Fatal(err)
	}
	// Files in numeric order (0, 2000, 10000; poet.tang.json is ignored); the poem with □ and the one
	// without paragraphs are skipped; the note （一作「行」）, quotes and [ ] are removed.
	want := []Poem{
		{"帝京篇十首 一", "太宗皇帝", []string{"秦川雄帝宅", "函谷壯皇居", "綺殿千尋起", "離宮百雉餘"}},
		{"注釋測試", "李白", []string{"水急客舟疾", "山花拂面香", "借問爽節在", "誰知一目瞭然"}},
		{"鹿柴", "王維", []string{"空山不見人", "但聞人語響", "返景入深林", "復照青苔上"}},
		{"靜夜思", "李白", []string{"床前明月光", "疑是地上霜", "舉頭望明月", "低頭思故鄉"}},
	}
	if !reflect.DeepEqual(poems, want) {
		t.Errorf("ReadTang original:\n got %q\nwant %q", poems, want)
	}
}

func TestTangPoemsFixtureSimplified(t *testing.T) {
	poems, err := TangPoems(fixtureCorpora, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Poem{
		{"帝京篇十首 一", "太宗皇帝", []string{"秦川雄帝宅", "函谷壮皇居", "绮殿千寻起", "离宫百雉余"}},
		{"注释测试", "李白", []string{"水急客舟疾", "山花拂面香", "借问爽节在", "谁知一目了然"}},
		{"鹿柴", "王维", []string{"空山不见人", "但闻人语响", "返景入深林", "复照青苔上"}},
		{"静夜思", "李白", []string{"床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"}},
	}
	if !reflect.DeepEqual(poems, want) {
		t.Errorf("TangPoems:\n got %q\nwant %q", poems, want)
	}
	two, err := TangPoems(fixtureCorpora, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(two, want[:2]) {
		t.Errorf("TangPoems(limit 2) = %q, want %q", two, want[:2])
	}
	if _, err := ReadTang(fixtureCorpora, TangOptions{Script: "pinyin"}); err == nil || !strings.Contains(err.Error(), "pinyin") {
		t.Errorf("unknown script: err = %v", err)
	}
}

func TestTangMissing(t *testing.T) {
	_, err := TangPoems(t.TempDir(), 0)
	if !errors.Is(err, ErrCorporaMissing) || !strings.Contains(err.Error(), "textgen setup") {
		t.Errorf("empty folder: err = %v, want ErrCorporaMissing mentioning setup", err)
	}
	if _, err := Tang300(t.TempDir()); !errors.Is(err, ErrCorporaMissing) {
		t.Errorf("Tang300 on empty folder: err = %v", err)
	}
	if _, err := Fortunes(t.TempDir()); !errors.Is(err, ErrCorporaMissing) {
		t.Errorf("Fortunes on empty folder: err = %v", err)
	}
}

func TestCorporaDirMissing(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module github.com/gotextgen/textgen\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEXTGEN_ROOT", root)
	if _, err := CorporaDir(); !errors.Is(err, ErrCorporaMissing) || !strings.Contains(err.Error(), "go run ./cmd/textgen setup") {
		t.Errorf("CorporaDir without corpora: err = %v", err)
	}
	want := filepath.Join(root, ".textgen", "corpora")
	if err := os.MkdirAll(want, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := CorporaDir(); err != nil || got != want {
		t.Errorf("CorporaDir() = %q, %v; want %q", got, err, want)
	}
}

func TestParseTangJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		line       int
		field, msg string
	}{
		{"type", "[\n{\"title\": \"a\", \"author\": \"b\",\n \"paragraphs\": \"x\"}]", 3, "paragraphs", "cannot unmarshal"},
		{"missing", "[\n  {\"title\": \"a\", \"paragraphs\": [\"山\"]}\n]", 2, "author", `poem 0 has no "author"`},
		{"syntax", "[\n{\"title\": \"a\",\n \"author\": b}]", 3, "", "invalid character"},
		{"object", "\n{\"title\": \"a\"}", 2, "", "want a JSON array"},
		{"truncated", "[\n{\"title\": \"a\"", 2, "", "unexpected end"},
		{"trailing", "[]\n[]", 2, "", "data after"},
		{"element", "[\n1]", 2, "", "cannot unmarshal"},
		{"second", "[\n{\"title\": \"a\", \"author\": \"b\", \"paragraphs\": [\"山\"]},\n{\"title\": \"a\", \"author\": \"b\",\n\n \"paragraphs\": [1]}]", 5, "paragraphs", "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTangJSON([]byte(tc.data), "x.json")
			var ce *CorpusError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *CorpusError", err)
			}
			if ce.File != "x.json" || ce.Line != tc.line || ce.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q (line %d, field %q), want line %d, field %q, containing %q",
					err, ce.Line, ce.Field, tc.line, tc.field, tc.msg)
			}
		})
	}
}

func TestSplitVerses(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。", []string{"床前明月光", "疑是地上霜", "舉頭望明月", "低頭思故鄉"}, true},
		{"何求美人折？君不見！且；", []string{"何求美人折", "君不見", "且"}, true},
		{"水急客舟（一作「行」）疾，山花（注（嵌套））香。", []string{"水急客舟疾", "山花香"}, true},
		{"「借問」《長恨曲》：爽、節 [在]〔此〕", []string{"借問長恨曲爽節在此"}, true},
		{"冰□已鏤津。", []string{"冰□已鏤津"}, false},
		{"妖韶援綠{𥫗/戢}。", []string{"妖韶援綠{𥫗/戢}"}, false},
		{"未閉的注（一作", []string{"未閉的注"}, false},
		{"ＡＢ，x", []string{"ＡＢ", "x"}, false},
		{"，。\n", nil, true},
		{"", nil, true},
	} {
		got, ok := SplitVerses(tc.in)
		if !slices.Equal(got, tc.want) || ok != tc.ok {
			t.Errorf("SplitVerses(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestToSimplified(t *testing.T) {
	for in, want := range map[string]string{
		"舉頭望明月，低頭思故鄉。": "举头望明月，低头思故乡。",
		"一目瞭然":         "一目了然", // phrase table
		"瞭":            "瞭",    // character table keeps it alone
		"綠樹村邊合":        "绿树村边合",
		"兰叶春葳蕤":        "兰叶春葳蕤", // already simplified
		"Hello, 世界 👍🏽": "Hello, 世界 👍🏽",
		"":             "",
	} {
		if got := ToSimplified(in); got != want {
			t.Errorf("ToSimplified(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTang300Fixture(t *testing.T) {
	poems, err := Tang300(fixtureCorpora)
	if err != nil {
		t.Fatal(err)
	}
	want := []Poem{
		{"感遇・其一", "张九龄", []string{"兰叶春葳蕤", "桂华秋皎洁", "欣欣此生意", "自尔为佳节"}},
		{"登鹳雀楼", "王之涣", []string{"白日依山尽", "黄河入海流", "欲穷千里目", "更上一层楼"}},
	}
	if !reflect.DeepEqual(poems, want) {
		t.Errorf("Tang300:\n got %q\nwant %q", poems, want)
	}
}

func TestParseFortunePoemsErrors(t *testing.T) {
	for _, tc := range []struct {
		data string
		line int
		msg  string
	}{
		{"%\n《题》\n作者：某\n", 2, "want a title line"},
		{"《题》\n作者：某\n山□。\n", 3, "not Han"},
		{"题\n作者：某\n山。\n", 1, "《title》"},
		{"\n\n《题》\n作者某\n山。\n", 4, "作者：author"},
	} {
		_, err := ParseFortunePoems(strings.NewReader(tc.data), "t300")
		var ce *CorpusError
		if !errors.As(err, &ce) || ce.Line != tc.line || !errors.Is(err, ErrNoPoem) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseFortunePoems(%q): err = %v, want line %d containing %q", tc.data, err, tc.line, tc.msg)
		}
	}
}

func TestParseFortunes(t *testing.T) {
	got, err := ReadFortuneFile(filepath.Join(fixtureCorpora, "fortunes", "fortunes"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"A day for firm decisions!!!!!  Or is it?",
		"A long-forgotten loved one will appear soon.\n\nBuy the negatives at any price.",
		"This is important.\n\t\t-- Anonymous",
	}
	if !slices.Equal(got, want) {
		t.Errorf("fortunes:\n got %q\nwant %q", got, want)
	}
	all, err := Fortunes(fixtureCorpora)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(want)+9 || all[3] != "Fortune 0 from literature." || all[len(all)-1] != "Fortune 8 from songs-poems." {
		t.Errorf("Fortunes = %q", all)
	}
	_, err = ParseFortunes(strings.NewReader("ok\n%\nbad \xff byte\n"), "f")
	if err == nil || err.Error() != "f:3: invalid UTF-8 at byte 5" {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
}

func TestCleanTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[32m《感遇》\x1b[m": "《感遇》",
		"_\bb_\bo_\bl_\bd":   "bold",
		"B\bBo\bol\bld\bd":   "Bold",
		"\bx\x00y\tz\x1b":    "xy\tz",
		"\x1b[1;31":          "",
	} {
		if got := cleanTerminal(in); got != want {
			t.Errorf("cleanTerminal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.txt")
	if err := os.WriteFile(path, []byte("\uFEFF这是一个句子。\r\n\n  second line  \n\t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLines(path)
	if err != nil || !slices.Equal(got, []string{"这是一个句子。", "second line"}) {
		t.Errorf("ReadLines = %q, %v", got, err)
	}
	_, err = ParseLines(strings.NewReader("a\nb\n\xe4\xb8c\n"), "bad.txt")
	var ce *CorpusError
	if !errors.As(err, &ce) || ce.Line != 3 || !errors.Is(err, ErrInvalidUTF8) || err.Error() != "bad.txt:3: invalid UTF-8 at byte 1" {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
	_, err = ParseLines(strings.NewReader("a\n"+strings.Repeat("x", maxLineBytes+1)+"\n"), "long.txt")
	if !errors.Is(err, ErrLineTooLong) || !strings.HasPrefix(err.Error(), "long.txt:2:") {
		t.Errorf("long line: err = %v", err)
	}
	if _, err := ReadLines(filepath.Join(t.TempDir(), "none.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestNextLinePairsAndSentences(t *testing.T) {
	poems := []Poem{
		{Lines: []string{"床前明月光", "疑是地上霜", "举头望明月"}},
		{Lines: []string{"独句"}},
		{},
		{Lines: []string{"白日", "黄河"}},
	}
	pairs := NextLinePairs(poems)
	want := []Pair{{"床前明月光", "疑是地上霜"}, {"疑是地上霜", "举头望明月"}, {"白日", "黄河"}}
	if !slices.Equal(pairs, want) {
		t.Errorf("NextLinePairs = %q, want %q", pairs, want)
	}
	sents := Sentences(poems)
	wantS := [][]string{
		strings.Split("床前明月光疑是地上霜举头望明月", ""),
		{"独", "句"},
		{"白", "日", "黄", "河"},
	}
	if !reflect.DeepEqual(sents, wantS) {
		t.Errorf("Sentences = %q, want %q", sents, wantS)
	}
}

// TestInstalledCorpora reads the corpora `go run ./cmd/textgen setup` installs; CI runs setup first.
func TestInstalledCorpora(t *testing.T) {
	dir, err := CorporaDir()
	if err != nil {
		t.Skipf("corpora not installed (%v)", err)
	}
	poems, err := TangPoems(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	// 57,607 poems in chinese-poetry 2.0.1; about 1% have lost characters or no verses.
	if len(poems) < 55000 || len(poems) > 57607 {
		t.Errorf("TangPoems: %d poems, want 55,000 to 57,607", len(poems))
	}
	t.Logf("全唐诗: %d poems, %d verses", len(poems), len(NextLinePairs(poems))+len(poems))
	first := poems[0]
	if first.Title != "帝京篇十首 一" || first.Author != "太宗皇帝" || !slices.Equal(first.Lines[:2], []string{"秦川雄帝宅", "函谷壮皇居"}) {
		t.Errorf("first poem = %q", first)
	}
	for i, p := range poems {
		for _, l := range p.Lines {
			if l == "" || strings.ContainsFunc(l, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
				t.Fatalf("poem %d %q: line %q is not Han characters only", i, p.Title, l)
			}
		}
	}
	head, err := TangPoems(dir, 100)
	if err != nil || !reflect.DeepEqual(head, poems[:100]) {
		t.Errorf("TangPoems(limit 100) differs from the first 100 of all (err %v)", err)
	}

	t300, err := Tang300(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(t300) != 313 {
		t.Errorf("Tang300: %d poems, want 313", len(t300))
	}
	// Cross-check the two corpora and the t2s conversion: 唐诗三百首 (simplified, from Debian) should be
	// found in 全唐诗 (traditional, converted here) by its first verse, with the same characters.
	byFirst := map[string]Poem{}
	for _, p := range poems {
		byFirst[p.Lines[0]] = p
	}
	found, same, total := 0, 0, 0
	for _, p := range t300 {
		q, ok := byFirst[p.Lines[0]]
		if !ok {
			continue
		}
		found++
		a, b := []rune(strings.Join(p.Lines, "")), []rune(strings.Join(q.Lines, ""))
		for i := range min(len(a), len(b)) {
			total++
			if a[i] == b[i] {
				same++
			}
		}
	}
	t.Logf("tang300: %d of %d poems found in 全唐诗 by their first verse; %d of %d characters equal", found, len(t300), same, total)
	if found < len(t300)/2 || float64(same) < 0.9*float64(total) {
		t.Errorf("tang300 vs 全唐诗: %d of %d poems found, %d of %d characters equal; want half found, 90%% equal",
			found, len(t300), same, total)
	}

	fortunes, err := Fortunes(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fortunes: %d", len(fortunes))
	if len(fortunes) < 2000 {
		t.Errorf("Fortunes: %d, want over 2,000", len(fortunes))
	}
	for _, f := range fortunes {
		if strings.ContainsFunc(f, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }) {
			t.Fatalf("fortune with a control character: %q", f)
		}
	}
}
