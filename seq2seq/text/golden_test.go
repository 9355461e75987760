package text

import (
	"bytes"
	"os"
	"testing"
)

// checkGolden compares got with the golden file (what names the output in the message); with -update it
// rewrites the file first.
func checkGolden(t *testing.T, golden string, got []byte, what string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test -update if the change is intended):\n%s", what, golden, got)
	}
}
