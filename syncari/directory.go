package syncari

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// DirectoryConfig holds the settings of NewDirectory.
type DirectoryConfig struct {
	// InstanceID is the instance (syncariId) whose users the directory
	// manages; empty means the client's own.
	InstanceID string
}

// NewDirectory returns the *usermgmt.Directory over the users of c's
// instance (or cfg.InstanceID). It returns an error matching
// usermgmt.ErrInvalidInput when c is nil. How each method maps to the API:
//
//   - CreateUser: createUser, with one clientRequestId for the logical call
//     (so retries never duplicate), settled by email if still ambiguous;
//     Inactive users are deactivated right after.
//   - GetUser: getUsers, picking the user by id (the API has no get by id).
//   - ListUsers: getUsers, following cursors.
//   - UpdateUser: unsupported (the API has no update).
//   - SetActive: activateUser / deactivateUser.
//   - DeleteUser: deactivateUser (DeleteMeans "deactivate": the API has no
//     delete); a user already inactive counts as deleted (ErrNotFound).
//   - SetRoles: setUserRoles, replacing the roles of the instance and
//     keeping those of other instances; no roles clears them.
//   - FindUser: getUsers, matching the email without regard to case.
//
// Users are identified by their Syncari id; the natural key is the email.
// Raw is a *syncari.User.
func NewDirectory(c *Client, cfg DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if cfg.InstanceID != "" {
		if err := validateID("NewDirectory", "InstanceID", cfg.InstanceID); err != nil {
			return nil, err
		}
		c = c.WithInstanceID(cfg.InstanceID)
	}
	return usermgmt.NewDirectory(&directoryDriver{c: c}, append(c.t.DirectoryOptions(), opts...)...)
}

// directoryDriver implements usermgmt/driver over a Client.
type directoryDriver struct{ c *Client }

var (
	_ driver.Activator  = (*directoryDriver)(nil)
	_ driver.Deleter    = (*directoryDriver)(nil)
	_ driver.RoleSetter = (*directoryDriver)(nil)
	_ driver.Finder     = (*directoryDriver)(nil)
)

func (d *directoryDriver) Provider() string { return provider }

func (d *directoryDriver) Traits() driver.Traits {
	return driver.Traits{
		NaturalKey:       driver.KeyEmail,
		Requires:         []string{"Email"},
		IdempotentCreate: true,
		DeleteMeans:      "deactivate",
		MinPageSize:      1, MaxPageSize: maxPageSize,
	}
}

// maxPageSize bounds the pages the Directory asks for. Assumed: the API
// publishes no maximum.
const maxPageSize = 1000

// toUser converts u (nil stays nil). Raw is u itself: every caller
// passes a user it has just received and keeps no other hold on.
func (d *directoryDriver) toUser(u *User) *driver.User {
	if u == nil {
		return nil
	}
	return &driver.User{
		ID:        u.ID,
		Email:     u.Email,
		Name:      strings.TrimSpace(u.FirstName + " " + u.LastName),
		FirstName: u.FirstName,
		LastName:  u.LastName,
		Active:    u.Active(),
		Roles:     slices.Clone(u.Roles[d.c.instanceID]),
		Raw:       u,
	}
}

func (d *directoryDriver) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	first, last := in.FirstName, in.LastName
	if first == "" && last == "" {
		first, last = usermgmt.CreateUserInput{Name: in.Name}.SplitName()
	}
	req := CreateUserInput{Email: in.Email, FirstName: first, LastName: last}
	if len(in.Roles) > 0 {
		req.Roles = Roles{d.c.instanceID: slices.Clone(in.Roles)}
	}
	u, err := d.c.CreateUser(ctx, req)
	return d.toUser(u), err
}

func (d *directoryDriver) GetUser(ctx context.Context, id string) (*driver.User, error) {
	return d.find(ctx, func(u *User) bool { return u.ID == id })
}

func (d *directoryDriver) FindUser(ctx context.Context, key string) (*driver.User, error) {
	return d.find(ctx, func(u *User) bool { return strings.EqualFold(u.Email, key) })
}

func (d *directoryDriver) find(ctx context.Context, match func(*User) bool) (*driver.User, error) {
	for u, err := range d.c.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if match(&u) {
			return d.toUser(&u), nil
		}
	}
	return nil, driver.ErrNotFound
}

func (d *directoryDriver) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	p, err := d.c.ListUsersPage(ctx, req.Token, &ListUsersOptions{PageSize: req.Size})
	if err != nil {
		return nil, err
	}
	page := &driver.Page{Users: make([]driver.User, len(p.Users)), Next: p.NextCursor}
	for i := range p.Users {
		page.Users[i] = *d.toUser(&p.Users[i])
	}
	return page, nil
}

func (d *directoryDriver) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	call := d.c.DeactivateUser
	if active {
		call = d.c.ActivateUser
	}
	u, err := call(ctx, id)
	return d.toUser(u), err
}

// DeleteUser deactivates the user; one already inactive counts as deleted.
func (d *directoryDriver) DeleteUser(ctx context.Context, id string) error {
	cur, err := d.GetUser(ctx, id)
	if err != nil {
		return err
	}
	if !cur.Active {
		return driver.ErrNotFound
	}
	_, err = d.c.DeactivateUser(ctx, id)
	return err
}

// SetRoles replaces the user's roles in the client's instance, keeping
// those of other instances. The API takes the user's whole role map, so
// this reads it and writes it back with one entry changed: under a lock
// per user shared by the instances' clients, lest two instances' changes
// at once undo each other.
func (d *directoryDriver) SetRoles(ctx context.Context, id string, roles []string) (*driver.User, error) {
	unlock, err := d.c.roleLocks.Lock(ctx, id)
	if err != nil { // the context ended while another instance's change ran
		return nil, fmt.Errorf("%s: setUserRoles: %w", provider, err)
	}
	defer unlock()
	cur, err := d.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	all := copyRoles(cur.Raw.(*User).Roles)
	all[d.c.instanceID] = append([]string{}, roles...) // never nil: the API takes [] to clear, not null
	u, err := d.c.SetUserRoles(ctx, id, all)
	return d.toUser(u), err
}
