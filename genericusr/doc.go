// Package genericusr is a client for the user-management calls of the
// Revive Adserver REST API: list the users of an account, read, create,
// modify and delete users of a Revive Adserver installation.
//
// # Creating a client
//
// Every installation serves its own copy of the API, so the base URL is
// always yours (there is no default). Calls authenticate with HTTP Basic,
// using the credentials of a Revive Adserver user:
//
//	client, err := genericusr.New(genericusr.Config{
//		BaseURL:  "https://ads.example.com/api",
//		Username: "admin",
//		Password: usermgmt.Secret(os.Getenv("REVIVE_PASSWORD")),
//	}, usermgmt.WithLogger(slog.Default()))
//
// The password is a usermgmt.Secret: it prints as "[REDACTED]", and it
// never appears in logs (the Authorization header is redacted) or in error
// messages. A Client is safe for concurrent use; make one and share it.
//
// Request bodies are sent as text/javascript, the media type the vendor's
// documentation shows; set Config.ContentType to ContentTypeJSON for
// application/json, which the vendor's demo client sends. The body is the
// same JSON document either way. Creates and modifies are sent with POST;
// Config.UsePUT sends them with PUT, which the vendor documents too.
//
// # Using it
//
//	u, err := client.AddUser(ctx, genericusr.AddUserInput{
//		ContactName:      "John Doe",
//		EmailAddress:     "john.doe@example.com",
//		DefaultAccountID: 2,
//		Username:         "jdoe",
//		Password:         usermgmt.Secret(initialPassword),
//	})
//	name := "John Q. Doe"
//	u, err = client.ModifyUser(ctx, u.ID, genericusr.ModifyUserInput{ContactName: &name})
//	users, err := usermgmt.Collect(client.ListUsers(ctx, 2))
//	err = client.DeleteUser(ctx, u.ID)
//
// ModifyUser sends only the fields that are set in its input. User is the
// API's user with proper Go types: the API writes numbers as JSON strings
// ("userId":"21", "active":"1"), and User decodes numbers and numeric
// strings alike, and nulls as zero values. The password is write-only: the
// API never returns it, so User has no password.
//
// # Errors
//
// A failed call returns a *usermgmt.APIError carrying the HTTP status, the
// API's error type as Code and its message, e.g. "Unknown userId Error".
// That message, and a 404, match usermgmt.ErrNotFound; a username that is
// taken matches usermgmt.ErrConflict; 401 and 403 match
// usermgmt.ErrUnauthorized. An error object in a 2xx answer is an error
// too. Invalid arguments (an empty required field, an id that is not
// positive, a malformed email) are refused before anything is sent, with an
// error matching usermgmt.ErrInvalidInput.
//
// # Retries and idempotency
//
// Retries follow the usermgmt.RetryPolicy (usermgmt.WithRetry):
//
//   - ListUsers, GetUser: reads, retried on 429, 5xx and transport
//     errors.
//   - ModifyUser (POST or PUT): idempotent (it sets fields to values),
//     retried likewise.
//   - DeleteUser: idempotent, retried likewise. A retry after a lost answer
//     may report ErrNotFound for a user this call deleted.
//   - AddUser (POST or PUT): not idempotent, and the API has no
//     idempotency key. It is resent only when the failure proves the server
//     never saw it (connection refused, 429); when it may have been applied
//     it returns an error matching usermgmt.ErrOutcomeUnknown. The
//     usermgmt.Directory adapter (NewDirectory) settles that by looking the
//     username up before resending, which makes its creates exactly-once.
//
// # Testing
//
// Package genericusrtest runs a stateful fake of the API for tests and
// examples.
//
// # Assumptions
//
// The vendor does not document everything this package relies on: the
// success bodies of create, modify and delete, the HTTP statuses of errors,
// and that integer request fields accept numeric strings. Each is marked
// "Assumed:" in specs/genericusr.yaml and listed in specs/README.md, so
// that a user with a real installation can check and correct them in one
// place.
package genericusr
