package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// recorder is a server that counts the requests it gets and keeps what the
// last one carried.
type recorder struct {
	*httptest.Server
	hits atomic.Int32
	got  atomic.Value // string: headers and body of the last request
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.hits.Add(1)
		r.got.Store(fmt.Sprint(req.Header) + string(body))
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

// TestCallerClientNeverRedirectsToAnotherHost checks that a caller's
// *http.Client is wrapped so that no redirect to another host is followed,
// whatever its CheckRedirect says: Go's client would resend the custom
// headers, and, on 307 and 308, the body, which carries DBSync's
// credentials.
func TestCallerClientNeverRedirectsToAnotherHost(t *testing.T) {
	t.Parallel()
	other := newRecorder(t)
	for _, code := range []int{301, 302, 303, 307, 308} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", other.URL+"/stolen")
			w.WriteHeader(code)
		})
		followAll := func(*http.Request, []*http.Request) error { return nil }
		for name, hc := range map[string]*http.Client{
			"default policy":     {},
			"follows everything": {CheckRedirect: followAll},
		} {
			send := func(c interface {
				Do(*http.Request) (*http.Response, error)
			}) error {
				req, err := http.NewRequestWithContext(WithCall(context.Background(), "op", Idempotent),
					http.MethodPost, srv.URL, strings.NewReader(`{"partnerAppToken":"body-canary-1"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Api-Key", "header-canary-1")
				resp, err := c.Do(req)
				if err == nil {
					_ = resp.Body.Close()
				}
				return err
			}
			// Without the SDK, the caller's client does forward: the test
			// below could fail.
			before := other.hits.Load()
			if err := send(hc); err != nil {
				t.Fatalf("%d, %s: the caller's own client: %v", code, name, err)
			}
			if other.hits.Load() != before+1 {
				t.Fatalf("%d, %s: the caller's own client did not follow the redirect; the check proves nothing", code, name)
			}
			if code >= 307 && !strings.Contains(other.got.Load().(string), "body-canary-1") {
				t.Fatalf("%d, %s: Go's client did not resend the body; the check proves nothing", code, name)
			}

			c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithHTTPClient(hc), fastRetries())})
			before = other.hits.Load()
			err := send(c)
			if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
				t.Errorf("%d, %s: err = %v, want the redirect refused", code, name, err)
			}
			if n := other.hits.Load() - before; n != 0 {
				t.Errorf("%d, %s: the other host got %d requests through the SDK", code, name, n)
			}
		}
	}
}

// TestCallerCheckRedirectIsChained checks that the caller's CheckRedirect
// still decides same-host redirects, that Go's limit of 10 applies when it
// has none, and that the caller's client is left as it was.
func TestCallerCheckRedirectIsChained(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final" {
			w.WriteHeader(http.StatusOK)
			return
		}
		http.Redirect(w, r, "/final", http.StatusFound)
	})
	var calls atomic.Int32
	stop := func(*http.Request, []*http.Request) error { calls.Add(1); return http.ErrUseLastResponse }
	hc := &http.Client{CheckRedirect: stop}
	fn := reflect.ValueOf(hc.CheckRedirect).Pointer()
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithHTTPClient(hc), fastRetries())})
	resp, err := send(t, c, context.Background(), http.MethodGet, srv.URL+"/start", ByMethod)
	if calls.Load() != 1 {
		t.Errorf("the caller's CheckRedirect ran %d times, want 1", calls.Load())
	}
	if resp == nil || resp.StatusCode != http.StatusFound || err == nil {
		t.Errorf("resp = %v, err = %v; want the caller's ErrUseLastResponse to return the 302", resp, err)
	}
	if hc.Transport != nil || hc.Jar != nil || hc.Timeout != 0 || reflect.ValueOf(hc.CheckRedirect).Pointer() != fn {
		t.Errorf("the caller's client was modified: %+v", hc)
	}

	c = New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithHTTPClient(&http.Client{}), fastRetries())})
	if resp, err := send(t, c, context.Background(), http.MethodGet, srv.URL+"/start", ByMethod); err != nil || resp.StatusCode != 200 {
		t.Errorf("a same-host redirect with the caller's client: %v, %v; want it followed", resp, err)
	}

	loop := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/again", http.StatusFound) })
	_, err = send(t, c, context.Background(), http.MethodGet, loop.URL, ByMethod)
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("err = %v, want Go's limit of 10 redirects", err)
	}
}

// TestErrorsAndLogsNeverQuoteCallSecrets checks that a server echoing the
// request (its credential headers and its body) in an error body, in a
// request-id header and in an allow-listed header leaks none of the call's
// secrets: header credentials, a Basic password, and values registered with
// AddSecrets.
func TestErrorsAndLogsNeverQuoteCallSecrets(t *testing.T) {
	t.Parallel()
	const (
		bearer   = "bearer-canary-77a1"
		apiKey   = "apikey-canary-90b3"
		password = "basic-password-canary-4c"
		bodyPW   = "user-password-canary-e5"
	)
	echo := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		all := fmt.Sprint(r.Header) + " " + string(body)
		w.Header().Set("X-Request-Id", all)
		w.Header().Set("Location", all)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "marker %s", all)
	}
	srv := httptest.NewServer(http.HandlerFunc(echo))
	t.Cleanup(srv.Close)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithLogger(logger), fastRetries())})
	readAll := func(_ *http.Response, body []byte) Failure {
		return Failure{Message: string(body), Messages: []string{string(body)}, Code: string(body)}
	}
	var out strings.Builder
	for _, auth := range []string{"Bearer " + bearer, "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+password))} {
		ctx := WithCall(context.Background(), "op", ByMethod)
		AddSecrets(ctx, bodyPW)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"password":"`+bodyPW+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Api-Key", apiKey)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Read(ctx, resp, readAll)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, "marker") {
			t.Fatalf("err = %v; want an APIError quoting the echo", err)
		}
		fmt.Fprintf(&out, "%v %+v %#v %s %q\n", err, err, err, err, err)
		fmt.Fprintf(&out, "%v %+v %#v\n", apiErr, *apiErr, apiErr.Messages)
	}
	out.WriteString(logs.String())
	for _, canary := range []string{bearer, apiKey, password, bodyPW} {
		if strings.Contains(out.String(), canary) {
			t.Errorf("canary %q leaked:\n%s", canary, out.String())
		}
	}
	if !strings.Contains(logs.String(), `"Location":"`) {
		t.Fatalf("the response log has no Location header; the check proves nothing:\n%s", logs.String())
	}
}

// TestShortHeaderValuesAreNotScrubbed checks that the per-call scrubbing
// leaves short values alone, as the configured secrets do: a two-letter
// header value must not blank that pair of letters out of every message.
func TestShortHeaderValuesAreNotScrubbed(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("no such user"))
	})
	c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
	ctx := WithCall(context.Background(), "op", ByMethod)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	req.Header.Set("X-Flag", "us")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Read(ctx, resp, func(_ *http.Response, b []byte) Failure { return Failure{Message: string(b)} })
	if err == nil || !strings.Contains(err.Error(), "no such user") {
		t.Errorf("err = %v, want the message intact", err)
	}
}

// deadlineRecorder is a RoundTripper that records the deadline of each
// request's context and answers 200.
type deadlineRecorder struct {
	mu        sync.Mutex
	deadlines []time.Time
}

func (d *deadlineRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	dl, _ := r.Context().Deadline()
	d.mu.Lock()
	d.deadlines = append(d.deadlines, dl)
	d.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

// TestDefaultTimeoutBoundsEveryCall checks that a call whose context has
// no deadline gets the default timeout (usermgmt.DefaultTimeout), also
// when the caller's *http.Client has no Timeout; that WithTimeout changes
// it; that a negative timeout removes it; and that the caller's own
// deadline is kept.
func TestDefaultTimeoutBoundsEveryCall(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []usermgmt.Option
		ctx  func() (context.Context, context.CancelFunc)
		want time.Duration // 0: no deadline
	}{
		{"default", nil, nil, usermgmt.DefaultTimeout},
		{"WithTimeout", []usermgmt.Option{usermgmt.WithTimeout(3 * time.Second)}, nil, 3 * time.Second},
		{"no bound", []usermgmt.Option{usermgmt.WithTimeout(-1)}, nil, 0},
		{"caller's deadline", nil, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 7*time.Second)
		}, 7 * time.Second},
	} {
		rt := &deadlineRecorder{}
		opts := append([]usermgmt.Option{usermgmt.WithHTTPClient(&http.Client{Transport: rt})}, tt.opts...)
		c := New(Config{Provider: "test", Options: mustOptions(t, opts...)})
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if tt.ctx != nil {
			ctx, cancel = tt.ctx()
		}
		start := time.Now()
		if _, err := send(t, c, ctx, http.MethodGet, "http://127.0.0.1:1/x", ByMethod); err != nil {
			t.Fatal(err)
		}
		cancel()
		dl := rt.deadlines[0]
		switch {
		case tt.want == 0 && !dl.IsZero():
			t.Errorf("%s: deadline %v, want none", tt.name, dl)
		case tt.want != 0 && (dl.Before(start.Add(tt.want-time.Second)) || dl.After(time.Now().Add(tt.want))):
			t.Errorf("%s: deadline in %v, want about %v", tt.name, dl.Sub(start), tt.want)
		}
	}
}
