package transport

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Failure is what a provider read from an error response body.
type Failure struct {
	Code      string
	Message   string
	Messages  []string
	RequestID string
	// Kind overrides the sentinel derived from the status, e.g. ErrConflict
	// for a 200 whose body says the user exists.
	Kind error
}

// APIError turns a failed response into the SDK's typed error. resp may be
// nil for a failure read from a 2xx body. A 5xx answer to a request that is
// not idempotent is wrapped in *usermgmt.OutcomeUnknownError, since the
// server may have applied it before failing. Known secrets are scrubbed from
// every message.
func (c *Client) APIError(ctx context.Context, resp *http.Response, f Failure) error {
	scrub := c.scrubber(ctx, resp)
	e := &usermgmt.APIError{
		Provider:  c.provider,
		Operation: Operation(ctx),
		Code:      scrub(f.Code),
		Message:   scrub(f.Message),
		RequestID: scrub(f.RequestID),
		Kind:      f.Kind,
	}
	for _, m := range f.Messages {
		e.Messages = append(e.Messages, scrub(m))
	}
	if resp == nil {
		return e
	}
	e.StatusCode = resp.StatusCode
	if e.RequestID == "" {
		for _, h := range []string{"X-Request-Id", "X-Correlation-Id", "Request-Id"} {
			if v := resp.Header.Get(h); v != "" {
				e.RequestID = scrub(v)
				break
			}
		}
	}
	if ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = ra
	}
	if e.Kind == nil {
		e.Kind = usermgmt.KindForStatus(resp.StatusCode)
		// The retry rule (see decide): an answer the policy would retry
		// that asks for a longer wait than MaxDelay stopped the call; the
		// server asked the client to wait, whatever the status.
		if retryableStatus(resp.StatusCode) && e.RetryAfter > c.policy.MaxDelay {
			e.Kind = usermgmt.ErrRateLimited
		}
	}
	if resp.Request != nil {
		if cl := callFrom(resp.Request.Context()); cl != nil && cl.sent() > 1 {
			e.Attempts = cl.sent()
		}
	}
	if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && changesState(ctx, resp.Request) {
		return &usermgmt.OutcomeUnknownError{Provider: c.provider, Operation: e.Operation, Err: e}
	}
	return e
}

// changesState reports whether the request behind a response may have
// changed state on the server (see call.changesState).
func changesState(ctx context.Context, req *http.Request) bool {
	if req != nil {
		if cl := callFrom(req.Context()); cl != nil {
			return cl.changesState()
		}
		return !safeMethod(req.Method)
	}
	if cl := callFrom(ctx); cl != nil && (cl.idempotency == NotIdempotent || cl.idempotency == IdempotentWrite) {
		return true
	}
	return false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// scrubber returns a function that replaces in a message every secret the
// client was configured with and every secret of the call behind ctx or
// resp (see AddSecrets), in every encoding a server may echo it in (see
// pattern). The patterns are built once per secret, not per message.
func (c *Client) scrubber(ctx context.Context, resp *http.Response) func(string) string {
	lists := c.secretPatterns(ctx, resp)
	return func(s string) string { return redact(s, false, lists...) }
}

// secretPatterns returns the patterns of the client's secrets and of the
// call behind ctx or resp.
func (c *Client) secretPatterns(ctx context.Context, resp *http.Response) []patterns {
	lists := make([]patterns, 1, 3)
	lists[0] = c.secrets.patterns
	var seen *secretSet
	if cl := callFrom(ctx); cl != nil {
		lists = append(lists, cl.secrets.patterns())
		seen = cl.secrets
	}
	if resp != nil && resp.Request != nil {
		if cl := callFrom(resp.Request.Context()); cl != nil && cl.secrets != seen {
			lists = append(lists, cl.secrets.patterns())
		}
	}
	return lists
}

// CheckContext returns a *usermgmt.InputError (matching
// usermgmt.ErrInvalidInput) when ctx is nil, and nil otherwise. A provider
// client calls it first in every method that takes a context, so that a nil
// context is reported as bad input instead of panicking inside net/http.
func CheckContext(ctx context.Context, provider, operation string) error {
	if ctx == nil {
		return nilContextError(provider, operation)
	}
	return nil
}

func nilContextError(provider, operation string) error {
	return &usermgmt.InputError{Provider: provider, Operation: operation, Field: "ctx",
		Reason: "must not be nil; pass context.Background() or context.TODO()"}
}

// Input returns a *usermgmt.InputError for this provider.
func (c *Client) Input(operation, field, reason string) error {
	return &usermgmt.InputError{Provider: c.provider, Operation: operation, Field: field, Reason: reason}
}

// ParseBaseURL validates a provider base URL: absolute, http or https, with
// a host, no credentials, query or fragment; plain http only for loopback
// hosts unless allowInsecure. The result has no trailing slash.
func ParseBaseURL(provider, raw string, allowInsecure bool) (string, error) {
	bad := func(reason string) error {
		return &usermgmt.InputError{Provider: provider, Operation: "New", Field: "base URL", Reason: reason}
	}
	if raw == "" {
		return "", bad("must not be empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("cannot be parsed")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", bad("scheme must be https or http")
	case u.Host == "":
		return "", bad("has no host")
	case u.User != nil:
		return "", bad("must not carry credentials; pass them to the client instead")
	case u.RawQuery != "" || u.Fragment != "":
		return "", bad("must not have a query or fragment")
	case u.Scheme == "http" && !allowInsecure && !isLoopback(u.Hostname()):
		return "", bad("plain http to a host that is not loopback would send credentials in clear text; use https or usermgmt.WithInsecureHTTP()")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
