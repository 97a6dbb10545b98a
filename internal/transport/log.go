package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

const redacted = "[REDACTED]"

// headerAttrs renders h for a log record: the value of an allow-listed
// header scrubbed of secrets (a server chooses the values of response
// headers, and may echo a credential in any of them), every other header as
// "[REDACTED]". An allow-list, not a deny-list, so that a header nobody
// thought of cannot leak a credential. A header whose name holds a secret
// (a server chooses response header names too) is left out.
func (c *Client) headerAttrs(group string, h http.Header, lists []patterns) slog.Attr {
	attrs := make([]any, 0, len(h))
	for name, vals := range h {
		if redact(name, true, lists...) != name {
			continue
		}
		v := redacted
		if c.logged[name] && len(vals) > 0 {
			v = redact(vals[0], false, lists...)
		}
		attrs = append(attrs, slog.String(name, v))
	}
	return slog.Group(group, attrs...)
}

// logAttempt writes the one debug record of an attempt. Its attributes
// come in a fixed order: provider, operation, method, path (without the
// query, scrubbed), attempt, status or error, duration, backoff (the wait
// before the next attempt, when there is one), then the allow-listed
// request and response headers.
func (c *Client) logAttempt(ctx context.Context, cl *call, resp *http.Response, err error, retry bool, wait time.Duration) {
	lists := c.secretPatterns(ctx, resp)
	path := cl.path
	if resp != nil && resp.Request != nil && resp.Request.URL != nil {
		path = resp.Request.URL.EscapedPath() // after redirects
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("provider", c.provider),
		slog.String("operation", cl.op),
		slog.String("method", cl.method),
		slog.String("path", redact(path, false, lists...)),
		slog.Int("attempt", int(cl.attempts)),
	)
	if err != nil {
		attrs = append(attrs, slog.String("error", redact(unwrapURLError(err).Error(), false, lists...)))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	attrs = append(attrs, slog.Duration("duration", time.Since(cl.attemptStart)))
	if retry {
		attrs = append(attrs, slog.Duration("backoff", wait))
	}
	if cl.header != nil {
		attrs = append(attrs, c.headerAttrs("request_headers", cl.header, lists))
	}
	if resp != nil {
		attrs = append(attrs, c.headerAttrs("response_headers", resp.Header, lists))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "usermgmt: request", attrs...)
}
