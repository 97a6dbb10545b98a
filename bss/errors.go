package bss

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// errorBody is the assumed BSS error body (specs/README.md): an open object
// with an optional code, message and errors, all of unknown type.
type errorBody struct {
	Code    any    `json:"code"`
	Message string `json:"message"`
	Errors  any    `json:"errors"`
}

// readError reads a BSS error answer. Besides the status, a code naming a
// missing user (…NOT_FOUND) or an existing one (…ALREADY_EXISTS, …DUPLICATE…,
// …CONFLICT…) selects ErrNotFound or ErrConflict.
func readError(_ *http.Response, body []byte) transport.Failure {
	var e errorBody
	if len(body) == 0 || json.Unmarshal(body, &e) != nil {
		return transport.Failure{}
	}
	f := transport.Failure{Message: e.Message}
	if e.Code != nil {
		f.Code = strings.TrimSpace(fmt.Sprint(e.Code))
	}
	f.Messages = messages(e.Errors)
	code := strings.ToUpper(f.Code)
	switch {
	case strings.HasSuffix(code, "NOT_FOUND"):
		f.Kind = usermgmt.ErrNotFound
	case strings.Contains(code, "ALREADY_EXISTS"), strings.Contains(code, "DUPLICATE"), strings.Contains(code, "CONFLICT"):
		f.Kind = usermgmt.ErrConflict
	}
	return f
}

// messages collects the strings of an errors value of unknown shape: a
// string, a list of strings or of objects with a message, or an object whose
// values are strings or lists of strings (per-field errors).
func messages(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			switch e := e.(type) {
			case string:
				out = append(out, e)
			case map[string]any:
				if s, ok := e["message"].(string); ok {
					out = append(out, s)
				}
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			for _, m := range messages(x[k]) {
				out = append(out, k+": "+m)
			}
		}
	}
	return out
}
