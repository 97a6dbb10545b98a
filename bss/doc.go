// Package bss is a client for the user management API of the Amino (AminoTV)
// BSS: User Management V4, with which an operator fetches, creates, updates
// and deletes the end users of its service, and the deprecated legacy user
// endpoints that V4 replaces.
//
// # Creating a client
//
// The base URL of a BSS installation and its API key are customer-specific
// (the vendor's support provides both; some installations also allow-list
// client IP addresses). Both are required:
//
//	client, err := bss.New(bss.Config{
//		BaseURL: "https://bss.example.com",
//		APIKey:  usermgmt.Secret(os.Getenv("BSS_API_KEY")),
//	}, usermgmt.WithLogger(slog.Default()))
//
// Every request carries "Authorization: Apikey <key>". The key is a
// usermgmt.Secret: it prints as [REDACTED], is never logged, and is scrubbed
// from error messages. A Client is safe for concurrent use.
//
// # Users
//
//	u, err := client.CreateUser(ctx, bss.CreateUserInput{
//		Name:     "Jane Doe",
//		Email:    "jane.doe@example.com",
//		Password: usermgmt.Secret("change-me"),
//	})
//	// u is UNREGISTERED (the API's default) and cannot log in yet.
//	u, err = client.SetRegistrationState(ctx, u.ID, bss.Registered)
//	for u, err := range client.ListUsers(ctx, nil) { ... }
//
// UpdateUser sends a PATCH that carries exactly the fields set in its
// UpdateUserInput (nil fields are not sent), so registering a user later
// touches nothing else. Passwords (meta.security.user_password) are
// write-only: they can be set on create and update and are never returned;
// should an answer echo one, or an API key, in meta.security, it is
// dropped (every member named like a credential is).
// registration_time is read-only and exposed as a time.Time.
//
// # Retries and idempotency
//
// Each method documents its retry class. Reads (ListUsers, ListUsersPage,
// GetUser, Legacy().ListUsers), updates (UpdateUser, SetRegistrationState,
// the legacy PUT) and deletes are retried as safe on 429, 5xx and transport
// errors, with capped exponential backoff (usermgmt.WithRetry). Creates
// (CreateUser, Legacy().CreateUser) are not idempotent and the API has no
// idempotency key: a create is resent only when the server provably never
// saw it; when its outcome is unknown the error matches
// usermgmt.ErrOutcomeUnknown and nothing is resent. NewDirectory's
// CreateUser settles such a create by looking the user up by email, which
// makes creates exactly-once.
//
// # Errors
//
// A failed call returns a *usermgmt.APIError (status, the API's code and
// message), matched with errors.Is against usermgmt.ErrNotFound,
// ErrConflict, ErrUnauthorized and ErrRateLimited; bad arguments are
// refused before sending with an error matching usermgmt.ErrInvalidInput,
// as is a nil context. Every error names the spec's operationId (e.g.
// "getAllUsers", "createUser") as its Operation.
//
// A 2xx answer that lacks what the spec says it always carries (null, {},
// a user without its id, a legacy account without its email) is not a
// success: it is an *usermgmt.APIError "incomplete answer: missing …" with
// the answer's status, and for a create or update an error matching
// usermgmt.ErrOutcomeUnknown, since the change may have been applied.
//
// # Legacy endpoints
//
// Client.Legacy returns a LegacyClient for installations that still use
// /api/management/user, which addresses users by email (escaped into its
// path segment, so any address works) and calls the customer id "cid"
// (V4's external_id). It is deprecated; each method names its V4 call.
//
// # Assumptions
//
// The vendor publishes neither the paging of the user index, nor the error
// body, nor the id field of a user, nor the PATCH semantics. This package
// assumes offset/limit paging (the iterator also stops when a page brings
// no new user, in case a server ignores offset), an email filter, a string
// "id", JSON merge-patch semantics, and registration_time in epoch
// seconds. Every assumption is marked in specs/bss.yaml and listed in
// specs/README.md.
//
// The package bsstest runs a stateful fake of the API for tests.
package bss
