package train

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gotextgen/textgen/seq2seq/text"
)

// Shuffler yields batches of a fixed size forever, reshuffling with its own seeded generator at every epoch.
// Only full batches are produced. Without buckets every batch is padded to the examples' S and T (one compiled
// shape); with buckets (NewBucketShuffler) each batch holds examples of similar length, padded to its
// bucket's bounds (one compiled shape per bucket). Its whole state (generator, epoch order, position) is saved
// in checkpoints, so a resumed run sees the same batches as one that never stopped.
type Shuffler struct {
	ex     *Examples
	size   int
	pcg    *rand.PCG
	rng    *rand.Rand
	bounds [][2]int // (S_k, T_k) of each bucket.
	groups [][]int  // Example rows of each bucket.

	batches [][]int // This epoch's batches (example rows), in order.
	bucket  []int   // Bucket of each batch.
	pos     int     // Next batch.
}

// NewShuffler batches ex in batches of size, shuffled by a PCG generator seeded with seed, every batch padded
// to ex.S and ex.T. It needs ex.N ≥ size.
func NewShuffler(ex *Examples, size int, seed int64) *Shuffler {
	s := newShuffler(ex, size, seed)
	all := make([]int, ex.N)
	for i := range all {
		all[i] = i
	}
	s.bounds, s.groups = [][2]int{{ex.S, ex.T}}, [][]int{all}
	return s
}

func newShuffler(ex *Examples, size int, seed int64) *Shuffler {
	pcg := rand.NewPCG(uint64(seed), 0x7e57)
	return &Shuffler{ex: ex, size: size, pcg: pcg, rng: rand.New(pcg)}
}

// NewBucketShuffler batches ex by length. Bucket k = 1…n has the bounds
//
//	S_k = ⌈S·k/n⌉ source and T_k = ⌈T·k/n⌉ target positions,
//
// and an example goes to the first bucket that holds both its rows (end token included). A bucket with fewer
// than size examples is merged into the next (or, for the last, into the previous, with the larger bounds).
// Each epoch shuffles every bucket, cuts it into full batches (the few left over wait for a later epoch's
// shuffle) and shuffles the order of all batches. n ≤ 1 is NewShuffler.
func NewBucketShuffler(ex *Examples, size int, seed int64, n int) (*Shuffler, error) {
	if ex.N < size {
		return nil, fmt.Errorf("%d training examples are fewer than \"batch_size\" %d", ex.N, size)
	}
	if n <= 1 {
		return NewShuffler(ex, size, seed), nil
	}
	s := newShuffler(ex, size, seed)
	bounds := make([][2]int, n)
	groups := make([][]int, n)
	for k := range n {
		bounds[k] = [2]int{(ex.S*(k+1) + n - 1) / n, (ex.T*(k+1) + n - 1) / n}
	}
	for i := range ex.N {
		ls, lt := ex.Lengths(i)
		k := 0
		for k < n-1 && (ls > bounds[k][0] || lt > bounds[k][1]) {
			k++
		}
		groups[k] = append(groups[k], i)
	}
	var carry []int
	for k := range n {
		carry = append(carry, groups[k]...)
		if len(carry) >= size {
			s.bounds, s.groups = append(s.bounds, bounds[k]), append(s.groups, carry)
			carry = nil
		}
	}
	if len(carry) > 0 { // Too few long examples for a batch of their own: join the previous bucket.
		last := len(s.groups) - 1
		s.groups[last] = append(s.groups[last], carry...)
		s.bounds[last] = bounds[n-1]
	}
	return s, nil
}

// Bounds returns the (source, target) padded lengths of the buckets, shortest first.
func (s *Shuffler) Bounds() [][2]int { return slices.Clone(s.bounds) }

// newEpoch draws the next epoch's batches.
func (s *Shuffler) newEpoch() {
	s.batches, s.bucket, s.pos = s.batches[:0], s.bucket[:0], 0
	for k, g := range s.groups {
		perm := s.rng.Perm(len(g))
		for i := 0; i+s.size <= len(g); i += s.size {
			idx := make([]int, s.size)
			for j := range idx {
				idx[j] = g[perm[i+j]]
			}
			s.batches, s.bucket = append(s.batches, idx), append(s.bucket, k)
		}
	}
	if len(s.groups) > 1 {
		s.rng.Shuffle(len(s.batches), func(i, j int) {
			s.batches[i], s.batches[j] = s.batches[j], s.batches[i]
			s.bucket[i], s.bucket[j] = s.bucket[j], s.bucket[i]
		})
	}
}

// Next returns the next batch.
func (s *Shuffler) Next() Batch {
	if s.pos >= len(s.batches) {
		s.newEpoch()
	}
	idx, b := s.batches[s.pos], s.bounds[s.bucket[s.pos]]
	s.pos++
	return s.ex.RowsPadded(idx, b[0], b[1])
}

// ShufflerState is a Shuffler's position, saved in checkpoints.
type ShufflerState struct {
	RNG     []byte   `json:"rng"`     // PCG generator state (its MarshalBinary).
	Size    int      `json:"size"`    // Batch size.
	Bounds  [][2]int `json:"bounds"`  // Bucket bounds (checked on restore).
	Batches [][]int  `json:"batches"` // This epoch's batches.
	Bucket  []int    `json:"bucket"`  // Bucket of each batch.
	Pos     int      `json:"pos"`     // Next batch.
}

// State returns the shuffler's state.
func (s *Shuffler) State() (ShufflerState, error) {
	rng, err := s.pcg.MarshalBinary()
	if err != nil {
		return ShufflerState{}, err
	}
	return ShufflerState{RNG: rng, Size: s.size, Bounds: slices.Clone(s.bounds), Batches: slices.Clone(s.batches),
		Bucket: slices.Clone(s.bucket), Pos: s.pos}, nil
}

// SetState restores a state saved by State from a shuffler built the same way (same examples, batch size
// and buckets); anything else is an error.
func (s *Shuffler) SetState(st ShufflerState) error {
	if st.Size != s.size || !slices.Equal(st.Bounds, s.bounds) {
		return fmt.Errorf("shuffler state: batch size %d and buckets %v, but this run has batch size %d and buckets %v",
			st.Size, st.Bounds, s.size, s.bounds)
	}
	if len(st.Bucket) != len(st.Batches) || st.Pos < 0 || st.Pos > len(st.Batches) {
		return fmt.Errorf("shuffler state: %d batches, %d bucket numbers, position %d", len(st.Batches), len(st.Bucket), st.Pos)
	}
	for i, b := range st.Batches {
		if len(b) != s.size || st.Bucket[i] < 0 || st.Bucket[i] >= len(s.bounds) {
			return fmt.Errorf("shuffler state: batch %d has %d rows in bucket %d", i, len(b), st.Bucket[i])
		}
		for _, r := range b {
			if r < 0 || r >= s.ex.N {
				return fmt.Errorf("shuffler state: batch %d has row %d, the data has %d examples", i, r, s.ex.N)
			}
		}
	}
	if err := s.pcg.UnmarshalBinary(st.RNG); err != nil {
		return fmt.Errorf("shuffler state: generator: %w", err)
	}
	s.batches, s.bucket, s.pos = st.Batches, st.Bucket, st.Pos
	return nil
}

// PaddingFraction is the fraction of padding positions in a batch's source and target rows (Src and TgtOut).
func PaddingFraction(b Batch) float64 {
	pad, total := 0, 0
	for _, x := range []*tensors.Tensor{b.Src, b.TgtOut} {
		for _, v := range tensors.MustCopyFlatData[int32](x) {
			if v == text.PadID {
				pad++
			}
			total++
		}
	}
	return float64(pad) / float64(max(total, 1))
}
