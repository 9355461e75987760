package decode

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/text"
	"github.com/gotextgen/textgen/seq2seq/train"
)

// TeacherForced are the teacher-forced statistics of pairs: the model reads the reference target and is
// scored on predicting each of its tokens, the end token included.
type TeacherForced struct {
	Pairs   int     // Pairs scored.
	Tokens  int     // Target tokens scored (end tokens included).
	NLL     float64 // Σ −log p(y_t | y_<t, x) over those tokens.
	Correct int     // Tokens whose argmax prediction is the reference token.
}

// Loss is the mean cross-entropy per target token (nats), the training loss without label smoothing.
func (s TeacherForced) Loss() float64 { return s.NLL / float64(max(s.Tokens, 1)) }

// Perplexity is exp(Loss).
func (s TeacherForced) Perplexity() float64 { return math.Exp(s.Loss()) }

// TokenAccuracy is the fraction of target tokens predicted right.
func (s TeacherForced) TokenAccuracy() float64 { return float64(s.Correct) / float64(max(s.Tokens, 1)) }

// ScoreTeacherForced computes the teacher-forced statistics of pairs, batchSize pairs at a time (0 = 64; the
// last batch is padded with rows that count for nothing). A pair too long for the model is an error naming it.
func (d *Decoder) ScoreTeacherForced(pairs []data.Pair, batchSize int) (TeacherForced, error) {
	if batchSize <= 0 {
		batchSize = 64
	}
	cfg := d.model.Config
	ex, err := train.Encode(d.vocab, pairs, cfg.MaxSource, cfg.MaxTarget)
	if err != nil {
		return TeacherForced{}, err
	}
	if d.tf == nil {
		m := d.model
		// Per row: Σ −log p of the real target tokens, their number and the number predicted right [B] each.
		d.tf, err = model.NewExec(d.backend, d.store, func(scope *model.Scope, src, tgtIn, tgtOut *Node) []*Node {
			lp := LogSoftmax(m.TrainLogits(scope, src, tgtIn)) // [B,T,V]
			mask := ConvertDType(NotEqual(tgtOut, Const(src.Graph(), int32(text.PadID))), dtypes.Float32)
			V := lp.Shape().Dim(-1)
			picked := ReduceSum(Mul(lp, OneHot(tgtOut, V, dtypes.Float32)), -1) // [B,T]
			right := ConvertDType(Equal(ArgMax(lp, -1, dtypes.Int32), tgtOut), dtypes.Float32)
			return []*Node{ReduceSum(Mul(Neg(picked), mask), -1), ReduceSum(mask, -1), ReduceSum(Mul(right, mask), -1)}
		})
		if err != nil {
			return TeacherForced{}, fmt.Errorf("building the teacher-forced graph: %w", err)
		}
	}
	var s TeacherForced
	for _, idx := range train.Chunks(ex.N, batchSize) {
		padded := append([]int(nil), idx...)
		for len(padded) < batchSize {
			padded = append(padded, idx[0])
		}
		b := ex.Rows(padded)
		out, err := d.tf.Exec(b.Src, b.TgtIn, b.TgtOut)
		if err != nil {
			return TeacherForced{}, fmt.Errorf("teacher-forced scoring: %w", err)
		}
		nll, n, right := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1]),
			tensors.MustCopyFlatData[float32](out[2])
		for r := range idx {
			s.NLL += float64(nll[r])
			s.Tokens += int(n[r])
			s.Correct += int(right[r])
		}
		s.Pairs += len(idx)
	}
	return s, nil
}
