package transport

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/hashicorp/go-retryablehttp"
)

const redacted = "[REDACTED]"

// headerAttrs renders h for a log record: the value of an allow-listed header
// as it is, every other header as "[REDACTED]". An allow-list, not a
// deny-list, so that a header nobody thought of cannot leak a credential.
func (c *Client) headerAttrs(h http.Header, scrub func(string) string) slog.Attr {
	attrs := make([]any, 0, len(h))
	for name, vals := range h {
		v := redacted
		if c.logged[name] && len(vals) > 0 {
			v = scrub(vals[0]) // a server may echo a credential in any header
		}
		attrs = append(attrs, slog.String(name, v))
	}
	return slog.Group("headers", attrs...)
}

func (c *Client) logRequest(_ retryablehttp.Logger, req *http.Request, attempt int) {
	ctx := req.Context()
	c.logger.LogAttrs(ctx, slog.LevelDebug, "usermgmt: request",
		slog.String("provider", c.provider),
		slog.String("operation", Operation(ctx)),
		slog.Int("attempt", attempt+1),
		slog.String("method", req.Method),
		slog.String("url", redactURL(req.URL.String())),
		c.headerAttrs(req.Header, c.scrubber(ctx, nil)),
	)
}

func (c *Client) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	ctx := context.Background()
	op := "request"
	if resp.Request != nil {
		ctx = resp.Request.Context()
		op = Operation(ctx)
	}
	scrub := c.scrubber(ctx, resp)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "usermgmt: response",
		slog.String("provider", c.provider),
		slog.String("operation", op),
		slog.Int("status", resp.StatusCode),
		c.headerAttrs(resp.Header, scrub),
	)
}
