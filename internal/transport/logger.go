package transport

import "log/slog"

// Logger returns the logger the client was configured with, or nil: the
// Directory over a provider's client logs its own decisions to it.
func (c *Client) Logger() *slog.Logger { return c.logger }
