package genericusr

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// DirectoryConfig holds the settings of NewDirectory.
type DirectoryConfig struct {
	// AccountID is the account the directory works in: ListUsers lists its
	// users, CreateUser makes it the default account of new users, and
	// FindUser looks there. Required (a positive id).
	AccountID int64
}

// NewDirectory returns the *usermgmt.Directory over c, working in the
// account cfg names. It returns an error matching usermgmt.ErrInvalidInput
// when c is nil or cfg is incomplete.
//
// A user's ID (usermgmt.User.ID) is the API's userId in decimal; Raw is a
// *User. What each method calls:
//
//   - CreateUser: addUser (addUserPut with Config.UsePUT), with
//     DirectoryConfig.AccountID as the default account, exactly once by
//     username. Username defaults to Email; Name (or FirstName and
//     LastName joined) is the contactName; Email, Name and Password are
//     required; Inactive is sent as active 0.
//   - GetUser: getUser.
//   - ListUsers: getUserListByAccountId for DirectoryConfig.AccountID (one
//     request; the API does not page).
//   - UpdateUser: modifyUser (modifyUserPut) with only the fields set. The
//     API keeps one name: Name, or FirstName and LastName together.
//   - SetActive: modifyUser (modifyUserPut) with active 1 or 0.
//   - DeleteUser: deleteUser (a real delete).
//   - SetRoles: unsupported (the API has no roles).
//   - FindUser: getUserListByAccountId, matching the username without
//     regard to case, as the server does.
func NewDirectory(c *Client, cfg DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if cfg.AccountID <= 0 {
		return nil, inputError("NewDirectory", "DirectoryConfig.AccountID", "must be a positive account id")
	}
	return usermgmt.NewDirectory(&directoryDriver{c: c, account: cfg.AccountID}, append(c.t.DirectoryOptions(), opts...)...)
}

// directoryDriver implements usermgmt/driver over a Client.
type directoryDriver struct {
	c       *Client
	account int64
}

var (
	_ driver.Updater   = (*directoryDriver)(nil)
	_ driver.Activator = (*directoryDriver)(nil)
	_ driver.Deleter   = (*directoryDriver)(nil)
	_ driver.Finder    = (*directoryDriver)(nil)
)

func (d *directoryDriver) Provider() string { return provider }

func (d *directoryDriver) Traits() driver.Traits {
	return driver.Traits{
		NaturalKey:      driver.KeyUsername,
		Requires:        []string{"Email", "Name", "Password"},
		CreatesInactive: true,
		UpdateFields:    []string{"Email", "Name", "FirstName", "LastName", "Password"},
	}
}

func (d *directoryDriver) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	name := in.Name
	if name == "" {
		name = strings.TrimSpace(in.FirstName + " " + in.LastName)
	}
	add := AddUserInput{
		ContactName:      name,
		EmailAddress:     in.Email,
		DefaultAccountID: d.account,
		Username:         in.Username,
		Password:         usermgmt.Secret(in.Password),
	}
	if in.Inactive {
		f := false
		add.Active = &f
	}
	u, err := d.c.AddUser(ctx, add)
	return toUser(u), err
}

func (d *directoryDriver) GetUser(ctx context.Context, id string) (*driver.User, error) {
	n, err := parseID("getUser", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.GetUser(ctx, n)
	return toUser(u), err
}

func (d *directoryDriver) ListPage(ctx context.Context, _ driver.PageRequest) (*driver.Page, error) {
	page := &driver.Page{}
	for u, err := range d.c.ListUsers(ctx, d.account) {
		if err != nil {
			return nil, err
		}
		page.Users = append(page.Users, *toUser(&u))
	}
	return page, nil
}

func (d *directoryDriver) FindUser(ctx context.Context, key string) (*driver.User, error) {
	for u, err := range d.c.ListUsers(ctx, d.account) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(u.Username, key) {
			return toUser(&u), nil
		}
	}
	return nil, driver.ErrNotFound
}

// UpdateUser changes the fields that are set. The API keeps one name: Name
// is sent as the contactName, or FirstName and LastName joined when both
// are set; setting only one of them is an input error.
func (d *directoryDriver) UpdateUser(ctx context.Context, id string, in *driver.UpdateInput) (*driver.User, error) {
	const op = "modifyUser"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	m := ModifyUserInput{EmailAddress: in.Email}
	if in.Password != nil {
		p := usermgmt.Secret(*in.Password)
		m.Password = &p
	}
	switch {
	case in.Name != nil:
		m.ContactName = in.Name
	case in.FirstName != nil && in.LastName != nil:
		name := strings.TrimSpace(*in.FirstName + " " + *in.LastName)
		m.ContactName = &name
	case in.FirstName != nil || in.LastName != nil:
		return nil, inputError(op, "FirstName/LastName", "this API keeps one name: set Name, or both FirstName and LastName")
	}
	u, err := d.c.ModifyUser(ctx, n, m)
	return toUser(u), err
}

func (d *directoryDriver) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	n, err := parseID("modifyUser", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.ModifyUser(ctx, n, ModifyUserInput{Active: &active})
	return toUser(u), err
}

func (d *directoryDriver) DeleteUser(ctx context.Context, id string) error {
	n, err := parseID("deleteUser", id)
	if err != nil {
		return err
	}
	return d.c.DeleteUser(ctx, n)
}

// parseID reads a user id given as a string: a positive decimal integer,
// nothing else (no sign, spaces, '/', '?', or dot segments), so that
// nothing but the id can reach the request path.
func parseID(op, id string) (int64, error) {
	if id == "" {
		return 0, inputError(op, "id", "must not be empty")
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return 0, inputError(op, "id", "must be a decimal user id")
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if errors.Is(err, strconv.ErrRange) || n <= 0 {
		return 0, inputError(op, "id", "must be a positive user id that fits in 64 bits")
	}
	return n, err
}

// toUser converts u (nil stays nil). Raw is u itself: every caller
// passes a user it has just received and keeps no other hold on.
func toUser(u *User) *driver.User {
	if u == nil {
		return nil
	}
	return &driver.User{
		ID:       strconv.FormatInt(u.ID, 10),
		Username: u.Username,
		Email:    u.EmailAddress,
		Name:     u.ContactName,
		Active:   u.Active,
		Raw:      u,
	}
}
