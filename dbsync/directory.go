package dbsync

import (
	"context"
	"errors"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// DirectoryConfig holds the settings of NewDirectory.
type DirectoryConfig struct {
	// Company is the company (endUserCompany) whose users the directory
	// manages. Required: DBSync keeps users per company, and a user's
	// natural key is company plus user name.
	Company string
}

// NewDirectory returns the *usermgmt.Directory over the users of
// cfg.Company. It returns an error matching usermgmt.ErrInvalidInput when c
// is nil or the company is not a valid name.
//
// A user's ID (usermgmt.User.ID) is its end-user name, the endUserName it
// was registered with, which is also its Username: within one company the
// name alone is the natural key, and DBSync's numeric userId is not
// accepted by any call.
//
// What each method calls:
//
//   - CreateUser: registerUser, exactly once (an unknown outcome is
//     settled by a licenseDetails look-up before anything is resent).
//     Name, Email (beside a Username) and Password are not sent: DBSync
//     keeps none of them. Roles and Inactive are unsupported.
//   - GetUser: licenseDetails filtered by the company and the user name.
//   - ListUsers: licenseDetails filtered by the company (one request; DBSync
//     does not page). A company DBSync reports as unknown has no users.
//   - UpdateUser, SetActive, SetRoles: unsupported (the API changes no user
//     field, has no activation toggle and no roles).
//   - DeleteUser: unregisterUser (DeleteMeans "unregister": the user's
//     license seat is freed; the annual quota is not given back).
//   - FindUser: as GetUser; the key is the user name.
//
// Every user the API lists holds a license, so Active is always true. Raw
// is a *License, except after CreateUser, where it is the *User
// registerUser answered.
func NewDirectory(c *Client, cfg DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if err := validateName("NewDirectory", "Company", cfg.Company); err != nil {
		return nil, err
	}
	return usermgmt.NewDirectory(&directoryDriver{c: c, company: cfg.Company}, append(c.t.DirectoryOptions(), opts...)...)
}

// directoryDriver implements usermgmt/driver over a Client.
type directoryDriver struct {
	c       *Client
	company string
}

var (
	_ driver.Deleter = (*directoryDriver)(nil)
	_ driver.Finder  = (*directoryDriver)(nil)
)

func (d *directoryDriver) Provider() string { return provider }

func (d *directoryDriver) Traits() driver.Traits {
	return driver.Traits{NaturalKey: driver.KeyUsername, Requires: []string{"Username"}, DeleteMeans: "unregister"}
}

func (d *directoryDriver) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	if err := validateName("registerUser", "Username", in.Username); err != nil {
		return nil, err
	}
	u, err := d.c.RegisterUser(ctx, EndUser{Company: d.company, UserName: in.Username})
	if err != nil {
		return nil, err
	}
	return &driver.User{ID: u.UserName, Username: u.UserName, Active: true, Raw: u}, nil
}

func (d *directoryDriver) GetUser(ctx context.Context, id string) (*driver.User, error) {
	return d.FindUser(ctx, id)
}

func (d *directoryDriver) FindUser(ctx context.Context, name string) (*driver.User, error) {
	if err := validateName("licenseDetails", "endUserName", name); err != nil {
		return nil, err
	}
	ls, err := d.c.LicenseDetails(ctx, LicenseFilter{Company: d.company, UserName: name})
	if err != nil && !errors.Is(err, usermgmt.ErrNotFound) {
		return nil, err
	}
	for i := range ls {
		if ls[i].UserName == name {
			return toUser(&ls[i]), nil
		}
	}
	return nil, driver.ErrNotFound
}

func (d *directoryDriver) ListPage(ctx context.Context, _ driver.PageRequest) (*driver.Page, error) {
	page := &driver.Page{}
	for l, err := range d.c.Licenses(ctx, LicenseFilter{Company: d.company}) {
		if err != nil {
			if errors.Is(err, usermgmt.ErrNotFound) {
				break // an unknown company has no users
			}
			return nil, err
		}
		page.Users = append(page.Users, *toUser(&l))
	}
	return page, nil
}

func (d *directoryDriver) DeleteUser(ctx context.Context, id string) error {
	if err := validateName("unregisterUser", "endUserName", id); err != nil {
		return err
	}
	return d.c.UnregisterUser(ctx, EndUser{Company: d.company, UserName: id})
}

func toUser(l *License) *driver.User {
	cp := *l
	return &driver.User{ID: l.UserName, Username: l.UserName, Active: true, Raw: &cp}
}
