package train

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/seq2seq/data"
	"github.com/gotextgen/textgen/seq2seq/text"
)

// Examples are pairs encoded to fixed-size, padded int32 rows, ready to batch.
type Examples struct {
	N       int     // Number of examples.
	S, T    int     // Source and target row lengths.
	Src     []int32 // [N,S]: source tokens, EOS, then PadID.
	TgtIn   []int32 // [N,T]: BOSID, target tokens, then PadID (the decoder's teacher-forced input).
	TgtOut  []int32 // [N,T]: target tokens, EOSID, then PadID (the labels).
	Sources []string
	Targets []string
}

// ErrTooLong is wrapped when a pair does not fit the model's MaxSource or MaxTarget.
var ErrTooLong = fmt.Errorf("sequence too long")

// Encode tokenizes and pads pairs into rows of S source and T target positions (each including the end token).
// A pair that does not fit is an error naming its index, field and length.
func Encode(v *text.Vocab, pairs []data.Pair, S, T int) (*Examples, error) {
	e := &Examples{N: len(pairs), S: S, T: T,
		Src: make([]int32, len(pairs)*S), TgtIn: make([]int32, len(pairs)*T), TgtOut: make([]int32, len(pairs)*T)}
	for i, p := range pairs {
		src, tgt := v.EncodeWithEOS(p.Source), v.EncodeWithEOS(p.Target)
		if len(src) > S {
			return nil, fmt.Errorf("%w: pair %d field source %q has %d tokens with the end token, max_source is %d",
				ErrTooLong, i, p.Source, len(src), S)
		}
		if len(tgt) > T {
			return nil, fmt.Errorf("%w: pair %d field target %q has %d tokens with the end token, max_target is %d",
				ErrTooLong, i, p.Target, len(tgt), T)
		}
		for j, id := range src {
			e.Src[i*S+j] = int32(id)
		}
		e.TgtIn[i*T] = text.BOSID
		for j, id := range tgt {
			e.TgtOut[i*T+j] = int32(id)
			if j+1 < T && id != text.EOSID {
				e.TgtIn[i*T+j+1] = int32(id)
			}
		}
		e.Sources = append(e.Sources, p.Source)
		e.Targets = append(e.Targets, p.Target)
	}
	return e, nil
}

// Batch holds the rows of a batch as tensors: Src [B,S], TgtIn [B,T], TgtOut [B,T], all int32.
type Batch struct {
	Src, TgtIn, TgtOut *tensors.Tensor
	Index              []int // Row of each example in Examples.
}

// Rows returns the batch made of the given example rows.
func (e *Examples) Rows(idx []int) Batch { return e.RowsPadded(idx, e.S, e.T) }

// RowsPadded returns the batch of the given example rows cut to S ≤ e.S source and T ≤ e.T target positions
// (the caller makes sure the cut columns hold only padding: see Lengths).
func (e *Examples) RowsPadded(idx []int, S, T int) Batch {
	B := len(idx)
	src, in, out := make([]int32, B*S), make([]int32, B*T), make([]int32, B*T)
	for b, i := range idx {
		copy(src[b*S:(b+1)*S], e.Src[i*e.S:i*e.S+S])
		copy(in[b*T:(b+1)*T], e.TgtIn[i*e.T:i*e.T+T])
		copy(out[b*T:(b+1)*T], e.TgtOut[i*e.T:i*e.T+T])
	}
	return Batch{
		Src:    tensors.FromFlatDataAndDimensions(src, B, S),
		TgtIn:  tensors.FromFlatDataAndDimensions(in, B, T),
		TgtOut: tensors.FromFlatDataAndDimensions(out, B, T),
		Index:  idx,
	}
}

// Lengths returns the real (non-padding) length of example i's source and target rows, end tokens included.
func (e *Examples) Lengths(i int) (src, tgt int) {
	for src = e.S; src > 0 && e.Src[i*e.S+src-1] == text.PadID; src-- {
	}
	for tgt = e.T; tgt > 0 && e.TgtOut[i*e.T+tgt-1] == text.PadID; tgt-- {
	}
	return src, tgt
}

// Chunks splits 0..n-1 into consecutive index slices of at most size.
func Chunks(n, size int) [][]int {
	var out [][]int
	for i := 0; i < n; i += size {
		end := min(i+size, n)
		idx := make([]int, end-i)
		for j := range idx {
			idx[j] = i + j
		}
		out = append(out, idx)
	}
	return out
}
