package embed

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/gotextgen/textgen/internal/atomicfile"
)

// Write writes v to w in the given format, in gensim's layout (save_word2vec_format):
//
//	Text:   "count dim\n", then "word v1 v2 ... vdim\n" per vector
//	GloVe:  the same lines without the header (write_header=False)
//	Binary: "count dim\n", then per vector the word, a space and dim little-endian float32s, with
//	        no newline after the vector (gensim 4 writes none; word2vec.c writes one; both read either)
//
// Text values are the shortest decimal that reads back as the same float32 both when rounded
// straight to float32 (Go, word2vec.c) and when rounded through float64 (numpy, hence gensim); for a
// few values, such as 7.038531e-26, the shortest float32 decimal fails the second test, and Write
// then prints the float64's shortest decimal (7.038530691851209e-26). So gensim loads every file
// Write makes with bit-identical float32s, which gensim's own text writer does not guarantee.
//
// Write checks v first and writes nothing if it cannot be stored (see [New] for the rules); errors
// from w are returned as they come, after a partial write. [WriteFile] never leaves a partial file.
func Write(w io.Writer, v *Vectors, format Format) error {
	if err := checkWrite(v, format); err != nil {
		return err
	}
	return write(w, v, format)
}

// checkWrite checks the arguments of Write and WriteFile.
func checkWrite(v *Vectors, format Format) error {
	if v == nil {
		return fmt.Errorf("write vectors: %w: nil *Vectors", ErrOption)
	}
	if format < Text || format > GloVe {
		return fmt.Errorf("write vectors: %w: format %v", ErrOption, format)
	}
	_, err := v.check()
	return err
}

// write is Write after checkWrite.
func write(w io.Writer, v *Vectors, format Format) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if format != GloVe {
		if _, err := fmt.Fprintf(bw, "%d %d\n", len(v.Words), v.Dim); err != nil {
			return err
		}
	}
	var line []byte
	for i, word := range v.Words {
		line = append(line[:0], word...)
		line = append(line, ' ')
		row := v.Data[i*v.Dim : (i+1)*v.Dim]
		if format == Binary {
			for _, x := range row {
				line = binary.LittleEndian.AppendUint32(line, math.Float32bits(x))
			}
		} else {
			for k, x := range row {
				if k > 0 {
					line = append(line, ' ')
				}
				line = AppendValue(line, x)
			}
			line = append(line, '\n')
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendValue appends x to b as Write prints it in the text formats: the shortest decimal that
// reads back as x through float64 as well as straight to float32. x must be finite.
func AppendValue(b []byte, x float32) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, float64(x), 'g', -1, 32)
	d, err := strconv.ParseFloat(string(b[start:]), 64)
	if err == nil && math.Float32bits(float32(d)) == math.Float32bits(x) {
		return b
	}
	return strconv.AppendFloat(b[:start], float64(x), 'g', -1, 64)
}

// WriteFile writes v to the file name in the given format (see [Write]), atomically: it writes a
// temporary file in the same folder, syncs it and renames it over name, so name holds either its
// old content or the complete new file, never a part. The file gets mode 0644.
func WriteFile(name string, v *Vectors, format Format) (err error) {
	if err := checkWrite(v, format); err != nil {
		if fe, ok := err.(*FormatError); ok {
			fe.File = name
		}
		return err
	}
	err = atomicfile.WriteFunc(name, 0o644, func(w io.Writer) error { return write(w, v, format) })
	if err != nil {
		return fmt.Errorf("write vectors %s: %w", name, err)
	}
	return nil
}
