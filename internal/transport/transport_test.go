package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{" 3 ", 3 * time.Second, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Wed, 25 Nov 2026 12:00:07 GMT", 7 * time.Second, true},
		{"99999999999999999999", time.Duration(int64(1<<63-1) / int64(time.Second) * int64(time.Second)), true},
		{"9223372036", 9223372036 * time.Second, true},
		{"92233720368547758", time.Duration(int64(1<<63-1) / int64(time.Second) * int64(time.Second)), true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffIsFullJitterBelowTheCap(t *testing.T) {
	t.Parallel()
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	base, capDelay := 100*time.Millisecond, time.Second
	for attempt := range 8 {
		bound := min(capDelay, base<<attempt)
		var max time.Duration
		for range 200 {
			d := c.backoff(base, capDelay, attempt, nil)
			if d < 0 || d > bound {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", attempt, d, bound)
			}
			max = maxDur(max, d)
		}
		if max < bound/2 {
			t.Errorf("attempt %d: 200 draws never exceeded %v; want values spread up to %v", attempt, max, bound)
		}
	}
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func mustOptions(t *testing.T, opts ...usermgmt.Option) usermgmt.Options {
	t.Helper()
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// server answers each request with the next step; the last step repeats.
type server struct {
	*httptest.Server
	hits  atomic.Int32
	steps []func(w http.ResponseWriter, r *http.Request)
}

func newServer(t *testing.T, steps ...func(w http.ResponseWriter, r *http.Request)) *server {
	s := &server{steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1)) - 1
		_, _ = io.Copy(io.Discard, r.Body)
		s.steps[min(n, len(s.steps)-1)](w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func status(code int, retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{}`))
	}
}

func dropConn(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

func fastRetries() usermgmt.Option {
	return usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 50 * time.Millisecond})
}

func send(t *testing.T, c *Client, ctx context.Context, method, url string, idem Idempotency) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(WithCall(ctx, "op", idem), method, url, strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		_, err = c.Read(req.Context(), resp, nil)
	}
	return resp, err
}

func TestRetryDecision(t *testing.T) {
	t.Parallel()
	ok := status(200, "")
	refused := func() string { // an address nobody listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		return "http://" + addr
	}
	tests := []struct {
		name      string
		method    string
		idem      Idempotency
		steps     []func(http.ResponseWriter, *http.Request)
		url       func() string
		attempts  int32
		wantErr   error
		noAttempt bool
	}{
		{"GET retried on 503 then ok", "GET", ByMethod, steps(status(503, ""), status(503, ""), ok), nil, 3, nil, false},
		{"GET retried on 500, 502, then ok", "GET", ByMethod, steps(status(500, ""), status(502, ""), ok), nil, 3, nil, false},
		{"GET not retried on 501", "GET", ByMethod, steps(status(501, ""), ok), nil, 1, nil, false},
		{"GET not retried on 404", "GET", ByMethod, steps(status(404, ""), ok), nil, 1, usermgmt.ErrNotFound, false},
		{"GET gives up after MaxAttempts", "GET", ByMethod, steps(status(503, "")), nil, 4, nil, false},
		{"GET retried after a dropped connection", "GET", ByMethod, steps(dropConn, ok), nil, 2, nil, false},
		{"PUT retried on 503", "PUT", ByMethod, steps(status(503, ""), ok), nil, 2, nil, false},
		{"DELETE retried on 503", "DELETE", ByMethod, steps(status(503, ""), ok), nil, 2, nil, false},
		{"POST read marked idempotent retried", "POST", Idempotent, steps(status(503, ""), ok), nil, 2, nil, false},
		{"keyed create retried after a drop", "POST", Idempotent, steps(dropConn, ok), nil, 2, nil, false},
		{"unkeyed create not retried on 503", "POST", NotIdempotent, steps(status(503, ""), ok), nil, 1, usermgmt.ErrOutcomeUnknown, false},
		{"unkeyed create not retried on 500", "POST", ByMethod, steps(status(500, ""), ok), nil, 1, usermgmt.ErrOutcomeUnknown, false},
		{"unkeyed create not retried after a drop", "POST", NotIdempotent, steps(dropConn, ok), nil, 1, usermgmt.ErrOutcomeUnknown, false},
		{"unkeyed create retried on 429", "POST", NotIdempotent, steps(status(429, "0"), ok), nil, 2, nil, false},
		{"PATCH not retried on 503 by default", "PATCH", ByMethod, steps(status(503, ""), ok), nil, 1, usermgmt.ErrOutcomeUnknown, false},
		{"unkeyed create on a refused connection is retried, and says never sent", "POST", NotIdempotent, nil, refused, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
			var url string
			var srv *server
			if tt.url != nil {
				url = tt.url()
			} else {
				srv = newServer(t, tt.steps...)
				url = srv.URL
			}
			var attempts atomic.Int32
			c.rc.RequestLogHook = func(_ retryablehttp.Logger, _ *http.Request, _ int) { attempts.Add(1) }
			_, err := send(t, c, context.Background(), tt.method, url, tt.idem)
			if tt.noAttempt {
				// Nothing listens: every attempt is refused, so all 4 are made
				// and the error does not claim the outcome is unknown.
				if got := attempts.Load(); got != 4 {
					t.Errorf("attempts = %d, want 4", got)
				}
				if err == nil || errors.Is(err, usermgmt.ErrOutcomeUnknown) {
					t.Errorf("err = %v; want a plain connection error", err)
				}
				return
			}
			if got := srv.hits.Load(); got != tt.attempts {
				t.Errorf("server saw %d requests, want %d", got, tt.attempts)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && tt.attempts < 4 && err != nil && tt.name != "GET not retried on 501" {
				t.Errorf("err = %v, want success", err)
			}
		})
	}
}

func steps(s ...func(http.ResponseWriter, *http.Request)) []func(http.ResponseWriter, *http.Request) {
	return s
}

func TestRetryAfterIsWaitedAndCapped(t *testing.T) {
	t.Parallel()
	t.Run("within the cap it is waited", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, status(503, "2"), status(200, ""))
		var waits []time.Duration
		var mu sync.Mutex
		c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxDelay: 5 * time.Second})),
			Wait: func(d time.Duration) time.Duration { mu.Lock(); waits = append(waits, d); mu.Unlock(); return 0 }})
		if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err != nil {
			t.Fatal(err)
		}
		if len(waits) != 1 || waits[0] != 2*time.Second {
			t.Errorf("waits = %v, want [2s]", waits)
		}
	})
	t.Run("HTTP-date form", func(t *testing.T) {
		t.Parallel()
		date := time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
		srv := newServer(t, status(429, date), status(200, ""))
		var got time.Duration
		c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxDelay: 20 * time.Second})),
			Wait: func(d time.Duration) time.Duration { got = d; return 0 }})
		if _, err := send(t, c, context.Background(), "POST", srv.URL, NotIdempotent); err != nil {
			t.Fatal(err)
		}
		// The date has whole seconds; the bounds leave a loaded machine
		// several seconds and still tell the date from a computed backoff.
		if got < 4*time.Second || got > 10*time.Second {
			t.Errorf("wait = %v, want about 9-10s", got)
		}
	})
	t.Run("above the cap it stops with ErrRateLimited", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, status(429, "120"), status(200, ""))
		c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
		_, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, usermgmt.ErrRateLimited) {
			t.Fatalf("err = %v, want an APIError matching ErrRateLimited", err)
		}
		if apiErr.RetryAfter != 120*time.Second {
			t.Errorf("RetryAfter = %v, want 2m0s", apiErr.RetryAfter)
		}
		if n := srv.hits.Load(); n != 1 { // one request, so no wait was slept
			t.Errorf("requests = %d, want 1", n)
		}
	})
	t.Run("a 503 asking for more than the cap is rate limiting too", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, status(503, "3600"))
		c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
		_, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod)
		if !errors.Is(err, usermgmt.ErrRateLimited) || srv.hits.Load() != 1 {
			t.Errorf("err = %v after %d requests; want ErrRateLimited after 1", err, srv.hits.Load())
		}
	})
}

// signalTransport closes first after the first response arrives.
type signalTransport struct {
	once  sync.Once
	first chan struct{}
}

func (s *signalTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	s.once.Do(func() { close(s.first) })
	return resp, err
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t, status(503, "30")) // a 30 s backoff, which the cancel must cut short
	st := &signalTransport{first: make(chan struct{})}
	c := New(Config{Provider: "test", Options: mustOptions(t,
		usermgmt.WithHTTPClient(&http.Client{Transport: st}),
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxDelay: 30 * time.Second}))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := send(t, c, ctx, "GET", srv.URL, ByMethod)
		done <- err
	}()
	<-st.first
	cancelled := time.Now()
	cancel()
	err := <-done
	// The bound tells a cancelled wait from the 30 s one, with room for a
	// loaded machine running the tests under -race.
	if elapsed := time.Since(cancelled); elapsed > 10*time.Second {
		t.Errorf("returned %v after cancel; want it long before the 30s backoff ends", elapsed)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// TestBodiesAreReplayedOnRetry: every attempt sends the whole body, whether
// net/http can recreate it (GetBody, renewed for each retry) or not (read
// into a copy once), and the first attempt of a recreatable one sends the
// caller's own reader.
func TestBodiesAreReplayedOnRetry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		getBody bool
	}{{"GetBody", true}, {"no GetBody", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var bodies []string
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				n := len(bodies)
				mu.Unlock()
				if n < 3 {
					w.WriteHeader(503)
				}
			}))
			t.Cleanup(srv.Close)
			c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
			req, err := http.NewRequestWithContext(WithCall(context.Background(), "op", ByMethod), "PUT", srv.URL, strings.NewReader(`{"a":1}`))
			if err != nil {
				t.Fatal(err)
			}
			first := &readCount{r: req.Body}
			req.Body = first
			if !tc.getBody {
				req.GetBody = nil
			}
			resp, err := c.Do(req)
			if err == nil {
				_, err = c.Read(req.Context(), resp, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range bodies {
				if b != `{"a":1}` {
					t.Errorf("attempt %d sent body %q", i+1, b)
				}
			}
			if len(bodies) != 3 {
				t.Errorf("attempts = %d, want 3", len(bodies))
			}
			if first.n == 0 {
				t.Error("the caller's body was never read")
			}
			if req.Body != first {
				t.Error("Do replaced the caller's request body")
			}
		})
	}
}

// readCount is a request body that counts its reads.
type readCount struct {
	r io.ReadCloser
	n int
}

func (b *readCount) Read(p []byte) (int, error) { b.n++; return b.r.Read(p) }
func (b *readCount) Close() error               { return b.r.Close() }

func TestResponseSizeCap(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(bytes.Repeat([]byte("x"), 2048)) })
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithMaxResponseBytes(1024))})
	_, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod)
	if err == nil || !strings.Contains(err.Error(), "size limit") {
		t.Errorf("err = %v, want a size-limit error", err)
	}
	c = New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithMaxResponseBytes(2048))})
	if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err != nil {
		t.Errorf("a body of exactly the cap failed: %v", err)
	}
}

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		insecure bool
		want     string
		ok       bool
	}{
		{"https://api.example.com/", false, "https://api.example.com", true},
		{"https://api.example.com/v2/partner", false, "https://api.example.com/v2/partner", true},
		{"http://127.0.0.1:8080", false, "http://127.0.0.1:8080", true},
		{"http://localhost:8080", false, "http://localhost:8080", true},
		{"http://[::1]:8080", false, "http://[::1]:8080", true},
		{"http://api.example.com", false, "", false},
		{"http://api.example.com", true, "http://api.example.com", true},
		{"https://user:pw@api.example.com", false, "", false},
		{"https://api.example.com?x=1", false, "", false},
		{"ftp://api.example.com", false, "", false},
		{"api.example.com", false, "", false},
		{"", false, "", false},
		{"https://", false, "", false},
	}
	for _, tt := range tests {
		got, err := ParseBaseURL("test", tt.in, tt.insecure)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBaseURL(%q, %v) = %q, %v; want %q, ok=%v", tt.in, tt.insecure, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("ParseBaseURL(%q): %v does not match ErrInvalidInput", tt.in, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("error repeats the password: %v", err)
		}
	}
}

func TestLogsRedactByAllowList(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Set-Cookie", "session=server-cookie-canary")
		w.Header().Set("X-Request-Id", "req-42")
		w.WriteHeader(200)
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithLogger(logger)), LogHeaders: []string{"X-Instance"}})
	req, _ := http.NewRequestWithContext(WithCall(context.Background(), "op", ByMethod), "GET", srv.URL+"/users?email=query-canary", nil)
	req.Header.Set("Authorization", "Bearer token-canary")
	req.Header.Set("X-Api-Key", "key-canary")
	req.Header.Set("X-Instance", "inst-1")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Read(req.Context(), resp, nil)
	out := buf.String()
	for _, canary := range []string{"token-canary", "key-canary", "server-cookie-canary", "query-canary"} {
		if strings.Contains(out, canary) {
			t.Errorf("log contains %q:\n%s", canary, out)
		}
	}
	for _, want := range []string{"inst-1", "req-42", "operation=op", "status=200", "attempt=1", "Authorization=[REDACTED]"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestNoLoggingByDefault(t *testing.T) {
	t.Parallel()
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	if c.rc.RequestLogHook != nil || c.rc.ResponseLogHook != nil || c.rc.Logger != nil {
		t.Error("a client without a logger logs")
	}
}

func TestCallerClientIsNotModified(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	srv := newServer(t, status(503, ""), status(200, ""))
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithHTTPClient(hc), fastRetries())})
	if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.CheckRedirect != nil || hc.Timeout != 0 || hc.Jar != nil {
		t.Errorf("caller's client was modified: %+v", hc)
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "" || r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
	}))
	t.Cleanup(other.Close)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/x", http.StatusFound)
	})
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	req, _ := http.NewRequestWithContext(WithCall(context.Background(), "op", ByMethod), "GET", srv.URL, nil)
	req.Header.Set("X-Api-Key", "secret")
	req.Header.Set("Authorization", "Apikey secret")
	_, err := c.Do(req)
	if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Errorf("err = %v, want the redirect refused", err)
	}
	if leaked.Load() {
		t.Error("credentials reached the other host")
	}
}

// TestShortKnownSecretsAreScrubbed: a short password that a call sends is
// scrubbed from an error that echoes it, as long ones are.
func TestShortKnownSecretsAreScrubbed(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`password abc12 rejected`))
	})
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	ctx := WithCall(context.Background(), "op", ByMethod)
	AddSecrets(ctx, "abc12")
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL, strings.NewReader(`{"password":"abc12"}`))
	resp, err := c.Do(req)
	if err == nil {
		_, err = c.Read(ctx, resp, func(_ *http.Response, body []byte) Failure { return Failure{Message: string(body)} })
	}
	if err == nil || strings.Contains(err.Error(), "abc12") || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("err = %v; want the short password redacted", err)
	}
}

// closeCounter counts CloseIdleConnections calls on a transport.
type closeCounter struct {
	http.RoundTripper
	closes atomic.Int32
}

func (c *closeCounter) CloseIdleConnections() { c.closes.Add(1) }

// TestFailedCallsKeepThePool: a failed or cancelled call must not close the
// idle connections that other calls share.
func TestFailedCallsKeepThePool(t *testing.T) {
	t.Parallel()
	srv := newServer(t, status(503, ""))
	cc := &closeCounter{RoundTripper: http.DefaultTransport}
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithHTTPClient(&http.Client{Transport: cc}), fastRetries())})
	if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err == nil {
		t.Fatal("want the 503 to fail the call")
	}
	if n := cc.closes.Load(); n != 0 {
		t.Errorf("CloseIdleConnections called %d times", n)
	}
}
