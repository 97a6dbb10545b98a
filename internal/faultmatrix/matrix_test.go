package faultmatrix

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

var update = flag.Bool("update", false, "rewrite the generated part of RELIABILITY.md")

// The settings of every cell: three attempts, waits of a few milliseconds.
// A Retry-After above maxDelay makes a call stop with ErrRateLimited; one
// of 0, or an HTTP date in the past, is waited (for nothing) and retried.
const (
	maxAttempts = 3
	maxDelay    = 10 * time.Millisecond
	// callTimeout bounds every call of the cells that test no timeout,
	// so that a hang fails the cell instead of the whole run.
	callTimeout = 20 * time.Second
	// shortTimeout is the client timeout of the timeout columns; the fake
	// holds those requests for holdFor, cut short when the client gives up.
	shortTimeout = 500 * time.Millisecond
	holdFor      = time.Minute
	// settleWindow is how long a Directory create looks for a user whose
	// create may still be in flight.
	settleWindow = 300 * time.Millisecond
	// responseCap is the client's response cap in the over-size column,
	// whose answers are padded by padding bytes.
	responseCap = 16 << 10
	padding     = 64 << 10
)

// refusedURL is a loopback address on which nothing can listen (port 0 is
// never bound), so every connection to it is refused. No running fake can
// refuse one request and accept the next, so the refused column points its
// client there, and counts the attempts by the dials its HTTP client makes.
const refusedURL = "http://127.0.0.1:0"

// client is the kind of client a fault needs.
type client int

const (
	plain client = iota
	shortTimeoutClient
	smallCapClient
	refusedClient
)

// faultCase is one column of the matrix.
type faultCase struct {
	id   string // the row label in the document
	desc string // how it is injected
	// after: the fault acts after the handler stored the change.
	after  bool
	client client
	// inject returns the fault for operation; nil for the refused column.
	inject func(operation string) usermgmttest.Fault
}

func faultCases() []faultCase {
	fail := func(status int, retryAfter func() string, times int) func(string) usermgmttest.Fault {
		return func(op string) usermgmttest.Fault {
			f := usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: op, Status: status, Times: times}
			if retryAfter != nil {
				f.RetryAfter = retryAfter()
			}
			return f
		}
	}
	const allAttempts = 1000
	seconds := func(s string) func() string { return func() string { return s } }
	date := func(d time.Duration) func() string {
		return func() string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	}
	return []faultCase{
		{id: "500", desc: "500 in the provider's error format, on the first attempt", inject: fail(500, nil, 1)},
		{id: "500 on every attempt", desc: "500 on every attempt", inject: fail(500, nil, allAttempts)},
		{id: "502", desc: "502 in the provider's error format, on the first attempt", inject: fail(502, nil, 1)},
		{id: "503, Retry-After: 0", desc: "503 with `Retry-After: 0` (seconds, waited)", inject: fail(503, seconds("0"), 1)},
		{id: "503, Retry-After: 3600", desc: "503 with `Retry-After: 3600` (seconds, above the policy's MaxDelay)", inject: fail(503, seconds("3600"), 1)},
		{id: "503, Retry-After: past date", desc: "503 with `Retry-After` an HTTP date an hour ago (no wait)", inject: fail(503, date(-time.Hour), 1)},
		{id: "503, Retry-After: date in 1 h", desc: "503 with `Retry-After` an HTTP date an hour ahead (above MaxDelay)", inject: fail(503, date(time.Hour), 1)},
		{id: "429", desc: "429 without Retry-After", inject: fail(429, nil, 1)},
		{id: "429, Retry-After: 3600", desc: "429 with `Retry-After: 3600` (above MaxDelay)", inject: fail(429, seconds("3600"), 1)},
		{id: "connection refused", desc: "the client points at a loopback port where nothing listens", client: refusedClient},
		{id: "reset before handling", desc: "the connection is reset before the handler runs (usermgmttest.DropBefore)",
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.DropBefore, Operation: op}
			}},
		{id: "HTML error page", desc: "502 `text/html` page, as a proxy sends, before the handler runs",
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: op, Status: 502, ContentType: "text/html; charset=utf-8",
					Body: []byte("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n")}
			}},
		{id: "server timeout", desc: "the fake holds the request before the handler runs, longer than the client's timeout (usermgmttest.Delay)",
			client: shortTimeoutClient,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Delay, Operation: op, Delay: holdFor}
			}},
		{id: "dropped after the write", desc: "the handler stores the change, then the connection is reset (usermgmttest.DropAfter)", after: true,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: op}
			}},
		{id: "500 after the write", desc: "the handler stores the change, then the answer is a 500 (usermgmttest.FailAfter)", after: true,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: op, Status: 500}
			}},
		{id: "timeout after the write", desc: "the handler stores the change, then the answer is held longer than the client's timeout (usermgmttest.DelayAfter)",
			after: true, client: shortTimeoutClient,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.DelayAfter, Operation: op, Delay: holdFor}
			}},
		{id: "truncated body", desc: "the handler's answer with a Content-Length 64 bytes larger than the half of the body sent (usermgmttest.Truncate)", after: true,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Truncate, Operation: op}
			}},
		{id: "malformed JSON", desc: "the handler's status with `{\"value\": [` as an `application/json` body (usermgmttest.Replace)", after: true,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Replace, Operation: op, ContentType: "application/json", Body: []byte(`{"value": [`)}
			}},
		{id: "wrong content type", desc: "the handler's answer labelled `text/plain` (usermgmttest.Replace)", after: true,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Replace, Operation: op, ContentType: "text/plain; charset=utf-8"}
			}},
		{id: "body over the cap", desc: fmt.Sprintf("the handler's answer followed by %d KiB of white space, to a client capped at %d KiB (usermgmttest.Pad)", padding>>10, responseCap>>10),
			after: true, client: smallCapClient,
			inject: func(op string) usermgmttest.Fault {
				return usermgmttest.Fault{Kind: usermgmttest.Pad, Operation: op, Padding: padding}
			}},
	}
}

// The rows of a provider: the four kinds, and the Directory create.
var rowNames = [...]string{"read", "create", "update", "delete", "create (Directory)"}

const dirRow = 4

// outcome is what one cell observed.
type outcome struct {
	na       string // the reason the cell is n/a
	err      error
	result   result
	attempts int    // requests of the operation the fake received (dials, when refused)
	method   string // the HTTP method of those requests
	lookups  int    // look-up requests of a Directory create
	applied  bool
	created  int // users with the new key at the end
	dups     int // creates handled after one was stored, without its idempotency key
}

// result is an error as the matrix classifies it.
type result struct {
	unknown bool   // matches usermgmt.ErrOutcomeUnknown
	kind    string // see the kind constants
	status  int    // the HTTP status of an *usermgmt.APIError
}

const (
	kOK          = "ok"
	kHTTP        = "HTTP"
	kRateLimited = "rate limited"
	kUnreadable  = "unreadable"
	kRefused     = "refused"
	kTimeout     = "timeout"
	kLost        = "connection lost"
	kOther       = "other"
)

func classify(err error) result {
	if err == nil {
		return result{kind: kOK}
	}
	r := result{unknown: errors.Is(err, usermgmt.ErrOutcomeUnknown)}
	var apiErr *usermgmt.APIError
	var opErr *net.OpError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode != 0:
		r.status = apiErr.StatusCode
		switch {
		case errors.Is(err, usermgmt.ErrRateLimited):
			r.kind = kRateLimited
		case apiErr.StatusCode >= 200 && apiErr.StatusCode <= 299:
			r.kind = kUnreadable
		default:
			r.kind = kHTTP
		}
	case errors.Is(err, context.DeadlineExceeded):
		r.kind = kTimeout
	case errors.As(err, &opErr) && opErr.Op == "dial":
		r.kind = kRefused
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.As(err, &opErr) && (opErr.Op == "read" || opErr.Op == "write"):
		r.kind = kLost
	default:
		r.kind = kOther
	}
	return r
}

func (r result) String() string {
	var s string
	switch r.kind {
	case kHTTP:
		s = fmt.Sprintf("HTTP %d", r.status)
	case kRateLimited:
		s = fmt.Sprintf("rate limited (%d)", r.status)
	case kUnreadable:
		s = fmt.Sprintf("unreadable %d answer", r.status)
	default:
		s = r.kind
	}
	if r.unknown {
		s = "unknown: " + s
	}
	return s
}

// dialCounter makes HTTP clients that count their dials.
type dialCounter struct{ n atomic.Int64 }

func (d *dialCounter) client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var dialer net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		d.n.Add(1)
		return dialer.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// run runs one cell: row of subject s against fault fc, on a fresh fake.
func run(t *testing.T, s subject, row int, fc faultCase) outcome {
	sp := s.directory
	if row < dirRow {
		sp = s.kinds[row]
	}
	if sp.reason != "" {
		return outcome{na: sp.reason}
	}
	cfg := clientConfig{opts: []usermgmt.Option{
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: maxAttempts, BaseDelay: time.Millisecond, MaxDelay: maxDelay}),
		usermgmt.WithTimeout(callTimeout),
	}}
	var dials dialCounter
	switch fc.client {
	case shortTimeoutClient:
		cfg.opts = append(cfg.opts, usermgmt.WithTimeout(shortTimeout))
	case smallCapClient:
		cfg.opts = append(cfg.opts, usermgmt.WithMaxResponseBytes(responseCap))
	case refusedClient:
		cfg.url = refusedURL
		cfg.opts = append(cfg.opts, usermgmt.WithHTTPClient(dials.client()))
	}
	e := s.start(t, cfg)
	call := e.dirCreate
	var applied func() bool
	if row < dirRow {
		call, applied = e.ops[row], e.applied[row]
	} else {
		applied = func() bool { return e.created() > 0 }
	}
	before := e.state()
	if fc.inject != nil {
		e.srv.Inject(fc.inject(sp.operation))
	}
	err := call(context.Background())
	idle, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.Idle(idle); err != nil {
		t.Fatalf("the fake is still serving a request: %v", err)
	}
	o := outcome{err: err, result: classify(err), applied: applied(), created: e.created()}
	reqs := e.srv.Requests()
	for _, r := range reqs {
		switch r.Operation {
		case sp.operation:
			o.attempts++
			o.method = r.Method
		case s.lookup:
			o.lookups++
		}
	}
	if fc.client == refusedClient {
		o.attempts = int(dials.n.Load())
	}
	if row == 0 {
		if after := e.state(); after != before {
			t.Errorf("a read changed the fake:\nbefore %s\nafter  %s", before, after)
		}
		o.applied = false
	}
	if row == 1 || row == dirRow {
		o.dups = duplicates(reqs, sp.operation, s.key)
	}
	return o
}

// duplicates counts the create requests the handler saw after the first one,
// which stored the user (every create of the matrix is valid), except those
// that carried the same idempotency key: a server without one would have
// stored a second user for each.
func duplicates(reqs []usermgmttest.Request, operation string, key func(usermgmttest.Request) string) int {
	n, first, firstKey := 0, true, ""
	for _, r := range reqs {
		if r.Operation != operation || !r.Handled {
			continue
		}
		if first {
			first, firstKey = false, key(r)
			continue
		}
		if k := key(r); k == "" || k != firstKey {
			n++
		}
	}
	return n
}

// want is the outcome the retry rules predict for a cell: how many attempts
// and which result, and whether the change is stored.
type want struct {
	attempts int
	result   result
	applied  bool
}

// expect returns the outcome the rules predict for a call of class c against
// fc. ignoresBody is set for calls that do not read a successful answer's
// body (genericusr's and bss's deletes).
func expect(fc faultCase, c class, write, ignoresBody bool) want {
	ok := want{attempts: 1, result: result{kind: kOK}, applied: write}
	retried := ok
	retried.attempts = 2
	// A failed write reports an unknown outcome unless the failure proves
	// the server never took the request: a refused connection, or a 429.
	fails := func(attempts int, kind string, status int, applied bool) want {
		neverTaken := kind == kRefused || (kind == kRateLimited && status == 429)
		return want{attempts: attempts, result: result{unknown: write && !neverTaken, kind: kind, status: status}, applied: applied && write}
	}
	switch fc.id {
	case "500", "502", "503, Retry-After: 0", "503, Retry-After: past date", "HTML error page":
		status := map[string]int{"500": 500, "HTML error page": 502, "502": 502}[fc.id]
		if status == 0 {
			status = 503
		}
		if c == once {
			return fails(1, kHTTP, status, false)
		}
		return retried
	case "500 on every attempt":
		if c == once {
			return fails(1, kHTTP, 500, false)
		}
		return fails(maxAttempts, kHTTP, 500, false)
	case "503, Retry-After: 3600", "503, Retry-After: date in 1 h":
		return fails(1, kRateLimited, 503, false)
	case "429":
		return retried
	case "429, Retry-After: 3600":
		return fails(1, kRateLimited, 429, false)
	case "connection refused":
		return fails(maxAttempts, kRefused, 0, false)
	case "reset before handling":
		if c == once {
			return fails(1, kLost, 0, false)
		}
		return retried
	case "server timeout":
		return fails(1, kTimeout, 0, false)
	case "dropped after the write":
		if c == once {
			return fails(1, kLost, 0, true)
		}
		return retried
	case "500 after the write":
		if c == once {
			return fails(1, kHTTP, 500, true)
		}
		return retried
	case "timeout after the write":
		return fails(1, kTimeout, 0, true)
	case "truncated body", "body over the cap":
		return fails(1, kUnreadable, 0, true)
	case "malformed JSON":
		if ignoresBody {
			return ok
		}
		return fails(1, kUnreadable, 0, true)
	case "wrong content type":
		return ok
	}
	panic("no rule for fault " + fc.id)
}

// expectDirectory returns the result the rules predict for a Directory
// create: it settles every unknown outcome with a look-up, so it succeeds
// unless the create is refused outright, the server asks for a wait above
// the policy's, or every attempt fails. Without an idempotency key, a
// create that got no answer of the server's own (a timeout, a reset, a
// gateway's 502) may still be in flight: a look-up that finds nothing
// within the settle window proves nothing, so the outcome stays unknown and
// nothing is resent.
func expectDirectory(fc faultCase, keyed bool) result {
	if !keyed {
		switch fc.id {
		case "reset before handling":
			return result{unknown: true, kind: kLost}
		case "HTML error page", "502":
			return result{unknown: true, kind: kHTTP, status: 502}
		case "server timeout":
			return result{unknown: true, kind: kTimeout}
		}
	}
	switch fc.id {
	case "connection refused":
		return result{kind: kRefused}
	case "429, Retry-After: 3600":
		return result{kind: kRateLimited, status: 429}
	case "503, Retry-After: 3600", "503, Retry-After: date in 1 h":
		return result{unknown: true, kind: kRateLimited, status: 503}
	case "500 on every attempt":
		return result{unknown: true, kind: kHTTP, status: 500}
	}
	return result{kind: kOK}
}

// ignoresBody lists the calls that do not read a successful answer's body.
var ignoresBody = map[string]bool{"genericusr deleteUser": true, "bss deleteUserById": true}

// tally counts what the matrix found across all cells.
type tally struct {
	cells, na, runs, dirRuns int
	dups, lost, unreported   int
}

func TestFaultMatrix(t *testing.T) {
	subs, faults := subjects(), faultCases()
	results := make([][][]outcome, len(subs)) // [subject][row][fault]
	var mu sync.Mutex
	for i := range subs {
		results[i] = make([][]outcome, len(rowNames))
		for r := range rowNames {
			results[i][r] = make([]outcome, len(faults))
		}
	}
	var tl tally
	t.Run("cells", func(t *testing.T) {
		for i, s := range subs {
			for r := range rowNames {
				for f, fc := range faults {
					t.Run(fmt.Sprintf("%s/%s/%s", s.name, rowNames[r], fc.id), func(t *testing.T) {
						t.Parallel()
						o := run(t, s, r, fc)
						mu.Lock()
						results[i][r][f] = o
						mu.Unlock()
						if o.na != "" {
							return
						}
						checkCell(t, s, r, fc, o)
					})
				}
			}
		}
	})
	if t.Failed() {
		return
	}
	for i := range subs {
		for r := range rowNames {
			for f := range faults {
				o := results[i][r][f]
				if r < dirRow {
					tl.cells++
				}
				switch {
				case o.na != "":
					tl.na++
					continue
				case r < dirRow:
					tl.runs++
				default:
					tl.dirRuns++
				}
				if r > 0 {
					if o.err == nil && !o.applied {
						tl.lost++
					}
					if o.err != nil && !o.result.unknown && o.applied {
						tl.unreported++
					}
				}
				tl.dups += o.dups
				if o.created > 1 {
					tl.dups += o.created - 1
				}
			}
		}
	}
	doc := render(subs, faults, results, tl)
	compareOrUpdate(t, doc)
}

// checkCell asserts the guarantees and the retry rules for one cell.
func checkCell(t *testing.T, s subject, row int, fc faultCase, o outcome) {
	t.Helper()
	if o.result.kind == kOther {
		t.Fatalf("unexpected error: %v", o.err)
	}
	write := row > 0
	// The guarantees, whatever the rules.
	if write && o.err == nil && !o.applied {
		t.Errorf("lost acknowledged write: the call succeeded but the change is not in the fake")
	}
	if write && o.err != nil && !o.result.unknown && o.applied {
		t.Errorf("unreported write: the call failed with %v, which does not match ErrOutcomeUnknown, but the change is in the fake", o.err)
	}
	if o.dups != 0 || o.created > 1 {
		t.Errorf("duplicate create: %d create requests reached the handler after the user was stored; %d users with the key", o.dups, o.created)
	}
	// The rules.
	if row == dirRow {
		if w := expectDirectory(fc, s.directory.class == idempotent); o.result.unknown != w.unknown || o.result.kind != w.kind || (w.status != 0 && o.result.status != w.status) {
			t.Errorf("Directory create = %v (%v), want %v", o.result, o.err, w)
		}
		if o.settling() && (o.attempts != 1 || o.lookups < 1) {
			t.Errorf("a create that may be in flight: %d sent, %d look-ups; want it sent once and looked for", o.attempts, o.lookups)
		}
		return
	}
	sp := s.kinds[row]
	w := expect(fc, sp.class, write, ignoresBody[s.name+" "+sp.operation])
	if o.attempts != w.attempts {
		t.Errorf("attempts = %d, want %d", o.attempts, w.attempts)
	}
	if o.result.unknown != w.result.unknown || o.result.kind != w.result.kind || (w.result.status != 0 && o.result.status != w.result.status) {
		t.Errorf("result = %v (%v), want %v", o.result, o.err, w.result)
	}
	if o.applied != w.applied {
		t.Errorf("change stored = %v, want %v", o.applied, w.applied)
	}
}

// settling reports whether a Directory create ended by looking for its user
// for the settle window, without resending: a create whose request may
// still be in flight.
func (o outcome) settling() bool {
	return o.result.unknown && o.err != nil && strings.Contains(o.err.Error(), "not resent: the request may still be in flight")
}

// cell renders an outcome for the document.
func (o outcome) cell(row int) string {
	if o.na != "" {
		return "n/a"
	}
	s := o.result.String()
	switch {
	case row == dirRow && o.settling():
		// How many look-ups fit in the settle window depends on how fast
		// each is: the count is not part of the document.
		s += fmt.Sprintf(" · %d+w", o.attempts)
	case row == dirRow:
		s += fmt.Sprintf(" · %d+%d", o.attempts, o.lookups)
	default:
		s += fmt.Sprintf(" · %d", o.attempts)
	}
	if row > 0 && o.err != nil {
		if o.applied {
			s += " · stored"
		} else {
			s += " · not stored"
		}
	}
	return s
}

func render(subs []subject, faults []faultCase, results [][][]outcome, tl tally) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("### Summary\n\n")
	p("- Cells: %d providers × %d kinds × %d faults = **%d** (%d n/a), plus %d creates through the Directory adapters: %d runs in all.\n",
		len(subs), len(rowNames)-1, len(faults), tl.cells, tl.na, tl.dirRuns, tl.runs+tl.dirRuns)
	p("- Duplicate creates: **%d**. Lost acknowledged writes: **%d**. Unreported writes: **%d**.\n", tl.dups, tl.lost, tl.unreported)
	p("- Retry policy of every cell: %d attempts, %s base delay, %s MaxDelay; client timeout %s in the timeout rows; response cap %d KiB in the over-size row.\n\n",
		maxAttempts, time.Millisecond, maxDelay, shortTimeout, responseCap>>10)

	p("### Operations\n\n")
	p("| kind |")
	for _, s := range subs {
		p(" %s |", s.name)
	}
	p("\n|---|")
	for range subs {
		p("---|")
	}
	p("\n")
	for r, name := range rowNames {
		p("| %s |", name)
		for i, s := range subs {
			sp, lookup := s.directory, s.lookup
			if r < dirRow {
				sp, lookup = s.kinds[r], ""
			}
			method := ""
			for _, o := range results[i][r] {
				if o.method != "" {
					method = o.method
				}
			}
			p(" %s |", sp.describe(method, lookup))
		}
		p("\n")
	}
	p("\n### Faults\n\n| fault | acts | how |\n|---|---|---|\n")
	for _, fc := range faults {
		acts := "before the handler"
		if fc.after {
			acts = "after the handler stored the change"
		}
		if fc.client == refusedClient {
			acts = "no connection"
		}
		p("| %s | %s | %s |\n", fc.id, acts, fc.desc)
	}
	for r, name := range rowNames {
		p("\n### %s\n\n| fault |", name)
		for _, s := range subs {
			p(" %s |", s.name)
		}
		p("\n|---|")
		for range subs {
			p("---|")
		}
		p("\n")
		for f, fc := range faults {
			p("| %s |", fc.id)
			for i := range subs {
				p(" %s |", results[i][r][f].cell(r))
			}
			p("\n")
		}
	}
	return b.String()
}

// The generated part of RELIABILITY.md sits between these markers.
const (
	beginMarker = "<!-- BEGIN fault matrix: generated by `go test ./internal/faultmatrix -update`; do not edit -->\n"
	endMarker   = "<!-- END fault matrix -->\n"
)

func compareOrUpdate(t *testing.T, generated string) {
	path := filepath.Join("..", "..", "RELIABILITY.md")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the document: %v", err)
	}
	i := bytes.Index(old, []byte(beginMarker))
	j := bytes.Index(old, []byte(endMarker))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q and %q", path, beginMarker, endMarker)
	}
	next := string(old[:i+len(beginMarker)]) + "\n" + generated + "\n" + string(old[j:])
	if next == string(old) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(next), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date: run go test ./internal/faultmatrix -update\n%s", path, firstDifference(string(old), next))
}

// firstDifference shows the first line that differs.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  document: %s\n  test:     %s", i+1, x, y)
		}
	}
	return ""
}
