package vendorusers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// errorBody is the service's error answer. Only "numeric application
// codes" are published, not the shape (see specs/README.md), so the
// plausible fields are read and none is required.
type errorBody struct {
	Code    any    `json:"code"`
	Message string `json:"message"`
	Error   any    `json:"error"`
}

// failure reads an error body. ok is false when the body is not a JSON
// object carrying a code or a message.
func failure(body []byte) (transport.Failure, bool) {
	var e errorBody
	if len(body) == 0 || json.Unmarshal(body, &e) != nil {
		return transport.Failure{}, false
	}
	return e.failure()
}

func (e *errorBody) failure() (f transport.Failure, ok bool) {
	if e.Code != nil {
		f.Code = strings.TrimSpace(fmt.Sprint(e.Code))
	}
	f.Message = e.Message
	if s, isString := e.Error.(string); isString && f.Message == "" {
		f.Message = s
	}
	return f, f.Code != "" || f.Message != ""
}

// kindFromMessage refines the sentinel an error matches from its message,
// for a service that reports a missing user or a taken username with a
// status other than 404 or 409 (its statuses are not published).
func kindFromMessage(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "already exists"), strings.Contains(m, "already registered"), strings.Contains(m, "already taken"):
		return usermgmt.ErrConflict
	case strings.Contains(m, "not found"), strings.Contains(m, "does not exist"), strings.Contains(m, "no such user"):
		return usermgmt.ErrNotFound
	}
	return nil
}

// readError reads the service's error body of a non-2xx answer. A 400 or
// 422 whose message says the user is missing or already exists matches
// ErrNotFound or ErrConflict; other statuses keep their usual sentinel.
func readError(resp *http.Response, body []byte) transport.Failure {
	f, _ := failure(body)
	switch resp.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound, http.StatusConflict:
		f.Kind = kindFromMessage(f.Message)
	}
	return f
}

// bodyError turns a 2xx answer that lacks the expected element into an
// error. When the body carries the service's error fields, the call failed
// and the error says so. Otherwise (null, {}) the answer is incomplete, see
// incomplete.
func (c *Client) bodyError(ctx context.Context, resp *http.Response, e *errorBody, changes bool, element string) error {
	f, ok := e.failure()
	if !ok {
		return c.incomplete(ctx, resp, changes, element)
	}
	f.Kind = kindFromMessage(f.Message)
	return c.t.APIError(ctx, resp, f)
}

// incomplete reports a 2xx answer that lacks what the spec says it always
// carries. It is not a success: the error is an *usermgmt.APIError with
// the answer's status, wrapped in an *usermgmt.OutcomeUnknownError when the
// call may have changed state (changes), since the change may have been
// applied although the answer does not show it.
func (c *Client) incomplete(ctx context.Context, resp *http.Response, changes bool, missing ...string) error {
	err := c.t.APIError(ctx, resp, transport.Failure{Message: "incomplete answer: missing " + strings.Join(missing, ", ")})
	if changes {
		return &usermgmt.OutcomeUnknownError{Provider: provider, Operation: transport.Operation(ctx), Err: err}
	}
	return err
}
