package kernel

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot/vg"

	"github.com/gotextgen/textgen/plots"
)

func TestLiveChartHTML(t *testing.T) {
	img := []byte("\x89PNG fake")
	got := liveChartHTML(img, `loss <"a&b">`, "step 3/10 <ETA> 5s")
	want := `<div class="textgen-live-chart"><img src="data:image/png;base64,` +
		base64.StdEncoding.EncodeToString(img) + `" alt="loss &lt;&#34;a&amp;b&#34;&gt;">` +
		`<div style="font-family:monospace;white-space:pre">step 3/10 &lt;ETA&gt; 5s</div></div>`
	if got != want {
		t.Errorf("liveChartHTML =\n%s\nwant\n%s", got, want)
	}
	if got := liveChartHTML(img, "t", ""); strings.Contains(got, "monospace") || !strings.Contains(got, "<img") {
		t.Errorf("without status: %s", got)
	}
	if got := liveChartHTML(nil, "t", "warming up"); strings.Contains(got, "<img") || !strings.Contains(got, "warming up") {
		t.Errorf("without image: %s", got)
	}
	if got := liveChartHTML(nil, "t", ""); !strings.Contains(got, "no data yet") {
		t.Errorf("empty chart: %s", got)
	}
}

// liveClock is a fake clock for the throttle.
type liveClock struct{ t time.Time }

func (c *liveClock) now() time.Time          { return c.t }
func (c *liveClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestLiveThrottle(t *testing.T) {
	clock := &liveClock{t: time.Unix(1000, 0)}
	th := liveThrottle{interval: 500 * time.Millisecond, now: clock.now}
	for i, step := range []struct {
		advance time.Duration
		want    bool
	}{
		{0, true}, // first action always passes
		{100 * time.Millisecond, false},
		{399 * time.Millisecond, false},
		{1 * time.Millisecond, true}, // 500 ms after the first
		{499 * time.Millisecond, false},
		{10 * time.Second, true},
	} {
		clock.advance(step.advance)
		if got := th.ready(); got != step.want {
			t.Errorf("step %d: ready() = %v, want %v", i, got, step.want)
		}
	}
	th.mark()
	clock.advance(100 * time.Millisecond)
	if th.ready() {
		t.Errorf("ready() 100 ms after mark()")
	}
}

// newTestLiveChart returns a chart that believes it runs in a notebook and
// records what it would display.
func newTestLiveChart(title string) (c *LiveChart, clock *liveClock, shown *[]string, flushes *int) {
	clock = &liveClock{t: time.Unix(1000, 0)}
	shown, flushes = new([]string), new(int)
	c = NewLiveChart(title)
	c.enabled = true
	c.throttle.now = clock.now
	c.show = func(id, html string) {
		if id != c.id {
			panic("wrong id " + id)
		}
		*shown = append(*shown, html)
	}
	c.flush = func() { *flushes++ }
	c.SetSize(3*vg.Inch, 2*vg.Inch)
	return c, clock, shown, flushes
}

func TestLiveChartUpdates(t *testing.T) {
	c, clock, shown, flushes := newTestLiveChart("seq2seq")
	if !regexp.MustCompile(`^textgen_\w+$`).MatchString(c.id) {
		t.Errorf("id %q does not look like textgen_<unique id>", c.id)
	}

	c.SetStatus("starting")
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	if len(*shown) != 1 || strings.Contains((*shown)[0], "<img") || !strings.Contains((*shown)[0], "starting") {
		t.Fatalf("before any point: shown %q", *shown)
	}

	c.Add("train", 0, 4)
	clock.advance(100 * time.Millisecond)
	if err := c.Update(); err != nil || len(*shown) != 1 {
		t.Fatalf("throttled update: err %v, %d displays, want 1", err, len(*shown))
	}
	clock.advance(LiveChartInterval)
	c.Add("valid", 0, 4.2)
	c.Add("train", 10, math.NaN())
	if err := c.Update(); err != nil || len(*shown) != 2 {
		t.Fatalf("update after the interval: err %v, %d displays, want 2", err, len(*shown))
	}
	checkChartImage(t, (*shown)[1], 3*plots.DPI, 2*plots.DPI)

	clock.advance(time.Hour)
	if err := c.Update(); err != nil || len(*shown) != 2 {
		t.Errorf("update without changes: err %v, %d displays, want 2", err, len(*shown))
	}

	c.Add("train", 20, 3)
	c.SetStatus("done")
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if len(*shown) != 3 || *flushes != 1 {
		t.Fatalf("Finish: %d displays, %d flushes; want 3, 1", len(*shown), *flushes)
	}
	final := (*shown)[2]
	if !strings.Contains(final, "<img") || !strings.Contains(final, ">done<") {
		t.Errorf("final HTML lacks the image or the status: %.200s", final)
	}
	if c.series[0].Name != "train" || len(c.series[0].Y) != 3 || c.series[1].Name != "valid" {
		t.Errorf("series %+v", c.series)
	}
}

// checkChartImage decodes the <img> data URL of a live chart's HTML.
func checkChartImage(t *testing.T, page string, wantW, wantH int) {
	t.Helper()
	m := regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no <img> data URL in %.200s", page)
	}
	data, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("chart image %dx%d, want %dx%d", b.Dx(), b.Dy(), wantW, wantH)
	}
}

func TestLiveChartOutsideNotebook(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside a GoNB notebook")
	}
	c := NewLiveChart("loss")
	c.show = func(string, string) { t.Errorf("displayed outside a notebook") }
	c.flush = func() { t.Errorf("synced outside a notebook") }
	c.Add("train", 0, 1)
	c.SetStatus("x")
	if err := c.Update(); err != nil {
		t.Error(err)
	}
	if err := c.Finish(); err != nil {
		t.Error(err)
	}
	if len(c.series) != 1 || c.status != "x" {
		t.Errorf("Add/SetStatus did not record outside a notebook")
	}
}

func TestDisplayOutsideNotebook(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside a GoNB notebook")
	}
	p, err := plots.LossCurves("t", plots.Series{Y: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if err := DisplayPlot(p, 0, 0); err != nil {
		t.Errorf("DisplayPlot outside a notebook = %v, want nil (no-op)", err)
	}
	MustDisplayPlot(p, plots.DefaultWidth, plots.DefaultHeight)

	weights := [][]float32{{0.5, 0.5}, {1, 0}}
	if err := DisplayAttention(weights, []string{"a", "b"}, []string{"x", "y"}); err != nil {
		t.Errorf("DisplayAttention: %v", err)
	}
	err = DisplayAttention(weights, []string{"a", "b"}, []string{"x"})
	if err == nil || !strings.Contains(err.Error(), "2 rows") {
		t.Errorf("DisplayAttention with 2 rows for 1 generated token = %v; want a shape error", err)
	}
	err = DisplayAttention(nil, nil, nil)
	if !errors.Is(err, plots.ErrNoData) {
		t.Errorf("DisplayAttention with no tokens = %v; want ErrNoData", err)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("MustDisplayAttention with bad shapes did not panic")
		}
	}()
	MustDisplayAttention(weights, []string{"a"}, []string{"x", "y"})
}

// fakeGoNBChildEnv marks the child process of TestDisplayThroughFakeGoNB.
const fakeGoNBChildEnv = "TEXTGEN_FAKE_GONB_CHILD"

// TestDisplayThroughFakeGoNBChild is the cell program of
// TestDisplayThroughFakeGoNB; it only runs in the child process, where
// GONB_PIPE is set and gonbui.IsNotebook is true.
func TestDisplayThroughFakeGoNBChild(t *testing.T) {
	if os.Getenv(fakeGoNBChildEnv) != "1" {
		t.Skip("runs only as the child of TestDisplayThroughFakeGoNB")
	}
	if !gonbui.IsNotebook {
		t.Fatal("gonbui.IsNotebook is false with GONB_PIPE set")
	}
	p, err := plots.LossCurves("static", plots.Series{Y: []float64{3, 2}})
	if err != nil {
		t.Fatal(err)
	}
	MustDisplayPlot(p, 2*vg.Inch, 2*vg.Inch)
	c := NewLiveChart("live")
	c.SetSize(2*vg.Inch, 2*vg.Inch)
	c.Add("train", 0, 4)
	c.SetStatus("running")
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	c.Add("train", 1, 3)
	c.Add("valid", 1, 3.5)
	c.SetStatus("done")
	if err := c.Finish(); err != nil { // waits for the sync acknowledgement
		t.Fatal(err)
	}
}

// fakeOutput is a cell output as nbclient saves it.
type fakeOutput struct {
	mime    protocol.MIMEType
	content any
}

// TestDisplayThroughFakeGoNB runs the display helpers in a child process
// wired, through named pipes, to a fake GoNB that answers gonbui.Sync and
// keeps outputs the way nbclient does (update_display_data replaces the
// output created under the same display id), then checks the saved outputs:
// the static PNG and the final live chart as HTML with an <img>.
func TestDisplayThroughFakeGoNB(t *testing.T) {
	if os.Getenv(fakeGoNBChildEnv) == "1" {
		t.Skip("in the child")
	}
	mkfifo, err := exec.LookPath("mkfifo")
	if err != nil {
		t.Skip("no mkfifo command")
	}
	dir := t.TempDir()
	toKernel, fromKernel := filepath.Join(dir, "pipe"), filepath.Join(dir, "pipe_back")
	if out, err := exec.Command(mkfifo, toKernel, fromKernel).CombinedOutput(); err != nil {
		t.Skipf("mkfifo: %v: %s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDisplayThroughFakeGoNBChild$", "-test.v")
	child.Env = append(os.Environ(), fakeGoNBChildEnv+"=1",
		protocol.GONB_PIPE_ENV+"="+toKernel, protocol.GONB_PIPE_BACK_ENV+"="+fromKernel)
	var childOut bytes.Buffer
	child.Stdout, child.Stderr = &childOut, &childOut
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}

	// The fake kernel: read display data, answer sync requests.
	type result struct {
		outputs []fakeOutput
		syncs   int
		err     error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() { done <- res }()
		in, err := os.Open(toKernel) // blocks until the child opens it
		if err != nil {
			res.err = err
			return
		}
		defer in.Close()
		back, err := os.OpenFile(fromKernel, os.O_WRONLY, 0)
		if err != nil {
			res.err = err
			return
		}
		defer back.Close()
		dec, enc := gob.NewDecoder(in), gob.NewEncoder(back)
		byID := map[string]int{} // display id -> index in outputs
		for {
			var msg protocol.DisplayData
			if err := dec.Decode(&msg); err != nil {
				if !errors.Is(err, io.EOF) {
					res.err = err
				}
				return
			}
			if v, ok := msg.Data[protocol.MIMECommValue].(protocol.CommValue); ok {
				if v.Address == protocol.GonbuiSyncAddress {
					res.syncs++
					ack := &protocol.CommValue{Address: protocol.GonbuiSyncAckAddress, Value: v.Value}
					if res.err = enc.Encode(ack); res.err != nil {
						return
					}
				}
				continue
			}
			for mime, content := range msg.Data {
				out := fakeOutput{mime, content}
				if i, ok := byID[msg.DisplayID]; ok && msg.DisplayID != "" {
					res.outputs[i] = out // update_display_data
					continue
				}
				if msg.DisplayID != "" {
					byID[msg.DisplayID] = len(res.outputs)
				}
				res.outputs = append(res.outputs, out)
			}
		}
	}()
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, childOut.String())
	}
	var res result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second): // the child exited without opening the pipes
		t.Fatalf("fake kernel never heard from the child:\n%s", childOut.String())
	}
	if res.err != nil {
		t.Fatalf("fake kernel: %v", res.err)
	}
	if !strings.Contains(childOut.String(), "--- PASS: TestDisplayThroughFakeGoNBChild") {
		t.Fatalf("child did not run the cell program:\n%s", childOut.String())
	}
	if res.syncs != 2 {
		t.Errorf("%d sync requests, want 2 (from DisplayPlot and from Finish)", res.syncs)
	}
	if len(res.outputs) != 2 {
		t.Fatalf("saved %d outputs, want 2: %+v", len(res.outputs), res.outputs)
	}
	if img, ok := res.outputs[0].content.([]byte); res.outputs[0].mime != protocol.MIMEImagePNG || !ok ||
		!bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("output 0 is %s %T, want an image/png", res.outputs[0].mime, res.outputs[0].content)
	}
	page, _ := res.outputs[1].content.(string)
	if res.outputs[1].mime != protocol.MIMETextHTML || !strings.Contains(page, "<img") || !strings.Contains(page, ">done<") {
		t.Errorf("output 1 is %s %.120q, want the final chart as text/html with an <img>", res.outputs[1].mime, page)
	}
	checkChartImage(t, page, 2*plots.DPI, 2*plots.DPI)
}
