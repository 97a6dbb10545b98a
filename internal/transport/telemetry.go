package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// telemetry is what a Client records through OpenTelemetry. A Client
// without a tracer provider, a meter provider or a propagator has none
// (nil), and its calls test that one pointer.
type telemetry struct {
	tracer trace.Tracer // nil: no spans
	prop   propagation.TextMapPropagator
	m      *instruments // nil: no metrics
	tp     trace.TracerProvider
	mp     metric.MeterProvider
}

// instruments are created once per Client.
type instruments struct {
	duration metric.Float64Histogram
	attempts metric.Int64Histogram
	retries  metric.Int64Counter
	waits    metric.Float64Histogram
	active   metric.Int64UpDownCounter
}

func newTelemetry(o usermgmt.Options) *telemetry {
	if o.TracerProvider == nil && o.MeterProvider == nil && o.Propagator == nil {
		return nil
	}
	t := &telemetry{prop: o.Propagator, tp: o.TracerProvider, mp: o.MeterProvider}
	if o.TracerProvider != nil {
		t.tracer = o.TracerProvider.Tracer(usermgmt.InstrumentationScope, trace.WithInstrumentationVersion(usermgmt.Version))
	}
	if o.MeterProvider != nil {
		m := o.MeterProvider.Meter(usermgmt.InstrumentationScope, metric.WithInstrumentationVersion(usermgmt.Version))
		var in instruments
		// Creating an instrument of the API never fails in a way that
		// leaves it unusable: an SDK reports a bad name and still returns
		// one.
		in.duration, _ = m.Float64Histogram("usermgmt.client.call.duration", metric.WithUnit("s"),
			metric.WithDescription("Duration of logical calls, retries and waits included."))
		in.attempts, _ = m.Int64Histogram("usermgmt.client.call.attempts", metric.WithUnit("{attempt}"),
			metric.WithDescription("Requests sent per logical call."),
			metric.WithExplicitBucketBoundaries(1, 2, 3, 4, 5, 6, 8, 10))
		in.retries, _ = m.Int64Counter("usermgmt.client.retries", metric.WithUnit("{retry}"),
			metric.WithDescription("Requests resent, by reason."))
		in.waits, _ = m.Float64Histogram("usermgmt.client.rate_limit.wait", metric.WithUnit("s"),
			metric.WithDescription("Waits a server asked for with Retry-After (on 429 or 503) and the client honoured."))
		in.active, _ = m.Int64UpDownCounter("usermgmt.client.calls.active", metric.WithUnit("{call}"),
			metric.WithDescription("Logical calls in flight."))
		t.m = &in
	}
	return t
}

// DirectoryOptions returns the options a provider's NewDirectory passes
// on to usermgmt.NewDirectory: the client's logger, tracer provider and
// meter provider, so that Directory spans enclose the client's.
func (c *Client) DirectoryOptions() []usermgmt.DirectoryOption {
	opts := []usermgmt.DirectoryOption{usermgmt.WithDirectoryLogger(c.logger)}
	if c.tel != nil {
		opts = append(opts, usermgmt.WithDirectoryTracerProvider(c.tel.tp), usermgmt.WithDirectoryMeterProvider(c.tel.mp))
	}
	return opts
}

// callTel is the telemetry state of one call; the call holds it only
// while telemetry is on.
type callTel struct {
	start   time.Time
	span    trace.Span // nil without a tracer
	attempt trace.Span // the attempt in progress, nil between attempts
	attrs   metric.MeasurementOption
}

// startCall starts the call's span and counts it in flight.
func (c *Client) startCall(ctx context.Context, cl *call, req *http.Request) context.Context {
	t := c.tel
	ct := &callTel{start: time.Now()}
	cl.tel = ct
	if t.tracer != nil {
		host, port := serverAddress(req)
		ctx, ct.span = t.tracer.Start(ctx, c.provider+" "+cl.op, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(
				attribute.String("http.request.method", req.Method),
				attribute.String("server.address", host),
				attribute.Int("server.port", port),
				attribute.String(usermgmt.AttrProvider, c.provider),
				attribute.String(usermgmt.AttrOperation, cl.op),
			))
	}
	if t.m != nil {
		ct.attrs = metric.WithAttributeSet(attribute.NewSet(
			attribute.String(usermgmt.AttrProvider, c.provider),
			attribute.String(usermgmt.AttrOperation, cl.op)))
		t.m.active.Add(ctx, 1, ct.attrs)
	}
	return ctx
}

// serverAddress returns the host and port a request goes to.
func serverAddress(req *http.Request) (string, int) {
	if req.URL == nil {
		return "", 0
	}
	host := req.URL.Hostname()
	if p, err := strconv.Atoi(req.URL.Port()); err == nil {
		return host, p
	}
	if req.URL.Scheme == "http" {
		return host, 80
	}
	return host, 443
}

// startAttempt starts the span of the call's next attempt.
func (c *Client) startAttempt(ctx context.Context, cl *call) {
	ct := cl.tel
	if ct == nil || ct.span == nil {
		return
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}
	if n := cl.sent(); n > 0 {
		opts = append(opts, trace.WithAttributes(attribute.Int("http.request.resend_count", n)))
	}
	_, ct.attempt = c.tel.tracer.Start(trace.ContextWithSpan(ctx, ct.span), c.provider+" "+cl.op+" attempt", opts...)
}

// endAttempt ends the span of the attempt that just got resp or err.
func endAttempt(cl *call, resp *http.Response, err error) {
	ct := cl.tel
	if ct == nil || ct.attempt == nil {
		return
	}
	s := ct.attempt
	ct.attempt = nil
	switch {
	case err != nil:
		kind := transportErrorType(err)
		s.SetAttributes(attribute.String("error.type", kind))
		s.SetStatus(codes.Error, kind)
	case resp != nil:
		s.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
		if resp.StatusCode >= 400 {
			kind := strconv.Itoa(resp.StatusCode)
			s.SetAttributes(attribute.String("error.type", kind))
			s.SetStatus(codes.Error, kind)
		}
	}
	s.End()
}

// retried records a retry: an event on the call's span, and the retries
// and rate-limit waits metrics.
func (c *Client) retried(ctx context.Context, cl *call, resp *http.Response, err error, wait time.Duration) {
	ct := cl.tel
	if ct == nil {
		return
	}
	reason := retryReason(resp, err)
	if ct.span != nil {
		ct.span.AddEvent("retry", trace.WithAttributes(
			attribute.String("usermgmt.retry.reason", reason),
			attribute.Float64("usermgmt.retry.wait", wait.Seconds()),
			attribute.Int("usermgmt.retry.attempt", int(cl.attempts)),
		))
	}
	if m := c.tel.m; m != nil {
		m.retries.Add(ctx, 1, metric.WithAttributes(
			attribute.String(usermgmt.AttrProvider, c.provider),
			attribute.String(usermgmt.AttrOperation, cl.op),
			attribute.String("usermgmt.retry.reason", reason)))
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if _, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				m.waits.Record(ctx, wait.Seconds(), metric.WithAttributes(
					attribute.String(usermgmt.AttrProvider, c.provider),
					attribute.String(usermgmt.AttrOperation, cl.op),
					attribute.Int("http.response.status_code", resp.StatusCode)))
			}
		}
	}
}

// endCall ends the call's span and records its metrics.
func (c *Client) endCall(ctx context.Context, cl *call, resp *http.Response, err error) {
	ct := cl.tel
	if ct == nil {
		return
	}
	endAttempt(cl, resp, err) // an attempt checkRetry never saw (a body that could not be rewound)
	outcome := "ok"
	switch {
	case err != nil:
		outcome = transportErrorType(err)
	case resp != nil && resp.StatusCode >= 400:
		outcome = strconv.Itoa(resp.StatusCode)
	}
	if s := ct.span; s != nil {
		s.SetAttributes(attribute.Int(usermgmt.AttrAttempts, cl.sent()))
		if resp != nil {
			s.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
		}
		if outcome != "ok" {
			s.SetAttributes(attribute.String("error.type", outcome))
			s.SetStatus(codes.Error, outcome)
		}
		s.End()
	}
	if m := c.tel.m; m != nil {
		m.active.Add(ctx, -1, ct.attrs)
		m.duration.Record(ctx, time.Since(ct.start).Seconds(), metric.WithAttributes(
			attribute.String(usermgmt.AttrProvider, c.provider),
			attribute.String(usermgmt.AttrOperation, cl.op),
			attribute.String(usermgmt.AttrOutcome, outcome)))
		m.attempts.Record(ctx, int64(cl.sent()), ct.attrs)
	}
}

// transportErrorType names a call's failure in one word for error.type:
// "outcome_unknown" when a write may have been applied, else its cause.
func transportErrorType(err error) string {
	if errors.Is(err, usermgmt.ErrOutcomeUnknown) {
		return "outcome_unknown"
	}
	return causeOf(err)
}

// causeOf names the cause of a transport error.
func causeOf(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, ErrAttemptsSpent):
		return "attempts_spent"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.EPIPE):
		return "connection_reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case neverSent(err):
		return "connection_failed"
	}
	return "_OTHER"
}

// retryReason names why an attempt is retried: http_<status> or the
// transport error's cause.
func retryReason(resp *http.Response, err error) string {
	if err != nil {
		return causeOf(err)
	}
	if resp != nil {
		return "http_" + strconv.Itoa(resp.StatusCode)
	}
	return "_OTHER"
}

// attemptRequest puts the attempt's span in the context of req, so that
// an instrumented http.Client nests its own span inside it, and injects
// the trace context into a copy of its headers when the client propagates
// it. req itself is not modified.
func (c *Client) attemptRequest(req *http.Request) *http.Request {
	ctx := req.Context()
	traced := false
	if cl := callFrom(ctx); cl != nil && cl.tel != nil && cl.tel.attempt != nil {
		ctx, traced = trace.ContextWithSpan(ctx, cl.tel.attempt), true
	}
	if !traced && c.tel.prop == nil {
		return req
	}
	r := req.WithContext(ctx)
	if c.tel.prop != nil {
		r.Header = req.Header.Clone()
		if r.Header == nil {
			r.Header = http.Header{}
		}
		c.tel.prop.Inject(ctx, propagation.HeaderCarrier(r.Header))
	}
	return r
}
