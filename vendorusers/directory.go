package vendorusers

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"

	"github.com/usermgmt-go/sdk/internal/directory"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// DirectoryConfig holds the adapter's settings.
type DirectoryConfig struct {
	// DefaultRoleID is the role given to a user created without Roles.
	// Zero means CreateUser needs exactly one role name.
	DefaultRoleID int64
}

// NewDirectory returns c as a usermgmt.Directory, which also implements
// usermgmt.UserFinder. The mapping onto the API:
//
//   - CreateUser: createUser (POST /v1.0/users), made exactly-once by
//     directory.CreateOnce with FindUser by username; Username (or Email)
//     is the username, Password is sent as password and passwordConfirm,
//     one role name (or DirectoryConfig.DefaultRoleID) is the roleId;
//     Inactive adds an updateUser with userIsActive "false".
//   - GetUser: no get-by-id in the API; walks getUsers (archived=false)
//     page by page until the id turns up: up to one request per 100 users.
//   - ListUsers: getUsers with archived=false, paged by offset; the Active
//     filter is applied on the client.
//   - UpdateUser: updateUser with firstName/lastName; Email and Password
//     cannot be changed (errors.ErrUnsupported).
//   - SetActive: updateUser with userIsActive "true"/"false".
//   - DeleteUser: updateUser with archived true (DeleteMeans "archive");
//     archived users disappear from GetUser, ListUsers and FindUser.
//   - SetRoles: updateUser with roleId, the name mapped through getRoles;
//     a user has exactly one role, so roles must hold one name.
//   - FindUser: walks getUsers (archived=false) for the email equal to the
//     key, ignoring case: up to one request per 100 users.
//
// User.ID is the decimal User.ID of the API; Raw is a *User.
func NewDirectory(c *Client, cfg DirectoryConfig) (*Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if cfg.DefaultRoleID < 0 {
		return nil, inputError("NewDirectory", "DefaultRoleID", "must be a role id, or 0 for none")
	}
	return &Directory{c: c, cfg: cfg}, nil
}

// Directory is the usermgmt.Directory adapter over a Client; NewDirectory
// documents how each method maps onto the Guardant API. It is safe for
// concurrent use.
type Directory struct {
	c   *Client
	cfg DirectoryConfig

	mu    sync.Mutex
	roles map[string]int64 // lower-cased role name -> id, from getRoles
}

var (
	_ usermgmt.Directory  = (*Directory)(nil)
	_ usermgmt.UserFinder = (*Directory)(nil)
)

// Provider returns "vendorusers".
func (d *Directory) Provider() string { return provider }

// Format prints the directory as vendorusers.Directory{base URL} with
// every verb, without its client's credentials.
func (d *Directory) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "vendorusers.Directory{%s}", strings.TrimRight(d.c.api.Server, "/"))
}

// Capabilities reports what the Guardant API can do through the adapter.
func (d *Directory) Capabilities() usermgmt.Capabilities {
	req := []string{"Username", "Password", "Roles"}
	if d.cfg.DefaultRoleID != 0 {
		req = req[:2]
	}
	return usermgmt.Capabilities{
		Create: true, Get: true, List: true, Update: true,
		Activate: true, Deactivate: true, Delete: true, Roles: true,
		DeleteMeans: "archive",
		NaturalKey:  "username",
		Requires:    req,
	}
}

// CreateUser creates the user, exactly once; see NewDirectory.
func (d *Directory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	const op = "CreateUser"
	key := in.NaturalKey()
	if strings.TrimSpace(key) == "" {
		return nil, inputError(op, "Username", "must not be empty (Username, or Email when there is no username)")
	}
	if in.Username != "" && in.Email != "" && !strings.EqualFold(in.Username, in.Email) {
		return nil, inputError(op, "Email", "differs from Username: the API keeps one address, the username, and returns it as the email")
	}
	if in.Password.IsZero() {
		return nil, inputError(op, "Password", "must not be empty")
	}
	if len(in.Roles) > 1 {
		return nil, inputError(op, "Roles", "a user has exactly one role")
	}
	roleID := d.cfg.DefaultRoleID
	if len(in.Roles) == 1 {
		var err error
		if roleID, err = d.roleID(ctx, op, in.Roles[0]); err != nil {
			return nil, err
		}
	} else if roleID == 0 {
		return nil, inputError(op, "Roles", "must name one role (or set DirectoryConfig.DefaultRoleID)")
	}
	first, last := in.SplitName()
	ci := CreateUserInput{Username: key, RoleID: roleID, Password: in.Password, FirstName: first, LastName: last}
	u, err := directory.CreateOnce(ctx, provider, key, func(ctx context.Context) (*usermgmt.User, error) {
		u, err := d.c.CreateUser(ctx, ci)
		if err != nil {
			return nil, err
		}
		return toDirectoryUser(u), nil
	}, d.FindUser)
	if err != nil || !in.Inactive || !u.Active {
		return u, err
	}
	id := u.Raw.(*User).ID
	du, err := d.c.SetActive(ctx, id, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: the user was created with id %d but deactivating it failed: %w", provider, op, id, err)
	}
	return toDirectoryUser(du), nil
}

// GetUser returns the non-archived user with the id, found by walking the
// listing (the API has no get by id).
func (d *Directory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	const op = "GetUser"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	return d.find(ctx, op, "id "+id, func(u *User) bool { return u.ID == n })
}

// FindUser returns the non-archived user whose email (the username given
// at creation) equals key, ignoring case. It walks the user list.
func (d *Directory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	const op = "FindUser"
	if strings.TrimSpace(key) == "" {
		return nil, inputError(op, "key", "must not be empty")
	}
	return d.find(ctx, op, "username "+strconv.Quote(key), func(u *User) bool { return strings.EqualFold(u.Email, key) })
}

// find walks every user, archived ones included, and skips the archived
// ones itself: asking the API for non-archived users only would let a user
// archived meanwhile shift the offset pages and hide another. A user
// renamed meanwhile can still move between pages (the API sorts by name
// only), so a walk that finds nothing is made once more before the user is
// reported missing.
func (d *Directory) find(ctx context.Context, op, what string, match func(*User) bool) (*usermgmt.User, error) {
	for range 2 {
		for u, err := range d.c.ListUsers(ctx, nil) {
			if err != nil {
				return nil, err
			}
			if !u.Details.Archived && match(&u) {
				return toDirectoryUser(&u), nil
			}
		}
	}
	return nil, &usermgmt.APIError{Provider: provider, Operation: op, Message: "no user with " + what, Kind: usermgmt.ErrNotFound}
}

// ListUsers iterates over the non-archived users, page by page.
func (d *Directory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	archived := false
	lo := &ListUsersOptions{Archived: &archived}
	if opts != nil {
		lo.PageSize = opts.PageSize
	}
	return directory.Users(d.c.ListUsers(ctx, lo), toDirectoryUser, opts)
}

// UpdateUser changes the first and last names; Email and Password cannot
// be changed through the API.
func (d *Directory) UpdateUser(ctx context.Context, id string, in usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	const op = "UpdateUser"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	if in.Email != nil {
		return nil, directory.Unsupported(provider, "UpdateUser of Email", "the username, returned as the email, cannot be changed")
	}
	if in.Password != nil {
		return nil, directory.Unsupported(provider, "UpdateUser of Password", "the API has no call that changes a password")
	}
	var ui UpdateUserInput
	switch {
	case in.FirstName != nil || in.LastName != nil:
		ui.FirstName, ui.LastName = copyPtr(in.FirstName), copyPtr(in.LastName)
	case in.Name != nil:
		first, last := usermgmt.CreateUserInput{Name: *in.Name}.SplitName()
		ui.FirstName, ui.LastName = &first, &last
	default:
		return d.GetUser(ctx, id)
	}
	u, err := d.c.UpdateUser(ctx, n, ui)
	if err != nil {
		return nil, err
	}
	return toDirectoryUser(u), nil
}

// SetActive sets the user's active flag (userIsActive).
func (d *Directory) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	n, err := parseID("SetActive", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.SetActive(ctx, n, active)
	if err != nil {
		return nil, err
	}
	return toDirectoryUser(u), nil
}

// DeleteUser archives the user: the API has no delete.
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	n, err := parseID("DeleteUser", id)
	if err != nil {
		return err
	}
	_, err = d.c.Archive(ctx, n, true)
	return err
}

// SetRoles gives the user the one role named in roles.
func (d *Directory) SetRoles(ctx context.Context, id string, roles []string) (*usermgmt.User, error) {
	const op = "SetRoles"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	if len(roles) != 1 {
		return nil, inputError(op, "roles", fmt.Sprintf("a user has exactly one role; got %d names", len(roles)))
	}
	roleID, err := d.roleID(ctx, op, roles[0])
	if err != nil {
		return nil, err
	}
	u, err := d.c.UpdateUser(ctx, n, UpdateUserInput{RoleID: &roleID})
	if err != nil {
		return nil, err
	}
	return toDirectoryUser(u), nil
}

// roleID maps a role name to its id through getRoles, ignoring case. The
// names are cached for the directory's life and fetched again once when a
// name is unknown. The Administrator role, which getRoles does not list,
// cannot be set by name; Client.UpdateUser sets any role id.
func (d *Directory) roleID(ctx context.Context, op, name string) (int64, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		return 0, inputError(op, "Roles", "a role name is empty")
	}
	d.mu.Lock()
	id, ok := d.roles[key]
	d.mu.Unlock()
	if ok {
		return id, nil
	}
	roles, err := d.c.ListRoles(ctx)
	if err != nil {
		return 0, err
	}
	m := make(map[string]int64, len(roles))
	var names []string
	for _, r := range roles {
		m[strings.ToLower(strings.TrimSpace(r.Name))] = r.ID
		names = append(names, strconv.Quote(r.Name))
	}
	d.mu.Lock()
	d.roles = m
	d.mu.Unlock()
	if id, ok := m[key]; ok {
		return id, nil
	}
	return 0, inputError(op, "Roles", fmt.Sprintf("no role named %q; getRoles lists %s", name, strings.Join(names, ", ")))
}

// parseID reads a directory id: the decimal form of a positive User.ID.
func parseID(op, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, inputError(op, "id", "must be a user id: a positive decimal integer")
	}
	return n, nil
}

func toDirectoryUser(u *User) *usermgmt.User {
	cp := *u
	out := &usermgmt.User{
		ID:        strconv.FormatInt(u.ID, 10),
		Username:  u.Email,
		Email:     u.Email,
		Name:      strings.TrimSpace(u.Details.FirstName + " " + u.Details.LastName),
		FirstName: u.Details.FirstName,
		LastName:  u.Details.LastName,
		Active:    u.Active,
		Provider:  provider,
		Raw:       &cp,
	}
	if u.Details.Role.Name != "" {
		out.Roles = []string{u.Details.Role.Name}
	}
	return out
}
