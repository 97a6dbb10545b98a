package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// specialSecret holds every character that JSON, HTML and URL encodings
// change, so that each encoding of it differs from the raw value.
const specialSecret = `pa"ss\wo<r>d &x 12'`

// encodings are the ways a server may echo a value back.
func encodings(v string) map[string]string {
	jsonHTML, _ := json.Marshal(v)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	jsonPlain := strings.TrimSuffix(plain.String(), "\n")
	lowerHex := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(v), strings.ToLower)
	body := `{"password":"` + jsonPlain[1:len(jsonPlain)-1] + `"}`
	out := map[string]string{
		"raw":               v,
		"JSON, HTML-safe":   string(jsonHTML[1 : len(jsonHTML)-1]),
		"JSON, plain":       jsonPlain[1 : len(jsonPlain)-1],
		"JSON, upper \\u":   strings.NewReplacer(`\u003c`, `\u003C`, `\u003e`, `\u003E`).Replace(string(jsonHTML[1 : len(jsonHTML)-1])),
		"HTML numeric":      html.EscapeString(v),
		"HTML named":        strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;", "'", "&apos;").Replace(v),
		"HTML hex":          strings.NewReplacer(`&`, "&#x26;", `"`, "&#x22;", "<", "&#x3C;", ">", "&#x3e;", "'", "&#X27;").Replace(v),
		"query":             url.QueryEscape(v),
		"query, lower hex":  lowerHex,
		"query, %20":        strings.ReplaceAll(url.QueryEscape(v), "+", "%20"),
		"path":              url.PathEscape(v),
		"base64 std":        base64.StdEncoding.EncodeToString([]byte(v)),
		"base64 URL":        base64.URLEncoding.EncodeToString([]byte(v)),
		"base64 raw std":    base64.RawStdEncoding.EncodeToString([]byte(v)),
		"base64 raw URL":    base64.RawURLEncoding.EncodeToString([]byte(v)),
		"base64 of a body":  base64.StdEncoding.EncodeToString([]byte(body)),
		"base64 of a body1": base64.StdEncoding.EncodeToString([]byte("x" + body)),
		"base64 of a body2": base64.URLEncoding.EncodeToString([]byte("xy" + body)),
		"base64 of a form":  base64.StdEncoding.EncodeToString([]byte("user=a&password=" + url.QueryEscape(v))),
		// A body's JSON escapes quoted again.
		"JSON of JSON":    unquote(string(must(json.Marshal(jsonPlain)))),
		"HTML of JSON":    html.EscapeString(jsonPlain),
		"percent of JSON": url.QueryEscape(string(jsonHTML)),
	}
	return out
}

func unquote(s string) string { return s[1 : len(s)-1] }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// base64Run matches text that may be base64 in either alphabet.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{8,}={0,2}`)

// leaks reports whether text holds v in a form a reader could decode:
// as it is (in any case), JSON-, HTML- or percent-escaped, or in base64 at
// any alignment. It decodes the text rather than encode v, so that it does
// not share the scrubber's logic.
func leaks(text, v string) bool {
	forms := []string{v}
	for _, f := range []string{encodings(v)["JSON, plain"], encodings(v)["JSON, HTML-safe"], url.QueryEscape(v)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	var decoded []string
	decoded = append(decoded, strings.ToLower(text), html.UnescapeString(text))
	if u, err := url.QueryUnescape(text); err == nil {
		decoded = append(decoded, u)
	}
	var js string
	if json.Unmarshal([]byte(`"`+strings.NewReplacer("\n", " ", "\t", " ").Replace(text)+`"`), &js) == nil {
		decoded = append(decoded, js)
	}
	for _, run := range base64Run.FindAllString(text, -1) {
		run = strings.TrimRight(run, "=")
		for off := range 4 {
			if off >= len(run) {
				break
			}
			r := run[off:]
			if len(r)%4 == 1 {
				r = r[:len(r)-1]
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(r); err == nil {
					decoded = append(decoded, string(b))
				}
			}
		}
	}
	for _, d := range append([]string{text}, decoded...) {
		for _, f := range forms {
			if strings.Contains(d, f) || strings.Contains(d, strings.ToLower(f)) {
				return true
			}
		}
	}
	return false
}

func TestLeaksOracle(t *testing.T) {
	t.Parallel()
	for name, e := range encodings(specialSecret) {
		if !leaks("before "+e+" after", specialSecret) {
			t.Errorf("%s: the oracle misses %q", name, e)
		}
	}
	if leaks("nothing here", specialSecret) {
		t.Error("the oracle sees a secret in nothing")
	}
}

// TestScrubEveryEncoding: a known secret is scrubbed in every encoding a
// server may echo it in, from text that surrounds it with other words.
func TestScrubEveryEncoding(t *testing.T) {
	t.Parallel()
	ps := compile([]string{specialSecret})
	for name, e := range encodings(specialSecret) {
		in := "the server said: " + e + " (rejected)"
		out := redact(in, false, ps)
		if leaks(out, specialSecret) {
			t.Errorf("%s: %q scrubbed to %q, which still holds the secret", name, in, out)
		}
		if !strings.Contains(out, redacted) || !strings.HasPrefix(out, "the server said: ") {
			t.Errorf("%s: %q scrubbed to %q", name, in, out)
		}
	}
	// Ordinary text is left alone, and nothing is built per string.
	if got := redact("plain text & 100% <ok>", false, ps); got != "plain text & 100% <ok>" {
		t.Errorf("ordinary text changed to %q", got)
	}
	short := compile([]string{"ab<"})
	if got := redact("x ab&lt; y", false, short); got != "x "+redacted+" y" {
		t.Errorf("short known secret: got %q", got)
	}
}

// echoEverything answers 400 with an error message, a request-id header
// and a Location header that quote the request body in every encoding, and
// headers whose names carry the secret.
func echoEverything(t *testing.T, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var sb strings.Builder
		for name, e := range encodings(string(body)) {
			fmt.Fprintf(&sb, "%s: %s | ", name, e)
		}
		var pw struct{ Password string }
		_ = json.Unmarshal(body, &pw)
		for _, e := range encodings(pw.Password) {
			sb.WriteString(e + " | ")
		}
		msg := sb.String()
		h := w.Header()
		h.Set("X-Request-Id", base64.StdEncoding.EncodeToString(body))
		h.Set("X-Correlation-Id", encodings(pw.Password)["JSON, HTML-safe"])
		h.Set("Location", "/users?pw="+url.QueryEscape(pw.Password))
		h.Set("X-Echo-"+base64.RawURLEncoding.EncodeToString([]byte(pw.Password)), "1")
		h.Set("X-Echo-"+url.QueryEscape(pw.Password), "1")
		h.Set("X-Echo-Plain-"+strings.Trim(url.QueryEscape(strings.ReplaceAll(pw.Password, " ", "")), "%"), "1")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSecretsNeverLeaveInAnyEncoding: a server that echoes the request body
// in every encoding, in its message and its headers, gets none of it to
// the caller: not in the error printed any way, nor in the debug log.
func TestSecretsNeverLeaveInAnyEncoding(t *testing.T) {
	t.Parallel()
	const configured = `api"key<&>\ 99`
	for _, status := range []int{400, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := echoEverything(t, status)
			var text, js bytes.Buffer
			opts := &slog.HandlerOptions{Level: slog.LevelDebug}
			logger := slog.New(multiHandler{slog.NewTextHandler(&text, opts), slog.NewJSONHandler(&js, opts)})
			c := New(Config{Provider: "test", Secrets: []string{configured},
				Options: mustOptions(t, usermgmt.WithLogger(logger), fastRetries())})
			for _, secret := range []string{specialSecret, configured, "tok3n-Secret-Value"} {
				ctx := WithCall(context.Background(), "op", ByMethod)
				if secret != configured {
					AddSecrets(ctx, secret)
				}
				body, _ := json.Marshal(map[string]string{"password": secret})
				req, _ := http.NewRequestWithContext(ctx, "PUT", srv.URL+"/users/1?x="+url.QueryEscape(secret), bytes.NewReader(body))
				resp, err := c.Do(req)
				if err == nil {
					_, err = c.Read(ctx, resp, func(_ *http.Response, b []byte) Failure {
						var f struct{ Message string }
						_ = json.Unmarshal(b, &f)
						return Failure{Message: f.Message}
					})
				}
				if err == nil {
					t.Fatal("want an error")
				}
				printed := fmt.Sprintf("%v\n%+v\n%#v\n%s\n%q", err, err, err, err, err)
				var apiErr *usermgmt.APIError
				if errors.As(err, &apiErr) {
					printed += fmt.Sprintf("\n%#v\n%+v", *apiErr, *apiErr)
				}
				if leaks(printed, secret) {
					t.Errorf("the error leaks %q:\n%s", secret, printed)
				}
				for name, out := range map[string]string{"text log": text.String(), "JSON log": js.String()} {
					if leaks(out, secret) {
						t.Errorf("the %s leaks %q:\n%s", name, secret, out)
					}
				}
			}
			for _, want := range []string{"X-Request-Id", "Location", "X-Correlation-Id"} {
				if !strings.Contains(text.String(), want) {
					t.Errorf("the log lacks the allow-listed header %s: the test would prove nothing\n%s", want, text.String())
				}
			}
		})
	}
}

// multiHandler sends each record to every handler.
type multiHandler []slog.Handler

func (m multiHandler) Enabled(context.Context, slog.Level) bool { return true }
func (m multiHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range m {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (m multiHandler) WithAttrs(a []slog.Attr) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithAttrs(a)
	}
	return out
}
func (m multiHandler) WithGroup(g string) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithGroup(g)
	}
	return out
}

// TestRetryAfterAboveTheCapStopsEveryRetryableStatus: one rule for every
// answer the policy would retry: a Retry-After beyond MaxDelay stops the
// call at once with that answer's error, matching ErrRateLimited and
// carrying RetryAfter.
func TestRetryAfterAboveTheCapStopsEveryRetryableStatus(t *testing.T) {
	t.Parallel()
	for _, code := range []int{429, 500, 502, 503, 504} {
		for _, idem := range []Idempotency{ByMethod, NotIdempotent} {
			t.Run(fmt.Sprintf("%d %v", code, idem), func(t *testing.T) {
				t.Parallel()
				srv := newServer(t, status(code, "999999"), status(200, ""))
				c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
				method := "GET"
				if idem == NotIdempotent {
					method = "POST"
				}
				_, err := send(t, c, context.Background(), method, srv.URL, idem)
				var apiErr *usermgmt.APIError
				if !errors.As(err, &apiErr) || !errors.Is(err, usermgmt.ErrRateLimited) {
					t.Fatalf("err = %v, want an APIError matching ErrRateLimited", err)
				}
				if apiErr.StatusCode != code || apiErr.RetryAfter != 999999*time.Second {
					t.Errorf("status %d, RetryAfter %v; want %d, 277h46m39s", apiErr.StatusCode, apiErr.RetryAfter, code)
				}
				if n := srv.hits.Load(); n != 1 {
					t.Errorf("requests = %d, want 1", n)
				}
			})
		}
	}
	// Within the cap, a 500 is retried as before.
	srv := newServer(t, status(500, "0"), status(200, ""))
	c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
	if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err != nil || srv.hits.Load() != 2 {
		t.Errorf("err = %v after %d requests; want success after 2", err, srv.hits.Load())
	}
}

// resetServer answers the first requests (the warm-up) and then drops
// every request it reads, counting them: every attempt on a kept-alive
// connection fails before an answer, which net/http answers by resending
// the request itself.
type resetServer struct {
	*httptest.Server
	warm    sync.WaitGroup
	reset   atomic.Bool
	dropped atomic.Int32
}

func newResetServer(t *testing.T, warmConns int) *resetServer {
	s := &resetServer{}
	s.warm.Add(warmConns)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.reset.Load() {
			s.warm.Done()
			s.warm.Wait() // hold every warm-up request, so that each has its own connection
			return
		}
		s.dropped.Add(1)
		dropConn(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestAtMostMaxAttemptsOnTheWire: a read whose connections all fail
// before answering puts at most MaxAttempts requests on the wire, counting
// those net/http resends on its own when a kept-alive connection fails.
func TestAtMostMaxAttemptsOnTheWire(t *testing.T) {
	t.Parallel()
	for _, idle := range []int{1, 4} {
		for _, maxAttempts := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d idle connections, MaxAttempts %d", idle, maxAttempts), func(t *testing.T) {
				t.Parallel()
				srv := newResetServer(t, idle)
				c := New(Config{Provider: "test", Options: mustOptions(t,
					usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: maxAttempts, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))})
				var wg sync.WaitGroup
				for range idle {
					wg.Go(func() {
						if _, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod); err != nil {
							t.Errorf("warm-up: %v", err)
						}
					})
				}
				wg.Wait()
				srv.reset.Store(true)
				_, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod)
				if err == nil {
					t.Fatal("want the call to fail")
				}
				t.Logf("%d requests, err: %v", srv.dropped.Load(), err)
				if n := srv.dropped.Load(); n > int32(maxAttempts) || n < 1 {
					t.Errorf("%d requests reached the server; want 1 to %d (err: %v)", n, maxAttempts, err)
				}
			})
		}
	}
}

// TestErrorsSayHowManyAttempts: once retries are spent, the error says how
// many attempts were made, for an answer and for a transport failure.
func TestErrorsSayHowManyAttempts(t *testing.T) {
	t.Parallel()
	srv := newServer(t, status(503, ""))
	c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries())})
	_, err := send(t, c, context.Background(), "GET", srv.URL, ByMethod)
	if err == nil || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Errorf("err = %v; want it to say after 4 attempts", err)
	}
	dropped := newServer(t, dropConn)
	_, err = send(t, c, context.Background(), "PUT", dropped.URL, ByMethod)
	if err == nil || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Errorf("err = %v; want it to say after 4 attempts", err)
	}
	if strings.Count(err.Error(), "outcome unknown") != 1 {
		t.Errorf("err = %v; want the unknown outcome explained once", err)
	}
	once := newServer(t, status(404, ""))
	_, err = send(t, c, context.Background(), "GET", once.URL, ByMethod)
	if err == nil || strings.Contains(err.Error(), "attempts") {
		t.Errorf("err = %v; a first answer needs no count", err)
	}
}

// attemptLog keeps every log record.
type attemptLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *attemptLog) Enabled(context.Context, slog.Level) bool { return true }
func (r *attemptLog) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}
func (r *attemptLog) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *attemptLog) WithGroup(string) slog.Handler      { return r }

func (r *attemptLog) keys() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]string
	for _, rec := range r.records {
		var keys []string
		rec.Attrs(func(a slog.Attr) bool { keys = append(keys, a.Key); return true })
		out = append(out, keys)
	}
	return out
}

// TestOneLogRecordPerAttempt: each attempt writes exactly one record, its
// attributes in a fixed order, the backoff only when another attempt
// follows.
func TestOneLogRecordPerAttempt(t *testing.T) {
	t.Parallel()
	rec := &attemptLog{}
	// A PUT: net/http never resends it by itself, so the dropped
	// connection is the SDK's attempt to retry.
	srv := newServer(t, status(503, "0"), dropConn, status(200, ""))
	c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries(), usermgmt.WithLogger(slog.New(rec)))})
	req, _ := http.NewRequestWithContext(WithCall(context.Background(), "getUser", ByMethod), "PUT", srv.URL+"/users/7?q=secret-query", strings.NewReader("{}"))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Read(req.Context(), resp, nil)
	got := rec.keys()
	head := func(outcome string, backoff bool) []string {
		k := []string{"provider", "operation", "method", "path", "attempt", outcome, "duration"}
		if backoff {
			k = append(k, "backoff")
		}
		return append(k, "request_headers")
	}
	want := [][]string{
		append(head("status", true), "response_headers"),
		head("error", true),
		append(head("status", false), "response_headers"),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("records:\n%v\nwant:\n%v", got, want)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i, r := range rec.records {
		vals := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { vals[a.Key] = a.Value.String(); return true })
		if vals["operation"] != "getUser" || vals["method"] != "PUT" || vals["path"] != "/users/7" || vals["attempt"] != fmt.Sprint(i+1) {
			t.Errorf("record %d: %v", i+1, vals)
		}
	}
}

// TestNilContext: a nil context is bad input, reported without a panic.
func TestNilContext(t *testing.T) {
	t.Parallel()
	var none context.Context
	err := CheckContext(none, "test", "getUser")
	var in *usermgmt.InputError
	if !errors.As(err, &in) || !errors.Is(err, usermgmt.ErrInvalidInput) || in.Field != "ctx" || in.Operation != "getUser" {
		t.Errorf("CheckContext(nil) = %v, want an InputError for the context", err)
	}
	if err := CheckContext(context.Background(), "test", "getUser"); err != nil {
		t.Errorf("CheckContext(Background) = %v", err)
	}
	srv := newServer(t, status(200, ""))
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	ctx := WithCall(none, "getUser", ByMethod)
	AddSecrets(none, "whatever")
	_ = MaybeApplied(none)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	_, err = c.Do(req)
	if !errors.Is(err, usermgmt.ErrInvalidInput) || srv.hits.Load() != 0 {
		t.Errorf("Do with a nil call context = %v after %d requests; want ErrInvalidInput before any", err, srv.hits.Load())
	}
}

// TestScrubAdversarialText: text built to make the decodings branch (runs
// of backslashes, percent signs and ampersands a secret also holds) is
// scrubbed in time proportional to its length times the secret's; without
// the memo of failed states the matcher's time grows exponentially.
func TestScrubAdversarialText(t *testing.T) {
	t.Parallel()
	ps := compile([]string{strings.Repeat(`\`, 12) + `"%&y`})
	for _, unit := range []string{`\`, `\\`, `%5C`, `%255C`, `\u005c`, `&#92;`, `\&#92;`} {
		text := strings.Repeat(unit, 3000) + "x"
		if got := redact(text, false, ps); got != text {
			t.Errorf("%q×3000: changed although the secret is not there", unit)
		}
	}
}

// TestTransportErrorsAreScrubbed: net/http quotes a malformed status line
// in its error; a secret a server puts there is scrubbed, and the error
// still unwraps to its cause.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				_, _ = conn.Read(buf)
				_, _ = conn.Write([]byte("HTTP/1.1 " + url.QueryEscape(specialSecret) + " OK\r\n\r\n"))
			}()
		}
	}()
	c := New(Config{Provider: "test", Secrets: []string{specialSecret}, Options: mustOptions(t, usermgmt.WithRetry(usermgmt.NoRetries()))})
	_, err = send(t, c, context.Background(), "GET", "http://"+l.Addr().String(), ByMethod)
	if err == nil {
		t.Fatal("want an error")
	}
	printed := fmt.Sprintf("%v %+v %#v", err, err, err)
	t.Log(printed)
	if leaks(printed, specialSecret) || !strings.Contains(printed, redacted) {
		t.Errorf("error = %s; want the secret scrubbed", printed)
	}
}

// TestRedact: the helper for messages built outside the Client scrubs
// every encoding, and leaves short secrets alone.
func TestRedact(t *testing.T) {
	t.Parallel()
	for name, e := range encodings(specialSecret) {
		if out := Redact("x "+e+" y", specialSecret, ""); leaks(out, specialSecret) {
			t.Errorf("%s: Redact left %q", name, out)
		}
	}
	if out := Redact("ab cd", "ab"); out != "ab cd" {
		t.Errorf("a two-byte secret was scrubbed: %q", out)
	}
}
