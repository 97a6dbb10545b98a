package syncari

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/internal/mailaddr"

	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/syncari/internal/wire"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// Status is a user's status.
type Status string

// The statuses a user can have.
const (
	StatusActive   Status = "ACTIVE"
	StatusInactive Status = "INACTIVE"
)

// Roles maps an instance id (e.g. "YUBV99") to the names of the roles the
// user has in that instance (e.g. "Sync Manager", "Viewer").
type Roles map[string][]string

// User is a Syncari user.
type User struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Status    Status `json:"status"`
	// APIUser reports an API user, which has ClientID and ClientSecret.
	// The API calls it isApiUser in requests and apiUser in answers.
	APIUser  bool   `json:"apiUser"`
	ClientID string `json:"clientId,omitempty"`
	// ClientSecret is the API user's secret, returned when the user is
	// created. It never prints; use Reveal.
	ClientSecret usermgmt.Secret `json:"clientSecret,omitempty"`
	Roles        Roles           `json:"userRoles,omitempty"`
	CreatedBy    string          `json:"createdBy,omitempty"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedBy    string          `json:"updatedBy,omitempty"`
	UpdatedAt    time.Time       `json:"updatedAt"`
}

// Active reports whether the user's status is ACTIVE.
func (u *User) Active() bool { return u.Status == StatusActive }

// Format prints the user as fmt would without it, with every verb and
// flag, the ClientSecret redacted. It exists because fmt answers a verb it
// cannot apply to a pointer (%s or %q on a *User inside another value, such
// as usermgmt.User.Raw) by dumping the struct behind the pointer without
// calling the methods of its fields, which would show the secret.
func (u User) Format(f fmt.State, verb rune) {
	type user User // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), user(u))
	if verb == 'v' && f.Flag('#') {
		s = "syncari.User" + strings.TrimPrefix(s, "syncari.user")
	}
	_, _ = io.WriteString(f, s)
}

// CreateUserInput is a user to create.
type CreateUserInput struct {
	// Email is required.
	Email     string
	FirstName string
	LastName  string
	// APIUser creates an API user, which gets a client id and secret.
	APIUser bool
	// Roles are the user's roles per instance.
	Roles Roles
}

// CreateUser creates a user and returns it. The call carries a
// clientRequestId (the context's idempotency key, or a fresh UUID) reused by
// every retry, so a create that meets a 5xx or a dropped connection is
// retried safely: the server returns the first result instead of creating a
// second user.
func (c *Client) CreateUser(ctx context.Context, in CreateUserInput) (*User, error) {
	const op = "createUser"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	if err := validateEmail(op, in.Email); err != nil {
		return nil, err
	}
	if err := validateRoles(op, in.Roles); err != nil {
		return nil, err
	}
	ctx, inst, key := c.call(ctx, op, transport.IdempotentWrite)
	body := wire.CreateUserRequest{
		Email:     in.Email,
		FirstName: ptr.NonZero(in.FirstName),
		LastName:  ptr.NonZero(in.LastName),
		IsAPIUser: &in.APIUser,
	}
	if in.Roles != nil {
		r := wire.UserRoles(copyRoles(in.Roles))
		body.UserRoles = &r
	}
	resp, err := c.api.CreateUser(ctx, &wire.CreateUserParams{SyncariID: inst, ClientRequestID: key}, body)
	return c.user(ctx, resp, err)
}

// ListUsersOptions filter and page a user listing.
type ListUsersOptions struct {
	// PageSize asks for pages of at most this many users (the limit query
	// parameter), from 1 to MaxPageSize; zero sends no limit, leaving the
	// page to the server. Assumed: the API pages with cursorToken and
	// limit, as an unofficial source says; the vendor documents no paging
	// (so no default page size either), and a server that does not page
	// returns every user at once, which works too.
	PageSize int
}

// MaxPageSize is the largest page size (limit) the specification allows
// (int32). The API documents no default page size, nor a maximum.
const MaxPageSize = math.MaxInt32

// UserPage is one page of users.
type UserPage struct {
	Users []User
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string
}

// ListUsersPage returns the page of users of the instance that starts at
// cursor ("" for the first page).
func (c *Client) ListUsersPage(ctx context.Context, cursor string, opts *ListUsersOptions) (*UserPage, error) {
	const op = "getUsers"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	var limit *int32 // sent only when asked for: the parameter is assumed
	if opts != nil && opts.PageSize != 0 {
		if opts.PageSize < 1 || opts.PageSize > MaxPageSize {
			return nil, inputError(op, "PageSize", "must be between 1 and MaxPageSize, or 0 to leave the page size to the server")
		}
		n := int32(opts.PageSize)
		limit = &n
	}
	ctx, inst, key := c.call(ctx, op, transport.Idempotent)
	p := &wire.GetUsersParams{SyncariID: inst, ClientRequestID: key, Limit: limit, CursorToken: ptr.NonZero(cursor)}
	resp, err := c.api.GetUsers(ctx, p)
	if err != nil {
		return nil, err
	}
	env, err := decode(c, ctx, resp, func(e *wire.UserListEnvelope) bool { return e.Success }, userListMissing)
	if err != nil {
		return nil, err
	}
	page := &UserPage{Users: make([]User, len(env.Result))}
	for i := range env.Result {
		page.Users[i] = userFromWire(&env.Result[i])
	}
	switch {
	case env.NextCursorToken != nil:
		page.NextCursor = *env.NextCursorToken
	case env.CursorToken != nil:
		page.NextCursor = *env.CursorToken
	}
	if page.NextCursor == cursor && cursor != "" {
		page.NextCursor = "" // a server that echoes the cursor it was given has no next page
	}
	return page, nil
}

// ListUsers returns an iterator over every user of the instance, fetching
// pages lazily.
//
//	for u, err := range client.ListUsers(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.Email)
//	}
func (c *Client) ListUsers(ctx context.Context, opts *ListUsersOptions) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		if err := c.check(ctx, "getUsers"); err != nil {
			yield(User{}, err)
			return
		}
		// A cursor seen before means the server is going round in a
		// circle: stop rather than list the same users for ever. Every
		// page that points to another records its own cursor (a listing
		// of one page needs no record).
		var seen map[string]bool
		usermgmt.Paginate(ctx, "", func(ctx context.Context, cursor string) ([]User, string, bool, error) {
			p, err := c.ListUsersPage(ctx, cursor, opts)
			if err != nil {
				return nil, "", false, err
			}
			if p.NextCursor == "" {
				return p.Users, "", false, nil
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[cursor] = true
			return p.Users, p.NextCursor, !seen[p.NextCursor], nil
		})(yield)
	}
}

// DeactivateUser sets the user's status to INACTIVE (a soft deactivation:
// Syncari has no delete) and returns the user. It is retried like a read;
// when no answer proves the outcome, the error matches
// usermgmt.ErrOutcomeUnknown, and calling it again is safe.
func (c *Client) DeactivateUser(ctx context.Context, id string) (*User, error) {
	const op = "deactivateUser"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "id", id); err != nil {
		return nil, err
	}
	// A GET that changes state: its failures may leave the outcome unknown.
	ctx, inst, key := c.call(ctx, op, transport.IdempotentWrite)
	resp, err := c.api.DeactivateUser(ctx, id, &wire.DeactivateUserParams{SyncariID: inst, ClientRequestID: key})
	return c.user(ctx, resp, err)
}

// ActivateUser sets the user's status back to ACTIVE and returns the user.
// Retries and errors are as DeactivateUser's.
func (c *Client) ActivateUser(ctx context.Context, id string) (*User, error) {
	const op = "activateUser"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "id", id); err != nil {
		return nil, err
	}
	// A GET that changes state: its failures may leave the outcome unknown.
	ctx, inst, key := c.call(ctx, op, transport.IdempotentWrite)
	resp, err := c.api.ActivateUser(ctx, id, &wire.ActivateUserParams{SyncariID: inst, ClientRequestID: key})
	return c.user(ctx, resp, err)
}

func (c *Client) user(ctx context.Context, resp *http.Response, err error) (*User, error) {
	if err != nil {
		return nil, err
	}
	env, err := decode(c, ctx, resp, func(e *wire.UserEnvelope) bool { return e.Success }, userAnswerMissing)
	if err != nil {
		return nil, err
	}
	u := userFromWire(&env.Result)
	return &u, nil
}

// decode reads a 2xx answer into the envelope T after checking that it is
// a success and complete. An envelope with success false is an
// *usermgmt.APIError carrying the body's message. An answer without a field
// the specification requires (the envelope's success, requestId, timestamp
// or result, or a field hollow reports) proves nothing and is an error too
// (see transport.Client.Incomplete). A successful answer costs one
// decoding: success reads the decoded flag, and the other fields are told
// missing by their zero values, which no real answer has; only an answer
// that is not a plain success is scanned again.
func decode[T any](c *Client, ctx context.Context, resp *http.Response, success func(*T) bool, hollow func(*T) []string) (*T, error) {
	body, err := c.t.Read(ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	v := new(T)
	derr := json.Unmarshal(body, v)
	if derr == nil && success(v) { // the common case: one decoding, success present and true
		if missing := hollow(v); len(missing) > 0 {
			return nil, c.t.Incomplete(ctx, resp, missing)
		}
		return v, nil
	}
	// A failure, a hollow answer or an unreadable one: tell them apart.
	var probe struct {
		Success *bool `json:"success"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		if !json.Valid(body) {
			return nil, c.t.Unreadable(ctx, resp, err)
		}
		return nil, c.t.Incomplete(ctx, resp, []string{"success", "requestId", "timestamp", "result"}) // not an object
	}
	if probe.Success != nil && !*probe.Success {
		f := failureFromEnvelope(body)
		if f.Message == "" && f.Code == "" && len(f.Messages) == 0 {
			f.Message = "the server answered success: false"
		}
		return nil, c.t.APIError(ctx, resp, f)
	}
	if derr != nil && probe.Success != nil {
		return nil, c.t.Unreadable(ctx, resp, derr)
	}
	missing := []string{"success"} // absent or null: incomplete whatever else it holds
	return nil, c.t.Incomplete(ctx, resp, append(missing, hollow(v)...))
}

// envelopeMissing reports the envelope fields an answer lacks.
func envelopeMissing(requestID string, ts time.Time) []string {
	var missing []string
	if requestID == "" {
		missing = append(missing, "requestId")
	}
	if ts.IsZero() {
		missing = append(missing, "timestamp")
	}
	return missing
}

// userMissing reports the fields the specification requires in a returned
// user (id, email, status) that u lacks, under prefix; a user lacking all
// of them is not there at all, reported as prefix.
func userMissing(prefix string, u *wire.User) []string {
	if userComplete(u) {
		return nil
	}
	if u.ID == "" && u.Email == "" && u.Status == "" {
		return []string{prefix}
	}
	var missing []string
	for _, f := range []struct {
		name   string
		absent bool
	}{{"id", u.ID == ""}, {"email", u.Email == ""}, {"status", u.Status == ""}} {
		if f.absent {
			missing = append(missing, prefix+"."+f.name)
		}
	}
	return missing
}

// userComplete reports whether u has every field the specification
// requires in a returned user.
func userComplete(u *wire.User) bool { return u.ID != "" && u.Email != "" && u.Status != "" }

// userAnswerMissing and the others report what a hollow answer of each
// envelope lacks.
func userAnswerMissing(e *wire.UserEnvelope) []string {
	return append(envelopeMissing(e.RequestID, e.Timestamp), userMissing("result", &e.Result)...)
}

func userListMissing(e *wire.UserListEnvelope) []string {
	missing := envelopeMissing(e.RequestID, e.Timestamp)
	if e.Result == nil {
		return append(missing, "result")
	}
	for i := range e.Result {
		if u := &e.Result[i]; !userComplete(u) { // a name only for a user that lacks something
			missing = append(missing, userMissing(fmt.Sprintf("result[%d]", i), u)...)
		}
	}
	return missing
}

func roleListMissing(e *wire.RoleListEnvelope) []string {
	missing := envelopeMissing(e.RequestID, e.Timestamp)
	if e.Result == nil {
		return append(missing, "result")
	}
	for i, r := range e.Result {
		if r.ID == "" {
			missing = append(missing, fmt.Sprintf("result[%d].id", i))
		}
		if r.Name == "" {
			missing = append(missing, fmt.Sprintf("result[%d].name", i))
		}
	}
	return missing
}

func userFromWire(w *wire.User) User {
	u := User{
		ID:           w.ID,
		Email:        w.Email,
		FirstName:    ptr.Value(w.FirstName),
		LastName:     ptr.Value(w.LastName),
		Status:       Status(w.Status),
		APIUser:      ptr.Value(w.APIUser),
		ClientID:     ptr.Value(w.ClientID),
		ClientSecret: usermgmt.Secret(ptr.Value(w.ClientSecret)),
		CreatedBy:    ptr.Value(w.CreatedBy),
		CreatedAt:    ptr.Value(w.CreatedAt),
		UpdatedBy:    ptr.Value(w.UpdatedBy),
		UpdatedAt:    ptr.Value(w.UpdatedAt),
	}
	if w.UserRoles != nil {
		u.Roles = Roles(*w.UserRoles)
	}
	return u
}

func validateEmail(op, email string) error {
	if strings.TrimSpace(email) == "" {
		return inputError(op, "Email", "must not be empty")
	}
	if !mailaddr.Plain(email) {
		return inputError(op, "Email", "is not a plain email address")
	}
	return nil
}

func validateID(op, field, id string) error {
	if strings.TrimSpace(id) == "" {
		return inputError(op, field, "must not be empty")
	}
	if strings.ContainsAny(id, "/?#%") || id == "." || id == ".." || strings.ContainsFunc(id, isControl) {
		return inputError(op, field, "must not contain '/', '?', '#', '%', control characters, or be a dot segment")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func validateRoles(op string, r Roles) error {
	for inst, names := range r {
		if strings.TrimSpace(inst) == "" {
			return inputError(op, "Roles", "an instance id is empty")
		}
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				return inputError(op, "Roles", "a role name in instance "+inst+" is empty")
			}
		}
	}
	return nil
}

// copyRoles copies r for a request body. An instance with no roles (nil or
// empty) is sent as an empty list, which clears its roles: the
// specification's role lists are arrays, never null.
func copyRoles(r Roles) map[string][]string {
	out := make(map[string][]string, len(r))
	for k, v := range r {
		out[k] = append(make([]string, 0, len(v)), v...)
	}
	return out
}
