package dbsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// ErrQuotaExceeded is the Kind of the *usermgmt.APIError returned when
// registerUser fails because the partner application's license quota is
// used up. Match it with errors.Is.
var ErrQuotaExceeded = errors.New("dbsync: license quota exceeded")

// The message rules of classify, in the order they are tried. The vendor
// does not publish its error messages, so these are chosen to match the
// plain-English wordings such an API uses; every message is kept verbatim
// in APIError.Messages whatever its class.
var (
	unauthorizedWords = []string{"partnerappkey", "partnerapptoken", "application key", "application token",
		"app key", "app token", "unauthori", "not authori", "invalid credential", "access denied"}
	quotaWords = []string{"quota", "license limit", "licence limit", "limit exceeded", "limit reached",
		"no more licen", "no licenses available", "no license available"}
	notFoundWords = []string{"not found", "not exist", "n't exist", "no longer exist", "not registered",
		"unregistered", "no such", "unknown user", "user unknown", "is unknown", "unknown company", "company unknown"}
	conflictWords = []string{"already", "duplicate", "exists"}
)

// classify returns the sentinel that DBSync error messages map to, or nil.
// The first rule that matches any message (case-insensitively) wins:
//
//  1. ErrUnauthorized: the partner credentials are named or refused
//     ("partnerAppKey", "application token", "unauthorized", ...).
//  2. ErrQuotaExceeded: the license quota is used up ("quota",
//     "license limit", "limit exceeded", ...).
//  3. usermgmt.ErrNotFound: the user or company is unknown ("not found",
//     "does not exist", "not registered", "unknown user", ...).
//  4. usermgmt.ErrConflict: the user exists ("already exists",
//     "already registered", "duplicate", "exists").
//
// Not-found is tried before conflict so that "user does not exist" and
// "already unregistered" are not read as conflicts.
func classify(msgs []string) error {
	rules := []struct {
		words []string
		kind  error
	}{
		{unauthorizedWords, usermgmt.ErrUnauthorized},
		{quotaWords, ErrQuotaExceeded},
		{notFoundWords, usermgmt.ErrNotFound},
		{conflictWords, usermgmt.ErrConflict},
	}
	for _, r := range rules {
		for _, m := range msgs {
			m = strings.ToLower(m)
			for _, w := range r.words {
				if strings.Contains(m, w) {
					return r.kind
				}
			}
		}
	}
	return nil
}

// envelope is the Partner API's response wrapper: {"value":[...]}.
type envelope[T any] struct {
	Value []T `json:"value"`
}

// item is what every result item has: the error messages.
type item interface{ messages() []string }

// failed returns the typed error for an answer (resp) whose items carry
// error messages, or nil. Every message of every item is kept.
func (c *Client) failed(ctx context.Context, resp *http.Response, msgs []string) error {
	if len(msgs) == 0 {
		return nil
	}
	return c.t.APIError(ctx, resp, transport.Failure{Messages: msgs, Kind: classify(msgs)})
}

// decode reads a response: a non-2xx answer, or a 2xx answer whose items
// carry error messages, becomes an *usermgmt.APIError; an answer without
// the value array the specification requires (null, {}) is incomplete (see
// transport.Client.Incomplete); otherwise the items are returned.
func decode[T item](c *Client, ctx context.Context, resp *http.Response, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	body, err := c.t.Read(ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	items, err := unmarshalItems[T](body)
	if err != nil {
		// json.Unmarshal checks the syntax of the whole body before it
		// decodes anything: a *json.SyntaxError is a malformed body.
		var se *json.SyntaxError
		if t := bytes.TrimSpace(body); !errors.As(err, &se) && len(t) > 0 && t[0] != '{' { // valid JSON, but not an answer: nothing in it
			return nil, c.t.Incomplete(ctx, resp, []string{"value"})
		}
		return nil, c.t.Unreadable(ctx, resp, err)
	}
	if items == nil { // absent or null
		return nil, c.t.Incomplete(ctx, resp, []string{"value"})
	}
	var msgs []string
	for _, it := range items {
		msgs = append(msgs, it.messages()...)
	}
	if err := c.failed(ctx, resp, msgs); err != nil {
		return nil, err
	}
	return items, nil
}

// unmarshalItems decodes the value array of an answer. An answer of
// License items that hold only the members License models (the usual
// case, told by a scan of the member names) is decoded in one pass into
// the plain fields, without License.UnmarshalJSON's second decoding of
// each item; any other answer goes through UnmarshalJSON, which keeps
// unmodelled members in Extra.
func unmarshalItems[T any](body []byte) ([]T, error) {
	if _, ok := any((*T)(nil)).(*License); ok && onlyLicenseItems(body) {
		var env envelope[licenseFields]
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, err
		}
		if env.Value == nil {
			return nil, nil
		}
		ls := make([]License, len(env.Value))
		for i := range env.Value {
			ls[i] = License(env.Value[i])
		}
		return any(ls).([]T), nil
	}
	var env envelope[T]
	err := json.Unmarshal(body, &env)
	return env.Value, err
}

// readError reads the body of a non-2xx answer. The API documents none (it
// answers 200 and reports errors in errorMessage); proxies and gateways send
// their own. The Partner API's wrapper is read when present, and a
// top-level "message" or "error" string otherwise.
func readError(_ *http.Response, body []byte) transport.Failure {
	var e struct {
		Value []struct {
			ErrorMessage []string `json:"errorMessage"`
		} `json:"value"`
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if len(body) == 0 || json.Unmarshal(body, &e) != nil {
		return transport.Failure{}
	}
	f := transport.Failure{Message: e.Message}
	for _, v := range e.Value {
		f.Messages = append(f.Messages, v.ErrorMessage...)
	}
	if s, ok := e.Error.(string); ok && f.Message == "" {
		f.Message = s
	}
	return f
}
