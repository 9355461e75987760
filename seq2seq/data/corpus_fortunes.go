package data

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// DefaultFortuneFiles are the English fortune files [Fortunes] reads from <corpora>/fortunes: prose and
// verse quotations (fortunes-min's fortunes, literature and riddles and a few of fortunes' files), no
// ASCII art.
var DefaultFortuneFiles = []string{
	"fortunes", "literature", "riddles", // fortunes-min
	"wisdom", "people", "science", "humorists", "love", "work", "songs-poems", // fortunes
}

// Fortunes reads the English fortunes of [DefaultFortuneFiles] from dir/fortunes (dir is the corpora
// folder, see [CorporaDir]), in that order. Each fortune is one string, lines joined by "\n".
func Fortunes(dir string) ([]string, error) {
	var all []string
	for _, name := range DefaultFortuneFiles {
		got, err := ReadFortuneFile(filepath.Join(dir, FortunesDir, name))
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
	}
	return all, nil
}

// ReadFortuneFile reads one fortune file (see [ParseFortunes]).
func ReadFortuneFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v; run `go run ./cmd/textgen setup` to install them", ErrCorporaMissing, err)
	}
	defer f.Close()
	return ParseFortunes(f, path)
}

// ParseFortunes parses the fortune(6) file format: records separated by lines holding only "%".
//
// Terminal effects are removed: ANSI escape sequences (fortunes-zh colours its titles with ESC[32m…ESC[m)
// and backspace overstriking (fortunes underlines with "_\b"; a backspace deletes the rune before it).
// Other control characters except tab and byte-order marks are dropped, trailing white space is cut
// from every line and blank lines from both ends of a record; a line that is "%" after this cleaning
// is a separator. Empty records are skipped. A "\r" before "\n" is ignored.
// Invalid UTF-8 is a [*CorpusError] naming the file (name) and line.
func ParseFortunes(r io.Reader, name string) ([]string, error) {
	fs, err := parseFortunes(r, name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.text
	}
	return out, nil
}

// fortune is one record and the 1-based line where its text starts.
type fortune struct {
	text string
	line int
}

func parseFortunes(r io.Reader, name string) ([]fortune, error) {
	var out []fortune
	var lines []string
	first := 0
	end := func() {
		for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
			lines = lines[1:]
			first++
		}
		for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		if len(lines) > 0 {
			out = append(out, fortune{text: strings.Join(lines, "\n"), line: first})
		}
		lines = lines[:0]
	}
	err := scanLines(r, name, func(n int, line string) error {
		line = strings.TrimRightFunc(cleanTerminal(line), unicode.IsSpace)
		if line == "%" {
			end()
			return nil
		}
		if len(lines) == 0 {
			first = n
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		return nil, err
	}
	end()
	return out, nil
}

// cleanTerminal removes ANSI escape sequences (ESC [ params final-byte, and two-byte ESC sequences),
// applies backspaces and drops control characters other than tab, and byte-order marks (U+FEFF).
func cleanTerminal(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != '\t' && unicode.IsControl(r) || r == '\uFEFF' }) {
		return s
	}
	out := make([]rune, 0, len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b: // ESC: skip a CSI sequence "[ params intermediates final" or one following rune
			if i+1 < len(rs) && rs[i+1] == '[' {
				i += 2
				for i < len(rs) && (rs[i] < 0x40 || rs[i] > 0x7e) {
					i++
				}
			} else {
				i++
			}
		case r == '\b':
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case r == '\uFEFF':
		case r == '\t' || !unicode.IsControl(r):
			out = append(out, r)
		}
	}
	return string(out)
}
