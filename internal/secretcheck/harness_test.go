package secretcheck

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
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// condition is one way to run an operation: on which client, with which
// fault injected into the fake, and under which deadline.
type condition struct {
	name string
	// client is the key of the client to use: main, alt (the provider's
	// other way to authenticate or send), wrong (wrong credentials), or
	// echo400, echo200, echo503 (a hostile server echoing each request).
	client string
	fault  *usermgmttest.Fault
	// timeout, when set, bounds the call's context.
	timeout time.Duration
	// arm, when set, prepares the fake before each call.
	arm func()
	// succeeds says that every call must succeed, or fail only with an
	// error matching errors.ErrUnsupported.
	succeeds bool
}

const always = 1 << 30 // Fault.Times: every matching request

// conditions are the paths every operation is run through.
func conditions() []condition {
	date := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
	return []condition{
		{name: "success", client: "main", succeeds: true},
		{name: "success, other auth", client: "alt", succeeds: true},
		{name: "wrong credentials", client: "wrong"},
		{name: "500 on every attempt", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 500, Times: always}},
		{name: "429 with Retry-After in seconds", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 429, RetryAfter: "3600", Times: always}},
		{name: "503 with Retry-After as a date", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 503, RetryAfter: date, Times: always}},
		{name: "dropped before handling", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.DropBefore, Times: always}},
		{name: "dropped after handling", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.DropAfter, Times: always}},
		{name: "500 after handling", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.FailAfter, Status: 500, Times: always}},
		// The fake holds every request; the call gives up after 50ms, ample
		// to send a request to a loopback server, and paid once per case.
		{name: "timeout", client: "main", fault: &usermgmttest.Fault{Kind: usermgmttest.Delay, Delay: 5 * time.Second, Times: always}, timeout: 50 * time.Millisecond},
		{name: "echo 400", client: "echo400"},
		{name: "echo 200", client: "echo200"},
		{name: "echo 503", client: "echo503"},
	}
}

// op is one case: an operation run on a client of type C.
type op[C any] func(ctx context.Context, c C) (any, error)

// harness runs operations and checks everything they produce for canaries.
type harness struct {
	t        *testing.T
	mu       sync.Mutex
	canaries []string
	text     syncBuffer // the slog text handler's output
	json     syncBuffer // the slog JSON handler's output
	runs     int
	failures int // runs that returned an error
	n        atomic.Int64
	// spans and metrics record the OpenTelemetry output of every client.
	spans   *tracetest.SpanRecorder
	tp      *sdktrace.TracerProvider
	metrics *sdkmetric.ManualReader
	mp      *sdkmetric.MeterProvider
}

func newHarness(t *testing.T, canaries ...string) *harness {
	h := &harness{t: t, spans: tracetest.NewSpanRecorder(), metrics: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	h.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.metrics))
	for _, c := range canaries {
		h.addCanary(c)
	}
	t.Cleanup(h.checkLogs)
	return h
}

// addCanary adds a value that must never be seen, such as a token a fake
// handed out.
func (h *harness) addCanary(s string) {
	if s == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Contains(h.canaries, s) {
		h.canaries = append(h.canaries, s)
	}
}

// next returns a number unique within the harness, for unique names.
func (h *harness) next() int64 { return h.n.Add(1) }

// options are the client options of every client: fast retries and debug
// logging through both of slog's handlers.
func (h *harness) options(extra ...usermgmt.Option) []usermgmt.Option {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	logger := slog.New(fanout{slog.NewTextHandler(&h.text, opts), slog.NewJSONHandler(&h.json, opts)})
	return append([]usermgmt.Option{
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}),
		usermgmt.WithLogger(logger),
		usermgmt.WithTracerProvider(h.tp),
		usermgmt.WithMeterProvider(h.mp),
		usermgmt.WithTracePropagation(propagation.TraceContext{}),
	}, extra...)
}

// check fails the test if text holds a canary in any form a reader could
// decode (see decodings and canaryForms).
func (h *harness) check(where, text string) {
	h.t.Helper()
	h.mu.Lock()
	canaries := slices.Clone(h.canaries)
	h.mu.Unlock()
	views := decodings(text)
	for _, c := range canaries {
		for _, f := range canaryForms(c) {
			for _, v := range views {
				if i := strings.Index(v.text, f); i >= 0 {
					h.t.Errorf("%s: canary %q leaked (%s, as %q): …%s…", where, c, v.name, f, v.text[max(0, i-200):min(len(v.text), i+len(f)+50)])
					return
				}
			}
		}
	}
}

// canaryForms are the forms of a canary looked for in every decoding of a
// text: the canary, and the escaped forms in which a request body carries
// it (JSON with and without HTML-safe escapes, form encoding), since a
// server echoes the body. All are lower-cased, as the decodings are: a
// response header name that echoes a canary arrives canonicalised.
func canaryForms(c string) []string {
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c)
	jsonPlain := strings.TrimSuffix(plain.String(), "\n")
	jsonHTML, _ := json.Marshal(c)
	var forms []string
	for _, f := range []string{c, jsonPlain[1 : len(jsonPlain)-1], string(jsonHTML[1 : len(jsonHTML)-1]), url.QueryEscape(c)} {
		f = lower(f)
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// view is a text decoded one way.
type view struct{ name, text string }

// base64Runs returns the runs of 8 or more characters of text that may be
// base64, in either alphabet.
func base64Runs(text string) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isBase64Char(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 8 {
			runs = append(runs, text[start:i])
		}
		start = -1
	}
	return runs
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '_' || c == '-'
}

// lower lower-cases the ASCII letters of s, which is all the canaries
// hold, leaving other bytes as they are (cheaper than strings.ToLower on
// long texts with a few non-ASCII runes).
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// decodings returns text lower-cased, and lower-cased after undoing each
// encoding a server may echo a value in: JSON escapes, HTML character
// references, percent-encoding, and base64 (every run of base64
// characters, at each alignment, in both alphabets). It decodes instead of
// encoding the canaries, so that it shares no logic with the scrubber.
func decodings(text string) []view {
	views := []view{
		{"as it is", lower(text)},
		{"JSON-escaped", lower(unescapeJSON(text))},
		{"HTML-escaped", lower(html.UnescapeString(text))},
		{"percent-encoded", lower(unescapePercent(text))},
	}
	var b64 strings.Builder
	for _, run := range base64Runs(text) {
		for off := range 4 {
			r := run[min(off, len(run)):]
			if len(r)%4 == 1 {
				r = r[:len(r)-1]
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if d, err := enc.DecodeString(r); err == nil {
					b64.Write(d)
					b64.WriteByte('\n')
				}
			}
		}
	}
	return append(views, view{"base64", lower(b64.String())})
}

// unescapeJSON undoes JSON string escapes wherever they are, leaving
// everything else as it is.
func unescapeJSON(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			b.WriteByte(c)
			i++
		case 'n':
			b.WriteByte('\n')
			i++
		case 'u':
			if n, err := strconv.ParseUint(s[i+2:min(len(s), i+6)], 16, 32); err == nil && i+6 <= len(s) {
				b.WriteRune(rune(n))
				i += 5
				continue
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// unescapePercent undoes %XX (either case) and + wherever they are.
func unescapePercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			b.WriteByte(' ')
		case s[i] == '%' && i+2 < len(s):
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// checkLogs checks both log outputs, and that logging was on at all, then
// the spans and metrics recorded (see checkTelemetry).
func (h *harness) checkLogs() {
	h.checkTelemetry()
	for name, b := range map[string]*syncBuffer{"text log": &h.text, "JSON log": &h.json} {
		out := b.String()
		h.check(name, out)
		if !strings.Contains(out, "usermgmt: request") || !strings.Contains(out, "[REDACTED]") {
			h.t.Errorf("the %s has no request records with redacted headers: the test would prove nothing", name)
		}
	}
}

// keep prints v every way a caller might, at every depth reachable through
// exported fields, pointers, interfaces, slices, maps and wrapped errors,
// and checks the text.
func (h *harness) keep(where string, v any) {
	h.t.Helper()
	var b strings.Builder
	seen := map[uintptr]bool{}
	var walk func(rv reflect.Value, depth int)
	walk = func(rv reflect.Value, depth int) {
		if !rv.IsValid() || depth > 10 {
			return
		}
		if rv.CanInterface() {
			x := rv.Interface()
			fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n%q\n", x, x, x, x, x)
			if j, err := json.Marshal(x); err == nil {
				b.Write(j)
				b.WriteByte('\n')
			}
			if err, ok := x.(error); ok {
				b.WriteString(err.Error())
				b.WriteByte('\n')
				switch u := err.(type) {
				case interface{ Unwrap() error }:
					walk(reflect.ValueOf(u.Unwrap()), depth+1)
				case interface{ Unwrap() []error }:
					for _, e := range u.Unwrap() {
						walk(reflect.ValueOf(e), depth+1)
					}
				}
			}
		}
		switch rv.Kind() {
		case reflect.Pointer:
			if rv.IsNil() || seen[rv.Pointer()] {
				return
			}
			seen[rv.Pointer()] = true
			walk(rv.Elem(), depth+1)
		case reflect.Interface:
			if !rv.IsNil() {
				walk(rv.Elem(), depth+1)
			}
		case reflect.Struct:
			for i := range rv.NumField() {
				if rv.Type().Field(i).IsExported() {
					walk(rv.Field(i), depth+1)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range min(rv.Len(), 20) {
				walk(rv.Index(i), depth+1)
			}
		case reflect.Map:
			it := rv.MapRange()
			for n := 0; n < 20 && it.Next(); n++ {
				walk(it.Key(), depth+1)
				walk(it.Value(), depth+1)
			}
		}
	}
	walk(reflect.ValueOf(v), 0)
	h.check(where, b.String())
}

// call runs f, keeping what it returns and recovering a panic, which fails
// the test after its value is checked for canaries too.
func (h *harness) call(where string, f func() (any, error)) (v any, err error) {
	h.t.Helper()
	func() {
		defer func() {
			if p := recover(); p != nil {
				h.keep(where+": panic", p)
				h.t.Errorf("%s: panicked: %v", where, p)
			}
		}()
		v, err = f()
	}()
	h.keep(where+": result", v)
	h.mu.Lock()
	h.runs++
	if err != nil {
		h.failures++
	}
	h.mu.Unlock()
	if err != nil {
		h.keep(where+": error", err)
	}
	return v, err
}

// unsupportedOnly reports whether err, and the error of every failed
// result of a Provision, says only that the API cannot do something.
func unsupportedOnly(v any, err error) bool {
	if results, ok := v.([]usermgmt.ProvisionResult); ok {
		for _, r := range results {
			if r.Outcome == usermgmt.OutcomeFailed && !errors.Is(r.Err, errors.ErrUnsupported) {
				return false
			}
		}
		return true
	}
	return errors.Is(err, errors.ErrUnsupported)
}

// exercise runs every case under every condition and checks first that the
// cases cover every exported method of typ (a client type); extra names
// cases that are not methods (such as usermgmt.Provision).
func exercise[C any](h *harness, srv *usermgmttest.FakeServer, typ reflect.Type, clients map[string]C, cases map[string]op[C], extra []string, conds []condition) {
	h.t.Helper()
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; cases[name] == nil {
			h.t.Errorf("%v.%s has no case in the canary test: add one", typ, name)
		}
	}
	for name := range cases {
		if _, ok := typ.MethodByName(name); !ok && !slices.Contains(extra, name) {
			h.t.Errorf("the case %q names no method of %v", name, typ)
		}
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, cond := range conds {
		c, ok := clients[cond.client]
		if !ok {
			h.t.Fatalf("no %q client", cond.client)
		}
		for _, name := range names {
			if cond.arm != nil {
				cond.arm()
			}
			if cond.fault != nil {
				srv.Inject(*cond.fault)
			}
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if cond.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, cond.timeout)
			}
			where := fmt.Sprintf("%v.%s (%s)", typ, name, cond.name)
			v, err := h.call(where, func() (any, error) { return cases[name](ctx, c) })
			cancel()
			if cond.succeeds && err != nil && !unsupportedOnly(v, err) {
				h.t.Errorf("%s: %v; the success path failed", where, err)
			}
			srv.ClearFaults()
		}
	}
}

// echoServer starts a hostile server that answers every request with
// status and an error body in the provider's format (shape) whose every
// field quotes the whole request (method, path, query, headers and body)
// in every encoding a server may use: as it is, JSON-escaped (with and
// without HTML-safe escapes), HTML-escaped, percent-encoded and base64 in
// both alphabets. Allow-listed response headers quote it too, and the
// names of further response headers carry the request's credentials and
// body.
func echoServer(t *testing.T, status int, shape func(echo string) any) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		raw := fmt.Sprintf("%s %s?%s %v %s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header, body)
		jsonHTML, _ := json.Marshal(raw)
		var plain bytes.Buffer
		enc := json.NewEncoder(&plain)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(raw)
		echo := strings.Join([]string{raw, string(jsonHTML), plain.String(), html.EscapeString(raw), url.QueryEscape(raw),
			base64.StdEncoding.EncodeToString([]byte(raw)), base64.RawURLEncoding.EncodeToString([]byte(raw))}, " | ")
		line := strings.NewReplacer("\r", " ", "\n", " ").Replace(raw)
		hdr := w.Header()
		hdr.Set("X-Request-Id", line)
		hdr.Set("X-Correlation-Id", string(jsonHTML))
		hdr.Set("Location", "/echo?q="+url.QueryEscape(raw)+"#"+base64.URLEncoding.EncodeToString([]byte(raw)))
		for name, vals := range r.Header {
			for _, v := range vals {
				hdr.Set("X-Echo-"+name+"-"+url.QueryEscape(v), "1")
				hdr.Set("X-Echo-B64-"+name+"-"+base64.RawURLEncoding.EncodeToString([]byte(v)), "1")
			}
		}
		if len(body) > 0 {
			hdr.Set("X-Echo-Body-"+url.QueryEscape(string(body)), "1")
			hdr.Set("X-Echo-Body-B64-"+base64.RawURLEncoding.EncodeToString(body), "1")
		}
		hdr.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(shape(echo))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// fanout sends each record to every handler: one logger, two formats.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			errs = append(errs, h.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (f fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// must returns v, or panics on a set-up error (which fails the test).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// checkTelemetry checks every span (name, attributes, events and their
// attributes, status description, links) and every metric data point's
// attributes for canaries, in JSON and as attribute values print, and
// that spans and metrics were recorded at all.
func (h *harness) checkTelemetry() {
	spans := h.spans.Ended()
	if len(spans) == 0 {
		h.t.Error("no spans were recorded: the telemetry check would prove nothing")
	}
	events := 0
	var text strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&text, "%s %s %s\n", s.Name(), s.Status().Description, s.InstrumentationScope().Name)
		for _, a := range s.Attributes() {
			fmt.Fprintf(&text, "%s=%s\n", a.Key, a.Value.String())
		}
		for _, e := range s.Events() {
			events++
			fmt.Fprintf(&text, "event %s\n", e.Name)
			for _, a := range e.Attributes {
				fmt.Fprintf(&text, "%s=%s\n", a.Key, a.Value.String())
			}
		}
	}
	if events == 0 {
		h.t.Error("no span events (retries) were recorded: the telemetry check would prove nothing")
	}
	h.check("span attributes", text.String())
	js, err := json.Marshal(tracetest.SpanStubsFromReadOnlySpans(spans))
	if err != nil {
		h.t.Fatal(err)
	}
	h.check("spans as JSON", string(js))

	var rm metricdata.ResourceMetrics
	if err := h.metrics.Collect(context.Background(), &rm); err != nil {
		h.t.Fatal(err)
	}
	if len(rm.ScopeMetrics) == 0 {
		h.t.Error("no metrics were recorded: the telemetry check would prove nothing")
	}
	js, err = json.Marshal(rm.ScopeMetrics)
	if err != nil {
		h.t.Fatal(err)
	}
	h.check("metrics as JSON", string(js))
}
