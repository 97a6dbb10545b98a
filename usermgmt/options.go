package usermgmt

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Version is the version of this module, sent in the User-Agent header.
const Version = "0.1.0"

// Defaults applied by NewOptions to the fields a caller leaves unset.
const (
	// DefaultTimeout bounds a logical call (every attempt and backoff) whose
	// context has no deadline.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxResponseBytes caps the size of a response body.
	DefaultMaxResponseBytes = 10 << 20
)

// Options are the settings shared by every provider client. Build them with
// NewOptions from Option values; provider packages take ...Option in their
// constructors and call NewOptions themselves, so users rarely touch this
// type directly.
type Options struct {
	// HTTPClient sends the requests. Nil means a client of the SDK's own
	// with pooled connections. A caller's client is never modified and its
	// Transport, Jar, CheckRedirect and Timeout are honoured, with one
	// exception: the SDK sends through a copy that refuses a redirect to
	// another scheme or host before consulting CheckRedirect, so that no
	// credential (in a header or a resent body) can reach another host.
	HTTPClient *http.Client
	// Retry is the retry policy (see RetryPolicy).
	Retry RetryPolicy
	// Logger receives one debug record per attempt, with secrets redacted
	// in every encoding: provider, operation, method, path (no query),
	// attempt, status or error, duration, the backoff before the next
	// attempt when there is one, then the allow-listed request and response
	// headers. Nil (the default) logs nothing.
	Logger *slog.Logger
	// UserAgent is appended to the SDK's own User-Agent.
	UserAgent string
	// Timeout bounds a logical call whose context has no deadline. Zero means
	// DefaultTimeout; negative means no bound.
	Timeout time.Duration
	// MaxResponseBytes caps a response body; a larger one fails the call.
	// Zero means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// AllowInsecureHTTP permits plain http:// base URLs for hosts other than
	// loopback. Credentials would cross the network in clear text: use it
	// only inside a trusted network.
	AllowInsecureHTTP bool
	// LogHeaders names extra request or response headers whose values may
	// appear in logs. Every header not on the allow-list is logged as
	// "[REDACTED]".
	LogHeaders []string
	// TracerProvider, when set, records a span for every logical call with
	// a child span per attempt (see the package documentation,
	// Observability). Nil (the default) records nothing and costs nothing.
	TracerProvider trace.TracerProvider
	// MeterProvider, when set, records the client's metrics. Nil (the
	// default) records nothing.
	MeterProvider metric.MeterProvider
	// Propagator, when set, injects the trace context of each attempt into
	// its request headers (e.g. traceparent). Nil (the default) sends no
	// trace context to the provider's API.
	Propagator propagation.TextMapPropagator
}

// Option sets one of the Options.
type Option func(*Options) error

// NewOptions applies opts to the defaults and validates the result.
func NewOptions(opts ...Option) (Options, error) {
	o := Options{Retry: DefaultRetryPolicy()}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return Options{}, err
		}
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxResponseBytes == 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.MaxResponseBytes < 0 {
		return Options{}, errors.New("usermgmt: MaxResponseBytes must not be negative")
	}
	if err := o.Retry.validate(); err != nil {
		return Options{}, err
	}
	return o, nil
}

// WithHTTPClient sends requests through c instead of the SDK's own client.
func WithHTTPClient(c *http.Client) Option {
	return func(o *Options) error {
		if c == nil {
			return errors.New("usermgmt: WithHTTPClient: nil client")
		}
		o.HTTPClient = c
		return nil
	}
}

// WithRetry sets the retry policy. Fields left zero take their defaults;
// use NoRetries() to send every request once.
func WithRetry(p RetryPolicy) Option {
	return func(o *Options) error {
		o.Retry = p.withDefaults()
		return nil
	}
}

// WithLogger turns on debug logging through l. Header values not on the
// allow-list, bodies, and query strings are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *Options) error {
		o.Logger = l
		return nil
	}
}

// WithUserAgent appends s to the User-Agent header. s must not contain
// control characters (CR, LF, other C0 characters, DEL): they cannot be
// sent in a header, and CR or LF would split it.
func WithUserAgent(s string) Option {
	return func(o *Options) error {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c == 0x7f {
				return &InputError{Provider: "usermgmt", Operation: "WithUserAgent", Field: "user agent",
					Reason: fmt.Sprintf("contains the control character %U at byte %d", rune(c), i)}
			}
		}
		o.UserAgent = s
		return nil
	}
}

// WithTimeout bounds each logical call whose context has no deadline,
// retries included. A negative d removes the bound.
func WithTimeout(d time.Duration) Option {
	return func(o *Options) error {
		o.Timeout = d
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body.
func WithMaxResponseBytes(n int64) Option {
	return func(o *Options) error {
		if n <= 0 {
			return fmt.Errorf("usermgmt: WithMaxResponseBytes: %d is not positive", n)
		}
		o.MaxResponseBytes = n
		return nil
	}
}

// WithInsecureHTTP permits a plain http:// base URL for a host that is not
// loopback. Loopback URLs (httptest servers, the fakes) never need it.
func WithInsecureHTTP() Option {
	return func(o *Options) error {
		o.AllowInsecureHTTP = true
		return nil
	}
}

// WithLoggedHeaders adds header names to the logging allow-list.
func WithLoggedHeaders(names ...string) Option {
	return func(o *Options) error {
		o.LogHeaders = append(o.LogHeaders[:len(o.LogHeaders):len(o.LogHeaders)], names...)
		return nil
	}
}

// WithTracerProvider records OpenTelemetry spans through tp: one span per
// logical call, named "<provider> <operationId>", with a child span per
// attempt and a "retry" event per wait. Nil records nothing.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *Options) error {
		o.TracerProvider = tp
		return nil
	}
}

// WithMeterProvider records OpenTelemetry metrics through mp (call
// duration, attempts, retries, rate-limit waits, calls in flight). Nil
// records nothing.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *Options) error {
		o.MeterProvider = mp
		return nil
	}
}

// WithTracePropagation sends the trace context of each attempt to the
// provider's API in the headers p injects (propagation.TraceContext{}
// sends traceparent and tracestate). Without it no trace context leaves
// the process. It needs no tracer provider: without one, the context of
// the caller's own span is sent.
func WithTracePropagation(p propagation.TextMapPropagator) Option {
	return func(o *Options) error {
		o.Propagator = p
		return nil
	}
}
