package dbsync

import (
	"context"
	"errors"
	"iter"

	"github.com/usermgmt-go/sdk/internal/directory"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// DirectoryConfig holds the settings of the adapter NewDirectory returns.
type DirectoryConfig struct {
	// Company is the company (endUserCompany) whose users the directory
	// manages. Required: DBSync keeps users per company, and a user's
	// natural key is company plus user name.
	Company string
}

// Directory is the usermgmt.Directory adapter over a Client; NewDirectory
// documents how each method maps onto the DBSync API. It is safe for
// concurrent use.
type Directory struct {
	c       *Client
	company string
}

var (
	_ usermgmt.Directory  = (*Directory)(nil)
	_ usermgmt.UserFinder = (*Directory)(nil)
)

// NewDirectory returns the usermgmt.Directory adapter over c for the users
// of cfg.Company; it also implements usermgmt.UserFinder. It returns an
// error matching usermgmt.ErrInvalidInput when c is nil or the company is
// not a valid name.
//
// A user's ID (usermgmt.User.ID) is its end-user name, the endUserName it
// was registered with, which is also its Username: within one company the
// name alone is the natural key, and DBSync's numeric userId is not
// accepted by any call.
//
// What each method calls:
//
//   - CreateUser: registerUser (exactly-once: an unknown outcome or a
//     conflict is settled by a licenseDetails look-up before anything is
//     resent).
//   - GetUser: licenseDetails filtered by the company and the user name.
//   - ListUsers: licenseDetails filtered by the company (one request; DBSync
//     does not page).
//   - UpdateUser: unsupported (the API changes no user field).
//   - SetActive: unsupported (no activation toggle; unregister instead).
//   - DeleteUser: unregisterUser (DeleteMeans "unregister": the user's
//     license seat is freed; the annual quota is not given back).
//   - SetRoles: unsupported (the API has no roles).
//   - FindUser (usermgmt.UserFinder): as GetUser; the key is the user name.
//
// Every user the API lists holds a license, so Active is always true.
// usermgmt.User.Raw is a *License, except after CreateUser, where it is the
// *User registerUser answered.
func NewDirectory(c *Client, cfg DirectoryConfig) (*Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "Client", "must not be nil")
	}
	if err := validateName("NewDirectory", "Company", cfg.Company); err != nil {
		return nil, err
	}
	return &Directory{c: c, company: cfg.Company}, nil
}

// Provider returns "dbsync".
func (d *Directory) Provider() string { return provider }

// Capabilities reports what the Partner API can do: create (register), get
// and list (licenseDetails), delete (unregister); no update, activation
// toggle or roles.
func (d *Directory) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{
		Create:      true,
		Get:         true,
		List:        true,
		Delete:      true,
		DeleteMeans: "unregister",
		NaturalKey:  "username",
		Requires:    []string{"Username"},
	}
}

// CreateUser registers the user in.NaturalKey() (Username, or Email when
// Username is empty) in the directory's company. Name, Email (beside a
// Username) and Password are not sent: DBSync keeps none of them. Roles
// and Inactive cannot be honoured and are refused with an error matching
// errors.ErrUnsupported, before anything is sent.
//
// The create is exactly-once: when registerUser's outcome is unknown, or it
// reports that the user exists, the user is looked up before anything is
// resent, and an existing user is returned.
func (d *Directory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	switch {
	case len(in.Roles) > 0:
		return nil, directory.Unsupported(provider, "CreateUser with Roles", "DBSync has no roles")
	case in.Inactive:
		return nil, directory.Unsupported(provider, "CreateUser with Inactive", "a registered user holds a license; DBSync has no inactive users")
	}
	name := in.NaturalKey()
	if err := validateName("CreateUser", "Username", name); err != nil {
		return nil, err
	}
	return directory.CreateOnce(ctx, provider, name,
		func(ctx context.Context) (*usermgmt.User, error) {
			u, err := d.c.RegisterUser(ctx, EndUser{Company: d.company, UserName: name})
			if err != nil {
				return nil, err
			}
			return &usermgmt.User{ID: u.UserName, Username: u.UserName, Active: true, Provider: provider, Raw: u}, nil
		},
		d.FindUser)
}

// GetUser returns the user whose end-user name is id, or an error matching
// usermgmt.ErrNotFound.
func (d *Directory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	return d.find(ctx, "GetUser", id)
}

// FindUser returns the user whose end-user name is key, or an error
// matching usermgmt.ErrNotFound. It implements usermgmt.UserFinder.
func (d *Directory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	return d.find(ctx, "FindUser", key)
}

func (d *Directory) find(ctx context.Context, op, name string) (*usermgmt.User, error) {
	if err := validateName(op, "id", name); err != nil {
		return nil, err
	}
	ls, err := d.c.LicenseDetails(ctx, LicenseFilter{Company: d.company, UserName: name})
	if err != nil {
		return nil, err
	}
	for i := range ls {
		if ls[i].UserName == name {
			return toUser(&ls[i]), nil
		}
	}
	return nil, &usermgmt.APIError{Provider: provider, Operation: "licenseDetails",
		Message: "no user " + name + " registered for the company", Kind: usermgmt.ErrNotFound}
}

// ListUsers lists the users registered for the directory's company. A
// company DBSync reports as unknown has no users: the listing is empty.
// opts.PageSize is ignored (DBSync does not page); opts.Active is applied
// on the client.
func (d *Directory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	return func(yield func(usermgmt.User, error) bool) {
		for l, err := range d.c.Licenses(ctx, LicenseFilter{Company: d.company}) {
			if err != nil {
				if !errors.Is(err, usermgmt.ErrNotFound) {
					yield(usermgmt.User{}, err)
				}
				return
			}
			u := toUser(&l)
			if opts.Keep(u) && !yield(*u, nil) {
				return
			}
		}
	}
}

// UpdateUser is not supported: DBSync changes no user field.
func (d *Directory) UpdateUser(context.Context, string, usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "UpdateUser", "DBSync keeps only the company and user name; unregister and register instead")
}

// SetActive is not supported: DBSync has no activation toggle.
func (d *Directory) SetActive(context.Context, string, bool) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "SetActive", "DBSync has no activation toggle; DeleteUser unregisters the user")
}

// DeleteUser unregisters the user whose end-user name is id, freeing its
// license seat (the annual quota is not given back). A user that is not
// registered gives an error matching usermgmt.ErrNotFound, except when a
// retried request found the work of its own earlier attempt done (see
// Client.UnregisterUser).
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	if err := validateName("DeleteUser", "id", id); err != nil {
		return err
	}
	return d.c.UnregisterUser(ctx, EndUser{Company: d.company, UserName: id})
}

// SetRoles is not supported: DBSync has no roles.
func (d *Directory) SetRoles(context.Context, string, []string) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "SetRoles", "DBSync has no roles")
}

func toUser(l *License) *usermgmt.User {
	cp := *l
	return &usermgmt.User{ID: l.UserName, Username: l.UserName, Active: true, Provider: provider, Raw: &cp}
}
