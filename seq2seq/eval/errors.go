package eval

import "errors"

// Sentinel errors; the errors returned wrap one of them with what was wrong and where.
var (
	// ErrEmpty: no hypotheses, or no reference stream.
	ErrEmpty = errors.New("empty input")
	// ErrLengthMismatch: a reference stream does not have one segment per hypothesis. (sacreBLEU's Python API
	// silently truncates to the shortest stream; its command line refuses, as this package does.)
	ErrLengthMismatch = errors.New("streams of different lengths")
	// ErrBadOption: an unknown tokenizer or smoothing method, or a negative value or order.
	ErrBadOption = errors.New("bad option")
)
