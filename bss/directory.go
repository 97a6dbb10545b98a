package bss

import (
	"context"
	"strings"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// DirectoryConfig holds the settings of NewDirectory. BSS needs none: the
// zero value is ready to use, and the type is here so that every provider's
// NewDirectory has the same shape.
type DirectoryConfig struct{}

// NewDirectory returns the *usermgmt.Directory over c. It returns an error
// matching usermgmt.ErrInvalidInput when c is nil. How each method maps to
// the User Management V4 API:
//
//   - CreateUser: createUser (POST /api/user/management/v4/users), exactly
//     once by email (the natural key). Requires Email; Name (or FirstName
//     and LastName) becomes name, Password becomes
//     meta.security.user_password, ExternalID becomes external_id; the
//     user is created REGISTERED (active), or UNREGISTERED with Inactive.
//     Username is ignored: BSS has none.
//   - GetUser: getUserById.
//   - ListUsers: getAllUsers, paged with offset and limit (Assumed).
//   - UpdateUser: updateUser (PATCH), sending only the fields set: Email,
//     Name, Password. FirstName or LastName alone are merged into the
//     stored full name (getUserById first).
//   - SetActive: updateUser (PATCH) with only registration_state:
//     REGISTERED for active, UNREGISTERED for inactive (only REGISTERED
//     users can log in).
//   - DeleteUser: deleteUserById, a real delete.
//   - SetRoles: unsupported; BSS users have no roles (user_flags are
//     feature flags, set them with Client.UpdateUser).
//   - FindUser: getAllUsers with the email filter, keeping only an exact
//     match without regard to case.
//
// usermgmt.User fields: ID is the user id, Email is contact_details.email,
// ExternalID is external_id, Name is name (BSS keeps one name), Active is
// registration_state == REGISTERED, Raw is a *bss.User.
func NewDirectory(c *Client, _ DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	return usermgmt.NewDirectory(&directoryDriver{c: c}, append(c.t.DirectoryOptions(), opts...)...)
}

// directoryDriver implements usermgmt/driver over a Client.
type directoryDriver struct{ c *Client }

var (
	_ driver.Updater   = (*directoryDriver)(nil)
	_ driver.Activator = (*directoryDriver)(nil)
	_ driver.Deleter   = (*directoryDriver)(nil)
	_ driver.Finder    = (*directoryDriver)(nil)
)

func (d *directoryDriver) Provider() string { return provider }

func (d *directoryDriver) Traits() driver.Traits {
	return driver.Traits{
		NaturalKey:      driver.KeyEmail,
		Requires:        []string{"Email"},
		CreatesInactive: true,
		ExternalID:      true,
		UpdateFields:    []string{"Email", "Name", "FirstName", "LastName", "Password"},
		MinPageSize:     1, MaxPageSize: MaxPageSize, DefaultPageSize: DefaultPageSize,
	}
}

func (d *directoryDriver) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	state := Registered
	if in.Inactive {
		state = Unregistered
	}
	name := in.Name
	if name == "" {
		name = strings.TrimSpace(in.FirstName + " " + in.LastName)
	}
	u, err := d.c.CreateUser(ctx, CreateUserInput{Name: name, Email: in.Email, ExternalID: in.ExternalID,
		RegistrationState: state, Password: usermgmt.Secret(in.Password)})
	return toUser(u), err
}

func (d *directoryDriver) GetUser(ctx context.Context, id string) (*driver.User, error) {
	u, err := d.c.GetUser(ctx, id)
	return toUser(u), err
}

func (d *directoryDriver) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	off, err := driver.ParseOffset(req.Token)
	if err != nil {
		return nil, err
	}
	size := req.Size
	if size == 0 {
		size = DefaultPageSize
	}
	users, err := d.c.ListUsersPage(ctx, off, &ListUsersOptions{PageSize: size})
	if err != nil {
		return nil, err
	}
	page := &driver.Page{Users: make([]driver.User, len(users))}
	for i := range users {
		page.Users[i] = *toUser(&users[i])
	}
	if len(users) >= size {
		page.Next = driver.Offset(off + len(users))
	}
	return page, nil
}

func (d *directoryDriver) UpdateUser(ctx context.Context, id string, in *driver.UpdateInput) (*driver.User, error) {
	ui := UpdateUserInput{Email: in.Email, Name: in.Name}
	if in.Password != nil {
		p := usermgmt.Secret(*in.Password)
		ui.Password = &p
	}
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
	u, err := d.c.UpdateUser(ctx, id, ui)
	return toUser(u), err
}

func (d *directoryDriver) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	state := Unregistered
	if active {
		state = Registered
	}
	u, err := d.c.SetRegistrationState(ctx, id, state)
	return toUser(u), err
}

func (d *directoryDriver) DeleteUser(ctx context.Context, id string) error {
	return d.c.DeleteUser(ctx, id)
}

func (d *directoryDriver) FindUser(ctx context.Context, key string) (*driver.User, error) {
	for u, err := range d.c.ListUsers(ctx, &ListUsersOptions{Email: key}) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(u.ContactDetails.Email, key) {
			return toUser(&u), nil
		}
	}
	return nil, driver.ErrNotFound
}

// toUser converts u (nil stays nil). Raw is u itself: every caller
// passes a user it has just received and keeps no other hold on.
func toUser(u *User) *driver.User {
	if u == nil {
		return nil
	}
	return &driver.User{
		ID:         u.ID,
		Email:      u.ContactDetails.Email,
		ExternalID: u.ExternalID,
		Name:       u.Name,
		Active:     u.Registered(),
		Raw:        u,
	}
}
