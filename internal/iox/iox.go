// Package iox holds the reading helper the transport and the SCIM bridge
// share: io.ReadAll with its first buffer sized from a length the caller
// was told.
package iox

import "io"

// maxSizeHint bounds the buffer ReadAll allocates up front from a
// Content-Length, so that a peer announcing a large body it never sends
// cannot make the reader allocate it.
const maxSizeHint = 1 << 20

// ReadAll is io.ReadAll with a first buffer sized from the Content-Length
// (n, or -1 when unknown): one allocation for a body of known length,
// instead of the doublings and copies of io.ReadAll's 512-byte start.
func ReadAll(r io.Reader, n int64) ([]byte, error) {
	size := 512
	if n >= 0 && n < maxSizeHint {
		size = int(n) + 1 // room for the read that sees io.EOF
	}
	b := make([]byte, 0, size)
	for {
		k, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
