// Package tailbuf keeps the last bytes written to it: the end of a tool's output, for error messages.
package tailbuf

// Buffer is an io.Writer that keeps the last Max bytes written (3000 when Max is 0).
type Buffer struct {
	Max int
	buf []byte
}

// Write appends p, dropping the oldest bytes beyond Max. It never fails.
func (t *Buffer) Write(p []byte) (int, error) {
	limit := t.Max
	if limit <= 0 {
		limit = 3000
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > limit {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-limit:]...)
	}
	return len(p), nil
}

// String returns the kept bytes.
func (t *Buffer) String() string { return string(t.buf) }
