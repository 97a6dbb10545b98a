// Package benchkit holds the fixtures the SDK's benchmarks share: a
// canned-answer loopback server, the HTTP client a hand-written baseline
// uses, a probe that measures what the server alone costs per request, a
// heap sampler, and a sliding-window counter. It is used only by
// benchmarks; BENCHMARKS.md at the repository root describes the method.
package benchkit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Route is one canned answer of a Canned server: every request with
// Method and Path gets Status, the Content-Type application/json and Body.
type Route struct {
	Method, Path string
	Status       int
	Body         []byte
}

// Canned starts a loopback server that answers each route with its fixed
// body, and 404 to anything else. It reads and discards request bodies. It
// does as little as net/http allows, so that what a benchmark measures is
// the client. The server is closed when tb's test ends.
func Canned(tb testing.TB, routes ...Route) *httptest.Server {
	tb.Helper()
	type answer struct {
		Route
		length []string
	}
	answers := make([]answer, len(routes))
	for i, r := range routes {
		if r.Status == 0 {
			r.Status = http.StatusOK
		}
		answers[i] = answer{Route: r, length: []string{strconv.Itoa(len(r.Body))}}
	}
	jsonType := []string{"application/json"} // shared by the answers: net/http only reads it
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for i := range answers {
			a := &answers[i]
			if a.Method == r.Method && a.Path == r.URL.Path {
				h := w.Header()
				h["Content-Type"] = jsonType
				h["Content-Length"] = a.length
				w.WriteHeader(a.Status)
				_, _ = w.Write(a.Body)
				return
			}
		}
		http.NotFound(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// HTTPClient returns an HTTP client with a connection pool of its own (a
// clone of http.DefaultTransport, as a hand-written client would use), for
// a baseline or a generated client. Its idle connections are closed when
// tb's test ends.
func HTTPClient(tb testing.TB) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tb.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// Loop runs op in a b.Loop with allocations reported, failing the benchmark
// at the first error.
func Loop(b *testing.B, op func(ctx context.Context) error) {
	b.Helper()
	ctx := context.Background()
	if err := op(ctx); err != nil { // warm the connection up, and fail early
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := op(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// Variant is one way of making the call that a benchmark measures: the
// hand-written baseline, the generated client, the hand-written client or
// the facade.
type Variant struct {
	Name string
	Op   func(ctx context.Context) error
}

// Calls runs a sub-benchmark per variant, each alone (ns/op, B/op,
// allocs/op), then one named "paired" that makes the calls of every
// variant in turn, one of each per iteration, timing each. Alternating
// them makes any slow spell of a shared machine fall on all of them alike;
// it reports each variant's mean time ("<name>-ns") and its ratio to the
// first variant's ("<name>/<first>"), the steadier figure for comparing
// times.
func Calls(b *testing.B, variants []Variant) {
	b.Helper()
	for _, v := range variants {
		b.Run(v.Name, func(b *testing.B) { Loop(b, v.Op) })
	}
	b.Run("paired", func(b *testing.B) { Paired(b, variants) })
}

// Paired is the "paired" benchmark of Calls: each iteration makes one call
// of every variant, in turn, timing each. The turn starts one variant
// further each iteration, so that every variant runs in every position
// equally often: a call's time depends on the calls around it (what is
// still cached, which call pays for the garbage collection the others'
// allocations bring on), and a fixed order charges that to the same
// variant every time. Two identical calls timed in a fixed order differed
// by a median 2.4 % here; rotated, by 1.2 %.
func Paired(b *testing.B, variants []Variant) {
	b.Helper()
	ctx := context.Background()
	sums := make([]time.Duration, len(variants))
	for _, v := range variants {
		if err := v.Op(ctx); err != nil {
			b.Fatal(err)
		}
	}
	n := len(variants)
	for first := 0; b.Loop(); first = (first + 1) % n {
		for j := range n {
			i := (first + j) % n
			start := time.Now()
			if err := variants[i].Op(ctx); err != nil {
				b.Fatal(err)
			}
			sums[i] += time.Since(start)
		}
	}
	for i, v := range variants {
		b.ReportMetric(float64(sums[i].Nanoseconds())/float64(b.N), v.Name+"-ns")
		if i > 0 && sums[0] > 0 {
			b.ReportMetric(float64(sums[i])/float64(sums[0]), v.Name+"/"+variants[0].Name)
		}
	}
}

// ServerOnly measures what the server of srv costs per request on its own:
// it writes the bytes that net/http would send for req over one kept-alive
// connection and reads each answer into a reused buffer, allocating
// nothing itself. Every allocation it reports is the server's (net/http's
// and the handler's); subtracting them from a client benchmark against the
// same server leaves the client's own.
func ServerOnly(b *testing.B, srv *httptest.Server, req *http.Request) {
	b.Helper()
	raw, err := httputil.DumpRequestOut(req, true)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReaderSize(conn, 64<<10)
	roundTrip := func() error {
		if _, err := conn.Write(raw); err != nil {
			return err
		}
		return discardResponse(br)
	}
	if err := roundTrip(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := roundTrip(); err != nil {
			b.Fatal(err)
		}
	}
}

var errNoLength = errors.New("benchkit: answer without Content-Length")

const contentLength = "content-length:"

// discardResponse reads one HTTP/1.1 response with a Content-Length from br
// without allocating.
func discardResponse(br *bufio.Reader) error {
	n := -1
	first := true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if first {
			if !bytes.HasPrefix(line, []byte("HTTP/1.1 2")) {
				return fmt.Errorf("benchkit: unexpected status line %q", bytes.TrimSpace(line))
			}
			first = false
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		if len(line) > len(contentLength) && strings.EqualFold(string(line[:len(contentLength)]), contentLength) {
			n = 0
			for _, c := range bytes.TrimSpace(line[len(contentLength):]) {
				n = n*10 + int(c-'0')
			}
		}
	}
	if n < 0 {
		return errNoLength
	}
	_, err := br.Discard(n)
	return err
}

// HeapSampler records the heap at chosen moments (page boundaries): the
// heap in use just before a forced garbage collection, which bounds from
// above what was live at any moment since the previous sample, and the
// heap still live just after it. It is not safe for concurrent use; call
// Sample from one goroutine at a time.
type HeapSampler struct {
	// Samples is how many times Sample ran.
	Samples int
	// PeakHeap is the largest HeapAlloc seen just before a collection:
	// what was retained plus everything allocated since the previous
	// sample.
	PeakHeap uint64
	// PeakLive is the largest HeapAlloc seen just after a collection: what
	// was retained at a sample point.
	PeakLive uint64
}

// Begin collects garbage, so that the first Sample sees only what was
// allocated after it, not the leftovers of earlier work.
func (s *HeapSampler) Begin() { runtime.GC() }

// Sample forces a garbage collection and records the heap before and
// after it.
func (s *HeapSampler) Sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.PeakHeap = max(s.PeakHeap, m.HeapAlloc)
	runtime.GC()
	runtime.ReadMemStats(&m)
	s.PeakLive = max(s.PeakLive, m.HeapAlloc)
	s.Samples++
}

// Report adds the peaks to b's results as "peak-heap-B" and
// "peak-live-B".
func (s *HeapSampler) Report(b *testing.B) {
	b.ReportMetric(float64(s.PeakHeap), "peak-heap-B")
	b.ReportMetric(float64(s.PeakLive), "peak-live-B")
}

// MaxInWindow returns the largest number of times that fall in any
// half-open window [t, t+w) of length w. times need not be sorted.
func MaxInWindow(times []time.Time, w time.Duration) int {
	ts := slices.Clone(times)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
