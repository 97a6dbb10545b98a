package bss

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/bss/internal/wire"
	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// LegacyUser is a user account of the legacy user management endpoints
// (/api/management/user), which address users by email. Assumed: its shape
// is not published; it is modelled from the V4 attributes and the vendor's
// migration guide (see specs/README.md).
type LegacyUser struct {
	// Email is the user's email address, the key of a legacy account.
	Email string `json:"email,omitempty"`
	// Name is the full name.
	Name string `json:"name,omitempty"`
	// CID is the customer's identifier of the user, ExternalID in V4.
	CID string `json:"cid,omitempty"`
	// Password is sent on create or update and never returned. Like every
	// usermgmt.Secret it prints, and encodes as JSON, as "[REDACTED]".
	Password usermgmt.Secret `json:"password,omitempty"`
}

// Format prints the user as fmt would without it, with every verb and
// flag, the Password redacted. It exists because fmt answers a verb it
// cannot apply to a pointer (%s or %q on a *LegacyUser inside another
// value) by dumping the struct behind the pointer without calling the
// methods of its fields, which would show the password.
func (u LegacyUser) Format(f fmt.State, verb rune) {
	type legacyUser LegacyUser // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), legacyUser(u))
	if verb == 'v' && f.Flag('#') {
		s = "bss.LegacyUser" + strings.TrimPrefix(s, "bss.legacyUser")
	}
	_, _ = io.WriteString(f, s)
}

// LegacyClient calls the legacy user management endpoints. Get one with
// Client.Legacy; it shares the client's settings and connections.
//
// Deprecated: the vendor replaced these endpoints with User Management V4;
// use the methods of Client (ListUsers, CreateUser, UpdateUser, DeleteUser).
type LegacyClient struct {
	c *Client
}

// Legacy returns a client for the legacy user management endpoints, for
// installations that still rely on them. Each of its methods names the V4
// call that replaces it.
//
// Deprecated: use the V4 methods of Client; see LegacyClient.
func (c *Client) Legacy() *LegacyClient { return &LegacyClient{c: c} }

// Format prints the legacy client as bss.LegacyClient{base URL} with every
// verb, so that printing it can never reveal the API key it holds.
func (l *LegacyClient) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "bss.LegacyClient{%s}", strings.TrimRight(l.c.api.Server, "/"))
}

// ListUsers returns every user account (getLegacyUsers, GET
// /api/management/user). Read-only, so retried as safe.
//
// Deprecated: use Client.ListUsers (getAllUsers, GET
// /api/user/management/v4/users).
func (l *LegacyClient) ListUsers(ctx context.Context) ([]LegacyUser, error) {
	const op = "getLegacyUsers"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	ctx = call(ctx, op, transport.Idempotent)
	resp, err := l.c.api.GetLegacyUsers(ctx)
	if err != nil {
		return nil, err
	}
	list, err := transport.DecodeJSON[hollowList[wire.LegacyUser]](l.c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if list.items == nil {
		return nil, l.c.incomplete(ctx, resp, false, "the user list")
	}
	out := make([]LegacyUser, len(list.items))
	for i, w := range list.items {
		out[i] = legacyFromWire(&w)
	}
	return out, nil
}

// CreateUser creates a user account (createLegacyUser, POST
// /api/management/user); u.Email is required. Not idempotent: a create whose
// outcome is unknown is not resent and the error matches
// usermgmt.ErrOutcomeUnknown.
//
// Deprecated: use Client.CreateUser (createUser, POST
// /api/user/management/v4/users); CID becomes ExternalID.
func (l *LegacyClient) CreateUser(ctx context.Context, u LegacyUser) (*LegacyUser, error) {
	const op = "createLegacyUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if u.Email == "" {
		return nil, inputError(op, "Email", "must not be empty")
	}
	if err := validateFields(op, u.Email, "", nil); err != nil {
		return nil, err
	}
	ctx = call(ctx, op, transport.NotIdempotent)
	transport.AddSecrets(ctx, u.Password.Reveal()) // so that no error can quote it back
	resp, err := l.c.api.CreateLegacyUser(ctx, legacyToWire(u))
	if err != nil {
		return nil, err
	}
	return l.legacyUser(ctx, resp)
}

// UpdateUser updates the user account with the given email address
// (updateLegacyUser, PUT /api/management/user/{email}) and returns it. The
// email is escaped into its path segment, so any address (e.g. one with '/'
// or '+') reaches the right account. A PUT is idempotent, so it is retried
// as safe.
//
// Deprecated: use Client.UpdateUser (updateUser, PATCH
// /api/user/management/v4/users/{user_id}), which addresses users by id.
func (l *LegacyClient) UpdateUser(ctx context.Context, email string, u LegacyUser) (*LegacyUser, error) {
	const op = "updateLegacyUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validatePathValue(op, "email", email); err != nil {
		return nil, err
	}
	if err := validateFields(op, u.Email, "", nil); err != nil {
		return nil, err
	}
	ctx = call(ctx, op, transport.Idempotent)
	transport.AddSecrets(ctx, u.Password.Reveal()) // so that no error can quote it back
	resp, err := l.c.api.UpdateLegacyUser(ctx, email, legacyToWire(u))
	if err != nil {
		return nil, err
	}
	return l.legacyUser(ctx, resp)
}

// DeleteUser deletes the user account with the given email address
// (deleteLegacyUser, DELETE /api/management/user/{email}). The email is
// escaped into its path segment. Retried as safe, and a "not found" after
// an attempt that may have been applied is success, as for Client.DeleteUser.
//
// Deprecated: use Client.DeleteUser (deleteUserById, DELETE
// /api/user/management/v4/users/{user_id}), which addresses users by id.
func (l *LegacyClient) DeleteUser(ctx context.Context, email string) error {
	const op = "deleteLegacyUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return err
	}
	if err := validatePathValue(op, "email", email); err != nil {
		return err
	}
	ctx = call(ctx, op, transport.Idempotent)
	resp, err := l.c.api.DeleteLegacyUser(ctx, email)
	if err != nil {
		return err
	}
	_, err = l.c.t.Read(ctx, resp, readError)
	return deleted(ctx, err)
}

// legacyUser reads the account that a create or update answers. Assumed:
// the answer always carries the account's email, its key; one without it
// (null, {}) is incomplete, and since the call may have been applied, its
// outcome is unknown.
func (l *LegacyClient) legacyUser(ctx context.Context, resp *http.Response) (*LegacyUser, error) {
	w, err := transport.DecodeJSON[wire.LegacyUser](l.c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if ptr.Value(w.Email) == "" {
		return nil, l.c.incomplete(ctx, resp, true, "email")
	}
	u := legacyFromWire(w)
	return &u, nil
}

func legacyToWire(u LegacyUser) wire.LegacyUser {
	w := wire.LegacyUser{Email: ptr.NonZero(u.Email), Name: ptr.NonZero(u.Name), CID: ptr.NonZero(u.CID)}
	if !u.Password.IsZero() {
		p := u.Password.Reveal()
		w.Password = &p
	}
	return w
}

func legacyFromWire(w *wire.LegacyUser) LegacyUser {
	// A password in an answer is dropped: it is write-only.
	return LegacyUser{Email: ptr.Value(w.Email), Name: ptr.Value(w.Name), CID: ptr.Value(w.CID)}
}
