package usermgmt

import (
	"strconv"
)

// NotFoundError is the Directory's error for a user that does not exist,
// spelled the same way for every provider. It matches ErrNotFound; Err, when
// set, is the provider's own answer (an *APIError for a 404, with its
// request id).
type NotFoundError struct {
	// Provider names the provider, e.g. "bss".
	Provider string
	// Operation is the Directory method, e.g. "GetUser".
	Operation string
	// Field is what was looked for: "id", or the natural key ("email",
	// "username").
	Field string
	// Value is the id or key looked for.
	Value string
	// Err is the provider's answer, when there was one.
	Err error
}

// Error implements error.
func (e *NotFoundError) Error() string {
	s := e.Provider + ": " + e.Operation + ": no user with " + e.Field + " " + strconv.Quote(e.Value)
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap returns ErrNotFound and the provider's answer.
func (e *NotFoundError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrNotFound}
	}
	return []error{ErrNotFound, e.Err}
}

// ConflictError is returned by CreateUser for a user that existed before the
// call: another user already has the natural key. It matches ErrConflict;
// Existing is that user, as a look-up found it.
type ConflictError struct {
	// Provider names the provider, e.g. "bss".
	Provider string
	// Field names the natural key ("email" or "username") and Value is
	// its value.
	Field, Value string
	// Existing is the user that already has the key.
	Existing *User
	// Err is the provider's answer to the create, when it refused it.
	Err error
}

// Error implements error.
func (e *ConflictError) Error() string {
	s := e.Provider + ": CreateUser: a user with " + e.Field + " " + strconv.Quote(e.Value) + " already exists"
	if e.Existing != nil && e.Existing.ID != "" {
		s += " (id " + strconv.Quote(e.Existing.ID) + ")"
	}
	return s
}

// Unwrap returns ErrConflict and the provider's answer.
func (e *ConflictError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrConflict}
	}
	return []error{ErrConflict, e.Err}
}
