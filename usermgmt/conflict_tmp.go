package usermgmt

// This file is a stand-in: the facade rewrite brings the real ConflictError
// (returned by CreateUser for a user that already existed), which replaces
// this one. Reconcile's Apply only reads Existing through errors.As.

// ConflictError reports a create of a user that already exists; Existing is
// that user, when the directory could read it. It matches ErrConflict.
type ConflictError struct {
	Provider, Key string
	// Existing is the user that already exists, when known.
	Existing *User
	// Err is the underlying error, when there is one.
	Err error
}

// Error implements error.
func (e *ConflictError) Error() string {
	return e.Provider + ": CreateUser: a user " + e.Key + " already exists"
}

// Unwrap returns ErrConflict and the underlying error.
func (e *ConflictError) Unwrap() []error { return []error{ErrConflict, e.Err} }
