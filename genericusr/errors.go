package genericusr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// errorBody is the API's error answer,
// {"error":{"type":"Exception","message":"Unknown userId Error"}}. The
// member is read leniently: an object with type and message, or a bare
// string taken as the message.
type errorBody struct {
	Error json.RawMessage `json:"error"`
}

type errorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// errorIn reports whether body is the API's error object, and reads it. The
// API may report an error in a 2xx answer too, so every body goes through
// it.
func errorIn(body []byte) (transport.Failure, bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return transport.Failure{}, false
	}
	var e errorBody
	if json.Unmarshal(body, &e) != nil {
		return transport.Failure{}, false
	}
	return errorMember(e.Error)
}

// errorMember reads the value of an error object's "error" member; ok is
// false when it is missing or null.
func errorMember(raw json.RawMessage) (transport.Failure, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return transport.Failure{}, false
	}
	var f transport.Failure
	var d errorDetail
	var s string
	switch {
	case json.Unmarshal(raw, &d) == nil:
		f.Code, f.Message = d.Type, d.Message
	case json.Unmarshal(raw, &s) == nil:
		f.Message = s
	}
	if f.Message == "" && f.Code == "" {
		f.Message = "the server reported an error without a message"
	}
	f.Kind = kindOf(f.Message)
	return f, true
}

// readError reads the error body of a non-2xx answer. The status decides
// for 401, 403 and 429, whatever the message says ("Unknown user" may well
// mean bad credentials there).
func readError(resp *http.Response, body []byte) transport.Failure {
	f, _ := errorIn(body)
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
		f.Kind = nil
	}
	return f
}

// kindOf maps the API's error messages to sentinels: "Unknown userId
// Error" (and the like for accounts) is ErrNotFound, a username that is
// taken is ErrConflict. Other messages leave the choice to the HTTP status.
func kindOf(message string) error {
	m := strings.ToLower(message)
	switch {
	case strings.Contains(m, "unknown") && (strings.Contains(m, "id") || strings.Contains(m, "user") || strings.Contains(m, "account")),
		strings.Contains(m, "not found"), strings.Contains(m, "does not exist"), strings.Contains(m, "no such"):
		return usermgmt.ErrNotFound
	case strings.Contains(m, "already exists"), strings.Contains(m, "already in use"),
		strings.Contains(m, "already taken"), strings.Contains(m, "duplicate"):
		return usermgmt.ErrConflict
	}
	return nil
}
