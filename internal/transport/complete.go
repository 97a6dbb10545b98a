package transport

import (
	"context"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Incomplete returns the error for a 2xx answer that lacks fields the
// specification requires (a body of null or {}, a user without its id):
// such an answer proves nothing. The error is an *usermgmt.APIError with
// the status and the message "incomplete answer: missing <fields>"; for a
// call that may change state it is wrapped in *usermgmt.OutcomeUnknownError,
// since the server may have applied the change before answering so.
func (c *Client) Incomplete(ctx context.Context, resp *http.Response, missing []string) error {
	e := &usermgmt.APIError{
		Provider:  c.provider,
		Operation: Operation(ctx),
		Message:   "incomplete answer: missing " + strings.Join(missing, ", "),
	}
	var req *http.Request
	if resp != nil {
		e.StatusCode = resp.StatusCode
		req = resp.Request
	}
	if changesState(ctx, req) {
		return &usermgmt.OutcomeUnknownError{Provider: c.provider, Operation: e.Operation, Err: e}
	}
	return e
}

// Unreadable returns the error for a 2xx answer whose body could not be
// decoded, as DecodeJSON does, for providers that read the body themselves.
func (c *Client) Unreadable(ctx context.Context, resp *http.Response, err error) error {
	return c.unreadable(ctx, resp, err)
}
