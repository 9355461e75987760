package embed

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strconv"
)

// binaryChunk is the most floats read at once: a header announcing a huge dim makes Data grow only
// as bytes actually arrive.
const binaryChunk = 1 << 14

// readBinary reads the word2vec binary format as gensim's _word2vec_read_binary does: after the
// header line, per vector, the bytes up to the next space are the word (decoded, then stripped of
// leading '\n', the newline word2vec.c writes after each vector), then dim little-endian float32s.
// Bytes after the announced vectors are ignored, as gensim ignores them.
func (r *reader) readBinary() error {
	count, dim, err := r.readHeader()
	if err != nil {
		return err
	}
	r.dim = dim
	n := r.want(count)
	if r.size < 0 {
		r.allocate(n, growCap, growWords)
	} else {
		// Each vector takes at least 4*dim+1 bytes: its floats and the space after the word.
		rest := r.size - r.off
		if dim > (math.MaxInt64-1)/4 || (n > 0 && int64(n) > rest/(4*int64(dim)+1)) {
			return r.fail(ErrTruncated, 0, 0, "header",
				"the header announces %d vectors of %d float32s, which cannot fit in the %d bytes after it (at least %d bytes each)",
				n, dim, rest, 4*int64(dim)+1)
		}
		r.allocate(n, math.MaxInt, math.MaxInt)
	}
	scratch := make([]byte, 4*min(dim, binaryChunk))
	for i := 0; i < n; i++ {
		vector := i + 1
		start := r.off
		wordBytes, err := r.readWord()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return r.fail(ErrTruncated, vector, r.off, "word",
					"the header announces %d vectors; the file ends after %d vectors", count, i)
			}
			return err
		}
		word, err := r.decode(wordBytes, start)
		if err != nil {
			return err
		}
		for k := 0; k < dim; {
			m := min(dim-k, binaryChunk)
			got, err := io.ReadFull(r.br, scratch[:4*m])
			r.off += int64(got)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return r.fail(ErrTruncated, vector, r.off, "vector",
					"the file ends after %d of the %d float32s of %q", k+got/4, dim, word)
			} else if err != nil {
				return r.ioErr(err)
			}
			for j := range m {
				x := math.Float32frombits(binary.LittleEndian.Uint32(scratch[4*j:]))
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					return r.fail(ErrNonFinite, vector, r.off-int64(got)+int64(4*j), "value "+strconv.Itoa(k+j+1),
						"%v in the vector of %q: NaN and infinite values are refused", x, word)
				}
				r.data = append(r.data, x)
			}
			k += m
		}
		if err := r.addWord(word, start); err != nil {
			return err
		}
	}
	return nil
}

// readWord returns the bytes up to the next space, consuming the space. It returns io.EOF (also when
// some bytes came first: the vector is incomplete either way).
func (r *reader) readWord() ([]byte, error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice(' ')
		r.off += int64(len(chunk))
		if len(r.buf)+len(chunk) > MaxWordBytes+1 {
			return nil, r.fail(ErrWord, len(r.words)+1, r.off-int64(len(r.buf)+len(chunk)), "word",
				"no space within %d bytes: is the dim in the header right?", MaxWordBytes)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			r.buf = append(r.buf, chunk...)
			continue
		case err == io.EOF:
			return nil, io.EOF
		case err != nil:
			return nil, r.ioErr(err)
		}
		if len(r.buf) > 0 {
			r.buf = append(r.buf, chunk...)
			chunk = r.buf
		}
		return chunk[:len(chunk)-1], nil
	}
}
