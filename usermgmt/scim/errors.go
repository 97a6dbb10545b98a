package scim

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// scimError is an error answered as RFC 7644 §3.12 describes.
type scimError struct {
	status     int
	scimType   string
	detail     string
	retryAfter time.Duration
}

func (e *scimError) Error() string { return e.detail }

func errorBody(status int, scimType, detail string) map[string]any {
	b := map[string]any{"schemas": []any{errorSchema}, "status": strconv.Itoa(status), "detail": detail}
	if scimType != "" {
		b["scimType"] = scimType
	}
	return b
}

// outcomeUnknownRetry is the wait suggested after a change whose outcome
// is unknown: long enough for the directory to settle, short for an IdP.
const outcomeUnknownRetry = 30 * time.Second

// toSCIM maps an error from the directory (or the bridge) to a SCIM error.
// The SDK's errors carry no credentials, so their text can be shown.
func toSCIM(err error) *scimError {
	var se *scimError
	if errors.As(err, &se) {
		return se
	}
	var fe *filterError
	if errors.As(err, &fe) {
		return &scimError{status: http.StatusBadRequest, scimType: "invalidFilter", detail: fe.msg}
	}
	var ae *usermgmt.APIError
	errors.As(err, &ae)
	switch {
	case errors.Is(err, usermgmt.ErrRateLimited):
		ra := time.Second
		if ae != nil && ae.RetryAfter > ra {
			ra = ae.RetryAfter
		}
		return &scimError{status: http.StatusTooManyRequests, detail: err.Error(), retryAfter: ra}
	case errors.Is(err, usermgmt.ErrOutcomeUnknown):
		return &scimError{status: http.StatusServiceUnavailable, retryAfter: outcomeUnknownRetry,
			detail: "the directory did not confirm whether the change was applied; look the resource up before retrying: " + err.Error()}
	case errors.Is(err, usermgmt.ErrNotFound):
		return &scimError{status: http.StatusNotFound, detail: err.Error()}
	case errors.Is(err, usermgmt.ErrConflict):
		return &scimError{status: http.StatusConflict, scimType: "uniqueness", detail: err.Error()}
	case errors.Is(err, usermgmt.ErrInvalidInput):
		return &scimError{status: http.StatusBadRequest, scimType: "invalidValue", detail: err.Error()}
	case errors.Is(err, errors.ErrUnsupported):
		return &scimError{status: http.StatusBadRequest, scimType: "mutability", detail: err.Error()}
	case errors.Is(err, usermgmt.ErrUnauthorized):
		return &scimError{status: http.StatusBadGateway, detail: "the directory refused the bridge's credentials: " + err.Error()}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return &scimError{status: http.StatusGatewayTimeout, detail: "the directory did not answer in time"}
	case ae != nil:
		return &scimError{status: http.StatusBadGateway, detail: err.Error()}
	}
	return &scimError{status: http.StatusInternalServerError, detail: "internal error"}
}

// fail writes err as a SCIM error response.
func (t *tenant) fail(w *statusWriter, err error) {
	se := toSCIM(err)
	w.detail = se.detail
	if se.detail == "internal error" {
		w.detail = err.Error()
	}
	if se.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(se.retryAfter.Seconds()))))
	}
	w.scimType = se.scimType
	writeJSON(w, se.status, errorBody(se.status, se.scimType, se.detail), "")
}

func badRequest(scimType, detail string) error {
	return &scimError{status: http.StatusBadRequest, scimType: scimType, detail: detail}
}
