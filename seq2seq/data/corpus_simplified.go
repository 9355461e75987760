package data

import (
	_ "embed"
	"strings"
	"sync"
)

// OpenCC's t2s dictionaries (Apache-2.0; see opencc/README.md). Hand-written lookup instead of the Go
// port github.com/longbridgeapp/opencc: that module pulls in a GPL-2.0 dependency (liuzl/cedar-go), and
// t2s needs no more than a longest-match over 277 phrases and a character table.
var (
	//go:embed opencc/TSCharacters.txt
	tsCharacters string
	//go:embed opencc/TSPhrases.txt
	tsPhrases string
)

// t2sTables are the parsed dictionaries.
type t2sTables struct {
	chars        map[rune]string
	phrases      map[string]string
	phraseStarts map[rune]bool
	maxPhrase    int // longest phrase, in runes
}

var t2s = sync.OnceValue(func() *t2sTables {
	t := &t2sTables{chars: map[rune]string{}, phrases: map[string]string{}, phraseStarts: map[rune]bool{}}
	for from, to := range dictEntries(tsCharacters) {
		if rs := []rune(from); len(rs) == 1 {
			t.chars[rs[0]] = to
		}
	}
	for from, to := range dictEntries(tsPhrases) {
		rs := []rune(from)
		if len(rs) < 2 {
			continue
		}
		t.phrases[from] = to
		t.phraseStarts[rs[0]] = true
		t.maxPhrase = max(t.maxPhrase, len(rs))
	}
	return t
})

// dictEntries yields "from<TAB>to[ alternatives]" lines as (from, first alternative).
func dictEntries(dict string) func(yield func(string, string) bool) {
	return func(yield func(string, string) bool) {
		for line := range strings.Lines(dict) {
			from, to, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
			if !ok {
				continue
			}
			to, _, _ = strings.Cut(to, " ")
			if from != "" && to != "" && !yield(from, to) {
				return
			}
		}
	}
}

// ToSimplified converts traditional Chinese characters in s to simplified ones the way OpenCC's t2s
// configuration does: the longest match among OpenCC's t2s phrases (一目瞭然 → 一目了然, where 瞭 alone stays 瞭),
// else the character table (壯 → 壮, 綠 → 绿), else the rune unchanged. Text already simplified, and
// non-Chinese text, is returned unchanged.
func ToSimplified(s string) string {
	t := t2s()
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
outer:
	for i := 0; i < len(rs); {
		if t.phraseStarts[rs[i]] {
			for n := min(t.maxPhrase, len(rs)-i); n >= 2; n-- {
				if to, ok := t.phrases[string(rs[i:i+n])]; ok {
					b.WriteString(to)
					i += n
					continue outer
				}
			}
		}
		if to, ok := t.chars[rs[i]]; ok {
			b.WriteString(to)
		} else {
			b.WriteRune(rs[i])
		}
		i++
	}
	return b.String()
}

// SimplifyPoem returns p with its title, author and lines converted by [ToSimplified].
func SimplifyPoem(p Poem) Poem {
	lines := make([]string, len(p.Lines))
	for i, l := range p.Lines {
		lines[i] = ToSimplified(l)
	}
	return Poem{Title: ToSimplified(p.Title), Author: ToSimplified(p.Author), Lines: lines}
}
