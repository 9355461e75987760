package embed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotextgen/textgen/internal/project"
)

// gensimVersion is the gensim release pinned in scripts/requirements.txt and used as the oracle.
const gensimVersion = "4.4.0"

// gensimEntry is one file of the interop test (see testdata/gensim_io.py) and what gensim read.
type gensimEntry struct {
	File    string   `json:"file"`
	Format  string   `json:"format"`
	Limit   int      `json:"limit"`
	Unicode string   `json:"unicode"`
	GoError string   `json:"go_error"` // sentinel our reader returns on purpose where gensim loads
	Error   string   `json:"error"`    // gensim's exception
	Words   []string `json:"words"`
	Dim     int      `json:"dim"`
	Bits    []uint32 `json:"bits"`
}

// venvPython returns the project venv's Python after checking it has the pinned gensim. Without
// it the test fails, telling how to install it, unless TEXTGEN_SKIP_PYTHON=1 (then it skips).
func venvPython(t *testing.T) (python, root string) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("TEXTGEN_SKIP_PYTHON") == "1" {
			fmt.Fprintf(os.Stderr, "!!!!!!!! TEXTGEN_SKIP_PYTHON=1: gensim interop NOT tested: %s\n", msg)
			t.Skipf("!!!!!!!! TEXTGEN_SKIP_PYTHON=1: gensim interop NOT tested: %s", msg)
		}
		t.Fatalf("%s\nthe gensim interop test needs the project venv: run `go run ./cmd/textgen setup` "+
			"(or set TEXTGEN_SKIP_PYTHON=1 to skip it)", msg)
	}
	root, err := project.Root()
	if err != nil {
		missing("%v", err)
	}
	python = filepath.Join(project.ToolsDir(root), "venv", "bin", "python")
	if _, err := os.Stat(python); err != nil {
		missing("no venv Python: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", "import gensim; print(gensim.__version__)").CombinedOutput()
	if err != nil {
		missing("gensim is not installed in %s: %v\n%s", python, err, out)
	}
	if v := strings.TrimSpace(string(out)); v != gensimVersion {
		missing("the venv has gensim %s; scripts/requirements.txt pins %s", v, gensimVersion)
	}
	return python, root
}

var sentinelNames = map[string]error{"ErrTruncated": ErrTruncated, "ErrUnicode": ErrUnicode,
	"ErrDuplicate": ErrDuplicate, "ErrNonFinite": ErrNonFinite, "ErrWord": ErrWord, "ErrHeader": ErrHeader,
	"ErrDimension": ErrDimension}

// TestGensimInterop checks, file by file, that Read gives exactly what gensim's
// load_word2vec_format gives: files gensim wrote, files laid out by other tools, and files our
// writer wrote; and that gensim reads our files back bit-identical.
func TestGensimInterop(t *testing.T) {
	python, root := venvPython(t)
	dir := t.TempDir()
	ours := sampleVectors(t)
	var spec []gensimEntry
	for _, f := range []struct {
		name   string
		format Format
	}{{"go_text.txt", Text}, {"go_binary.bin", Binary}, {"go_glove.txt", GloVe}} {
		if err := WriteFile(filepath.Join(dir, f.name), ours, f.format); err != nil {
			t.Fatal(err)
		}
		spec = append(spec, gensimEntry{File: f.name, Format: f.format.String(), Unicode: "strict"})
	}
	data, _ := json.Marshal(spec)
	if err := os.WriteFile(filepath.Join(dir, "spec.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	script := filepath.Join(root, "seq2seq", "embed", "testdata", "gensim_io.py")
	cmd := exec.CommandContext(ctx, python, "-W", "ignore", script, dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", python, script, err, out)
	}
	var res struct {
		Gensim, Numpy string
		Results       []gensimEntry
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err == nil {
		err = json.Unmarshal(data, &res)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("oracle: gensim %s, numpy %s; %d files", res.Gensim, res.Numpy, len(res.Results))
	if len(res.Results) < 20 {
		t.Fatalf("only %d results from gensim_io.py", len(res.Results))
	}
	loaded := map[string]*Vectors{}
	for _, e := range res.Results {
		name := fmt.Sprintf("%s/%s/limit=%d/%s", e.File, e.Format, e.Limit, e.Unicode)
		t.Run(name, func(t *testing.T) {
			format, err1 := ParseFormat(e.Format)
			policy, err2 := ParseUnicodePolicy(e.Unicode)
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(filepath.Join(dir, e.File), format, Options{Limit: e.Limit, Unicode: policy})
			switch {
			case e.GoError != "":
				if want := sentinelNames[e.GoError]; want == nil || !errors.Is(err, want) {
					t.Fatalf("got %v; want %s (gensim: %s)", err, e.GoError, orLoaded(e.Error))
				}
				if e.Error == "" {
					t.Logf("refused on purpose, where gensim loads it: %v", err)
				}
			case e.Error != "":
				if err == nil {
					t.Fatalf("gensim fails (%s) but Read succeeds", e.Error)
				}
			case err != nil:
				t.Fatalf("gensim loads the file, Read fails: %v", err)
			default:
				sameVectors(t, got, &Vectors{Words: e.Words, Dim: e.Dim, Data: fromBits(e.Bits)})
				loaded[name] = got
				if strings.HasPrefix(e.File, "go_") {
					sameVectors(t, got, ours) // gensim read our file bit-identical
				}
			}
		})
	}
	// Gensim's own text writer loses the one value planted for it; ours loses none (go_text.txt).
	text, bin := loaded["gensim_text.txt/text/limit=0/strict"], loaded["gensim_binary.bin/binary/limit=0/strict"]
	if text == nil || bin == nil {
		t.Fatal("gensim's text or binary file was not loaded")
	}
	var lost []string
	for i := range bin.Data {
		if a, b := math.Float32bits(bin.Data[i]), math.Float32bits(text.Data[i]); a != b {
			lost = append(lost, fmt.Sprintf("%v (%#x) came back as %v (%#x)", bin.Data[i], a, text.Data[i], b))
		}
	}
	t.Logf("gensim's text writer changed %d of %d values: %v", len(lost), len(bin.Data), lost)
	if len(lost) != 1 {
		t.Errorf("gensim's text round trip changed %d values, want exactly the planted 7.038531e-26", len(lost))
	}
}

// orLoaded describes gensim's outcome.
func orLoaded(gensimErr string) string {
	if gensimErr == "" {
		return "loads it"
	}
	return gensimErr
}

// fromBits turns float32 bit patterns into float32s.
func fromBits(bits []uint32) []float32 {
	out := make([]float32, len(bits))
	for i, b := range bits {
		out[i] = math.Float32frombits(b)
	}
	return out
}
