package bss

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/usermgmt-go/sdk/internal/directory"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// Directory adapts a Client to usermgmt.Directory (and usermgmt.UserFinder,
// by email). How each method maps to the User Management V4 API:
//
//   - CreateUser: createUser (POST /api/user/management/v4/users), made
//     exactly-once by looking the user up by email (getAllUsers with the
//     email filter) when the outcome is unknown or the email exists.
//     Requires Email; Name (or FirstName and LastName) becomes name,
//     Password becomes meta.security.user_password; the user is created
//     REGISTERED (active), or UNREGISTERED when Inactive is set. Username
//     is ignored: BSS has none, the email is the natural key. Roles are
//     unsupported.
//   - GetUser: getUserById (GET /api/user/management/v4/users/{user_id}).
//   - ListUsers: getAllUsers (GET /api/user/management/v4/users), paged
//     with offset and limit (Assumed); the Active filter is applied on the
//     client.
//   - UpdateUser: updateUser (PATCH), sending only the fields set: Email,
//     Name, Password. FirstName or LastName alone are merged into the
//     stored full name (getUserById first).
//   - SetActive: updateUser (PATCH) with only registration_state:
//     REGISTERED for active, UNREGISTERED for inactive. "Active" maps to
//     the registration state because only REGISTERED users can log in.
//   - DeleteUser: deleteUserById (DELETE /api/user/management/v4/users/{user_id}),
//     a real delete.
//   - SetRoles: unsupported; BSS users have no roles (user_flags are
//     feature flags, not roles).
//   - FindUser: getAllUsers with the email filter, keeping only an exact
//     (case-insensitive) match.
//
// usermgmt.User fields: ID is the user id, Email is
// contact_details.email, Name is name (FirstName and LastName stay empty:
// BSS keeps one name), Active is registration_state == REGISTERED, Roles is
// empty, Raw is the *bss.User.
type Directory struct {
	c *Client
}

var (
	_ usermgmt.Directory  = (*Directory)(nil)
	_ usermgmt.UserFinder = (*Directory)(nil)
)

// NewDirectory returns the usermgmt.Directory view of c (which is also a
// usermgmt.UserFinder). c must not be nil.
func NewDirectory(c *Client) *Directory { return &Directory{c: c} }

// Provider returns "bss".
func (d *Directory) Provider() string { return provider }

// Capabilities reports everything but roles; creates are exactly-once by
// email.
func (d *Directory) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{
		Create: true, Get: true, List: true, Update: true, Activate: true, Deactivate: true, Delete: true,
		Roles:      false,
		NaturalKey: "email",
		Requires:   []string{"Email"},
	}
}

// CreateUser creates the user through createUser, exactly once: see the
// type's documentation.
func (d *Directory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	const op = "CreateUser"
	if in.Email == "" {
		return nil, inputError(op, "Email", "must not be empty: it is the natural key of a BSS user")
	}
	if len(in.Roles) > 0 {
		return nil, directory.Unsupported(provider, "CreateUser with roles", rolesHint)
	}
	state := Registered
	if in.Inactive {
		state = Unregistered
	}
	ci := CreateUserInput{Name: in.FullName(), Email: in.Email, RegistrationState: state, Password: in.Password}
	return directory.CreateOnce(ctx, provider, in.Email,
		func(ctx context.Context) (*usermgmt.User, error) {
			u, err := d.c.CreateUser(ctx, ci)
			if err != nil {
				return nil, err
			}
			return toUser(u), nil
		},
		d.FindUser)
}

// GetUser returns the user with the given id (getUserById).
func (d *Directory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	u, err := d.c.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// ListUsers iterates over the users (getAllUsers), keeping those that pass
// opts.
func (d *Directory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	var lo *ListUsersOptions
	if opts != nil && opts.PageSize != 0 {
		lo = &ListUsersOptions{PageSize: opts.PageSize}
	}
	return directory.Users(d.c.ListUsers(ctx, lo), toUser, opts)
}

// UpdateUser changes the fields of in that are set with one PATCH
// (updateUser); with nothing set it returns the user unchanged.
func (d *Directory) UpdateUser(ctx context.Context, id string, in usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	ui := UpdateUserInput{Email: in.Email, Name: in.Name, Password: in.Password}
	if in.Name == nil && (in.FirstName != nil || in.LastName != nil) {
		cur, err := d.c.GetUser(ctx, id)
		if err != nil {
			return nil, err
		}
		first, last, _ := strings.Cut(strings.TrimSpace(cur.Name), " ")
		if in.FirstName != nil {
			first = *in.FirstName
		}
		if in.LastName != nil {
			last = *in.LastName
		}
		name := strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
		ui.Name = &name
	}
	if ui.Email == nil && ui.Name == nil && ui.Password == nil {
		return d.GetUser(ctx, id)
	}
	u, err := d.c.UpdateUser(ctx, id, ui)
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// SetActive registers (active) or unregisters (inactive) the user with a
// PATCH of registration_state alone: only REGISTERED users can log in.
func (d *Directory) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	state := Unregistered
	if active {
		state = Registered
	}
	u, err := d.c.SetRegistrationState(ctx, id, state)
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// DeleteUser deletes the user (deleteUserById).
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	return d.c.DeleteUser(ctx, id)
}

const rolesHint = "BSS users have no roles; user_flags are feature flags, set them with bss.Client.UpdateUser"

// SetRoles is unsupported: BSS users have no roles.
func (d *Directory) SetRoles(context.Context, string, []string) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "SetRoles", rolesHint)
}

// FindUser returns the user whose email equals key (compared without case),
// found with getAllUsers and its email filter, or an error matching
// usermgmt.ErrNotFound.
func (d *Directory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	if key == "" {
		return nil, inputError("FindUser", "key", "must not be empty")
	}
	for u, err := range d.c.ListUsers(ctx, &ListUsersOptions{Email: key}) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(u.ContactDetails.Email, key) {
			return toUser(&u), nil
		}
	}
	return nil, fmt.Errorf("bss: FindUser: no user with email %q: %w", key, usermgmt.ErrNotFound)
}

func toUser(u *User) *usermgmt.User {
	raw := *u
	return &usermgmt.User{
		ID:       u.ID,
		Email:    u.ContactDetails.Email,
		Name:     u.Name,
		Active:   u.Registered(),
		Provider: provider,
		Raw:      &raw,
	}
}
