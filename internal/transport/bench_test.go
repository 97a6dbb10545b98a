package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/usermgmt-go/sdk/usermgmt"
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
				got, err := readAll(r, announced)
				if err != nil || !bytes.Equal(got, body) {
					t.Errorf("size %d, Content-Length %d, %s: got %d bytes, %v; want %d bytes", size, announced, name, len(got), err, size)
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readAll(iotest.ErrReader(boom), 10); !errors.Is(err, boom) {
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
		{"sized", func(r io.Reader) ([]byte, error) { return readAll(r, int64(len(page))) }},
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

// BenchmarkScrub measures scrubbing a 1 KiB error message of five
// secrets, whose patterns are built once, as a call builds them.
func BenchmarkScrub(b *testing.B) {
	ps := compile([]string{`pa"ss\wo<r>d &x 12'`, "CANARY-token-aa11", "Bearer abcdef123456", "another-secret-value", "k3y"})
	msg := string(bytes.Repeat([]byte(`validation failed: field "name" is <required> & 100% \ok; `), 18))
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if redact(msg, false, ps) != msg {
			b.Fatal("changed")
		}
	}
}

// cannedRT answers every request at once with a 200 and body, without a
// network: what remains of a call is the client's own work.
type cannedRT []byte

func (b cannedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(b)),
		Body: io.NopCloser(bytes.NewReader(b)), Request: r}, nil
}

// BenchmarkDo measures what the transport adds to a call (call state,
// wire counting, timeout, retry wrapper, size cap, reading) over net/http's
// Client.Do and io.ReadAll, with a RoundTripper that answers at once.
func BenchmarkDo(b *testing.B) {
	body := []byte(`{"id":"1","email":"ada@example.com","active":true}`)
	hc := &http.Client{Transport: cannedRT(body)}
	opts, err := usermgmt.NewOptions(usermgmt.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	c := New(Config{Provider: "bench", Options: opts, Secrets: []string{"bench-secret-0123"}})
	newReq := func(ctx context.Context) *http.Request {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.example.com/v1/users/1", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer bench-secret-0123")
		return req
	}
	b.Run("net/http", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := hc.Do(newReq(context.Background()))
			if err != nil {
				b.Fatal(err)
			}
			data, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil || len(data) != len(body) {
				b.Fatal(err)
			}
		}
	})
	b.Run("transport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ctx := WithCall(context.Background(), "getUser", ReadOnly)
			resp, err := c.Do(newReq(ctx))
			if err != nil {
				b.Fatal(err)
			}
			data, err := c.Read(ctx, resp, nil)
			if err != nil || len(data) != len(body) {
				b.Fatal(err)
			}
		}
	})
}
