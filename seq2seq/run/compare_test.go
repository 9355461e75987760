package run_test

import (
	"context"
	"testing"

	"github.com/gotextgen/textgen/seq2seq/run"
)

func TestTrainAllOnGoBackend(t *testing.T) {
	be, err := run.GoBackend()
	if err != nil {
		t.Fatal(err)
	}
	a, b := tinyConfig(3), tinyConfig(3)
	a.Model.Hidden, b.Model.Hidden = 8, 8
	b.Model.Attention = 0
	jobs, err := run.PrepareAll(be, a, b)
	if err != nil {
		t.Fatal(err)
	}
	hists, err := run.TrainAll(context.Background(), jobs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hists {
		if len(h.TrainLoss) != 3 || len(h.Valid) != 1 {
			t.Errorf("job %d: %d losses, %d validations; want 3 and 1", i, len(h.TrainLoss), len(h.Valid))
		}
	}
	buckets, err := jobs[0].ExactMatchByLength(jobs[0].TestPairs, 1, 6)
	if err != nil {
		t.Fatal(err)
	}
	if n := buckets[0].Count + buckets[1].Count; n != len(jobs[0].TestPairs) {
		t.Errorf("buckets hold %d pairs, want %d", n, len(jobs[0].TestPairs))
	}
	bad := tinyConfig(3)
	bad.Task = "nope"
	if _, err := run.PrepareAll(be, a, bad); err == nil {
		t.Errorf("PrepareAll with an unknown task: no error")
	}
}
