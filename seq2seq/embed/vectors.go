package embed

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Vectors is a table of word vectors: row i of Data is the vector of Words[i].
//
// Treat a Vectors as read-only once made: the readers and [New] build an index for [Vectors.Lookup]
// that does not follow later changes to Words. A Vectors made as a struct literal has no index;
// Lookup then scans Words.
type Vectors struct {
	// Words in file order; distinct, non-empty, valid UTF-8.
	Words []string
	// Dim is the length of each vector (>= 1).
	Dim int
	// Data holds the vectors, shape [len(Words), Dim], row-major: Words[i] has Data[i*Dim:(i+1)*Dim].
	Data []float32

	index map[string]int // Words[index[w]] == w
}

// New checks words, dim and data and returns a Vectors using them (not copied). data has shape
// [len(words), dim], row-major. Errors are [*FormatError] values (naming the vector at fault): a dim below 1 or
// a data length other than len(words)*dim ([ErrDimension]), an empty word, one holding a space or
// a newline or one not valid UTF-8 ([ErrWord]), a repeated word ([ErrDuplicate]) and a NaN or
// infinite value ([ErrNonFinite]). Everything New accepts can be written and read back (GloVe
// needs at least one vector: an empty GloVe file is [ErrEmpty]).
func New(words []string, dim int, data []float32) (*Vectors, error) {
	v := &Vectors{Words: words, Dim: dim, Data: data}
	index, err := v.check()
	if err != nil {
		return nil, err
	}
	v.index = index
	return v, nil
}

// Len returns the number of vectors.
func (v *Vectors) Len() int { return len(v.Words) }

// Vector returns row i, shape [Dim], sharing memory with Data (changing it changes the table).
// It returns nil if i is out of range.
func (v *Vectors) Vector(i int) []float32 {
	if i < 0 || i >= len(v.Words) || v.Dim <= 0 || (i+1)*v.Dim > len(v.Data) {
		return nil
	}
	return v.Data[i*v.Dim : (i+1)*v.Dim : (i+1)*v.Dim]
}

// Lookup returns the vector of word, shape [Dim], sharing memory with Data, and whether the word
// is in the table. Words match exactly (no case folding or Unicode normalisation).
func (v *Vectors) Lookup(word string) ([]float32, bool) {
	if i, ok := v.indexOf(word); ok {
		return v.Vector(i), true
	}
	return nil, false
}

// indexOf returns the row of word.
func (v *Vectors) indexOf(word string) (int, bool) {
	if v.index != nil {
		i, ok := v.index[word]
		return i, ok
	}
	for i, w := range v.Words {
		if w == word {
			return i, true
		}
	}
	return 0, false
}

// check validates v for writing and for New, and returns the index of its words.
func (v *Vectors) check() (map[string]int, error) {
	if v.Dim < 1 {
		return nil, &FormatError{Offset: -1, Field: "dim", Err: ErrDimension,
			Msg: fmt.Sprintf("Dim is %d; want at least 1", v.Dim)}
	}
	if len(v.Data) != len(v.Words)*v.Dim {
		return nil, &FormatError{Offset: -1, Field: "data", Err: ErrDimension,
			Msg: fmt.Sprintf("len(Data) is %d; want len(Words)*Dim = %d*%d", len(v.Data), len(v.Words), v.Dim)}
	}
	index := make(map[string]int, len(v.Words))
	for i, w := range v.Words {
		if msg := badWord(w); msg != "" {
			return nil, &FormatError{Vector: i + 1, Offset: -1, Field: "word", Err: ErrWord, Msg: msg}
		}
		if j, dup := index[w]; dup {
			return nil, &FormatError{Vector: i + 1, Offset: -1, Field: "word", Err: ErrDuplicate,
				Msg: fmt.Sprintf("%q is also vector %d", w, j+1)}
		}
		index[w] = i
		for k, x := range v.Data[i*v.Dim : (i+1)*v.Dim] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, &FormatError{Vector: i + 1, Offset: -1, Field: fmt.Sprintf("value %d", k+1),
					Err: ErrNonFinite, Msg: fmt.Sprintf("%v in the vector of %q", x, w)}
			}
		}
	}
	return index, nil
}

// badWord says why w cannot be stored in a vector file, or returns "".
func badWord(w string) string {
	switch {
	case w == "":
		return "empty word"
	case strings.ContainsAny(w, " \n"):
		return fmt.Sprintf("%q holds a space or a newline, which the file formats cannot store", w)
	case !utf8.ValidString(w):
		return fmt.Sprintf("%q is not valid UTF-8", w)
	case len(w) > MaxWordBytes:
		return fmt.Sprintf("word of %d bytes; at most %d", len(w), MaxWordBytes)
	}
	return ""
}
