package genericusr

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/internal/directory"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// DirectoryConfig holds the settings of the usermgmt.Directory adapter.
type DirectoryConfig struct {
	// AccountID is the account the directory works in: ListUsers lists its
	// users, CreateUser makes it the default account of new users, and
	// FindUser looks there. Required (a positive id).
	AccountID int64
}

// Directory is the usermgmt.Directory adapter over a Client; NewDirectory
// documents how each method maps onto the Revive Adserver API. It is safe for
// concurrent use.
type Directory struct {
	c       *Client
	account int64
}

var (
	_ usermgmt.Directory  = (*Directory)(nil)
	_ usermgmt.UserFinder = (*Directory)(nil)
)

// NewDirectory returns the usermgmt.Directory adapter over c, working in the
// account cfg names; it also implements usermgmt.UserFinder. It returns an
// error matching usermgmt.ErrInvalidInput when c is nil or cfg is
// incomplete. It is safe for concurrent use.
//
// A user's ID (usermgmt.User.ID) is the API's userId in decimal; Raw is a
// *User. What each method calls:
//
//   - CreateUser: addUser (addUserPut with Config.UsePUT), with
//     DirectoryConfig.AccountID as the default account; exactly-once: an
//     unknown outcome or a taken username is settled by a look-up of the
//     username (getUserListByAccountId) before anything is resent.
//     Username defaults to Email; Name (or FirstName and LastName joined)
//     is the contactName; Password is required.
//   - GetUser: getUser.
//   - ListUsers: getUserListByAccountId for DirectoryConfig.AccountID (one
//     request; the API does not page); the Active filter is applied on the
//     client.
//   - UpdateUser: modifyUser (modifyUserPut) with only the fields set.
//   - SetActive: modifyUser (modifyUserPut) with active 1 or 0.
//   - DeleteUser: deleteUser (a real delete).
//   - SetRoles: unsupported (the API has no roles).
//   - FindUser (usermgmt.UserFinder): getUserListByAccountId, matching the
//     username without regard to case.
func NewDirectory(c *Client, cfg DirectoryConfig) (*Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if cfg.AccountID <= 0 {
		return nil, inputError("NewDirectory", "DirectoryConfig.AccountID", "must be a positive account id")
	}
	return &Directory{c: c, account: cfg.AccountID}, nil
}

// Format prints the directory as genericusr.Directory{base URL, account}
// with every verb, without its client's credentials.
func (d *Directory) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "genericusr.Directory{%s account=%d}", strings.TrimRight(d.c.api.Server, "/"), d.account)
}

// Provider returns "genericusr".
func (d *Directory) Provider() string { return provider }

// Capabilities reports everything but roles. Deletes are real deletes; the
// natural key is the username.
func (d *Directory) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{
		Create: true, Get: true, List: true, Update: true, Activate: true, Deactivate: true, Delete: true,
		NaturalKey: "username",
		Requires:   []string{"Email", "Name", "Password"},
	}
}

// CreateUser creates the user in the directory's account, exactly once:
// see NewDirectory for how.
func (d *Directory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	if len(in.Roles) > 0 {
		return nil, directory.Unsupported(provider, "CreateUser with roles", "Revive Adserver's user API has no roles")
	}
	add := AddUserInput{
		ContactName:      in.FullName(),
		EmailAddress:     in.Email,
		DefaultAccountID: d.account,
		Username:         in.NaturalKey(),
		Password:         in.Password,
	}
	if in.Inactive {
		f := false
		add.Active = &f
	}
	key := add.Username
	return directory.CreateOnce(ctx, provider, key,
		func(ctx context.Context) (*usermgmt.User, error) {
			u, err := d.c.AddUser(ctx, add)
			if err != nil {
				return nil, err
			}
			return toUser(u), nil
		},
		d.FindUser)
}

// GetUser returns the user with the given id (a decimal user id).
func (d *Directory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	n, err := parseID("GetUser", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.GetUser(ctx, n)
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// ListUsers iterates over the users of the directory's account, fetched in
// one request when the iteration starts.
func (d *Directory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	return directory.Users(d.c.ListUsers(ctx, d.account), toUser, opts)
}

// UpdateUser changes the fields of in that are set. The API keeps one name:
// Name is sent as the contactName, or FirstName and LastName joined when
// both are set; setting only one of them is an input error. An input that
// sets nothing returns the user unchanged.
func (d *Directory) UpdateUser(ctx context.Context, id string, in usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	const op = "UpdateUser"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	var m ModifyUserInput
	m.EmailAddress = clonePtr(in.Email)
	m.Password = clonePtr(in.Password)
	switch {
	case in.Name != nil:
		m.ContactName = clonePtr(in.Name)
	case in.FirstName != nil && in.LastName != nil:
		name := strings.TrimSpace(*in.FirstName + " " + *in.LastName)
		m.ContactName = &name
	case in.FirstName != nil || in.LastName != nil:
		return nil, inputError(op, "FirstName/LastName", "this API keeps one name: set Name, or both FirstName and LastName")
	}
	if m == (ModifyUserInput{}) {
		return d.GetUser(ctx, id)
	}
	u, err := d.c.ModifyUser(ctx, n, m)
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// SetActive sets the user's active flag to 1 or 0 with modifyUser.
func (d *Directory) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	n, err := parseID("SetActive", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.ModifyUser(ctx, n, ModifyUserInput{Active: &active})
	if err != nil {
		return nil, err
	}
	return toUser(u), nil
}

// DeleteUser deletes the user.
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	n, err := parseID("DeleteUser", id)
	if err != nil {
		return err
	}
	return d.c.DeleteUser(ctx, n)
}

// SetRoles is unsupported: the API has no roles.
func (d *Directory) SetRoles(context.Context, string, []string) (*usermgmt.User, error) {
	return nil, directory.Unsupported(provider, "SetRoles", "Revive Adserver's user API has no roles")
}

// FindUser returns the user of the directory's account whose username is
// key (compared without regard to case, as the server does), or an error
// matching usermgmt.ErrNotFound.
func (d *Directory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	if strings.TrimSpace(key) == "" {
		return nil, inputError("FindUser", "key", "must not be empty")
	}
	users, err := usermgmt.Collect(d.c.ListUsers(ctx, d.account))
	if err != nil {
		return nil, err
	}
	for i := range users {
		if strings.EqualFold(users[i].Username, key) {
			return toUser(&users[i]), nil
		}
	}
	return nil, &usermgmt.APIError{Provider: provider, Operation: "FindUser",
		Message: "no user with username " + strconv.Quote(key) + " in account " + strconv.FormatInt(d.account, 10),
		Kind:    usermgmt.ErrNotFound}
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

// toUser converts u; Raw holds a copy of it.
func toUser(u *User) *usermgmt.User {
	raw := *u
	return &usermgmt.User{
		ID:       strconv.FormatInt(u.ID, 10),
		Username: u.Username,
		Email:    u.EmailAddress,
		Name:     u.ContactName,
		Active:   u.Active,
		Provider: provider,
		Raw:      &raw,
	}
}
