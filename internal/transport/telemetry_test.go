package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// spanningTransport starts a span of its own around each request, from the
// request's context, as otelhttp.Transport does.
type spanningTransport struct {
	tracer trace.Tracer
	next   http.RoundTripper
}

func (s spanningTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, span := s.tracer.Start(r.Context(), "inner", trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	return s.next.RoundTrip(r.WithContext(ctx))
}

// TestInstrumentedClientNestsUnderAttempts: the span an instrumented
// *http.Client starts for a request is a child of the attempt's span,
// itself a child of the call's.
func TestInstrumentedClientNestsUnderAttempts(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	srv := newServer(t, status(503, ""), status(200, ""))
	hc := &http.Client{Transport: spanningTransport{tracer: tp.Tracer("test"), next: http.DefaultTransport}}
	c := New(Config{Provider: "test", Options: mustOptions(t, fastRetries(), usermgmt.WithHTTPClient(hc), usermgmt.WithTracerProvider(tp))})
	if _, err := send(t, c, context.Background(), http.MethodGet, srv.URL, ByMethod); err != nil {
		t.Fatal(err)
	}
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		byID[s.SpanContext().SpanID()] = s
	}
	inner := 0
	for _, s := range rec.Ended() {
		if s.Name() != "inner" {
			continue
		}
		inner++
		attempt := byID[s.Parent().SpanID()]
		if attempt == nil || attempt.Name() != "test op attempt" {
			t.Fatalf("the instrumented client's span is not a child of an attempt span")
		}
		if call := byID[attempt.Parent().SpanID()]; call == nil || call.Name() != "test op" {
			t.Fatalf("the attempt span is not a child of the call span")
		}
	}
	if inner != 2 {
		t.Errorf("%d spans of the instrumented client, want 2", inner)
	}
}

// TestTimeoutIsRecordedAsItsKind: a call that times out ends its span with
// error.type "timeout" and no error text.
func TestTimeoutIsRecordedAsItsKind(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	release := make(chan struct{})
	defer close(release)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithRetry(usermgmt.NoRetries()), usermgmt.WithTimeout(50e6), usermgmt.WithTracerProvider(tp))})
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, ByMethod)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	var call sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.Name() == "test op" {
			call = s
		}
	}
	if call == nil {
		t.Fatal("no call span")
	}
	if v, _ := attr(call, "error.type"); v != "timeout" || call.Status().Code != codes.Error || call.Status().Description != "timeout" {
		t.Errorf("error.type %q, status %v; want timeout", v, call.Status())
	}
}

func attr(s sdktrace.ReadOnlySpan, key string) (string, bool) {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.String(), true
		}
	}
	return "", false
}

// TestPropagationWithoutTracer: a propagator alone sends the caller's own
// span context; without one nothing is sent even inside a caller's span.
func TestPropagationWithoutTracer(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	ctx, span := tp.Tracer("test").Start(context.Background(), "caller")
	defer span.End()
	sent := make(chan string, 2)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		sent <- r.Header.Get("Traceparent")
		w.WriteHeader(200)
	})
	plain := New(Config{Provider: "test", Options: mustOptions(t)})
	prop := New(Config{Provider: "test", Options: mustOptions(t, usermgmt.WithTracePropagation(propagation.TraceContext{}))})
	for _, c := range []*Client{plain, prop} {
		if _, err := send(t, c, ctx, http.MethodGet, srv.URL, ByMethod); err != nil {
			t.Fatal(err)
		}
	}
	got := []string{<-sent, <-sent}
	if got[0] != "" || !strings.Contains(got[1], span.SpanContext().SpanID().String()) {
		t.Errorf("traceparent sent: %q; want none, then the caller's span %s", got, span.SpanContext().SpanID())
	}
}

// TestNoTelemetryByDefault: a client without providers or a propagator
// has no telemetry state and sends its requests as they are.
func TestNoTelemetryByDefault(t *testing.T) {
	c := New(Config{Provider: "test", Options: mustOptions(t)})
	if c.tel != nil {
		t.Fatal("telemetry state without providers")
	}
	if rt, ok := c.rc.HTTPClient.Transport.(roundTripOnly); !ok || rt.c != nil {
		t.Fatal("requests pass through the telemetry hook without providers")
	}
}
