package providertest_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// telemetry is a tracer and a meter provider recording in memory.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry() *telemetry {
	t := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	t.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(t.spans))
	t.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(t.reader))
	return t
}

func (tl *telemetry) options(extra ...usermgmt.Option) providertest.Options {
	return providertest.Options{Client: append([]usermgmt.Option{
		usermgmt.WithTracerProvider(tl.tp),
		usermgmt.WithMeterProvider(tl.mp),
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
	}, extra...)}
}

// collect returns the metrics recorded so far, by name.
func (tl *telemetry) collect(t *testing.T) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tl.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != usermgmt.InstrumentationScope {
			t.Errorf("metric scope %q, want %q", sm.Scope.Name, usermgmt.InstrumentationScope)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

func attr(kvs []attribute.KeyValue, key string) (attribute.Value, bool) {
	for _, kv := range kvs {
		if string(kv.Key) == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func newUser(name string) usermgmt.CreateUserInput {
	email := "otel-" + name + "@example.com"
	return usermgmt.CreateUserInput{Username: email, Email: email, Name: "Otel User", Password: usermgmt.Secret("Otel-Pa55-word!")}
}

// TestTelemetryRetries: a GetUser whose first two requests meet 503 shows,
// on every provider, a Directory span holding one call span with three
// attempt spans and two retry events, and the retries metric at 2.
func TestTelemetryRetries(t *testing.T) {
	for _, op := range providertest.Openers() {
		t.Run(op.Name, func(t *testing.T) {
			t.Parallel()
			tl := newTelemetry()
			e := op.Open(t, tl.options())
			ctx := context.Background()
			u, err := e.Dir.CreateUser(ctx, newUser(op.Name))
			if err != nil {
				t.Fatal(err)
			}
			e.Fake.ResetJournal()
			e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 503, RetryAfter: "0", Times: 2})
			if _, err := e.Dir.GetUser(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			getOp := e.Fake.Requests()[0].Operation

			var dir sdktrace.ReadOnlySpan
			for _, s := range tl.spans.Ended() {
				if s.Name() == op.Name+" Directory.GetUser" {
					dir = s
				}
			}
			if dir == nil {
				t.Fatalf("no span %q", op.Name+" Directory.GetUser")
			}
			var calls []sdktrace.ReadOnlySpan
			attempts := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
			for _, s := range tl.spans.Ended() {
				if s.SpanContext().TraceID() != dir.SpanContext().TraceID() {
					continue
				}
				switch {
				case s.Parent().SpanID() == dir.SpanContext().SpanID():
					calls = append(calls, s)
				case strings.HasSuffix(s.Name(), " attempt"):
					attempts[s.Parent().SpanID()] = append(attempts[s.Parent().SpanID()], s)
				}
			}
			var retried []sdktrace.ReadOnlySpan
			for _, c := range calls {
				if c.SpanKind() != trace.SpanKindClient || c.InstrumentationScope().Name != usermgmt.InstrumentationScope {
					t.Errorf("call span %q: kind %v, scope %q", c.Name(), c.SpanKind(), c.InstrumentationScope().Name)
				}
				if n := len(attempts[c.SpanContext().SpanID()]); n != 1 {
					retried = append(retried, c)
				}
			}
			if len(retried) != 1 {
				t.Fatalf("%d call spans with retries under the GetUser span, want 1 (calls: %d)", len(retried), len(calls))
			}
			c := retried[0]
			if want := op.Name + " " + getOp; c.Name() != want {
				t.Errorf("call span %q, want %q", c.Name(), want)
			}
			if v, _ := attr(c.Attributes(), "usermgmt.attempts"); v.AsInt64() != 3 {
				t.Errorf("usermgmt.attempts = %v, want 3", v.String())
			}
			if v, _ := attr(c.Attributes(), "http.response.status_code"); v.AsInt64() != 200 {
				t.Errorf("http.response.status_code = %v, want 200", v.String())
			}
			for _, k := range []string{"http.request.method", "server.address", "server.port", "usermgmt.provider", "usermgmt.operation"} {
				if _, ok := attr(c.Attributes(), k); !ok {
					t.Errorf("call span has no %s", k)
				}
			}
			if c.Status().Code == codes.Error {
				t.Errorf("call span status %v", c.Status())
			}
			as := attempts[c.SpanContext().SpanID()]
			if len(as) != 3 {
				t.Fatalf("%d attempt spans, want 3", len(as))
			}
			for i, a := range as {
				code, _ := attr(a.Attributes(), "http.response.status_code")
				resend, hasResend := attr(a.Attributes(), "http.request.resend_count")
				wantCode := map[bool]int64{true: 503, false: 200}[i < 2]
				if code.AsInt64() != wantCode || hasResend != (i > 0) || resend.AsInt64() != int64(i) {
					t.Errorf("attempt %d: status %v, resend_count %v (set %v)", i+1, code.String(), resend.String(), hasResend)
				}
				if et, _ := attr(a.Attributes(), "error.type"); i < 2 && (et.AsString() != "503" || a.Status().Code != codes.Error) {
					t.Errorf("attempt %d: error.type %q, status %v", i+1, et.String(), a.Status())
				}
			}
			var events int
			for _, ev := range c.Events() {
				if ev.Name != "retry" {
					continue
				}
				events++
				if r, _ := attr(ev.Attributes, "usermgmt.retry.reason"); r.AsString() != "http_503" {
					t.Errorf("retry event reason %q, want http_503", r.String())
				}
				if a, _ := attr(ev.Attributes, "usermgmt.retry.attempt"); a.AsInt64() != int64(events) {
					t.Errorf("retry event %d: attempt %v", events, a.String())
				}
				if _, ok := attr(ev.Attributes, "usermgmt.retry.wait"); !ok {
					t.Errorf("retry event %d has no wait", events)
				}
			}
			if events != 2 {
				t.Errorf("%d retry events, want 2", events)
			}

			m := tl.collect(t)
			retries, _ := m["usermgmt.client.retries"].(metricdata.Sum[int64])
			var total int64
			for _, dp := range retries.DataPoints {
				total += dp.Value
				if r, _ := dp.Attributes.Value("usermgmt.retry.reason"); r.AsString() != "http_503" {
					t.Errorf("retries counted with reason %q", r.String())
				}
			}
			if total != 2 {
				t.Errorf("usermgmt.client.retries = %d, want 2", total)
			}
			waits, _ := m["usermgmt.client.rate_limit.wait"].(metricdata.Histogram[float64])
			var nwaits uint64
			for _, dp := range waits.DataPoints {
				nwaits += dp.Count
			}
			if nwaits != 2 {
				t.Errorf("usermgmt.client.rate_limit.wait has %d waits, want 2", nwaits)
			}
			active, _ := m["usermgmt.client.calls.active"].(metricdata.Sum[int64])
			for _, dp := range active.DataPoints {
				if dp.Value != 0 {
					t.Errorf("calls.active = %d with no call running", dp.Value)
				}
			}
			dur, _ := m["usermgmt.client.call.duration"].(metricdata.Histogram[float64])
			okGet := false
			for _, dp := range dur.DataPoints {
				o, _ := dp.Attributes.Value("usermgmt.outcome")
				g, _ := dp.Attributes.Value("usermgmt.operation")
				okGet = okGet || o.AsString() == "ok" && g.AsString() == getOp
			}
			if !okGet {
				t.Errorf("no call.duration point for %s with outcome ok", getOp)
			}
			att, _ := m["usermgmt.client.call.attempts"].(metricdata.Histogram[int64])
			if len(att.DataPoints) == 0 {
				t.Error("no call.attempts points")
			}
		})
	}
}

// TestTelemetryErrorKinds: a Directory span of a failed call carries the
// error's kind as error.type and status description, never its text.
func TestTelemetryErrorKinds(t *testing.T) {
	for _, op := range providertest.Openers() {
		t.Run(op.Name, func(t *testing.T) {
			t.Parallel()
			tl := newTelemetry()
			e := op.Open(t, tl.options())
			ctx := context.Background()
			if _, err := e.Dir.GetUser(ctx, "424242"); err == nil {
				t.Fatal("GetUser of a missing user succeeded")
			}
			if _, err := e.Dir.CreateUser(ctx, usermgmt.CreateUserInput{Email: "not an email"}); err == nil {
				t.Fatal("CreateUser of bad input succeeded")
			}
			want := map[string]string{"Directory.GetUser": "not_found", "Directory.CreateUser": "invalid_input"}
			for _, s := range tl.spans.Ended() {
				name := strings.TrimPrefix(s.Name(), op.Name+" ")
				kind, ok := want[name]
				if !ok {
					continue
				}
				delete(want, name)
				et, _ := attr(s.Attributes(), "error.type")
				if et.AsString() != kind || s.Status().Code != codes.Error || s.Status().Description != kind {
					t.Errorf("%s: error.type %q, status %v; want %q", s.Name(), et.String(), s.Status(), kind)
				}
			}
			if len(want) != 0 {
				t.Errorf("no spans for %v", want)
			}
		})
	}
}

// headerRecorder records the headers of every request it sends on.
type headerRecorder struct {
	mu      sync.Mutex
	headers []http.Header
	next    http.RoundTripper
}

func (r *headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.headers = append(r.headers, req.Header.Clone())
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// TestTracePropagation: no traceparent leaves the process unless the
// client was given a propagator; with one, each attempt sends its own
// span's context.
func TestTracePropagation(t *testing.T) {
	for _, op := range providertest.Openers() {
		for _, propagate := range []bool{false, true} {
			t.Run(op.Name+map[bool]string{false: "/default", true: "/propagate"}[propagate], func(t *testing.T) {
				t.Parallel()
				tl := newTelemetry()
				rec := &headerRecorder{next: http.DefaultTransport.(*http.Transport).Clone()}
				extra := []usermgmt.Option{usermgmt.WithHTTPClient(&http.Client{Transport: rec})}
				if propagate {
					extra = append(extra, usermgmt.WithTracePropagation(propagation.TraceContext{}))
				}
				e := op.Open(t, tl.options(extra...))
				ctx, parent := tl.tp.Tracer("test").Start(context.Background(), "parent")
				if _, err := e.Dir.CreateUser(ctx, newUser(op.Name)); err != nil {
					t.Fatal(err)
				}
				parent.End()
				// attempt span id -> its trace id. A token fetch shared by
				// calls (Syncari's) is a trace of its own.
				attempts := map[string]string{}
				inParent := 0
				for _, s := range tl.spans.Ended() {
					if strings.HasSuffix(s.Name(), " attempt") {
						attempts[s.SpanContext().SpanID().String()] = s.SpanContext().TraceID().String()
						if s.SpanContext().TraceID() == parent.SpanContext().TraceID() {
							inParent++
						}
					}
				}
				if inParent == 0 {
					t.Error("no attempt span in the caller's trace")
				}
				rec.mu.Lock()
				defer rec.mu.Unlock()
				if len(rec.headers) == 0 {
					t.Fatal("no requests recorded")
				}
				for i, h := range rec.headers {
					tp := h.Get("Traceparent")
					switch {
					case !propagate && tp != "":
						t.Errorf("request %d sent traceparent %q without WithTracePropagation", i, tp)
					case propagate:
						parts := strings.Split(tp, "-")
						if len(parts) != 4 || attempts[parts[2]] == "" || parts[1] != attempts[parts[2]] {
							t.Errorf("request %d: traceparent %q is not the context of one of its attempt spans", i, tp)
						}
					}
				}
			})
		}
	}
}

// TestTelemetryRuns: a Provision run and an Apply run are each one trace,
// with a child span per user, and their items are counted by outcome; a
// create whose answer was lost shows the settling look-up as its own span.
func TestTelemetryRuns(t *testing.T) {
	for _, op := range providertest.Openers() {
		t.Run(op.Name, func(t *testing.T) {
			t.Parallel()
			tl := newTelemetry()
			e := op.Open(t, tl.options())
			ctx := context.Background()
			users := []usermgmt.CreateUserInput{newUser(op.Name + "-1"), newUser(op.Name + "-2"), newUser(op.Name + "-3")}
			presults, err := usermgmt.Provision(ctx, e.Dir, users, nil)
			if err != nil {
				t.Fatal(err)
			}
			desired := []usermgmt.DesiredUser{{Username: users[0].Email, Email: users[0].Email, Name: "Otel User"}, {Username: "otel-new@example.com", Email: "otel-new@example.com", Name: "New User"}}
			plan, err := usermgmt.Plan(ctx, e.Dir, desired, nil)
			if err != nil {
				t.Fatal(err)
			}
			aresults, err := usermgmt.Apply(ctx, e.Dir, plan, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantItems := map[string]map[string]int64{"usermgmt.provision.items": {}, "usermgmt.apply.items": {}}
			for _, r := range presults {
				wantItems["usermgmt.provision.items"][r.Outcome.String()]++
			}
			applied := 0
			for _, r := range aresults {
				wantItems["usermgmt.apply.items"][r.Outcome.String()]++
				if r.Action != usermgmt.ActionNone {
					applied++
				}
			}
			spans := tl.spans.Ended()
			for _, run := range []struct {
				name, item string
				items      int
			}{{"Provision", "Provision.user", 3}, {"Apply", "Apply.item", applied}} {
				var root sdktrace.ReadOnlySpan
				for _, s := range spans {
					if s.Name() == op.Name+" "+run.name {
						root = s
					}
				}
				if root == nil {
					t.Fatalf("no %s span", run.name)
				}
				if root.Parent().IsValid() {
					t.Errorf("the %s span has a parent", run.name)
				}
				items, calls := 0, 0
				for _, s := range spans {
					if s.SpanContext().TraceID() != root.SpanContext().TraceID() {
						continue
					}
					if s.Name() == op.Name+" "+run.item {
						items++
						if s.Parent().SpanID() != root.SpanContext().SpanID() {
							t.Errorf("%s span is not a child of the run's span", s.Name())
						}
					}
					if s.SpanKind() == trace.SpanKindClient {
						calls++
					}
				}
				if items != run.items || run.items > 0 && calls == 0 {
					t.Errorf("%s: %d item spans (want %d), %d call spans in its trace", run.name, items, run.items, calls)
				}
			}
			m := tl.collect(t)
			if wantItems["usermgmt.provision.items"]["created"] != 3 {
				t.Errorf("Provision outcomes %v, want 3 created", wantItems["usermgmt.provision.items"])
			}
			for name, want := range wantItems {
				sum, _ := m[name].(metricdata.Sum[int64])
				got := map[string]int64{}
				for _, dp := range sum.DataPoints {
					o, _ := dp.Attributes.Value("usermgmt.outcome")
					got[o.AsString()] += dp.Value
				}
				for k, v := range want {
					if got[k] != v || len(got) != len(want) {
						t.Errorf("%s by outcome = %v, want %v", name, got, want)
						break
					}
				}
			}

			// A create whose answer is lost is settled by a look-up (an
			// API with an idempotency key resends the create instead).
			if e.Dir.Capabilities().IdempotentCreate {
				return
			}
			e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: e.CreateOperation})
			if _, err := e.Dir.CreateUser(ctx, newUser(op.Name+"-settle")); err != nil {
				t.Fatal(err)
			}
			var create, settle sdktrace.ReadOnlySpan
			for _, s := range tl.spans.Ended() {
				switch s.Name() {
				case op.Name + " Directory.CreateUser":
					create = s
				case op.Name + " Directory.settle":
					settle = s
				}
			}
			if create == nil || settle == nil || settle.Parent().SpanID() != create.SpanContext().SpanID() {
				t.Fatalf("no settle span under the CreateUser span (create %v, settle %v)", create != nil, settle != nil)
			}
		})
	}
}
