package model_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/internal/testutil"
	"github.com/gotextgen/textgen/seq2seq/data"
	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// Representative new combinations train: trainSteps Adam steps of the project's trainer on sequence reversal
// lower the loss by at least a fifth. Shapes are tiny and there is one graph per combination, so it stays
// cheap on XLA (a compilation each); the loss curve is logged.
func TestNewCombinationsTrain(t *testing.T) {
	const trainSteps, S, batch = 40, 4, 16
	be := testutil.Backend(t)
	pairs := data.Reverse(512, 1, 2, S-1)
	var texts []string
	for _, p := range pairs {
		texts = append(texts, p.Source, p.Target)
	}
	vocab := text.BuildVocab(texts, text.CharTokenizer{}, text.DefaultVocabConfig())
	ex, err := train.Encode(vocab, pairs, S, S)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(*seqmodel.Config)
	}{
		{"gru+bi/dot", func(c *seqmodel.Config) {
			c.Cell, c.AttentionType, c.Bidirectional = seqmodel.CellGRU, seqmodel.AttentionDot, true
		}},
		{"rnn/none", func(c *seqmodel.Config) { c.Cell, c.Attention = seqmodel.CellRNN, 0 }},
		{"lstm+2layers+dropout/additive+feed", func(c *seqmodel.Config) {
			c.EncoderLayers, c.Dropout, c.InputFeeding = 2, 0.2, true
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := seqmodel.Config{VocabSize: vocab.Size(), Embed: 8, Hidden: 16, Attention: 8, MaxSource: S,
				MaxTarget: S, ForgetBias: 1, Seed: 1}
			c.change(&cfg)
			var losses []float64
			testutil.Deadline(t, 4*time.Minute, func() {
				tr, err := train.New(be, model.NewStore(), seqmodel.New(cfg),
					train.Config{Steps: trainSteps, BatchSize: batch, LearningRate: 0.02, Seed: 1})
				if err != nil {
					panic(err)
				}
				batches := train.NewShuffler(ex, batch, 1)
				for range trainSteps {
					loss, err := tr.Step(batches.Next())
					if err != nil {
						panic(err)
					}
					losses = append(losses, loss)
				}
			})
			first, last := mean(losses[:5]), mean(losses[len(losses)-5:])
			t.Logf("mean loss of the first 5 steps %.3f, last 5 %.3f; curve %s", first, last, fmt.Sprintf("%.2f", losses))
			if !(last < 0.8*first) {
				t.Errorf("loss did not fall by a fifth in %d steps: first %.3f, last %.3f", trainSteps, first, last)
			}
		})
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
