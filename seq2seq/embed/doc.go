// Package embed reads and writes pretrained word vectors in the word2vec text, word2vec binary and
// GloVe formats, exactly as gensim does, turns them into an embedding matrix for a vocabulary, trains
// word2vec on GoMLX the way gensim's Word2Vec does, and answers nearest-neighbour and analogy queries.
//
// # Formats
//
//	Text    "count dim\n", then per vector "word v1 ... vdim\n"         gensim binary=False
//	Binary  "count dim\n", then per vector word, ' ', dim float32 (LE)  gensim binary=True
//	        and an optional '\n' (word2vec.c writes it, gensim does not)
//	GloVe   "word v1 ... vdim\n" per vector, no header; dim = the       gensim no_header=True
//	        number of values on the first line
//
// [ReadFile] and [Read] return a [*Vectors]: Words in file order and one []float32 Data of shape
// [len(Words), Dim], row-major, allocated once (when the input size is known) and filled as the
// file streams through a bufio.Reader; the file is never held in memory.
//
// # Gensim compatibility
//
// The readers follow KeyedVectors.load_word2vec_format in gensim 4.4 line by line, and the tests
// check them against it: limit is [Options.Limit], unicode_errors is [Options.Unicode] (with
// Python's exact U+FFFD placement for 'replace'), binary=True is [Binary], no_header=True is
// [GloVe]. Text lines are stripped of trailing ASCII whitespace and split on single spaces; text
// values are rounded to float32 through float64, as numpy does; binary words lose leading newlines
// after decoding. Bytes after the announced vectors are ignored. The writers produce
// save_word2vec_format's layout, with text values that gensim reads back bit-identical (see [Write]).
//
// Where gensim silently accepts something that is almost always a damaged file, we refuse it with
// an error instead: a duplicate word (gensim keeps the first; [ErrDuplicate]), a NaN or infinite
// value ([ErrNonFinite]), an empty word ([ErrWord]), vectors of dimension 0, and numbers in the
// few forms Python's float() takes beyond plain decimals, such as "1_000" or non-ASCII digits
// ([ErrNumber]). The interop test checks each of these refusals too.
//
// # Errors
//
// Every problem in the content is a [*FormatError] naming the file, line (text formats), vector,
// byte offset and field at fault, wrapping a sentinel ([ErrEmpty], [ErrHeader], [ErrTruncated],
// [ErrDimension], [ErrNumber], [ErrNonFinite], [ErrUnicode], [ErrDuplicate], [ErrWord]). Bad input
// never panics, and a header cannot make the reader allocate more than the file size allows.
// [WriteFile] writes a temporary file and renames it, so it never leaves half a file.
//
// # Embedding matrices
//
// [InitMatrix] builds the [V, Dim] initial embedding matrix for a text.Vocab: pretrained rows where
// the table has the token, zeros for padding, small seeded random values elsewhere, and a
// [Coverage] report. Whether the embedding then stays frozen or is trained further is decided by
// the model that uses the matrix, not here.
//
// # Training
//
// [TrainWord2Vec] trains skip-gram or CBOW with negative sampling on tokenised sentences, with
// gensim's semantics for every [Word2VecConfig] field (JSON names as gensim's arguments: sg, window
// with shrink_windows, min_count, max_final_vocab, sample, negative, ns_exponent, alpha → min_alpha
// decay, epochs) and the same vocabulary order. Batches of (center, context, negatives) are drawn on
// the host with a seeded generator; one compiled GoMLX graph gathers the rows involved, computes the
// loss and scatters the SGD updates back into the two tables in place. Same seed, same vectors on a
// given backend. Differences from gensim: an exact sigmoid instead of its lookup table, and updates
// summed per batch instead of applied pair by pair (see docs/embeddings.md for the measured agreement).
//
// # Neighbours and analogies
//
// [NewIndex] keeps the unit-normalised table on the backend; [Index.Neighbors], [Index.Analogy]
// (a − b + c, as gensim's most_similar(positive=[a, c], negative=[b])) and [Index.MostSimilar] answer
// many queries with one matrix product and top-k. [NeighborOverlap] measures how far two tables agree.
package embed
