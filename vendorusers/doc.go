// Package vendorusers is a client for the vendor users API of the Guardant
// licensing service (Guardant Station, https://station.guardant.ru): a
// software vendor's administrator lists the vendor's users and the roles
// they can have, creates users, and changes their names, role, "Active"
// flag and archive state.
//
// # Creating a client
//
//	client, err := vendorusers.New(vendorusers.Config{
//		Token: usermgmt.Secret(os.Getenv("GUARDANT_TOKEN")),
//	}, usermgmt.WithLogger(slog.Default()))
//
// BaseURL defaults to DefaultBaseURL. The service requires authorization
// but does not publish its mechanism; Token sends it as a bearer token,
// which is a guess. When the real scheme differs, set Config.Auth instead,
// e.g. an AuthenticatorFunc that adds a session cookie or an API-key
// header. Credentials never appear in logs (headers are logged through an
// allow-list) or errors. The Client is safe for concurrent use.
//
// # A short story
//
//	u, err := client.CreateUser(ctx, vendorusers.CreateUserInput{
//		Username: "dev@example.com",
//		RoleID:   5, // Developer; see ListRoles
//		Password: usermgmt.Secret("Eklmn63158515Eklmn"),
//	})
//	...
//	_, err = client.SetActive(ctx, u.ID, false)
//	for u, err := range client.ListUsers(ctx, &vendorusers.ListUsersOptions{Direction: vendorusers.Descending}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.Email, u.Details.LastName)
//	}
//
// # Operations, retries and idempotency
//
//   - ListUsersPage and ListUsers (getUsers, GET /v1.0/users) and ListRoles
//     (getRoles, GET /v1.0/users/roles) are reads: retried on 429, 5xx and
//     transport errors. ListUsers walks offset/limit pages lazily, one page
//     in memory, and stops at the first page shorter than the page size:
//     the service reports no total. Users come sorted by last name, then
//     first name, in the requested Direction; Archived filters them.
//   - CreateUser (createUser, POST /v1.0/users) has no idempotency key. It
//     is resent only when the service cannot have seen it (connection
//     refused, 429); otherwise a failure with an unknown outcome is an
//     error matching usermgmt.ErrOutcomeUnknown, and nothing is resent.
//     NewDirectory's adapter settles such a failure by looking the
//     username up before resending, which makes its creates exactly-once.
//   - UpdateUser, SetActive and Archive (updateUser, PUT /v1.0/users/{id})
//     are idempotent: retried like reads.
//
// Arguments are checked before anything is sent (a nil context, a
// username that is not a plain e-mail address, a limit outside
// 1..MaxPageSize, a non-positive id, an empty change); such errors match
// usermgmt.ErrInvalidInput. Failed calls return *usermgmt.APIError, which
// matches usermgmt.ErrNotFound, ErrConflict or ErrUnauthorized by status or
// by the service's message. Every error names the spec's operationId
// ("getUsers", "getRoles", "createUser", "updateUser") as its Operation.
//
// A 2xx answer without its element, or whose user or role lacks a member
// the spec requires, is not a success: it is an *usermgmt.APIError
// "incomplete answer: missing …" with the answer's status, and for
// CreateUser and UpdateUser an error matching usermgmt.ErrOutcomeUnknown,
// since the change may have been applied.
//
// # The wire format
//
// Requests use camelCase field names, responses lowercase; the public
// types carry the response names as JSON tags, so a User marshals to the
// documented form. The "Active" flag is a bool here (User.Active, sent as
// the string "true"/"false" the documentation shows for userIsActive, and
// returned as the boolean status). The service's Unix-second dates are
// time.Time values, zero when the service sends 0. CreateUserInput takes
// one Password, which is sent as both password and passwordConfirm.
//
// # Assumptions
//
// The published documentation leaves gaps, filled by guesses marked
// "Assumed:" in specs/vendorusers.yaml and listed in specs/README.md: the
// bearer scheme, the error body ({"code": <number>, "message": "..."}) and
// statuses, 200 for a create, partial updates, the path id being the
// user's top-level _id, the dates' unit, and the string form of
// userIsActive.
//
// The package vendoruserstest runs a fake of the service for tests.
package vendorusers
