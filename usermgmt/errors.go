package usermgmt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Match them with errors.Is; every error the SDK returns
// for a failed call matches at most one of ErrNotFound, ErrConflict,
// ErrUnauthorized, ErrRateLimited and ErrInvalidInput, and possibly
// ErrOutcomeUnknown as well.
var (
	// ErrNotFound reports that the user, role or account does not exist.
	ErrNotFound = errors.New("usermgmt: not found")
	// ErrConflict reports that the request conflicts with existing state,
	// typically a user that already exists.
	ErrConflict = errors.New("usermgmt: conflict")
	// ErrUnauthorized reports missing, invalid or insufficient credentials
	// (HTTP 401 and 403).
	ErrUnauthorized = errors.New("usermgmt: unauthorized")
	// ErrRateLimited reports that the server asked the client to slow down
	// for longer than the retry policy is willing to wait. The APIError's
	// RetryAfter says how long the server asked for.
	ErrRateLimited = errors.New("usermgmt: rate limited")
	// ErrOutcomeUnknown reports that a request which changes state was sent,
	// but no answer proves whether the server applied it (a dropped
	// connection, a timeout, a 5xx after the body was sent, a success answer
	// whose body could not be read). Such a request is never resent blindly;
	// see OutcomeUnknownError.
	ErrOutcomeUnknown = errors.New("usermgmt: outcome unknown")
	// ErrInvalidInput reports an argument rejected before anything was sent.
	ErrInvalidInput = errors.New("usermgmt: invalid input")
)

// APIError is the error returned when a provider answered a request with a
// failure: a non-2xx status, or a 2xx body that reports an error (DBSync's
// errorMessage list, Syncari's success:false). It never contains a request
// body or a credential.
type APIError struct {
	// Provider is the name of the provider package, e.g. "syncari".
	Provider string
	// Operation is the operationId in the provider's spec, e.g. "createUser".
	Operation string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the provider's own error code or type, when it sent one.
	Code string
	// Message is the provider's error message, when it sent one.
	Message string
	// Messages holds every message when the provider returns a list.
	Messages []string
	// RequestID is the provider's request identifier, when it sent one.
	RequestID string
	// RetryAfter is the wait the server asked for in a Retry-After header,
	// zero when it asked for none.
	RetryAfter time.Duration
	// Attempts is the number of attempts the call made before this answer
	// ended it, when it made more than one; zero when it made one.
	Attempts int
	// Kind is the sentinel this error matches with errors.Is (ErrNotFound,
	// ErrConflict, ErrUnauthorized, ErrRateLimited), or nil.
	Kind error
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	b.WriteString(": ")
	b.WriteString(e.Operation)
	b.WriteString(": ")
	if e.StatusCode != 0 {
		b.WriteString("HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
	} else {
		b.WriteString("error")
	}
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteString(")")
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case len(e.Messages) > 0:
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	if e.Attempts > 1 {
		b.WriteString(" (after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts)")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteString(")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns Kind, so that errors.Is(err, ErrNotFound) and its siblings
// work.
func (e *APIError) Unwrap() error { return e.Kind }

// KindForStatus returns the sentinel that an HTTP status maps to by default,
// or nil. Providers refine it where their bodies say more.
func KindForStatus(status int) error {
	switch status {
	case 401, 403:
		return ErrUnauthorized
	case 404:
		return ErrNotFound
	case 409:
		return ErrConflict
	case 429:
		return ErrRateLimited
	}
	return nil
}

// OutcomeUnknownError is returned when a request that changes state was sent
// but its outcome is unknown. It matches ErrOutcomeUnknown, and also unwraps
// to the cause (a transport error, context.DeadlineExceeded or an *APIError).
// A request that is not idempotent was sent once and not resent; one that is
// (keyed, PUT, DELETE) was retried as the policy allows and may be resent.
// Before creating again, look the result up: the Directory adapters'
// exactly-once creates do.
type OutcomeUnknownError struct {
	Provider  string
	Operation string
	Err       error
}

// Error implements error. The explanation of an unknown outcome appears
// once in a chain: an OutcomeUnknownError whose cause holds another one
// (a create that could not be settled by a look-up) names its operation
// and the cause, and leaves the explanation to the inner error. The cause's
// own "provider: operation: " prefix is not repeated when it is the same.
func (e *OutcomeUnknownError) Error() string {
	prefix := e.Provider + ": " + e.Operation + ": "
	cause := "<nil>"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), prefix)
	}
	var inner *OutcomeUnknownError
	if errors.As(e.Err, &inner) {
		return prefix + cause
	}
	return prefix + "outcome unknown: the request was sent but no answer proves whether it was applied: " + cause
}

// Unwrap returns ErrOutcomeUnknown and the cause.
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Err} }

// InputError reports an argument rejected before any request was sent. It
// matches ErrInvalidInput.
type InputError struct {
	Provider  string
	Operation string
	// Field names the offending argument or field, e.g. "email".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *InputError) Error() string {
	return fmt.Sprintf("%s: %s: invalid %s: %s", e.Provider, e.Operation, e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// UnsupportedError reports an operation that a provider's API cannot do. It
// matches errors.ErrUnsupported.
type UnsupportedError struct {
	Provider  string
	Operation string
	// Hint, when set, names what to use instead.
	Hint string
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	s := fmt.Sprintf("%s: %s is not supported by this API", e.Provider, e.Operation)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is reports whether target is errors.ErrUnsupported.
func (e *UnsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }
