package genericusr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/internal/mailaddr"

	"github.com/usermgmt-go/sdk/genericusr/internal/wire"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// User is a Revive Adserver user as the API returns it. The API writes its
// numbers as JSON strings ("userId":"21", "active":"1"); User decodes
// numbers and numeric strings alike, and null as the zero value. The
// password is write-only: the API never returns it, so User has none.
type User struct {
	// ID is the user's id, assigned by the server.
	ID int64 `json:"userId"`
	// ContactName is the user's name.
	ContactName string `json:"contactName"`
	// EmailAddress is the user's email address.
	EmailAddress string `json:"emailAddress"`
	// Username is the user's login name.
	Username string `json:"username"`
	// DefaultAccountID is the id of the account the user belongs to by
	// default; ListUsers lists the users of an account.
	DefaultAccountID int64 `json:"defaultAccountId"`
	// Active reports whether the user can log in (the API's active flag,
	// 1 or 0).
	Active bool `json:"active"`
}

// AddUserInput is a user to create. Every field but Active is required.
type AddUserInput struct {
	// ContactName is the user's name.
	ContactName string `json:"contactName"`
	// EmailAddress is the user's email address.
	EmailAddress string `json:"emailAddress"`
	// DefaultAccountID is the id of the user's default account.
	DefaultAccountID int64 `json:"defaultAccountId"`
	// Username is the login name.
	Username string `json:"username"`
	// Password is the initial password. It is sent, never printed.
	Password usermgmt.Secret `json:"password"`
	// Active, when set, creates the user active (true) or inactive
	// (false); nil leaves it to the server, which makes the user active.
	Active *bool `json:"active,omitempty"`
}

// ModifyUserInput holds the fields of a user to change. Only the fields
// that are set (non-nil) are sent; the others are left out of the request,
// not sent as null or zero, and the server keeps them as they are.
type ModifyUserInput struct {
	// ContactName, when set, is the user's new name (not empty).
	ContactName *string `json:"contactName,omitempty"`
	// EmailAddress, when set, is the user's new email address.
	EmailAddress *string `json:"emailAddress,omitempty"`
	// DefaultAccountID, when set, moves the user to another default
	// account.
	DefaultAccountID *int64 `json:"defaultAccountId,omitempty"`
	// Username, when set, is the user's new login name (not empty).
	Username *string `json:"username,omitempty"`
	// Password, when set, is the user's new password (not empty). It is
	// sent, never printed.
	Password *usermgmt.Secret `json:"password,omitempty"`
	// Active, when set, activates (true) or deactivates (false) the user.
	Active *bool `json:"active,omitempty"`
}

// ListUsers returns an iterator over the users of the account with the
// given id (the getUserListByAccountId operation, GET /usr/acc/{accountId}).
// The API does not page: the whole list is fetched in one request when the
// iteration starts. usermgmt.Collect turns it into a slice.
//
//	users, err := usermgmt.Collect(client.ListUsers(ctx, 2))
//
// Retries: a read, retried on 429, 5xx and transport errors.
func (c *Client) ListUsers(ctx context.Context, accountID int64) iter.Seq2[User, error] {
	if err := transport.CheckContext(ctx, provider, "getUserListByAccountId"); err != nil {
		return func(yield func(User, error) bool) { yield(User{}, err) }
	}
	return usermgmt.Paginate(ctx, struct{}{}, func(ctx context.Context, _ struct{}) ([]User, struct{}, bool, error) {
		users, err := c.listUsers(ctx, accountID)
		return users, struct{}{}, false, err
	})
}

func (c *Client) listUsers(ctx context.Context, accountID int64) ([]User, error) {
	const op = "getUserListByAccountId"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "accountID", accountID); err != nil {
		return nil, err
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	resp, err := c.api.GetUserListByAccountID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	body, err := c.read(ctx, resp)
	if err != nil {
		return nil, err
	}
	var a listAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' { // an object, but no list of users
			return nil, c.t.Incomplete(ctx, resp, []string{"the list of users"})
		}
		return nil, c.t.Unreadable(ctx, resp, err)
	}
	if missing := listMissing(body, a.users); len(missing) > 0 {
		return nil, c.t.Incomplete(ctx, resp, missing)
	}
	return a.users, nil
}

// read reads a 2xx answer: a body that is not JSON cannot be read, and the
// API's error object (which it may send with a 2xx status) is an error.
func (c *Client) read(ctx context.Context, resp *http.Response) ([]byte, error) {
	body, err := c.t.Read(ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if err := c.checkBody(ctx, resp, body); err != nil {
		return nil, err
	}
	return body, nil
}

// checkBody returns the error of a 2xx body that is not JSON or is the
// API's error object.
func (c *Client) checkBody(ctx context.Context, resp *http.Response, body []byte) error {
	if !json.Valid(body) {
		var v any
		return c.t.Unreadable(ctx, resp, json.Unmarshal(body, &v))
	}
	if f, ok := errorIn(body); ok {
		return c.t.APIError(ctx, resp, f)
	}
	return nil
}

// listMissing names what a list answer lacks: the list itself (null, {}
// or not a list), or the userId of an item (read as 0, which no user has).
// Besides the documented array, an object keyed by index is a list (see
// listAnswer).
func listMissing(body []byte, users []User) []string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' && (body[0] != '{' || len(users) == 0) {
		return []string{"the list of users"}
	}
	var out []string
	for i := range users {
		if users[i].ID == 0 {
			out = append(out, fmt.Sprintf("users[%d].userId", i))
		}
	}
	return out
}

// GetUser returns the user with the given id (getUser, GET /usr/{userId}).
// An unknown id is an error matching usermgmt.ErrNotFound.
//
// Retries: a read, retried on 429, 5xx and transport errors.
func (c *Client) GetUser(ctx context.Context, userID int64) (*User, error) {
	const op = "getUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "userID", userID); err != nil {
		return nil, err
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	resp, err := c.api.GetUser(ctx, userID)
	return c.user(ctx, resp, err)
}

// AddUser creates a user and returns it (addUser, POST /usr/new; addUserPut,
// PUT /usr/new when Config.UsePUT is set). A username that is taken is an
// error matching usermgmt.ErrConflict.
//
// Retries: not idempotent, whichever the method. The API has no idempotency
// key, so a create is resent only when the failure proves the server never
// saw it (connection refused, 429). When it may have been applied (a
// dropped connection, a timeout, a 5xx), AddUser returns an error matching
// usermgmt.ErrOutcomeUnknown and sends nothing more: look the user up by
// username before trying again (the Directory adapter does that for you).
func (c *Client) AddUser(ctx context.Context, in AddUserInput) (*User, error) {
	op := "addUser"
	if c.usePUT {
		op = "addUserPut"
	}
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateAdd(op, &in); err != nil {
		return nil, err
	}
	pw := in.Password.Reveal()
	body := wire.AddUserRequest{
		ContactName:      in.ContactName,
		EmailAddress:     in.EmailAddress,
		DefaultAccountID: intOrString(in.DefaultAccountID),
		Username:         in.Username,
		Password:         &pw,
		Active:           flag(in.Active),
	}
	ctx = transport.WithCall(ctx, op, transport.NotIdempotent)
	transport.AddSecrets(ctx, pw) // so that no error can quote it back
	var resp *http.Response
	var err error
	if c.usePUT {
		resp, err = c.api.AddUserPut(ctx, body)
	} else {
		resp, err = c.api.AddUser(ctx, body)
	}
	return c.user(ctx, resp, err)
}

// ModifyUser changes the fields of in that are set, and only those, and
// returns the user (modifyUser, POST /usr/{userId}; modifyUserPut, PUT
// /usr/{userId} when Config.UsePUT is set). At least one field must be set.
// An unknown id is an error matching usermgmt.ErrNotFound.
//
// Retries: idempotent, whichever the method: the request sets fields to
// the given values, so sending it twice has the effect of sending it once.
// It is retried on 429, 5xx and transport errors.
func (c *Client) ModifyUser(ctx context.Context, userID int64, in ModifyUserInput) (*User, error) {
	op := "modifyUser"
	if c.usePUT {
		op = "modifyUserPut"
	}
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "userID", userID); err != nil {
		return nil, err
	}
	if err := validateModify(op, &in); err != nil {
		return nil, err
	}
	body := wire.ModifyUserRequest{
		ContactName:  clonePtr(in.ContactName),
		EmailAddress: clonePtr(in.EmailAddress),
		Username:     clonePtr(in.Username),
		Active:       flag(in.Active),
	}
	if in.DefaultAccountID != nil {
		v := intOrString(*in.DefaultAccountID)
		body.DefaultAccountID = &v
	}
	if in.Password != nil {
		pw := in.Password.Reveal()
		body.Password = &pw
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	if body.Password != nil {
		transport.AddSecrets(ctx, *body.Password) // so that no error can quote it back
	}
	var resp *http.Response
	var err error
	if c.usePUT {
		resp, err = c.api.ModifyUserPut(ctx, userID, body)
	} else {
		resp, err = c.api.ModifyUser(ctx, userID, body)
	}
	return c.user(ctx, resp, err)
}

// DeleteUser deletes the user with the given id (deleteUser, DELETE
// /usr/{userId}). An unknown id is an error matching usermgmt.ErrNotFound.
//
// Retries: idempotent, retried on 429, 5xx and transport errors. When an
// earlier attempt of the same call may have been applied (its connection
// dropped, or it met a 5xx) and the retry answers "Unknown userId", the
// call succeeds: the earlier attempt deleted the user. When every attempt
// fails without an answer, the error matches usermgmt.ErrOutcomeUnknown;
// calling DeleteUser again is safe.
func (c *Client) DeleteUser(ctx context.Context, userID int64) error {
	const op = "deleteUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return err
	}
	if err := validateID(op, "userID", userID); err != nil {
		return err
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	err := c.deleteUser(ctx, userID)
	if err != nil && transport.MaybeApplied(ctx) && errors.Is(err, usermgmt.ErrNotFound) {
		return nil
	}
	return err
}

func (c *Client) deleteUser(ctx context.Context, userID int64) error {
	resp, err := c.api.DeleteUser(ctx, userID)
	if err != nil {
		return err
	}
	body, err := c.t.Read(ctx, resp, readError)
	if err != nil {
		return err
	}
	if f, ok := errorIn(body); ok {
		return c.t.APIError(ctx, resp, f)
	}
	return nil // any other body (true, {}, nothing) is success
}

// user reads a 2xx answer that should hold a user. An answer without the
// user's id (null, {}, an object of other fields) proves nothing: it is an
// error, reporting an unknown outcome for a create or modify.
func (c *Client) user(ctx context.Context, resp *http.Response, err error) (*User, error) {
	if err != nil {
		return nil, err
	}
	body, err := c.t.Read(ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	// One decoding reads a user, or the API's error object, in the common
	// case; anything else is looked at again the way read does.
	var a userAnswer
	if uerr := json.Unmarshal(body, &a); uerr == nil && a.fail == nil && a.user.ID != 0 {
		return &a.user, nil
	}
	if err := c.checkBody(ctx, resp, body); err != nil {
		return nil, err // not JSON, or the API's error object
	}
	if a.fail != nil {
		return nil, c.t.APIError(ctx, resp, *a.fail)
	}
	return nil, c.t.Incomplete(ctx, resp, []string{"userId"}) // absent, null or not a user: no user has id 0
}

func validateID(op, field string, id int64) error {
	if id <= 0 {
		return inputError(op, field, "must be a positive id")
	}
	return nil
}

func validateAdd(op string, in *AddUserInput) error {
	if err := validateText(op, "ContactName", in.ContactName); err != nil {
		return err
	}
	if err := validateEmail(op, in.EmailAddress); err != nil {
		return err
	}
	if err := validateID(op, "DefaultAccountID", in.DefaultAccountID); err != nil {
		return err
	}
	if err := validateText(op, "Username", in.Username); err != nil {
		return err
	}
	if in.Password.IsZero() {
		return inputError(op, "Password", "must not be empty")
	}
	return nil
}

func validateModify(op string, in *ModifyUserInput) error {
	if *in == (ModifyUserInput{}) {
		return inputError(op, "ModifyUserInput", "sets no field; set at least one")
	}
	if in.ContactName != nil {
		if err := validateText(op, "ContactName", *in.ContactName); err != nil {
			return err
		}
	}
	if in.EmailAddress != nil {
		if err := validateEmail(op, *in.EmailAddress); err != nil {
			return err
		}
	}
	if in.DefaultAccountID != nil {
		if err := validateID(op, "DefaultAccountID", *in.DefaultAccountID); err != nil {
			return err
		}
	}
	if in.Username != nil {
		if err := validateText(op, "Username", *in.Username); err != nil {
			return err
		}
	}
	if in.Password != nil && in.Password.IsZero() {
		return inputError(op, "Password", "must not be empty when set")
	}
	return nil
}

func validateText(op, field, s string) error {
	if strings.TrimSpace(s) == "" {
		return inputError(op, field, "must not be empty")
	}
	if strings.ContainsFunc(s, isControl) {
		return inputError(op, field, "must not contain control characters")
	}
	return nil
}

func validateEmail(op, email string) error {
	if strings.TrimSpace(email) == "" {
		return inputError(op, "EmailAddress", "must not be empty")
	}
	if !mailaddr.Plain(email) {
		return inputError(op, "EmailAddress", "is not a plain email address")
	}
	return nil
}

func intOrString(v int64) wire.IntegerOrString {
	var x wire.IntegerOrString
	_ = x.FromIntegerNumber(v) // marshalling an int64 cannot fail
	return x
}

// flag returns the API's form of b, the string "1" or "0" as the vendor's
// example sends it ("active":"0"); nil when b is nil.
func flag(b *bool) *wire.IntegerOrString {
	if b == nil {
		return nil
	}
	v := "0"
	if *b {
		v = "1"
	}
	var x wire.IntegerOrString
	_ = x.FromNumericString(v) // marshalling a string cannot fail
	return &x
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
