package syncari

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/usermgmt-go/sdk/internal/directory"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// Directory adapts a Client to usermgmt.Directory, over the users of the
// client's instance. How each method maps to the API:
//
//   - CreateUser: createUser, with one clientRequestId for the logical call
//     (so retries never duplicate), settled by email if still ambiguous;
//     Inactive users are deactivated right after.
//   - GetUser: getUsers, picking the user by id (the API has no get by id).
//   - ListUsers: getUsers, following cursors.
//   - UpdateUser: unsupported (the API has no update).
//   - SetActive: activateUser / deactivateUser.
//   - DeleteUser: deactivateUser (the API has no delete).
//   - SetRoles: setUserRoles, replacing the roles of the client's instance
//     and keeping those of other instances.
//
// Users are identified by their Syncari id; the natural key is the email.
type Directory struct{ c *Client }

var (
	_ usermgmt.Directory  = (*Directory)(nil)
	_ usermgmt.UserFinder = (*Directory)(nil)
)

// NewDirectory returns the usermgmt.Directory view of c.
func NewDirectory(c *Client) *Directory { return &Directory{c: c} }

// Provider returns "syncari".
func (d *Directory) Provider() string { return provider }

// Capabilities reports what the Syncari API can do.
func (d *Directory) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{
		Create: true, Get: true, List: true, Activate: true, Deactivate: true, Delete: true, Roles: true,
		DeleteMeans: "deactivate", IdempotentCreate: true, NaturalKey: "email", Requires: []string{"Email"},
	}
}

func (d *Directory) toUser(u *User) *usermgmt.User {
	return &usermgmt.User{
		ID:        u.ID,
		Email:     u.Email,
		Name:      strings.TrimSpace(u.FirstName + " " + u.LastName),
		FirstName: u.FirstName,
		LastName:  u.LastName,
		Active:    u.Active(),
		Roles:     slices.Clone(u.Roles[d.c.instanceID]),
		Provider:  provider,
		Raw:       u,
	}
}

// CreateUser creates the user; see the type's documentation.
func (d *Directory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	// One key for this logical create, reused by every attempt CreateOnce
	// makes; the caller's key when set. The look-up and the deactivation
	// are other calls, and carry no key of the create's.
	key, ok := usermgmt.IdempotencyKey(ctx)
	if !ok {
		key = uuid.NewString()
	}
	ctx = usermgmt.WithIdempotencyKey(ctx, "")
	email := in.Email
	if email == "" {
		email = in.Username
	}
	first, last := in.SplitName()
	req := CreateUserInput{Email: email, FirstName: first, LastName: last}
	if len(in.Roles) > 0 {
		req.Roles = Roles{d.c.instanceID: slices.Clone(in.Roles)}
	}
	u, err := directory.CreateOnce(ctx, provider, email, func(ctx context.Context) (*usermgmt.User, error) {
		u, err := d.c.CreateUser(usermgmt.WithIdempotencyKey(ctx, key), req)
		if err != nil {
			return nil, err
		}
		return d.toUser(u), nil
	}, d.FindUser)
	if err != nil || !in.Inactive {
		return u, err
	}
	du, err := d.SetActive(ctx, u.ID, false)
	if err != nil {
		return nil, fmt.Errorf("%s: CreateUser: the user was created with id %s but deactivating it failed: %w", provider, u.ID, err)
	}
	return du, nil
}

// GetUser returns the user with the id, found by listing.
func (d *Directory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	if err := validateID("GetUser", "id", id); err != nil {
		return nil, err
	}
	return d.find(ctx, "GetUser", func(u *User) bool { return u.ID == id })
}

// FindUser returns the user whose email is key (case-insensitive).
func (d *Directory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	return d.find(ctx, "FindUser", func(u *User) bool { return strings.EqualFold(u.Email, key) })
}

func (d *Directory) find(ctx context.Context, op string, match func(*User) bool) (*usermgmt.User, error) {
	for u, err := range d.c.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if match(&u) {
			return d.toUser(&u), nil
		}
	}
	return nil, &usermgmt.APIError{Provider: provider, Operation: op, Message: "no such user", Kind: usermgmt.ErrNotFound}
}

// ListUsers iterates over the instance's users.
func (d *Directory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	var lo *ListUsersOptions
	if opts != nil && opts.PageSize > 0 {
		lo = &ListUsersOptions{PageSize: opts.PageSize}
	}
	return directory.Users(d.c.ListUsers(ctx, lo), d.toUser, opts)
}

// UpdateUser is not supported: the Syncari API has no user update.
func (d *Directory) UpdateUser(context.Context, string, usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "UpdateUser", "the API has no user update; roles change with SetRoles")
}

// SetActive activates or deactivates the user.
func (d *Directory) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	call := d.c.DeactivateUser
	if active {
		call = d.c.ActivateUser
	}
	u, err := call(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.toUser(u), nil
}

// DeleteUser deactivates the user: the API has no delete.
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	_, err := d.c.DeactivateUser(ctx, id)
	return err
}

// SetRoles replaces the user's roles in the client's instance.
func (d *Directory) SetRoles(ctx context.Context, id string, roles []string) (*usermgmt.User, error) {
	cur, err := d.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	all := copyRoles(cur.Raw.(*User).Roles)
	all[d.c.instanceID] = slices.Clone(roles)
	u, err := d.c.SetUserRoles(ctx, id, all)
	if err != nil {
		return nil, err
	}
	return d.toUser(u), nil
}
