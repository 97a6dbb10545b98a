package vendorusers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/internal/mailaddr"

	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers/internal/wire"
)

// User is a user of the vendor's account, as the service returns it. Its
// JSON form is the service's own (lowercase field names), so a user
// marshals to and from the documented samples unchanged.
type User struct {
	// ID is the user's identifier, the id that UpdateUser takes. (Details
	// has an id of its own.) Assumed: see specs/README.md.
	ID int64 `json:"_id"`
	// Confirmed reports whether the user's registration is confirmed;
	// false right after creation.
	Confirmed bool `json:"confirmed"`
	// Email is the user's e-mail address: the Username given at creation.
	Email string `json:"email"`
	// Active is the user's "Active" flag, which the service calls status:
	// true when the user has access to the service.
	Active bool `json:"status"`
	// Details holds the names, role, visit and archive state.
	Details Details `json:"userdetails"`
}

// Details are the details of a user.
type Details struct {
	// ID identifies the details record; it differs from User.ID.
	ID        int64  `json:"_id"`
	FirstName string `json:"firstname"`
	LastName  string `json:"lastname"`
	// LastVisit is the time of the user's last visit; zero if the user
	// never visited. The service sends Unix seconds, 0 meaning never
	// (Assumed: only 0 is documented).
	LastVisit time.Time `json:"lastvisitdate"`
	// Archived reports an archived user.
	Archived bool `json:"archived"`
	// ArchivedAt is when the user was archived; zero if not archived. The
	// service sends it as archivationdate in Unix seconds, 0 meaning unset.
	ArchivedAt time.Time `json:"archivationdate"`
	// Role is the user's role; the embedded role has no ReadVendorBalance.
	Role Role `json:"role"`
	// Settings are the user's settings.
	Settings Settings `json:"settings"`
}

// Settings are a user's settings.
type Settings struct {
	// Language is a numeric language code; its values are not published.
	Language int `json:"language"`
}

// detailsJSON is Details as the service writes it: Unix seconds for the
// two times. The int64 fields sit shallower than the embedded ones with the
// same JSON names, so encoding/json uses them instead.
type detailsJSON struct {
	*detailsFields
	LastVisit  int64 `json:"lastvisitdate"`
	ArchivedAt int64 `json:"archivationdate"`
}

type detailsFields Details

// MarshalJSON writes the two times as Unix seconds, 0 for a zero time.
func (d Details) MarshalJSON() ([]byte, error) {
	return json.Marshal(detailsJSON{detailsFields: (*detailsFields)(&d), LastVisit: unixSeconds(d.LastVisit), ArchivedAt: unixSeconds(d.ArchivedAt)})
}

// UnmarshalJSON reads the two times from Unix seconds, 0 meaning unset.
func (d *Details) UnmarshalJSON(b []byte) error {
	v := detailsJSON{detailsFields: (*detailsFields)(d)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d.LastVisit, d.ArchivedAt = fromUnix(v.LastVisit), fromUnix(v.ArchivedAt)
	return nil
}

func unixSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// Direction is the sort direction of a user listing. Users are sorted by
// last name, then first name ("sortby=name", the only sort field).
type Direction string

// The sort directions.
const (
	Ascending  Direction = "asc"
	Descending Direction = "desc"
)

// Page sizes of the getUsers call (its limit parameter, from 1).
const (
	// DefaultPageSize is the page size ListUsers asks for when
	// ListUsersOptions.PageSize is zero, and the service's own default.
	DefaultPageSize = 100
	// MaxPageSize is the largest page the service returns; a larger page
	// size is refused before anything is sent.
	MaxPageSize = 100
)

// ListUsersOptions filter and sort a user listing. The zero value lists every
// user, archived or not, by last name then first name ascending.
type ListUsersOptions struct {
	// Archived, when set, lists only archived (true) or only non-archived
	// (false) users; nil lists both.
	Archived *bool
	// Direction is the sort direction; empty means Ascending.
	Direction Direction
	// PageSize is the number of users ListUsers fetches per request, from 1
	// to MaxPageSize; zero means DefaultPageSize. ListUsersPage ignores it.
	PageSize int
}

// ListUsersPage returns one page of users: at most limit users (1 to
// MaxPageSize, required) starting at offset (from 0), filtered and sorted by
// opts (nil for the defaults). A page shorter than limit is the last; the
// service reports no total.
//
// It calls getUsers (GET /v1.0/users), a read: retried on 429, 5xx and
// transport errors.
func (c *Client) ListUsersPage(ctx context.Context, offset, limit int, opts *ListUsersOptions) ([]User, error) {
	const op = "getUsers"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, inputError(op, "offset", "must not be negative")
	}
	if limit < 1 || limit > MaxPageSize {
		return nil, inputError(op, "limit", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	}
	p, err := listParams(op, opts)
	if err != nil {
		return nil, err
	}
	p.Offset, p.Limit = &offset, &limit
	return c.listUsersPage(ctx, op, p)
}

func (c *Client) listUsersPage(ctx context.Context, op string, p *wire.GetUsersParams) ([]User, error) {
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	resp, err := c.api.GetUsers(ctx, p)
	if err != nil {
		return nil, err
	}
	type answer struct {
		Users []wire.User `json:"users"`
		errorBody
	}
	a, err := transport.DecodeJSON[answer](c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if a.Users == nil {
		return nil, c.bodyError(ctx, resp, &a.errorBody, false, "users")
	}
	out := make([]User, len(a.Users))
	for i := range a.Users {
		if m := userMissing(&a.Users[i]); len(m) > 0 {
			return nil, c.incomplete(ctx, resp, false, prefixed(fmt.Sprintf("users[%d].", i), m)...)
		}
		out[i] = userFromWire(&a.Users[i])
	}
	return out, nil
}

// listParams validates opts and returns the query without offset and
// limit. The sort field and direction are always sent, so that the order
// ListUsers pages through does not depend on the service's defaults.
func listParams(op string, opts *ListUsersOptions) (*wire.GetUsersParams, error) {
	var o ListUsersOptions
	if opts != nil {
		o = *opts
	}
	dir := wire.SortDirectionAsc
	switch o.Direction {
	case "", Ascending:
	case Descending:
		dir = wire.SortDirectionDesc
	default:
		return nil, inputError(op, "Direction", `must be "asc", "desc" or empty`)
	}
	sortBy := wire.UserSortFieldName
	p := &wire.GetUsersParams{SortBy: &sortBy, Direction: &dir}
	if o.Archived != nil {
		a := *o.Archived
		p.Archived = &a
	}
	return p, nil
}

// ListUsers returns an iterator over every user that opts select (nil for
// all), in the listing's order. It fetches pages of opts.PageSize users
// lazily, following offsets from 0, and stops after the first page shorter
// than the page size; only one page is held in memory, and breaking out of
// the loop stops fetching. An invalid opts or a failed call is yielded once
// as the last element.
//
//	for u, err := range client.ListUsers(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.Email)
//	}
//
// Offsets are positions in a list that can change while it is walked: a
// user created or archived meanwhile can shift a later page by one, so a
// user may be skipped or seen twice. Each page is a getUsers call, retried
// like ListUsersPage.
func (c *Client) ListUsers(ctx context.Context, opts *ListUsersOptions) iter.Seq2[User, error] {
	const op = "getUsers"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return usermgmt.Failed[User](err)
	}
	p, err := listParams(op, opts)
	if err != nil {
		return usermgmt.Failed[User](err)
	}
	limit := DefaultPageSize
	if opts != nil && opts.PageSize != 0 {
		limit = opts.PageSize
	}
	if limit < 1 || limit > MaxPageSize {
		return usermgmt.Failed[User](inputError(op, "PageSize",
			fmt.Sprintf("must be between 1 and %d, or 0 for the default of %d", MaxPageSize, DefaultPageSize)))
	}
	return func(yield func(User, error) bool) {
		// A page that starts with the same user as the one before means
		// the server ignored offset: stop rather than loop over it for ever.
		var prevFirst int64 = -1
		usermgmt.Paginate(ctx, 0, func(ctx context.Context, offset int) ([]User, int, bool, error) {
			q := *p
			q.Offset, q.Limit = &offset, &limit
			users, err := c.listUsersPage(ctx, op, &q)
			if err != nil {
				return nil, 0, false, err
			}
			if len(users) > 0 && offset > 0 && users[0].ID == prevFirst {
				return nil, 0, false, nil
			}
			if len(users) > 0 {
				prevFirst = users[0].ID
			}
			return users, offset + len(users), len(users) >= limit, nil
		})(yield)
	}
}

// CreateUserInput is a user to create.
type CreateUserInput struct {
	// Username is the login name, an e-mail address (the documentation's
	// username is the address that comes back as User.Email). Required; it
	// must be a plain address such as "jane@example.com", without a
	// display name or surrounding spaces.
	Username string
	// RoleID is the role's id (see ListRoles). Required.
	RoleID int64
	// Password is the initial password. Required. The SDK sends it as both
	// password and passwordConfirm, which the service requires to match.
	Password  usermgmt.Secret
	FirstName string
	LastName  string
	// CompanyName and Phone are stored by the service but never returned.
	CompanyName string
	Phone       string
}

// Format prints the input as fmt would without it, with every verb and
// flag, the Password redacted. It exists because fmt answers %s or %q on a
// *CreateUserInput inside another value by dumping the struct behind the
// pointer without calling the methods of its fields, which would show the
// password.
func (in CreateUserInput) Format(f fmt.State, verb rune) {
	type createUserInput CreateUserInput // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), createUserInput(in))
	if verb == 'v' && f.Flag('#') {
		s = "vendorusers.CreateUserInput" + strings.TrimPrefix(s, "vendorusers.createUserInput")
	}
	_, _ = io.WriteString(f, s)
}

// CreateUser creates a user and returns it.
//
// It calls createUser (POST /v1.0/users), which has no idempotency key: it
// is resent only when the failure proves the service never saw it
// (connection refused, 429). When the outcome is unknown (a dropped
// connection or a 5xx after sending) the error matches
// usermgmt.ErrOutcomeUnknown and nothing is resent: look the username up
// with ListUsers before trying again, or use the Directory adapter, which
// does that for you.
func (c *Client) CreateUser(ctx context.Context, in CreateUserInput) (*User, error) {
	const op = "createUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateUsername(op, in.Username); err != nil {
		return nil, err
	}
	if in.RoleID <= 0 {
		return nil, inputError(op, "RoleID", "must be a role id (see ListRoles)")
	}
	if in.Password.IsZero() {
		return nil, inputError(op, "Password", "must not be empty")
	}
	body := wire.CreateUserRequest{
		Username:        in.Username,
		RoleID:          in.RoleID,
		Password:        in.Password.Reveal(),
		PasswordConfirm: in.Password.Reveal(),
		FirstName:       ptr.NonZero(in.FirstName),
		LastName:        ptr.NonZero(in.LastName),
		CompanyName:     ptr.NonZero(in.CompanyName),
		Phone:           ptr.NonZero(in.Phone),
	}
	ctx = transport.WithCall(ctx, op, transport.NotIdempotent)
	transport.AddSecrets(ctx, body.Password) // so that no error can quote it back
	resp, err := c.api.CreateUser(ctx, body)
	return c.user(ctx, resp, err, true)
}

// UpdateUserInput holds the changes to a user; nil fields are left as they
// are. At least one field must be set.
type UpdateUserInput struct {
	// RoleID sets the user's role (see ListRoles).
	RoleID    *int64
	FirstName *string
	LastName  *string
	// Active sets the "Active" flag: false takes the user's access away.
	// It is sent as userIsActive, in the string form "true" or "false"
	// that the documentation shows.
	Active *bool
	// Archived archives (true) or restores (false) the user.
	Archived *bool
}

// UpdateUser changes the fields of in that are set and returns the user.
// id is User.ID.
//
// It calls updateUser (PUT /v1.0/users/{id}), which is idempotent: retried
// on 429, 5xx and transport errors.
func (c *Client) UpdateUser(ctx context.Context, id int64, in UpdateUserInput) (*User, error) {
	const op = "updateUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if id <= 0 {
		return nil, inputError(op, "id", "must be a positive user id")
	}
	if in == (UpdateUserInput{}) {
		return nil, inputError(op, "UpdateUserInput", "no field is set: nothing to change")
	}
	if in.RoleID != nil && *in.RoleID <= 0 {
		return nil, inputError(op, "RoleID", "must be a role id (see ListRoles)")
	}
	body := wire.UpdateUserRequest{
		RoleID:    copyPtr(in.RoleID),
		FirstName: copyPtr(in.FirstName),
		LastName:  copyPtr(in.LastName),
		Archived:  copyPtr(in.Archived),
	}
	if in.Active != nil {
		flag := wire.ActiveFlagFalse
		if *in.Active {
			flag = wire.ActiveFlagTrue
		}
		body.UserIsActive = &flag
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	resp, err := c.api.UpdateUser(ctx, id, body)
	return c.user(ctx, resp, err, true)
}

// SetActive sets the user's "Active" flag and returns the user. It is
// UpdateUser with only Active set.
func (c *Client) SetActive(ctx context.Context, id int64, active bool) (*User, error) {
	return c.UpdateUser(ctx, id, UpdateUserInput{Active: &active})
}

// Archive archives (archived true) or restores (false) the user and
// returns it. It is UpdateUser with only Archived set.
func (c *Client) Archive(ctx context.Context, id int64, archived bool) (*User, error) {
	return c.UpdateUser(ctx, id, UpdateUserInput{Archived: &archived})
}

// user reads the user element of a create or change answer. Both calls
// change state: an answer without the user, or with a user that lacks a
// member the spec requires, is of unknown outcome.
func (c *Client) user(ctx context.Context, resp *http.Response, err error, changes bool) (*User, error) {
	if err != nil {
		return nil, err
	}
	type answer struct {
		User *wire.User `json:"user"`
		errorBody
	}
	a, err := transport.DecodeJSON[answer](c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, c.bodyError(ctx, resp, &a.errorBody, changes, "user")
	}
	if m := userMissing(a.User); len(m) > 0 {
		return nil, c.incomplete(ctx, resp, changes, prefixed("user.", m)...)
	}
	u := userFromWire(a.User)
	return &u, nil
}

// userMissing returns the members without which a returned user is hollow:
// what identifies it (_id, email) and its role (_id, nameeng). A member
// that is absent, null or empty decodes as its zero value, which no real
// user has (ids are positive, addresses and role names not empty), so the
// check costs nothing beyond the decoding. The spec's other required
// members come from the samples alone (Assumed): an answer lacking one is
// still taken.
func userMissing(u *wire.User) []string {
	var missing []string
	if u.ID <= 0 {
		missing = append(missing, "_id")
	}
	if u.Email == "" {
		missing = append(missing, "email")
	}
	for _, m := range roleMissing(&u.UserDetails.Role) {
		missing = append(missing, "userdetails.role."+m)
	}
	return missing
}

// roleMissing returns the members without which a returned role is
// hollow, as userMissing does.
func roleMissing(r *wire.Role) []string {
	var missing []string
	if r.ID <= 0 {
		missing = append(missing, "_id")
	}
	if r.NameEng == "" {
		missing = append(missing, "nameeng")
	}
	return missing
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// validateUsername checks that a username is a plain e-mail address:
// parseable by net/mail, without a display name, comments or surrounding
// spaces.
func validateUsername(op, username string) error {
	switch {
	case strings.TrimSpace(username) == "":
		return inputError(op, "Username", "must not be empty")
	case strings.ContainsFunc(username, isControl):
		return inputError(op, "Username", "must not contain control characters")
	case username != strings.TrimSpace(username):
		return inputError(op, "Username", "must not have leading or trailing spaces")
	}
	if !mailaddr.Plain(username) {
		return inputError(op, "Username", `must be an e-mail address such as "jane@example.com"`)
	}
	return nil
}

func userFromWire(w *wire.User) User {
	d := &w.UserDetails
	return User{
		ID:        w.ID,
		Confirmed: w.Confirmed,
		Email:     w.Email,
		Active:    w.Status,
		Details: Details{
			ID:         d.ID,
			FirstName:  d.FirstName,
			LastName:   d.LastName,
			LastVisit:  fromUnix(d.LastVisitDate),
			Archived:   d.Archived,
			ArchivedAt: fromUnix(d.ArchivationDate),
			Role:       roleFromWire(&d.Role),
			Settings:   Settings{Language: ptr.Value(d.Settings.Language)},
		},
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
