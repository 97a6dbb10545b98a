package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

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

// BenchmarkWireCountHooks measures what counting the requests on the wire
// costs net/http over a loopback round trip: the same GET to the same
// server, with the httptrace hooks of a wireCount and without any trace,
// alternating (the first of a pair changes each iteration). It reports the
// mean extra time of a traced call and the ratio of the two.
func BenchmarkWireCountHooks(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":"1","email":"ada@example.com","active":true}`))
	}))
	b.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	get := func(traced bool) {
		ctx := context.Background()
		if traced {
			ds := &doState{}
			ds.wire.attempts.Store(1)
			ds.wire.max = 4
			ds.wire.hooks(&ds.trace)
			ctx = httptrace.WithClientTrace(ctx, &ds.trace)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		if err != nil {
			b.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	get(false)
	var plain, traced time.Duration
	for i := 0; b.Loop(); i++ {
		for j := range 2 {
			withTrace := (i+j)%2 == 1
			start := time.Now()
			get(withTrace)
			if withTrace {
				traced += time.Since(start)
			} else {
				plain += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(traced-plain)/float64(b.N), "extra-ns/call")
	b.ReportMetric(float64(traced)/float64(plain), "traced/plain")
}
