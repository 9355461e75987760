package decode

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// Reference is a slow, obviously correct beam search kept to check Decoder: one source at a time, every
// hypothesis re-scored from scratch by the teacher-forced graph (no decoder state carried between steps, no
// early stopping, every candidate sorted). Its rules are those documented in beam.go.
type Reference struct {
	model *seqmodel.Seq2Seq
	vocab *text.Vocab
	exec  *model.Exec
}

// NewReference prepares the reference over the weights in store.
func NewReference(backend compute.Backend, store *model.Store, m *seqmodel.Seq2Seq, v *text.Vocab) (*Reference, error) {
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, src, tgtIn *Node) *Node {
		return LogSoftmax(m.TrainLogits(scope, src, tgtIn))
	})
	if err != nil {
		return nil, fmt.Errorf("building the teacher-forced graph: %w", err)
	}
	return &Reference{model: m, vocab: v, exec: exec}, nil
}

// RefHypothesis is one hypothesis of the reference search.
type RefHypothesis struct {
	IDs      []int   // Generated ids, the end token included when Finished.
	LogProb  float64 // Σ log p of IDs.
	Score    float64 // LogProb / LengthPenalty(len(IDs), α).
	Finished bool
}

// NextLogProbs returns log p(· | prefix, source) [V]: the teacher-forced graph run on BOS + prefix, read at
// the position after the prefix. maxLen is the graph's target length (> len(prefix)).
func (r *Reference) NextLogProbs(source string, prefix []int, maxLen int) ([]float32, error) {
	S, V := r.model.Config.MaxSource, r.model.Config.VocabSize
	src := r.vocab.EncodeWithEOS(source)
	if len(src) > S {
		return nil, fmt.Errorf("source %q has %d tokens with the end token, max_source is %d", source, len(src), S)
	}
	s := make([]int32, S)
	for i, id := range src {
		s[i] = int32(id)
	}
	in := make([]int32, maxLen)
	in[0] = text.BOSID
	for i, id := range prefix {
		in[i+1] = int32(id)
	}
	out, err := r.exec.Exec(tensors.FromFlatDataAndDimensions(s, 1, S), tensors.FromFlatDataAndDimensions(in, 1, maxLen))
	if err != nil {
		return nil, err
	}
	all := tensors.MustCopyFlatData[float32](out[0])
	_ = out[0].FinalizeAll()
	return all[len(prefix)*V : (len(prefix)+1)*V], nil
}

// Beam runs beam search on one source with o's Beam, LengthPenalty, NBest, MinLen, MaxLen and NoRepeatNgram,
// for o.MaxLen steps, and returns the o.NBest best hypotheses.
func (r *Reference) Beam(source string, o Options) ([]RefHypothesis, error) {
	o.Strategy = StrategyBeam
	o, err := o.withDefaults(r.model.Config.MaxTarget)
	if err != nil {
		return nil, err
	}
	K, alpha := o.Beam, o.LengthPenalty
	ru := rules{minLen: o.MinLen, noRepeat: o.NoRepeatNgram}
	beams := []RefHypothesis{{}}
	var finished []RefHypothesis
	for t := 0; t < o.MaxLen && len(beams) > 0; t++ {
		type cand struct {
			h     RefHypothesis
			score float64
		}
		var cands []cand
		for _, b := range beams {
			lp, err := r.NextLogProbs(source, b.IDs, o.MaxLen)
			if err != nil {
				return nil, err
			}
			allowed := make([]float64, len(lp))
			if !ru.allowed(allowed, lp, b.IDs) {
				for v := range allowed {
					allowed[v] = math.Inf(-1)
				}
				allowed[text.EOSID] = float64(lp[text.EOSID])
			}
			for v, x := range allowed {
				if math.IsInf(x, -1) {
					continue
				}
				h := RefHypothesis{IDs: append(slices.Clone(b.IDs), v), LogProb: b.LogProb + float64(lp[v]), Finished: v == text.EOSID}
				cands = append(cands, cand{h, b.LogProb + x})
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			}
			return 0
		})
		beams = nil
		for rank, c := range cands {
			if len(beams) == K {
				break
			}
			if c.h.Finished {
				if rank < K {
					finished = append(finished, c.h)
				}
				continue
			}
			beams = append(beams, c.h)
		}
	}
	finished = append(finished, beams...)
	for i := range finished {
		finished[i].Score = finished[i].LogProb / LengthPenalty(len(finished[i].IDs), alpha)
	}
	slices.SortStableFunc(finished, func(a, b RefHypothesis) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return finished[:min(o.NBest, len(finished))], nil
}
