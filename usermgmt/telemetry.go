package usermgmt

import (
	"context"
	"errors"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// InstrumentationScope is the name of the OpenTelemetry tracer and meter
// the SDK records through.
const InstrumentationScope = "github.com/usermgmt-go/sdk"

// Attribute keys the SDK records on spans and metrics, besides the
// OpenTelemetry semantic conventions' own (http.request.method,
// server.address, error.type, ...). Their values have a low cardinality:
// never an id, an email or a URL.
const (
	// AttrProvider names the provider package, e.g. "bss".
	AttrProvider = "usermgmt.provider"
	// AttrOperation names the API operation (its OpenAPI operationId) or
	// the Directory method.
	AttrOperation = "usermgmt.operation"
	// AttrAttempts is the number of requests a call sent.
	AttrAttempts = "usermgmt.attempts"
	// AttrOutcome is "ok" or the kind of failure (the value error.type
	// would have) on metrics; the item outcome on Provision and Apply.
	AttrOutcome = "usermgmt.outcome"
)

// WithDirectoryTracerProvider records a span for every Directory method
// ("<provider> Directory.CreateUser"), for the look-up that settles a
// create of unknown outcome ("<provider> Directory.settle"), and for
// Provision and Apply with a child span per user. The clients' calls nest
// inside them. Provider constructors pass the client's tracer provider
// (usermgmt.WithTracerProvider); nil records nothing.
func WithDirectoryTracerProvider(tp trace.TracerProvider) DirectoryOption {
	return func(d *Directory) { d.tp = tp }
}

// WithDirectoryMeterProvider records the items Provision and Apply handle,
// by outcome (usermgmt.provision.items, usermgmt.apply.items). Provider
// constructors pass the client's meter provider; nil records nothing.
func WithDirectoryMeterProvider(mp metric.MeterProvider) DirectoryOption {
	return func(d *Directory) { d.mp = mp }
}

// dirMetrics are the Directory's instruments, created once.
type dirMetrics struct {
	provisionItems metric.Int64Counter
	applyItems     metric.Int64Counter
}

// initTelemetry builds the tracer and the instruments from the providers
// the options set. With neither, the Directory records nothing and its
// methods test one nil pointer each.
func (d *Directory) initTelemetry() {
	if d.tp != nil {
		d.tracer = d.tp.Tracer(InstrumentationScope, trace.WithInstrumentationVersion(Version))
	}
	if d.mp != nil {
		m := d.mp.Meter(InstrumentationScope, metric.WithInstrumentationVersion(Version))
		var dm dirMetrics
		// The API's instruments never fail to be created: an error only
		// reports a misconfigured SDK, which still returns a usable one.
		dm.provisionItems, _ = m.Int64Counter("usermgmt.provision.items", metric.WithUnit("{user}"),
			metric.WithDescription("Users handled by Provision, by outcome."))
		dm.applyItems, _ = m.Int64Counter("usermgmt.apply.items", metric.WithUnit("{item}"),
			metric.WithDescription("Plan items handled by Apply, by outcome."))
		d.metrics = &dm
	}
	d.tp, d.mp = nil, nil
}

// startSpan starts the span of a Directory method. Call it only when
// d.tracer is set.
func (d *Directory) startSpan(ctx context.Context, name string) (context.Context, trace.Span) {
	if ctx == nil { // the method reports it; there is nothing to trace
		return ctx, nil
	}
	return d.tracer.Start(ctx, d.provider+" "+name, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attribute.String(AttrProvider, d.provider), attribute.String(AttrOperation, name)))
}

// endSpan ends span (nil for none) with err's kind as error.type and as
// the status description: never the error's text, which may quote what a
// server sent.
func endSpan(span trace.Span, err error) {
	if span == nil {
		return
	}
	if err != nil {
		kind := ErrorKind(err)
		span.SetAttributes(attribute.String("error.type", kind))
		span.SetStatus(codes.Error, kind)
	}
	span.End()
}

// ErrorKind names the kind of err in one low-cardinality word, as the SDK
// records it in error.type: "not_found", "conflict", "unauthorized",
// "rate_limited", "outcome_unknown", "invalid_input", "unsupported",
// "timeout", "canceled", "paging_loop", "mass_removal", an API failure's
// HTTP status ("500"), or "_OTHER". Nil is "".
func ErrorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrOutcomeUnknown):
		return "outcome_unknown"
	case errors.Is(err, ErrInvalidInput):
		return "invalid_input"
	case errors.Is(err, errors.ErrUnsupported):
		return "unsupported"
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrConflict):
		return "conflict"
	case errors.Is(err, ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, ErrPagingLoop):
		return "paging_loop"
	case errors.Is(err, ErrMassRemoval):
		return "mass_removal"
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode != 0 {
		return strconv.Itoa(ae.StatusCode)
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "timeout"
	}
	return "_OTHER"
}

// itemSpan starts the child span of one item of a Provision or Apply
// run; nil when d records no spans.
func (d *Directory) itemSpan(ctx context.Context, name string) (context.Context, trace.Span) {
	if d.tracer == nil {
		return ctx, nil
	}
	return d.tracer.Start(ctx, d.provider+" "+name, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attribute.String(AttrProvider, d.provider)))
}

// endItem ends an item's span (nil for none) with its outcome.
func endItem(span trace.Span, outcome string, err error, failed bool) {
	if span == nil {
		return
	}
	span.SetAttributes(attribute.String(AttrOutcome, outcome))
	if failed {
		endSpan(span, err)
		return
	}
	span.End()
}

// countItem counts one item of a run by its outcome.
func (d *Directory) countItem(ctx context.Context, c metric.Int64Counter, outcome string) {
	c.Add(ctx, 1, metric.WithAttributes(attribute.String(AttrProvider, d.provider), attribute.String(AttrOutcome, outcome)))
}
