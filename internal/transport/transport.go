// Package transport is the HTTP machinery every provider client shares: one
// go-retryablehttp client per provider client, a per-request retry decision
// carried in the request's context, capped full-jitter backoff, Retry-After
// in both of its forms, a response-size cap, a default call timeout, typed
// errors, and debug logging with a header allow-list.
//
// A generated oapi-codegen client sends through (*Client).Do, which
// satisfies its HttpRequestDoer interface.
package transport

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Config describes the provider a Client serves.
type Config struct {
	// Provider is the provider package's name, e.g. "syncari".
	Provider string
	// Options are the caller's settings.
	Options usermgmt.Options
	// LogHeaders are headers of this provider that may be logged, added to
	// the default allow-list and the caller's.
	LogHeaders []string
	// Secrets are credential values that must never appear in an error
	// message or a log record, even when a server echoes them, in any
	// encoding (JSON- or HTML-escaped, percent-encoded, base64).
	Secrets []string
	// Wait, when set, maps each computed wait to the wait actually slept.
	// Tests use it to observe waits without sleeping them.
	Wait func(time.Duration) time.Duration
}

// The shortest secrets scrubbed from error messages. A known secret (a
// configured credential, a password a call sends, the password of a Basic
// credential) is scrubbed from three characters on; a header value that is
// only presumed secret (it is off the logging allow-list) from six, so that
// ordinary words of a message are not mangled ("t" out of "text").
const (
	minKnownSecretLen = 3
	minSecretLen      = 6
)

// Client sends requests with retries. It is safe for concurrent use.
type Client struct {
	provider  string
	rc        *retryablehttp.Client
	http      *http.Client
	policy    usermgmt.RetryPolicy
	logger    *slog.Logger
	userAgent string
	// uaHeader is userAgent as a header value, built once and shared by
	// every request: nothing in a request's life writes into it.
	uaHeader []string
	timeout  time.Duration
	maxBody  int64
	logged   map[string]bool
	// secrets sit behind a pointer: fmt prints a pointer met inside a
	// value as an address, never what it points to, so that no way of
	// printing a value holding a Client (even with a verb such as %q or %s,
	// which fmt answers by dumping the struct) can show them.
	secrets *secretList
	wait    func(time.Duration) time.Duration
	// tel is nil unless the options set a tracer provider, a meter
	// provider or a propagator.
	tel *telemetry
	// causeKey is what context.Cause looks up (see boundCtx).
	causeKey any
}

// secretList holds the secrets a Client was configured with, and their
// patterns, built once.
type secretList struct {
	values   []string
	patterns patterns
}

var defaultLogHeaders = []string{
	"Accept", "Content-Type", "Content-Length", "User-Agent", "Retry-After", "Date",
	"X-Request-Id", "X-Correlation-Id", "Location",
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	o := cfg.Options
	hc := o.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// One client serves every call to one host, often many at once
		// (usermgmt.Provision runs calls concurrently): keep as many idle
		// connections to that host as the pool holds in all, instead of
		// net/http's default of 2, so that concurrent calls reuse
		// connections rather than open (and handshake) new ones.
		tr.MaxIdleConnsPerHost = tr.MaxIdleConns
		hc = &http.Client{
			Transport:     tr,
			CheckRedirect: sameHostRedirects,
		}
	} else {
		hc = guardRedirects(hc)
	}
	c := &Client{
		provider:  cfg.Provider,
		http:      hc,
		policy:    o.Retry,
		logger:    o.Logger,
		userAgent: "usermgmt-go/" + usermgmt.Version + " " + cfg.Provider,
		timeout:   o.Timeout,
		maxBody:   o.MaxResponseBytes,
		logged:    map[string]bool{},
		secrets:   &secretList{},
		wait:      cfg.Wait,
		tel:       newTelemetry(o),
		causeKey:  causeKeyOf(),
	}
	if o.UserAgent != "" {
		c.userAgent += " " + o.UserAgent
	}
	c.uaHeader = []string{c.userAgent}
	for _, list := range [][]string{defaultLogHeaders, cfg.LogHeaders, o.LogHeaders} {
		for _, h := range list {
			c.logged[http.CanonicalHeaderKey(h)] = true
		}
	}
	for _, s := range cfg.Secrets {
		// A very short secret would scrub ordinary words from messages
		// ("t" out of "text"); such a secret is weak anyway.
		if len(s) >= minKnownSecretLen {
			c.secrets.values = append(c.secrets.values, s)
		}
	}
	c.secrets.patterns = compile(c.secrets.values)
	c.rc = &retryablehttp.Client{
		HTTPClient: keepIdleConnections(hc, c),
		Logger:     nil, // go-retryablehttp's own logging writes URLs to stderr; we log ourselves
		// checkRetry decides, counts attempts, logs and waits: it alone
		// sees the call, the answer and the wire count together.
		RetryMax:     math.MaxInt32,
		CheckRetry:   c.checkRetry,
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: rewindBody,
	}
	return c
}

// rewindBody gives a resent request a fresh body from its GetBody. Do hands
// go-retryablehttp a request whose body net/http can recreate without
// letting it read the body into a copy of its own first; go-retryablehttp
// calls rewindBody before every attempt after the first.
func rewindBody(req *http.Request) error {
	if !rewindable(req) {
		return nil
	}
	body, err := req.GetBody()
	if err != nil {
		return err
	}
	req.Body = body
	return nil
}

// Provider returns the provider name the client was made for.
func (c *Client) Provider() string { return c.provider }

// sameHostRedirects is the redirect policy of the SDK's own HTTP client:
// follow a redirect only to the same scheme and host, so that no header a
// provider needs for authentication can reach another host.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return refuseOtherHost(req, via)
}

// refuseOtherHost refuses a redirect to a scheme or host other than the
// one the first request went to. Go's client drops Authorization on such a
// redirect, but not other headers, and a 307 or 308 resends the body, which
// carries the credentials of some APIs (DBSync's).
func refuseOtherHost(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
		return fmt.Errorf("refusing redirect from %s://%s to %s://%s: credentials are only sent to the configured host",
			first.Scheme, first.Host, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// keepIdleConnections returns a copy of hc whose Transport does not pass
// CloseIdleConnections on: go-retryablehttp calls it whenever a call fails
// or is cancelled, which would drop the idle connections of every other
// call sharing the pool (the caller's whole *http.Client, or every worker
// of a bulk run).
//
// When c traces or propagates trace context, each request it sends also
// carries the span of its attempt (see attemptRequest).
func keepIdleConnections(hc *http.Client, c *Client) *http.Client {
	cp := *hc
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	r := roundTripOnly{rt: rt}
	if c.tel != nil && (c.tel.tracer != nil || c.tel.prop != nil) {
		r.c = c
	}
	cp.Transport = r
	return &cp
}

// roundTripOnly hides every method of a RoundTripper but RoundTrip.
type roundTripOnly struct {
	rt http.RoundTripper
	c  *Client // set when requests carry their attempt's span
}

func (r roundTripOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.c != nil {
		req = r.c.attemptRequest(req)
	}
	return r.rt.RoundTrip(req)
}

// guardRedirects returns a copy of the caller's client whose CheckRedirect
// refuses a redirect to another scheme or host, then defers to the caller's
// CheckRedirect (or Go's default of 10 redirects). The caller's client is
// not modified; the copy shares its Transport, Jar and Timeout.
func guardRedirects(hc *http.Client) *http.Client {
	cp := *hc
	next := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := refuseOtherHost(req, via); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// Idempotency says whether a request may be sent more than once.
type Idempotency int

const (
	// ByMethod decides by HTTP method: GET, HEAD, OPTIONS, PUT and DELETE
	// are idempotent, POST and PATCH are not.
	ByMethod Idempotency = iota
	// Idempotent marks a request whose repetition has the effect of one:
	// a read sent as POST, or a request protected by an idempotency key.
	Idempotent
	// NotIdempotent marks a request that must not be resent when its outcome
	// is unknown: a create without a key.
	NotIdempotent
	// ReadOnly marks a request that changes nothing on the server whatever
	// its method, e.g. a search sent as POST: it is retried like a GET and
	// its failures never report an unknown outcome.
	ReadOnly
	// IdempotentWrite marks a request that changes state whatever its
	// method, and whose repetition has the effect of one, e.g. a GET that
	// deactivates a user: it is retried like Idempotent, and its failures
	// report an unknown outcome like those of any other write.
	IdempotentWrite
)

type callKey struct{}

type call struct {
	op          string
	idempotency Idempotency
	// applied is shared by every copy of the call: whether any attempt may
	// have been applied without an answer saying so (see MaybeApplied).
	applied *atomic.Bool
	// secrets is shared by every copy of the call too: the credential values
	// it sent (see AddSecrets and recordSecrets).
	secrets *secretSet
	// set by the transport while the call runs
	method string
	path   string      // the URL path, for the log
	header http.Header // the request's headers, for the log
	// attempts counts the attempts checkRetry has seen; wire counts the
	// requests net/http resent on its own within them (see wireCount).
	// (An int32 beside the two bools: the struct stays within 128 bytes.)
	attempts     int32
	idempotent   bool
	maybeApplied bool
	wire         *wireCount
	// attemptStart is when the current attempt began (set only when the
	// client logs: the log alone reads it).
	attemptStart time.Time
	// tel is the call's telemetry, nil when the client records none.
	tel *callTel
}

// changesState reports whether the call may change state on the server:
// every method but GET, HEAD and OPTIONS, and any call marked NotIdempotent
// or IdempotentWrite. Only such calls can end with an unknown outcome worth
// reporting.
func (c *call) changesState() bool {
	switch c.idempotency {
	case NotIdempotent, IdempotentWrite:
		return true
	case ReadOnly:
		return false
	}
	switch c.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// WithCall returns a context that names the logical call made with it and
// says whether it may be resent. Provider code wraps every call with it.
//
// A nil ctx does not panic: the context returned is already done, and Do
// returns a *usermgmt.InputError for it without sending anything (see
// CheckContext, which a client calls first to say so earlier).
func WithCall(ctx context.Context, operation string, idem Idempotency) context.Context {
	if ctx == nil {
		done, cancel := context.WithCancelCause(context.Background())
		cancel(errNilContext)
		ctx = done
	}
	s := &callState{call: call{op: operation, idempotency: idem}}
	s.call.applied, s.call.secrets = &s.applied, &s.secrets
	s.secrets.list = s.secrets.buf[:0]
	s.ctx = callCtx{Context: ctx, cl: &s.call}
	return &s.ctx
}

// callState is a call with the state its copies share and the context that
// carries it, in one allocation.
type callState struct {
	call    call
	applied atomic.Bool
	secrets secretSet
	ctx     callCtx
}

// AddSecrets registers values that the call named by WithCall in ctx sends
// in its body, such as a user's password, so that no error or log record
// of the call quotes them, even when a server echoes them back in any
// encoding. Header credentials need
// no registering: every value of a header that is not on the logging
// allow-list is treated as a secret of its call.
func AddSecrets(ctx context.Context, values ...string) {
	if cl := callFrom(ctx); cl != nil {
		for _, v := range values {
			cl.secrets.add(v, minKnownSecretLen)
		}
	}
}

// secretSet holds the secrets of one logical call. It is safe for
// concurrent use; a nil set holds nothing.
type secretSet struct {
	mu   sync.Mutex
	list []string
	buf  [4]string // list's first backing array: a call rarely has more
	// compiled holds the patterns of list[:len(compiled)], built when the
	// call first needs to scrub something.
	compiled patterns
}

func (s *secretSet) add(v string, minLen int) {
	// A very short value would scrub ordinary words from messages.
	if s == nil || len(v) < minLen {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.list, v) {
		s.list = append(s.list, v)
	}
}

// patterns returns the patterns of the set's secrets, building those of
// secrets added since the last call.
func (s *secretSet) patterns() patterns {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.list[len(s.compiled):] {
		s.compiled = append(s.compiled, newPattern(v))
	}
	return s.compiled[:len(s.compiled):len(s.compiled)]
}

// recordSecrets adds to the call's secrets the values of req's headers
// that are not on the logging allow-list, the credential of a
// "<scheme> <credential>" value on its own, and the password of a Basic
// credential.
func (c *Client) recordSecrets(cl *call, h http.Header) {
	for name, vals := range h {
		if c.logged[http.CanonicalHeaderKey(name)] {
			continue
		}
		for _, v := range vals {
			cl.secrets.add(v, minSecretLen)
			scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
			if !ok {
				continue
			}
			cred = strings.TrimSpace(cred)
			cl.secrets.add(cred, minSecretLen)
			if strings.EqualFold(scheme, "Basic") {
				if b, err := base64.StdEncoding.DecodeString(cred); err == nil {
					if _, pw, ok := strings.Cut(string(b), ":"); ok {
						cl.secrets.add(pw, minKnownSecretLen)
					}
				}
			}
		}
	}
}

// MaybeApplied reports whether an attempt of the call named by WithCall in
// ctx failed after it may have reached the server (a transport error other
// than a refused connection, or a 5xx). A provider uses it to read a later
// answer right, e.g. "not registered" from a retried unregister whose first
// attempt was applied.
func MaybeApplied(ctx context.Context) bool {
	cl := callFrom(ctx)
	return cl != nil && cl.applied != nil && cl.applied.Load()
}

func (c *call) markApplied() {
	c.maybeApplied = true
	if c.applied != nil {
		c.applied.Store(true)
	}
}

// errNilContext is the cause of the context WithCall returns for a nil
// one.
var errNilContext = errors.New("nil context")

func callFrom(ctx context.Context) *call {
	if ctx == nil {
		return nil
	}
	if c, ok := ctx.Value(callKey{}).(*call); ok {
		return c
	}
	return nil
}

// Operation returns the operation named by WithCall, or "request".
func Operation(ctx context.Context) string {
	if c := callFrom(ctx); c != nil {
		return c.op
	}
	return "request"
}

func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Do sends req with retries. It satisfies oapi-codegen's HttpRequestDoer.
// The context of req should come from WithCall. A transport failure of a
// request that may have reached the server and is not idempotent is
// returned as a *usermgmt.OutcomeUnknownError.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	if req == nil {
		return nil, &usermgmt.InputError{Provider: c.provider, Operation: "request", Field: "request", Reason: "must not be nil"}
	}
	ctx := req.Context() // never nil: net/http refuses to build a request with a nil context
	// One state per Do, even when a caller reuses the context: the call,
	// its wire count and the trace hooks, in one allocation.
	ds := &doState{}
	if from := callFrom(ctx); from != nil {
		ds.call = *from
	} else {
		ds.call = call{op: "request", secrets: new(secretSet)}
	}
	cl := &ds.call
	cl.method = req.Method
	c.recordSecrets(cl, req.Header)
	switch cl.idempotency {
	case Idempotent, ReadOnly, IdempotentWrite:
		cl.idempotent = true
	case NotIdempotent:
		cl.idempotent = false
	default:
		cl.idempotent = idempotentMethod(req.Method)
	}
	if err := ctx.Err(); err != nil { // nothing is sent: say so, not "outcome unknown"
		if context.Cause(ctx) == errNilContext {
			return nil, nilContextError(c.provider, cl.op)
		}
		return nil, fmt.Errorf("%s: %s: %w", c.provider, cl.op, err)
	}
	cl.path, cl.header = req.URL.EscapedPath(), req.Header
	ds.wire.max = int32(c.policy.MaxAttempts)
	ds.wire.attempts.Store(1)
	cl.wire = &ds.wire
	ds.wire.hooks(&ds.trace)
	ctx = httptrace.WithClientTrace(ctx, &ds.trace)
	ds.ctx = callCtx{Context: ctx, cl: cl}
	ctx = &ds.ctx
	var bound *boundCtx
	if _, ok := ctx.Deadline(); !ok && c.timeout > 0 {
		bound = &ds.bound
		bound.start(ctx, c.timeout, c.causeKey)
		ctx = bound
	}
	cancel := func() {
		if bound != nil {
			bound.release()
		}
	}
	if c.tel != nil {
		ctx = c.startCall(ctx, cl, req)
	}
	req = req.WithContext(ctx)
	if req.Header.Get("User-Agent") == "" {
		req.Header["User-Agent"] = c.uaHeader
	}
	rreq, err := retryable(req)
	if err != nil {
		cancel()
		err = fmt.Errorf("%s: %s: %w", c.provider, cl.op, err)
		if cl.tel != nil {
			c.endCall(ctx, cl, nil, err)
		}
		return nil, err
	}
	if c.logger != nil { // the attempt's duration is logged, nowhere else read
		cl.attemptStart = time.Now()
	}
	if cl.tel != nil {
		c.startAttempt(ctx, cl)
	}
	resp, err := c.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		cancel()
		if n := cl.sent(); n > 1 {
			err = fmt.Errorf("%s: %s: after %d attempts: %w", c.provider, cl.op, n, unwrapURLError(err))
		} else {
			err = fmt.Errorf("%s: %s: %w", c.provider, cl.op, unwrapURLError(err))
		}
		// net/http quotes what a server sent in some errors (a malformed
		// status line, a redirect's host): scrub them like any answer.
		if msg, clean := err.Error(), c.scrubber(ctx, nil)(err.Error()); clean != msg {
			err = &scrubbedError{msg: clean, err: err}
		}
		if cl.maybeApplied && cl.changesState() {
			err = &usermgmt.OutcomeUnknownError{Provider: c.provider, Operation: cl.op, Err: err}
		}
		if cl.tel != nil {
			c.endCall(ctx, cl, nil, err)
		}
		return nil, err
	}
	if cl.tel != nil {
		c.endCall(ctx, cl, resp, nil)
	}
	ds.body = limitedBody{rc: resp.Body, left: c.maxBody, max: c.maxBody, bound: bound}
	resp.Body = &ds.body
	return resp, nil
}

// retryable wraps req for go-retryablehttp. A body that GetBody can
// recreate (any body net/http.NewRequest took from a bytes.Reader, which
// is what generated code builds) is left where it is, and rewindBody renews
// it for each retry; any other body is read into a copy that every attempt
// reads again. req is the Do's own copy of the caller's request.
func retryable(req *http.Request) (*retryablehttp.Request, error) {
	if !rewindable(req) {
		return retryablehttp.FromRequest(req)
	}
	body := req.Body
	req.Body = nil // seen as no body: nothing for go-retryablehttp to copy
	rreq, err := retryablehttp.FromRequest(req)
	req.Body = body
	return rreq, err
}

// rewindable reports whether req has a body that GetBody can recreate.
func rewindable(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody && req.GetBody != nil
}

// scrubbedError is an error whose message had secrets scrubbed from it.
// It unwraps to the original, so that errors.Is and errors.As still see
// the cause (context.DeadlineExceeded, a *net.OpError).
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// unwrapURLError drops the *url.Error wrapper, whose message repeats the
// whole URL (query string included), keeping the method and the cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, redactURL(ue.URL), ue.Err)
	}
	return err
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.Fragment = ""
	return u.String()
}

// ErrResponseTooLarge is returned while reading a response body larger than
// the configured cap.
var ErrResponseTooLarge = errors.New("response body exceeds the size limit")

type limitedBody struct {
	rc    io.ReadCloser
	left  int64
	max   int64
	bound *boundCtx // released on Close; nil when the call has no bound of its own
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// Probe for one more byte: a body of exactly max bytes is fine.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w (%d bytes; raise it with usermgmt.WithMaxResponseBytes)", ErrResponseTooLarge, b.max)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.rc.Close()
	if b.bound != nil {
		b.bound.release()
	}
	return err
}

// checkRetry ends each attempt: it decides whether the call goes on, logs
// the attempt, and sleeps the backoff before the next one. It never sees
// the request, so the decision comes from the call state in the context.
// A call stops after MaxAttempts attempts, or once MaxAttempts requests
// were written to the wire, whichever comes first.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl := callFrom(ctx)
	if cl == nil {
		cl = &call{}
	}
	cl.attempts++
	retry, stop := c.decide(ctx, cl, resp, err)
	if retry && cl.sent() >= c.policy.MaxAttempts {
		retry = false
	}
	if err != nil && stop == nil && cl.wire != nil && cl.wire.refused.Load() {
		stop = ErrAttemptsSpent
	}
	var wait time.Duration
	if retry {
		wait = c.backoff(c.policy.BaseDelay, c.policy.MaxDelay, int(cl.attempts)-1, resp)
	}
	if c.logger != nil {
		c.logAttempt(ctx, cl, resp, err, retry, wait)
	}
	if cl.tel != nil {
		endAttempt(cl, resp, err)
		if retry {
			c.retried(ctx, cl, resp, err, wait)
		}
	}
	if !retry {
		return false, stop
	}
	if resp != nil { // free the connection for the next attempt before waiting
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close()
	}
	if c.wait != nil {
		wait = c.wait(wait)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		case <-t.C:
		}
	}
	if c.logger != nil {
		cl.attemptStart = time.Now()
	}
	if cl.wire != nil {
		cl.wire.next()
	}
	if cl.tel != nil {
		c.startAttempt(ctx, cl)
	}
	return true, nil
}

// sent returns the number of requests the call has sent: its attempts and
// the resends net/http made within them.
func (c *call) sent() int {
	if c.wire == nil {
		return int(c.attempts)
	}
	return int(c.attempts) + int(c.wire.replays.Load())
}

// ErrAttemptsSpent is wrapped by the error of a call whose connections kept
// failing before any answer until the retry policy's MaxAttempts requests
// had been sent, counting those net/http resent on its own.
var ErrAttemptsSpent = errors.New("connections failed before answering until the retry policy's MaxAttempts requests were sent; net/http's own further resend was stopped")

// wireCount keeps a call within MaxAttempts requests on the wire.
//
// net/http resends a request by itself (GET, HEAD, OPTIONS, or one with an
// Idempotency-Key header) when a reused keep-alive connection fails before
// answering, and again on the next idle connection if that one fails too:
// one attempt of the SDK can put several requests on the wire. Its
// httptrace hooks see each: a connection obtained (GotConn) while a
// request written on the previous one still awaits its first response byte
// is a resend. Resends count as attempts; one that would exceed MaxAttempts
// gets its connection closed before anything is written on it, so that
// net/http fails it without sending (an HTTP/2 connection, shared by other
// requests, is never closed: HTTP/2 resends only requests the server
// refused unprocessed).
type wireCount struct {
	max      int32
	attempts atomic.Int32 // the SDK's attempts begun
	replays  atomic.Int32 // net/http's resends
	written  atomic.Int32 // requests written in full
	answered atomic.Int32 // of them, answered (or settled by next)
	refused  atomic.Bool  // a resend over the budget was stopped
}

// hooks sets the trace hooks that keep the count.
func (w *wireCount) hooks(t *httptrace.ClientTrace) {
	t.GotConn = w.gotConn
	t.WroteRequest = func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			w.written.Add(1)
		}
	}
	t.GotFirstResponseByte = func() { w.answered.Add(1) }
}

// doState is what one Do keeps, allocated together: a copy of the call,
// the context that carries it, its wire count, the trace hooks that keep
// the count, and the size-capped body of the answer.
type doState struct {
	call  call
	ctx   callCtx
	wire  wireCount
	trace httptrace.ClientTrace
	bound boundCtx
	body  limitedBody
}

// callCtx is context.WithValue(Context, callKey{}, cl) without an
// allocation of its own: it lives in the doState. Every other method
// (Deadline, Done, Err, and Value for other keys) is its parent's, so the
// context package treats it as it treats the parent, cancellation
// included.
type callCtx struct {
	context.Context
	cl *call
}

// Value returns the call for callKey{}, and the parent's value for any
// other key.
func (c *callCtx) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return c.cl
	}
	return c.Context.Value(key)
}

func (w *wireCount) gotConn(info httptrace.GotConnInfo) {
	if !w.refused.Load() {
		written, answered := w.written.Load(), w.answered.Load()
		if written <= answered {
			return // the attempt's first request, or a redirect after an answer
		}
		w.answered.Store(written)
		if w.attempts.Load()+w.replays.Load() < w.max {
			w.replays.Add(1)
			return
		}
	}
	// A resend over the budget, or any connection net/http takes for it
	// afterwards.
	if tc, ok := info.Conn.(interface {
		ConnectionState() tls.ConnectionState
	}); ok && tc.ConnectionState().NegotiatedProtocol == "h2" {
		return
	}
	w.refused.Store(true)
	_ = info.Conn.Close()
}

// next starts the call's next attempt: whatever the last one left
// unanswered is settled.
func (w *wireCount) next() {
	w.attempts.Add(1)
	w.answered.Store(w.written.Load())
}

// decide is the retry rule: whether the policy would resend after this
// attempt, and the error that ends the call when it is the context's.
//
// One rule covers Retry-After: when an answer the policy would retry (429,
// or a 5xx other than 501) asks for a longer wait than MaxDelay, the call
// stops at once, and the error built from that answer carries RetryAfter
// and matches ErrRateLimited (see APIError).
func (c *Client) decide(ctx context.Context, cl *call, resp *http.Response, err error) (bool, error) {
	if err != nil {
		sent := !neverSent(err)
		if sent {
			cl.markApplied() // for idempotent calls too: after the last retry it is still unknown
		}
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if ok, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !ok {
			return false, nil // certificate, scheme, header or redirect errors
		}
		return cl.idempotent || !sent, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	code := resp.StatusCode
	if !retryableStatus(code) {
		return false, nil
	}
	if code != http.StatusTooManyRequests {
		cl.markApplied()
	}
	if c.waitTooLong(resp) {
		return false, nil // the caller gets the answer's error, matching ErrRateLimited
	}
	if code == http.StatusTooManyRequests {
		return true, nil // the server refused the request: safe to resend, key or not
	}
	return cl.idempotent, nil
}

// retryableStatus reports whether the policy retries an answer with this
// status: 429, and every 5xx but 501.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code != http.StatusNotImplemented
}

// waitTooLong reports whether resp asks, with Retry-After, for a longer
// wait than the policy's MaxDelay.
func (c *Client) waitTooLong(resp *http.Response) bool {
	ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return ok && ra > c.policy.MaxDelay
}

// neverSent reports whether err proves the request never reached a server:
// the connection could not be made at all.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// backoff returns the wait before the next attempt: the server's
// Retry-After when it sent one (checkRetry has already refused one above the
// cap), otherwise full jitter below min(MaxDelay, BaseDelay·2^attempt).
func (c *Client) backoff(base, capDelay time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(ra, capDelay)
		}
	}
	d := capDelay
	if attempt < 32 {
		if e := base << uint(attempt); e > 0 && e < capDelay {
			d = e
		}
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// ParseRetryAfter parses a Retry-After value, either delay-seconds or an
// HTTP date, relative to now. A date in the past means no wait.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		// delay-seconds is any run of digits (RFC 9110, 10.2.3): one too
		// large for a Duration asks for the longest wait, not for none.
		if strings.Trim(v, "0123456789") != "" {
			return 0, false
		}
		const maxSeconds = uint64(1<<63-1) / uint64(time.Second)
		n, err := strconv.ParseUint(v, 10, 64) // digits only: the one error is ErrRange
		if err != nil || n > maxSeconds {
			n = maxSeconds
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// Format prints the client as transport.Client{provider} with every verb:
// it holds the secrets it scrubs from messages, which must never print.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "transport.Client{%s}", c.provider) }
