package syncari

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
)

// errorEnvelope is Syncari's error answer: the response envelope with
// success false. Its fields are not published (see specs/README.md), so
// every plausible one is read and none is required.
type errorEnvelope struct {
	Success          *bool  `json:"success"`
	RequestID        string `json:"requestId"`
	Message          string `json:"message"`
	Code             any    `json:"code"`
	Errors           []any  `json:"errors"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func failureFromEnvelope(body []byte) transport.Failure {
	var e errorEnvelope
	if len(body) == 0 || json.Unmarshal(body, &e) != nil {
		return transport.Failure{}
	}
	f := transport.Failure{RequestID: e.RequestID, Message: e.Message}
	if e.Code != nil {
		f.Code = strings.TrimSpace(fmt.Sprint(e.Code))
	}
	if f.Message == "" {
		f.Message = e.ErrorDescription
	}
	if f.Code == "" {
		f.Code = e.Error
	}
	for _, x := range e.Errors {
		if s, ok := x.(string); ok {
			f.Messages = append(f.Messages, s)
		} else if m, ok := x.(map[string]any); ok {
			if s, ok := m["message"].(string); ok {
				f.Messages = append(f.Messages, s)
			}
		}
	}
	return f
}

// scrub replaces secret in s, in every encoding a server may echo it in
// (the token request sends it form-encoded, and a server may quote that
// JSON- or HTML-escaped, percent-encoded or in base64).
func scrub(s, secret string) string {
	return transport.Redact(s, secret)
}
