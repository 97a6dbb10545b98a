package iox

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"testing"
	"testing/iotest"
)

// TestReadAllMatchesIOReadAll checks that reading a body with a buffer
// sized from its Content-Length gives what io.ReadAll gives, whether the
// length is right, unknown, too small, too large or beyond the size hint.
func TestReadAllMatchesIOReadAll(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 1, 511, 512, 513, 40 << 10, maxSizeHint + 3} {
		body := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		for _, announced := range []int64{-1, 0, int64(size), int64(size) / 2, int64(size) + 100, maxSizeHint * 4} {
			for name, r := range map[string]io.Reader{
				"whole":    bytes.NewReader(body),
				"one byte": iotest.OneByteReader(bytes.NewReader(body)),
			} {
				got, err := ReadAll(r, announced)
				if err != nil || !bytes.Equal(got, body) {
					t.Errorf("size %d, Content-Length %d, %s: got %d bytes, %v; want %d bytes", size, announced, name, len(got), err, size)
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := ReadAll(iotest.ErrReader(boom), 10); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

// BenchmarkReadBody compares reading a 40 KiB page (100 users) with
// io.ReadAll and with readAll given the Content-Length.
func BenchmarkReadBody(b *testing.B) {
	page := bytes.Repeat([]byte("x"), 40<<10)
	for _, c := range []struct {
		name string
		read func(io.Reader) ([]byte, error)
	}{
		{"io.ReadAll", io.ReadAll},
		{"sized", func(r io.Reader) ([]byte, error) { return ReadAll(r, int64(len(page))) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				got, err := c.read(bytes.NewReader(page))
				if err != nil || len(got) != len(page) {
					b.Fatal(strconv.Itoa(len(got)), err)
				}
			}
		})
	}
}
