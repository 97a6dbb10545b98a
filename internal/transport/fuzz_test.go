package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// FuzzParseRetryAfter checks ParseRetryAfter on any header value: a wait
// is never negative, a refused value means no wait, delay-seconds read
// exactly (capped at the largest Duration), an HTTP date is read as the
// time until it, and the backoff built on it stays within [0, cap].
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"0", "2", " 3 ", "120", "-1", "1.5", "+5", "soon", "", "99999999999999999999",
		"9223372036", "92233720368547758", "Wed, 25 Nov 2026 12:00:07 GMT", "Wed, 25 Nov 2026 11:00:00 GMT",
		"Wednesday, 25-Nov-26 12:00:07 GMT", "Wed Nov 25 12:00:07 2026", "Fri, 31 Dec 9999 23:59:59 GMT", "0x10", "1e3", "\t7\n"} {
		f.Add(s)
	}
	c := New(Config{Provider: "fuzz", Options: fuzzOptions(f)})
	const capDelay = 30 * time.Second
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v", v, d, ok)
		}
		s := strings.TrimSpace(v)
		if s != "" && strings.Trim(s, "0123456789") == "" { // delay-seconds
			want := time.Duration(1<<63-1) / time.Second * time.Second // the longest wait
			if n, err := strconv.ParseUint(s, 10, 64); err == nil && n <= uint64(want/time.Second) {
				want = time.Duration(n) * time.Second
			}
			if !ok || d != want {
				t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v", v, d, ok, want)
			}
		} else if ok {
			at, err := http.ParseTime(s)
			if err != nil {
				t.Fatalf("ParseRetryAfter(%q) accepted a value that is neither seconds nor an HTTP date", v)
			}
			if want := max(at.Sub(now), 0); d != want {
				t.Fatalf("ParseRetryAfter(%q) = %v; want %v", v, d, want)
			}
		}
		resp := &http.Response{Header: http.Header{"Retry-After": {v}}}
		if w := c.backoff(time.Millisecond, capDelay, 3, resp); w < 0 || w > capDelay {
			t.Fatalf("backoff with Retry-After %q = %v, outside [0, %v]", v, w, capDelay)
		}
	})
}

// FuzzParseBaseURL checks ParseBaseURL on any input: an error is an
// InputError that never repeats the input; an accepted URL is absolute,
// http(s), with a host, without credentials, query, fragment or trailing
// slash, plain http only for loopback unless allowed, and parsing it again
// gives it back unchanged.
func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.syncari.com", "https://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner",
		"https://station.guardant.ru", "https://ads.example.com/api/", "http://127.0.0.1:8080", "http://localhost:1/x",
		"http://[::1]:8080", "http://api.example.com", "https://user:pw@api.example.com", "https://h/?q=1", "https://h/#f",
		"ftp://h", "api.example.com", "", "https://", "http://a.localhost", "https://h/%2F/..", "https://H:443//"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, insecure bool) {
		got, err := ParseBaseURL("fuzz", raw, insecure)
		if err != nil {
			if !errors.Is(err, usermgmt.ErrInvalidInput) || got != "" {
				t.Fatalf("ParseBaseURL(%q) = %q, %v; want an InputError alone", raw, got, err)
			}
			if len(raw) >= 8 && strings.Contains(err.Error(), raw) {
				t.Fatalf("the error repeats the input: %v", err)
			}
			return
		}
		u, perr := url.Parse(got)
		switch {
		case perr != nil:
			t.Fatalf("ParseBaseURL(%q) = %q, which does not parse: %v", raw, got, perr)
		case u.Scheme != "https" && u.Scheme != "http", u.Host == "", u.User != nil, u.RawQuery != "", u.Fragment != "",
			strings.HasSuffix(got, "/"), u.Opaque != "":
			t.Fatalf("ParseBaseURL(%q) accepted %q", raw, got)
		case u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()):
			t.Fatalf("ParseBaseURL(%q) accepted plain http to %q", raw, u.Hostname())
		}
		again, err := ParseBaseURL("fuzz", got, insecure)
		if err != nil || again != got {
			t.Fatalf("ParseBaseURL(%q) = %q, but that parses as %q, %v", raw, got, again, err)
		}
	})
}

// roundTrip is a RoundTripper answering every request with one response.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzReadResponse sends a request through Do to a canned answer of any
// status, content type and body, then reads it with Read and DecodeJSON,
// with an error reader that quotes the body whole. Properties: no panic; a
// 2xx body within the cap comes back unchanged; one over the cap is an
// error; a non-2xx answer is an *usermgmt.APIError with its status; and no
// error ever contains the client's secret or the call's credentials, in
// any form a server could echo them.
func FuzzReadResponse(f *testing.F) {
	const secret, bearer, password = "fuzz-secret-1d9f", "fuzz-bearer-77c2", "fuzz-password-a0e4"
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"a":1}`},
		{200, "application/json", `{"a":`},
		{200, "text/html", "<html>oops</html>"},
		{400, "application/json", `{"message":"bad fuzz-secret-1d9f"}`},
		{401, "application/json", `{"error":"Bearer fuzz-bearer-77c2"}`},
		{404, "text/plain", "not found: fuzz-password-a0e4"},
		{429, "application/json", `{}`},
		{500, "", ""},
		{503, "application/problem+json", `{"message":"fuzz%2Dsecret%2D1d9f"}`},
		{200, "application/json", strings.Repeat("x", 1100)},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		if status < 100 || status > 999 {
			return // net/http refuses such a status before the SDK sees it
		}
		hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			if ct != "" {
				h["Content-Type"] = []string{ct}
			}
			return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})}
		c := New(Config{Provider: "fuzz", Secrets: []string{secret}, Options: fuzzOptions(t, usermgmt.WithHTTPClient(hc),
			usermgmt.WithMaxResponseBytes(1024), usermgmt.WithRetry(usermgmt.NoRetries()))})
		quote := func(_ *http.Response, b []byte) Failure {
			return Failure{Code: string(b), Message: string(b), Messages: []string{string(b)}, RequestID: string(b)}
		}
		for _, decode := range []bool{false, true} {
			ctx := WithCall(context.Background(), "op", ReadOnly)
			AddSecrets(ctx, password)
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:1/x", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+bearer)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			var got []byte
			if decode {
				var v *map[string]any
				v, err = DecodeJSON[map[string]any](c, ctx, resp, quote)
				_ = v
			} else {
				got, err = c.Read(ctx, resp, quote)
			}
			ok2xx := status >= 200 && status <= 299
			switch {
			case ok2xx && len(body) > 1024 && err == nil:
				t.Fatalf("a %d-byte body passed a 1024-byte cap", len(body))
			case ok2xx && !decode && len(body) <= 1024 && (err != nil || !bytes.Equal(got, body)):
				t.Fatalf("a 2xx body came back as %q, %v", got, err)
			case !ok2xx:
				var apiErr *usermgmt.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
					t.Fatalf("status %d: err = %v, want an APIError with the status", status, err)
				}
			}
			if err != nil {
				for _, s := range []string{secret, bearer, password, url.QueryEscape(secret)} {
					if strings.Contains(err.Error(), s) {
						t.Fatalf("the error quotes %q: %v", s, err)
					}
				}
			}
		}
	})
}

func fuzzOptions(tb testing.TB, opts ...usermgmt.Option) usermgmt.Options {
	tb.Helper()
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return o
}

// FuzzRedact: scrubbing never panics, leaves text without a secret as it
// is, and leaves no whole secret in text that held one, raw or
// query-escaped.
func FuzzRedact(f *testing.F) {
	f.Add("pa\"ss<&>\\ word", "before ", " after")
	f.Add("abc", "%2522", "&#34;")
	f.Add("secret", `\\\"`, "c2VjcmV0")
	f.Add("aXa", "aXaX", "a")
	f.Fuzz(func(t *testing.T, secret, before, after string) {
		if len(secret) < 3 || strings.ContainsAny(secret, "[]") || strings.Contains(redacted, secret) {
			return
		}
		ps := compile([]string{secret})
		_ = redact(before, true, ps)
		for _, s := range []string{secret, url.QueryEscape(secret)} {
			if out := redact(before+s+after, false, ps); strings.Contains(out, secret) {
				t.Errorf("redact(%q) = %q still holds %q", before+s+after, out, secret)
			}
		}
	})
}
