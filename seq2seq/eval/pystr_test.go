package eval

import (
	"slices"
	"strings"
	"testing"
)

func TestPyLower(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ABC", "abc"},
		{"İstanbul", "i\u0307stanbul"}, // Two characters, not Go's "istanbul".
		{"ΟΔΟΣ ΣΟΦΟΣ", "οδος σοφος"},   // Final sigma at word ends, medial inside.
		{"Σ", "σ"},                     // Nothing cased before it: not final.
		{"AΣ'", "aς'"},                 // Case-ignorable characters after it are skipped.
		{"AΣ'B", "aσ'b"},               // ... and a cased one after them makes it medial.
		{"A.Σ", "a.ς"},                 // '.' is case-ignorable (Word_Break MidNumLet).
		{"ǅ Ǆ", "ǆ ǆ"},                 // Title case.
		{"\xffA\xfe", "\xffa\xfe"},     // Invalid bytes stay.
		{"ÀÉÎ 中文 😀", "àéî 中文 😀"},
	} {
		if got := pyLower(c.in); got != c.want {
			t.Errorf("pyLower(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Python's str.split() splits on U+001C..U+001F, which strings.Fields keeps.
func TestPySplit(t *testing.T) {
	s := "a\x1cb\u3000c\u00a0d\u200be\u2028f"
	if got, want := pySplit(s), []string{"a", "b", "c", "d\u200be", "f"}; !slices.Equal(got, want) {
		t.Errorf("pySplit(%q) = %q, want %q", s, got, want)
	}
	if got := strings.Fields(s); len(got) != 4 {
		t.Errorf("strings.Fields(%q) = %q: expected it to differ from Python's split", s, got)
	}
	if got := pyRStrip(" a \x1f\n"); got != " a" {
		t.Errorf("pyRStrip = %q", got)
	}
	if got := pyStrip("\x1d a \u3000"); got != "a" {
		t.Errorf("pyStrip = %q", got)
	}
}
