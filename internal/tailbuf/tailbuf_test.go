package tailbuf

import (
	"fmt"
	"strings"
	"testing"
)

func TestKeepsTail(t *testing.T) {
	b := &Buffer{Max: 5}
	fmt.Fprint(b, "abc")
	fmt.Fprint(b, "defgh")
	if b.String() != "defgh" {
		t.Fatalf("got %q", b.String())
	}
	d := &Buffer{}
	fmt.Fprint(d, strings.Repeat("x", 5000))
	if len(d.String()) != 3000 {
		t.Fatalf("default max: kept %d bytes", len(d.String()))
	}
}
