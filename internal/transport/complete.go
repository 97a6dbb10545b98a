package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
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

// MissingKeys returns, prefixed with prefix, the keys of keys that the JSON
// object raw lacks or holds as null. When raw is not an object at all (null,
// absent, an array, a string), it returns prefix itself, or every key when
// prefix is empty.
func MissingKeys(raw []byte, prefix string, keys ...string) []string {
	var obj map[string]json.RawMessage
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		if prefix != "" {
			return []string{prefix}
		}
		return append([]string(nil), keys...)
	}
	var out []string
	for _, k := range keys {
		if v, ok := obj[k]; !ok || string(bytes.TrimSpace(v)) == "null" {
			out = append(out, join(prefix, k))
		}
	}
	return out
}

// MissingInItems is MissingKeys for each item of the JSON array raw, naming
// the items prefix[i]. When raw is not an array, it returns prefix.
func MissingInItems(raw []byte, prefix string, keys ...string) []string {
	var items []json.RawMessage
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return []string{prefix}
	}
	var out []string
	for i, it := range items {
		out = append(out, MissingKeys(it, prefix+"["+strconv.Itoa(i)+"]", keys...)...)
	}
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
