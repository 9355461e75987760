package embed

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads better unqualified
	"github.com/gomlx/gomlx/core/tensors"
)

// ErrUnknownWord is returned when a query word is not in the table.
var ErrUnknownWord = errors.New("word not in the vectors")

// Neighbor is one result of a similarity query.
type Neighbor struct {
	Word       string
	Similarity float32 // cosine similarity to the query vector
}

// Query is one similarity query in gensim's most_similar terms: the query vector is the mean of the
// unit vectors of Positive minus those of Negative, normalised to unit length; the query words
// themselves are never returned.
type Query struct {
	Positive, Negative []string
}

// Index answers nearest-neighbour and analogy queries on a [Vectors] table with GoMLX: one graph
// multiplies all query vectors [Q, D] by the table [V, D]ᵀ, divides by the row norms [V] and takes
// the top k+3 per query, for any number of queries at once. It matches gensim 4.4's
// KeyedVectors.most_similar: same ranking, same similarities (float32). Rows whose norm is 0 are
// never returned (gensim would score them NaN), so a query may get fewer than k results.
//
// An Index is safe for concurrent use. It keeps its own copy of the table on the backend.
type Index struct {
	vecs    *Vectors
	backend compute.Backend
	table   *tensors.Tensor // [V, D] float32
	norms   *tensors.Tensor // [V] float32, 0 rows replaced by 1
	penalty *tensors.Tensor // [V] float32: 0, or −Inf for rows of norm 0
	zero    []bool          // rows of norm 0
	mu      sync.Mutex
	execs   map[int]*Exec // by top-k
}

// NewIndex prepares queries on v with backend. v must not change while the index is used.
func NewIndex(backend compute.Backend, v *Vectors) (*Index, error) {
	if v == nil || v.Len() == 0 {
		return nil, errors.New("neighbors: empty vector table")
	}
	if v.index == nil {
		index, err := v.check()
		if err != nil {
			return nil, err
		}
		v.index = index
	}
	norms, penalty, zero := make([]float32, v.Len()), make([]float32, v.Len()), make([]bool, v.Len())
	for i := range norms {
		norms[i] = norm32(v.Vector(i))
		if norms[i] == 0 {
			norms[i], penalty[i], zero[i] = 1, float32(math.Inf(-1)), true
		}
	}
	return &Index{vecs: v, backend: backend, execs: map[int]*Exec{}, zero: zero,
		table:   tensors.FromFlatDataAndDimensions(v.Data, v.Len(), v.Dim),
		norms:   tensors.FromFlatDataAndDimensions(norms, v.Len()),
		penalty: tensors.FromFlatDataAndDimensions(penalty, v.Len())}, nil
}

// Neighbors returns, for each word, its k nearest words by cosine similarity, most similar first
// (gensim: most_similar(word, topn=k)). An unknown word is an [ErrUnknownWord] error naming it.
func (x *Index) Neighbors(words []string, k int) ([][]Neighbor, error) {
	qs := make([]Query, len(words))
	for i, w := range words {
		qs[i] = Query{Positive: []string{w}}
	}
	return x.MostSimilar(qs, k)
}

// Analogy returns the k words nearest to a − b + c ("b is to a as c is to ?"),
// exactly gensim's most_similar(positive=[a, c], negative=[b], topn=k): the unit vectors of a, c
// and −b are averaged, the mean normalised, and a, b and c are left out of the results. With
// a = king, b = man, c = woman the answer hoped for is queen.
func (x *Index) Analogy(a, b, c string, k int) ([]Neighbor, error) {
	res, err := x.MostSimilar([]Query{{Positive: []string{a, c}, Negative: []string{b}}}, k)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// MostSimilar runs many gensim most_similar queries in one batch: result i holds up to k
// neighbours of queries[i], most similar first. Ties keep the table order.
func (x *Index) MostSimilar(queries []Query, k int) ([][]Neighbor, error) {
	if k < 1 {
		return nil, fmt.Errorf("neighbors: k is %d; want at least 1", k)
	}
	if len(queries) == 0 {
		return nil, nil
	}
	d := x.vecs.Dim
	q := len(queries)
	rows := 8
	for rows < q {
		rows *= 2 // pad Q to a power of two so that XLA compiles few shapes
	}
	mat := make([]float32, rows*d)
	excl := make([][]int, q)
	maxExcl := 0
	for i, query := range queries {
		if len(query.Positive)+len(query.Negative) == 0 {
			return nil, fmt.Errorf("neighbors: query %d has no words", i+1)
		}
		mean := mat[i*d : (i+1)*d]
		for s, list := range [][]string{query.Positive, query.Negative} {
			sign := float32(1 - 2*s)
			for _, w := range list {
				row, ok := x.vecs.indexOf(w)
				if !ok {
					return nil, fmt.Errorf("neighbors: query %d: %w: %q", i+1, ErrUnknownWord, w)
				}
				excl[i] = append(excl[i], row)
				v := x.vecs.Vector(row)
				n := norm32(v)
				if n == 0 {
					continue // gensim would add NaNs; a zero vector adds nothing here
				}
				for j := range mean {
					mean[j] += sign * (v[j] / n)
				}
			}
		}
		total := float32(len(query.Positive) + len(query.Negative))
		for j := range mean {
			mean[j] /= total
		}
		if n := norm32(mean); n > 0 {
			for j := range mean {
				mean[j] /= n
			}
		}
		maxExcl = max(maxExcl, len(excl[i]))
	}
	topK := min(k+maxExcl, x.vecs.Len())
	exec, err := x.exec(topK)
	if err != nil {
		return nil, err
	}
	res, err := exec.Exec(x.table, x.norms, x.penalty, tensors.FromFlatDataAndDimensions(mat, rows, d))
	if err != nil {
		return nil, fmt.Errorf("neighbors: %w", err)
	}
	sims, err1 := tensors.CopyFlatData[float32](res[0])
	idx, err2 := tensors.CopyFlatData[int32](res[1])
	for _, r := range res {
		_ = r.FinalizeAll()
	}
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("neighbors: %w", err)
	}
	out := make([][]Neighbor, q)
	for i := range q {
	next:
		for j := range topK {
			row := int(idx[i*topK+j])
			if x.zero[row] || len(out[i]) == k {
				continue
			}
			for _, e := range excl[i] {
				if e == row {
					continue next
				}
			}
			out[i] = append(out[i], Neighbor{Word: x.vecs.Words[row], Similarity: sims[i*topK+j]})
		}
	}
	return out, nil
}

// exec returns the compiled top-k graph: sims = (queries [Q, D] · table [V, D]ᵀ) / norms [V],
// + penalty [V], then TopK over V → values [Q, k] float32, indices [Q, k] int32.
func (x *Index) exec(k int) (*Exec, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if e := x.execs[k]; e != nil {
		return e, nil
	}
	e, err := NewExec(x.backend, func(table, norms, penalty, queries *Node) (*Node, *Node) {
		sims := Add(Div(Einsum("qd,vd->qv", queries, table), ExpandAxes(norms, 0)), ExpandAxes(penalty, 0))
		return TopK(sims, k, -1)
	})
	if err != nil {
		return nil, fmt.Errorf("neighbors: building the graph: %w", err)
	}
	x.execs[k] = e
	return e, nil
}

// norm32 is the Euclidean norm, accumulated in float64 as numpy's float32 norm is close to.
func norm32(v []float32) float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return float32(math.Sqrt(s))
}

// Neighbors is [Index.Neighbors] on a one-off index of v: for each word, its k nearest words by
// cosine similarity, most similar first. Build an [Index] once to ask many times.
func (v *Vectors) Neighbors(backend compute.Backend, words []string, k int) ([][]Neighbor, error) {
	x, err := NewIndex(backend, v)
	if err != nil {
		return nil, err
	}
	return x.Neighbors(words, k)
}
