package bss

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/bss/internal/wire"
	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// Page sizes of a user listing (the limit parameter of getAllUsers).
// Assumed: the API publishes neither a default nor a maximum.
const (
	// DefaultPageSize is the page size ListUsers asks for when
	// ListUsersOptions.PageSize is zero.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size the client asks for; a larger
	// ListUsersOptions.PageSize is refused before anything is sent, so
	// that a mistake cannot ask the server for one unbounded page.
	MaxPageSize = 1000
)

// ListUsersOptions filter and page a user listing. Assumed: the vendor
// publishes neither the paging parameters nor the filters; offset, limit,
// email and external_id are modelled (see specs/README.md).
type ListUsersOptions struct {
	// PageSize asks for pages of at most this many users (the limit
	// parameter), from 1 to MaxPageSize. Zero means DefaultPageSize for
	// ListUsers, and no limit (the server's choice) for ListUsersPage.
	PageSize int
	// Email, when set, keeps only the users with this email address.
	Email string
	// ExternalID, when set, keeps only the users with this external id.
	ExternalID string
}

// ListUsersPage returns one page of the user index (getAllUsers, vendor
// operation GetAllUsers): at most opts.PageSize users starting at offset
// (counted from 0). Read-only, so retried as safe on 429, 5xx and transport
// errors.
func (c *Client) ListUsersPage(ctx context.Context, offset int, opts *ListUsersOptions) ([]User, error) {
	const op = "getAllUsers"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, inputError(op, "offset", "must not be negative")
	}
	var o ListUsersOptions
	if opts != nil {
		o = *opts
	}
	if err := checkPageSize(op, o.PageSize); err != nil {
		return nil, err
	}
	return c.listPage(ctx, offset, o)
}

func (c *Client) listPage(ctx context.Context, offset int, o ListUsersOptions) ([]User, error) {
	const op = "getAllUsers"
	for _, f := range []struct{ name, v string }{{"Email", o.Email}, {"ExternalID", o.ExternalID}} {
		if strings.ContainsFunc(f.v, isControl) {
			return nil, inputError(op, f.name, "must not contain control characters")
		}
	}
	p := &wire.GetAllUsersParams{Email: ptr.NonZero(o.Email), ExternalID: ptr.NonZero(o.ExternalID)}
	if offset > 0 {
		p.Offset = &offset
	}
	if o.PageSize > 0 {
		p.Limit = &o.PageSize
	}
	ctx = call(ctx, op, transport.Idempotent)
	resp, err := c.api.GetAllUsers(ctx, p)
	if err != nil {
		return nil, err
	}
	list, err := transport.DecodeJSON[hollowList[wire.User]](c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if list.items == nil {
		return nil, c.incomplete(ctx, resp, false, "the user list")
	}
	out := make([]User, len(list.items))
	for i := range list.items {
		if ptr.Value(list.items[i].ID) == "" {
			return nil, c.incomplete(ctx, resp, false, fmt.Sprintf("id of user %d", i))
		}
		out[i] = userFromWire(&list.items[i])
	}
	return out, nil
}

// hollowList decodes a list answer (a bare JSON array). null and an empty
// object {} leave items nil, for the caller to report as incomplete rather
// than as unreadable.
type hollowList[T any] struct{ items []T }

// UnmarshalJSON decodes the array, or nothing from null or {}.
func (l *hollowList[T]) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && (t[0] == 'n' || t[0] == '{') {
		var m map[string]json.RawMessage
		if json.Unmarshal(t, &m) == nil && len(m) == 0 {
			return nil
		}
	}
	if err := json.Unmarshal(b, &l.items); err != nil {
		return err
	}
	if l.items == nil {
		l.items = []T{} // "[]" decodes to an empty, not a nil, slice anyway
	}
	return nil
}

// checkPageSize refuses a page size outside 0 to MaxPageSize.
func checkPageSize(op string, n int) error {
	if n < 0 || n > MaxPageSize {
		return inputError(op, "PageSize", fmt.Sprintf("must be between 1 and %d, or 0 for the default", MaxPageSize))
	}
	return nil
}

// ListUsers returns an iterator over every user matching opts, fetching
// pages of opts.PageSize (DefaultPageSize when zero) lazily with
// ListUsersPage; breaking out of the loop stops fetching.
//
// Assumed: the API pages with offset and limit (not published). The
// iterator stops at the first page shorter than the page size, and also at
// the first page that brings no user it has not just seen, so that a server
// which ignores offset (and returns the same users on every call) ends the
// listing instead of looping. A user that appears on two consecutive pages
// (the index shifted between calls) is yielded once. Only one page is held
// in memory.
//
//	for u, err := range client.ListUsers(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.ID, u.ContactDetails.Email)
//	}
func (c *Client) ListUsers(ctx context.Context, opts *ListUsersOptions) iter.Seq2[User, error] {
	const op = "getAllUsers"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return usermgmt.Failed[User](err)
	}
	var o ListUsersOptions
	if opts != nil {
		o = *opts
	}
	if err := checkPageSize(op, o.PageSize); err != nil {
		return usermgmt.Failed[User](err)
	}
	if o.PageSize == 0 {
		o.PageSize = DefaultPageSize
	}
	type cursor struct {
		offset int
		prev   map[string]bool // ids of the previous page
	}
	return usermgmt.Paginate(ctx, cursor{}, func(ctx context.Context, cur cursor) ([]User, cursor, bool, error) {
		page, err := c.listPage(ctx, cur.offset, o)
		if err != nil {
			return nil, cursor{}, false, err
		}
		fresh := slices.DeleteFunc(slices.Clone(page), func(u User) bool { return cur.prev[u.ID] })
		if len(page) > 0 && len(fresh) == 0 {
			return nil, cursor{}, false, nil // the server ignores offset: nothing more to get
		}
		ids := make(map[string]bool, len(page))
		for _, u := range page {
			ids[u.ID] = true
		}
		next := cursor{offset: cur.offset + len(page), prev: ids}
		return fresh, next, len(page) >= o.PageSize, nil
	})
}

// GetUser returns the user with the given id (getUserById, vendor operation
// GetUserById). Read-only, so retried as safe. A missing user is an error
// matching usermgmt.ErrNotFound.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	const op = "getUserById"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validatePathValue(op, "id", id); err != nil {
		return nil, err
	}
	ctx = call(ctx, op, transport.Idempotent)
	resp, err := c.api.GetUserByID(ctx, id)
	return c.user(ctx, resp, err, false)
}

// CreateUserInput is a user to create. At least one field must be set;
// which ones the API requires is not published, so the server decides.
type CreateUserInput struct {
	// Name is the full name.
	Name string
	// Email is the email address (contact_details.email).
	Email string
	// TelephoneNumberE123 is the telephone number in E.123 notation
	// (contact_details.telephone_number_E123).
	TelephoneNumberE123 string
	// UserFlags are feature flags such as "LICENSE_PURCHASE_RESTRICTED".
	UserFlags []string
	// RegistrationState is the initial state. Empty sends none, and the API
	// creates the user UNREGISTERED (its default): such a user cannot log in
	// until registered with SetRegistrationState or UpdateUser.
	RegistrationState RegistrationState
	// ExternalID is the customer's own identifier of the user.
	ExternalID string
	// Password is the initial password (meta.security.user_password). It
	// is write-only: the API never returns it.
	Password usermgmt.Secret
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
		s = "bss.CreateUserInput" + strings.TrimPrefix(s, "bss.createUserInput")
	}
	_, _ = io.WriteString(f, s)
}

// CreateUser creates a user and returns it as the API answers (createUser,
// vendor operation CreateUser); the API also creates the user's default
// profile.
//
// A create is not idempotent and the API has no idempotency key: a create
// whose outcome is unknown (a dropped connection, a timeout, a 5xx after the
// request was sent) is never resent, and the error matches
// usermgmt.ErrOutcomeUnknown. Look the user up (ListUsers with an Email
// filter) before trying again, or use NewDirectory, whose CreateUser does
// that for you. It is resent only when the server provably never saw it
// (connection refused, 429).
func (c *Client) CreateUser(ctx context.Context, in CreateUserInput) (*User, error) {
	const op = "createUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if in.Name == "" && in.Email == "" && in.TelephoneNumberE123 == "" && in.ExternalID == "" &&
		in.UserFlags == nil && in.RegistrationState == "" && in.Password.IsZero() {
		return nil, inputError(op, "CreateUserInput", "no field is set")
	}
	if err := validateFields(op, in.Email, in.RegistrationState, in.UserFlags); err != nil {
		return nil, err
	}
	body := wire.CreateUserRequest{
		Name:           ptr.NonZero(in.Name),
		UserFlags:      cloneFlags(in.UserFlags),
		ContactDetails: contact(ptr.NonZero(in.Email), ptr.NonZero(in.TelephoneNumberE123)),
		ExternalID:     ptr.NonZero(in.ExternalID),
	}
	if in.RegistrationState != "" {
		body.RegistrationInformation = registration(in.RegistrationState)
	}
	if !in.Password.IsZero() {
		body.Meta = password(in.Password)
	}
	ctx = call(ctx, op, transport.NotIdempotent)
	transport.AddSecrets(ctx, in.Password.Reveal()) // so that no error can quote it back
	resp, err := c.api.CreateUser(ctx, body)
	return c.user(ctx, resp, err, true)
}

// UpdateUserInput holds the fields to change. A nil field is left as it is
// and is not sent: the PATCH body carries exactly the fields set here (JSON
// merge-patch semantics; Assumed, see specs/README.md).
type UpdateUserInput struct {
	// Name sets the full name.
	Name *string
	// Email sets contact_details.email.
	Email *string
	// TelephoneNumberE123 sets contact_details.telephone_number_E123.
	TelephoneNumberE123 *string
	// UserFlags, when not nil, replaces the user's flags; a non-nil empty
	// slice removes every flag.
	UserFlags []string
	// RegistrationState sets the registration state, e.g. Registered to let
	// the user log in.
	RegistrationState *RegistrationState
	// ExternalID sets the customer's own identifier.
	ExternalID *string
	// Password sets a new password (meta.security.user_password).
	Password *usermgmt.Secret
}

// UpdateUser changes the fields of in that are set, and only those, and
// returns the user after the update (updateUser, vendor operation
// UpdateUser, PATCH). At least one field must be set. A PATCH that applies
// the given values is idempotent, so it is retried as safe on 429, 5xx and
// transport errors. A missing user is an error matching
// usermgmt.ErrNotFound.
func (c *Client) UpdateUser(ctx context.Context, id string, in UpdateUserInput) (*User, error) {
	const op = "updateUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validatePathValue(op, "id", id); err != nil {
		return nil, err
	}
	if in.Name == nil && in.Email == nil && in.TelephoneNumberE123 == nil && in.UserFlags == nil &&
		in.RegistrationState == nil && in.ExternalID == nil && in.Password == nil {
		return nil, inputError(op, "UpdateUserInput", "no field is set")
	}
	var state RegistrationState
	if in.RegistrationState != nil {
		if state = *in.RegistrationState; state == "" {
			return nil, inputError(op, "RegistrationState", "must not be empty when set")
		}
	}
	if in.Email != nil && *in.Email == "" {
		return nil, inputError(op, "Email", "must not be empty when set")
	}
	if err := validateFields(op, ptr.Value(in.Email), state, in.UserFlags); err != nil {
		return nil, err
	}
	body := wire.UpdateUserRequest{
		Name:           cloneString(in.Name),
		UserFlags:      cloneFlags(in.UserFlags),
		ContactDetails: contact(cloneString(in.Email), cloneString(in.TelephoneNumberE123)),
		ExternalID:     cloneString(in.ExternalID),
	}
	if state != "" {
		body.RegistrationInformation = registration(state)
	}
	if in.Password != nil {
		if in.Password.IsZero() {
			return nil, inputError(op, "Password", "must not be empty when set")
		}
		body.Meta = password(*in.Password)
	}
	ctx = call(ctx, op, transport.Idempotent)
	if in.Password != nil {
		transport.AddSecrets(ctx, in.Password.Reveal()) // so that no error can quote it back
	}
	resp, err := c.api.UpdateUser(ctx, id, body)
	return c.user(ctx, resp, err, true)
}

// SetRegistrationState sets the user's registration state and nothing else,
// and returns the user: UpdateUser with only RegistrationState set, which
// sends {"registration_information":{"registration_state":"…"}}. Registered
// lets the user log in; Unregistered stops that. Retried as safe.
func (c *Client) SetRegistrationState(ctx context.Context, id string, state RegistrationState) (*User, error) {
	return c.UpdateUser(ctx, id, UpdateUserInput{RegistrationState: &state})
}

// DeleteUser deletes the user with the given id (deleteUserById, vendor
// operation DeleteUserById). A DELETE is idempotent, so it is retried as
// safe. A missing user is an error matching usermgmt.ErrNotFound, except
// when an earlier attempt of the same call may have been applied (its
// connection dropped, or it met a 5xx): the retry's "not found" then means
// that attempt deleted the user, and the call succeeds.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	const op = "deleteUserById"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return err
	}
	if err := validatePathValue(op, "id", id); err != nil {
		return err
	}
	ctx = call(ctx, op, transport.Idempotent)
	resp, err := c.api.DeleteUserByID(ctx, id)
	if err != nil {
		return err
	}
	_, err = c.t.Read(ctx, resp, readError)
	return deleted(ctx, err)
}

// deleted returns nil for err when it says the user is missing and an
// earlier attempt of the delete call in ctx may have deleted it.
func deleted(ctx context.Context, err error) error {
	if err != nil && transport.MaybeApplied(ctx) && errors.Is(err, usermgmt.ErrNotFound) {
		return nil
	}
	return err
}

// user reads the user a call answers. An answer without the user's id
// (null, {}, or a user without "id") is an incomplete answer; changes says
// the call may have changed state, which then is of unknown outcome.
func (c *Client) user(ctx context.Context, resp *http.Response, err error, changes bool) (*User, error) {
	if err != nil {
		return nil, err
	}
	w, err := transport.DecodeJSON[wire.User](c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if ptr.Value(w.ID) == "" {
		return nil, c.incomplete(ctx, resp, changes, "id")
	}
	u := userFromWire(w)
	return &u, nil
}

// incomplete reports a 2xx answer that lacks what the spec says it always
// carries. It is not a success: the error is an *usermgmt.APIError with
// the answer's status, wrapped in an *usermgmt.OutcomeUnknownError when the
// call may have changed state (changes), since the change may have been
// applied although the answer does not show it.
func (c *Client) incomplete(ctx context.Context, resp *http.Response, changes bool, missing ...string) error {
	err := c.t.APIError(ctx, resp, transport.Failure{Message: "incomplete answer: missing " + strings.Join(missing, ", ")})
	if changes {
		return &usermgmt.OutcomeUnknownError{Provider: provider, Operation: transport.Operation(ctx), Err: err}
	}
	return err
}

func userFromWire(w *wire.User) User {
	u := User{
		ID:         ptr.Value(w.ID),
		Name:       ptr.Value(w.Name),
		ExternalID: ptr.Value(w.ExternalID),
	}
	if w.UserFlags != nil {
		u.UserFlags = slices.Clone(*w.UserFlags)
	}
	if cd := w.ContactDetails; cd != nil {
		u.ContactDetails = ContactDetails{Email: ptr.Value(cd.Email), TelephoneNumberE123: ptr.Value(cd.TelephoneNumberE123)}
	}
	if ri := w.RegistrationInformation; ri != nil {
		u.RegistrationInformation = RegistrationInformation{
			State: RegistrationState(ptr.Value(ri.RegistrationState)),
			Time:  epoch(ri.RegistrationTime),
		}
	}
	if p := w.DefaultUserProfile; p != nil {
		u.DefaultUserProfile = DefaultUserProfile{ID: ptr.Value(p.ID)}
	}
	if m := w.Meta; m != nil && m.Security != nil {
		// The password (user_password) is write-only and left out; so is
		// any other member named like a credential.
		u.Meta.Security = withoutSecrets(m.Security.AdditionalProperties)
	}
	return u
}

// withoutSecrets returns a deep copy of an open object without the members
// whose name says they hold a credential (see isSecretName), at any depth.
// It returns nil for an object with no member left.
func withoutSecrets(m map[string]any) map[string]any {
	var out map[string]any
	for k, v := range m {
		if isSecretName(k) {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m))
		}
		out[k] = cleanValue(v)
	}
	return out
}

func cleanValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		c := withoutSecrets(x)
		if c == nil {
			c = map[string]any{}
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = cleanValue(e)
		}
		return c
	}
	return v
}

// isSecretName reports whether a member name says it holds a credential:
// a password, an API or private key, a token, a secret or a credential.
func isSecretName(name string) bool {
	n := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(name))
	for _, w := range []string{"password", "passwd", "apikey", "privatekey", "accesskey", "token", "secret", "credential"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return n == "key" || n == "pin"
}

func validateFields(op, email string, state RegistrationState, flags []string) error {
	if email != "" && !plausibleEmail(email) {
		return inputError(op, "Email", "is not an email address (local part, '@', domain; no spaces or control characters)")
	}
	if state != "" && !state.Valid() {
		return inputError(op, "RegistrationState", "must be UNREGISTERED or REGISTERED")
	}
	for _, f := range flags {
		if strings.TrimSpace(f) == "" {
			return inputError(op, "UserFlags", "a flag is empty")
		}
	}
	return nil
}

// plausibleEmail is a deliberately loose check: the API publishes no email
// format, so only what cannot be an address is refused.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || isControl(r) })
}

func contact(email, phone *string) *wire.ContactDetails {
	if email == nil && phone == nil {
		return nil
	}
	return &wire.ContactDetails{Email: email, TelephoneNumberE123: phone}
}

func registration(s RegistrationState) *wire.RegistrationInformationInput {
	ws := wire.RegistrationState(s)
	return &wire.RegistrationInformationInput{RegistrationState: &ws}
}

func password(p usermgmt.Secret) *wire.UserMetaInput {
	v := p.Reveal()
	return &wire.UserMetaInput{Security: &wire.UserSecurityInput{UserPassword: &v}}
}

func cloneFlags(f []string) *[]string {
	if f == nil {
		return nil
	}
	c := slices.Clone(f)
	if c == nil {
		c = []string{}
	}
	return &c
}

func cloneString(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
