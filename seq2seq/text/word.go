package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// WordTokenizerName is the name of [WordTokenizer] in vocabulary files.
const WordTokenizerName = "word"

// WordTokenizer splits text into words, language by language.
//
// Text is first cut into grapheme clusters (as [CharTokenizer] does, so
// emoji sequences and letters with combining marks are never split) and
// then into runs at script boundaries:
//
//   - Chinese (Han) runs are segmented into words with the gse dictionary
//     segmenter (github.com/go-ego/gse, simplified-Chinese dictionary, DAG +
//     HMM): "这是一个测试" → "这是" "一个" "测试". The dictionary loads once,
//     on first use; see [LoadChineseDictionary]. Traditional characters are
//     not converted; they are segmented by gse's HMM model, which does
//     reasonably but not as well as on simplified text.
//   - Runs of letters and digits of one script (Latin, Cyrillic, Greek,
//     kana, Hangul, ...) are words. Inside a word these are kept: an
//     apostrophe between letters ("don't", "O'Brien"), a hyphen between
//     letters or digits ("e-mail", "COVID-19"), '.' or ',' between digits
//     ("3.14", "1,000"). Single letters each followed by a dot are one
//     abbreviation ("U.S.", "e.g."); other abbreviations ("Mr.", "etc.")
//     lose their dot to a token of its own.
//   - URLs starting with "http://", "https://" or "www." are one token, up
//     to the first non-ASCII or space character, without trailing
//     punctuation.
//   - Every other grapheme cluster (punctuation, CJK punctuation, symbols,
//     emoji) is a token of its own.
//   - White space separates tokens and is dropped.
//
// Script boundaries split tokens: "2021年" → "2021" "年", "AI模型" → "AI"
// "模型". Digits join letters of any script ("mp3", "3D"). Invalid UTF-8 is
// replaced by U+FFFD, so every token is non-empty, valid UTF-8.
//
// Detokenize puts the words back together: no space next to Chinese,
// Japanese or CJK punctuation, no space before closing punctuation
// (. , ; : ! ? ) ] } % …) or after opening punctuation (( [ { $ ¿ ¡), a space
// everywhere else. This loses the original spacing: "I love 北京 !" comes
// back as "I love北京!", double spaces and newlines become single spaces.
//
// The zero value is ready to use and is safe for concurrent use.
type WordTokenizer struct{}

// Name returns [WordTokenizerName].
func (WordTokenizer) Name() string { return WordTokenizerName }

// Tokenize splits s into words; see [WordTokenizer].
func (WordTokenizer) Tokenize(s string) []string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var tokens []string
	var run []string // clusters of the current run
	runKind := kindSpace
	flush := func() {
		switch runKind {
		case kindHan:
			tokens = append(tokens, segmentHan(strings.Join(run, ""), run)...)
		case kindOther:
			tokens = splitWords(tokens, run)
		}
		run = run[:0]
	}
	state := -1
	for s != "" {
		var c string
		c, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		k := clusterKind(c)
		if k != runKind {
			flush()
			runKind = k
		}
		if k != kindSpace {
			run = append(run, c)
		}
	}
	flush()
	return tokens
}

// Run kinds: white space, Han, anything else.
const (
	kindSpace = iota
	kindHan
	kindOther
)

func clusterKind(c string) int {
	r, _ := utf8.DecodeRuneInString(c)
	switch {
	case unicode.IsSpace(r):
		return kindSpace
	case unicode.Is(unicode.Han, r):
		return kindHan
	default:
		return kindOther
	}
}

// splitWords appends the tokens of a run of non-space, non-Han clusters.
func splitWords(tokens, cs []string) []string {
	for i := 0; i < len(cs); {
		n := urlLen(cs[i:])
		if n == 0 {
			n = abbrevLen(cs[i:])
		}
		if n == 0 {
			n = wordLen(cs[i:])
		}
		if n == 0 {
			n = 1
		}
		tokens = append(tokens, strings.Join(cs[i:i+n], ""))
		i += n
	}
	return tokens
}

// Character classes inside words.
const (
	classPunct  = iota // anything not a letter or digit
	classLetter        // letters and marks
	classDigit         // decimal digits
)

func classOf(c string) (class int, script *unicode.RangeTable) {
	r, _ := utf8.DecodeRuneInString(c)
	switch {
	case unicode.IsDigit(r):
		return classDigit, nil
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return classLetter, scriptOf(r)
	}
	return classPunct, nil
}

// scripts whose letters make separate words; letters of other scripts
// (Common, Inherited, rarer scripts) join any word.
var scripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Armenian,
	unicode.Hebrew, unicode.Arabic, unicode.Devanagari, unicode.Bengali,
	unicode.Thai, unicode.Georgian, unicode.Hangul, unicode.Hiragana,
	unicode.Katakana, unicode.Bopomofo,
}

func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range scripts {
		if unicode.Is(t, r) {
			return t
		}
	}
	return nil
}

// wordLen returns how many clusters at the start of cs form a word: letters
// and digits of one script, with the joiners described on WordTokenizer.
func wordLen(cs []string) int {
	var script *unicode.RangeTable
	// fits reports whether cluster c continues a word of script.
	fits := func(c string) (class int, ok bool) {
		class, sc := classOf(c)
		if class == classPunct {
			return class, false
		}
		if sc != nil {
			if script != nil && sc != script {
				return class, false
			}
			script = sc
		}
		return class, true
	}
	n := 0
	prev := classPunct
	for n < len(cs) {
		if class, ok := fits(cs[n]); ok {
			prev = class
			n++
			continue
		}
		if n == 0 || n+1 >= len(cs) {
			break
		}
		next, _ := classOf(cs[n+1])
		joins := false
		switch cs[n] {
		case "'", "’":
			joins = prev == classLetter && next == classLetter
		case "-", "‐":
			joins = next != classPunct
		case ".", ",":
			joins = prev == classDigit && next == classDigit
		}
		if !joins {
			break
		}
		if _, ok := fits(cs[n+1]); !ok {
			break
		}
		prev = next
		n += 2
	}
	return n
}

// abbrevLen returns the length of an abbreviation of two or more single
// letters each followed by '.', such as "U.S." or "e.g.", or 0.
func abbrevLen(cs []string) int {
	n := 0
	for n+1 < len(cs) && cs[n+1] == "." {
		if class, _ := classOf(cs[n]); class != classLetter {
			break
		}
		n += 2
	}
	if n < 4 {
		return 0
	}
	// "U.S.A" without a final dot, or "e.g.x": the letter after the last
	// dot must not start a word glued to it.
	if n < len(cs) {
		if class, _ := classOf(cs[n]); class != classPunct {
			return 0
		}
	}
	return n
}

// urlLen returns the length of a URL at the start of cs, or 0.
func urlLen(cs []string) int {
	var head strings.Builder
	for i := 0; i < len(cs) && i < 8; i++ {
		head.WriteString(cs[i])
	}
	h := strings.ToLower(head.String())
	if !strings.HasPrefix(h, "http://") && !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "www.") {
		return 0
	}
	n := 0
	for n < len(cs) && len(cs[n]) == 1 && cs[n][0] > ' ' && cs[n][0] < 0x7f {
		n++
	}
	// Trailing punctuation belongs to the sentence, and ')' only to the URL
	// if it has a '('.
	for n > 0 {
		c := cs[n-1]
		if strings.Contains(".,;:!?'\"", c) || (c == ")" && !strings.Contains(strings.Join(cs[:n], ""), "(")) {
			n--
			continue
		}
		break
	}
	if n <= len("www.") {
		return 0
	}
	return n
}

// Detokenize joins words, with spaces between them where English would
// have them; see [WordTokenizer] for what is lost.
func (WordTokenizer) Detokenize(tokens []string) string {
	var b strings.Builder
	quoteOpen := false
	prev := ""
	for i, t := range tokens {
		if t == "" {
			continue
		}
		if i > 0 && prev != "" && needSpace(prev, t, quoteOpen) {
			b.WriteByte(' ')
		}
		if t == `"` {
			quoteOpen = !quoteOpen
		}
		b.WriteString(t)
		prev = t
	}
	return b.String()
}

// needSpace reports whether a space goes between tokens a and b. quoteOpen
// says whether a straight double quote is open before b.
func needSpace(a, b string, quoteOpen bool) bool {
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	switch {
	case noSpaceScript(last) || noSpaceScript(first):
		return false
	case b == `"`:
		return !quoteOpen // a closing quote hugs the word before it
	case a == `"`:
		return !quoteOpen // an opening quote hugs the word after it
	case strings.ContainsRune(".,;:!?)]}%…”’", first) && utf8.RuneCountInString(b) == 1:
		return false
	case strings.ContainsRune("([{$¿¡“‘", last) && utf8.RuneCountInString(a) == 1:
		return false
	}
	return true
}

// noSpaceScript reports whether r belongs to writing that uses no spaces
// between words: Han, kana, CJK punctuation and full-width forms.
func noSpaceScript(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff00 && r <= 0xffef) // half-width and full-width forms
}
