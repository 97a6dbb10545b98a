package vendorusers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// DirectoryConfig holds the settings of NewDirectory.
type DirectoryConfig struct {
	// DefaultRoleID is the role given to a user created without Roles.
	// Zero means CreateUser needs exactly one role name.
	DefaultRoleID int64
}

// NewDirectory returns the *usermgmt.Directory over c. It returns an error
// matching usermgmt.ErrInvalidInput when c is nil or cfg is invalid. The
// mapping onto the API:
//
//   - CreateUser: createUser (POST /v1.0/users), exactly once by username.
//     Username (or Email) is the username, an email address; Password is
//     sent as password and passwordConfirm; one role name (or
//     DirectoryConfig.DefaultRoleID) is the roleId; Inactive adds an
//     updateUser with userIsActive "false".
//   - GetUser: no get-by-id in the API; walks getUsers page by page until
//     the id turns up: up to one request per 100 users.
//   - ListUsers: getUsers with archived=false, paged by offset.
//   - UpdateUser: updateUser with firstName/lastName; Email and Password
//     cannot be changed (Capabilities.UpdateFields).
//   - SetActive: updateUser with userIsActive "true"/"false".
//   - DeleteUser: updateUser with archived true (DeleteMeans "archive");
//     archived users disappear from GetUser, ListUsers and FindUser, and a
//     second DeleteUser finds no user.
//   - SetRoles: updateUser with roleId, the name mapped through getRoles;
//     a user holds exactly one role.
//   - FindUser: walks getUsers for the username equal to the key, ignoring
//     case: up to one request per 100 users.
//
// User.ID is the decimal User.ID of the API; Raw is a *User.
func NewDirectory(c *Client, cfg DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error) {
	if c == nil {
		return nil, inputError("NewDirectory", "client", "must not be nil")
	}
	if cfg.DefaultRoleID < 0 {
		return nil, inputError("NewDirectory", "DefaultRoleID", "must be a role id, or 0 for none")
	}
	return usermgmt.NewDirectory(&directoryDriver{c: c, cfg: cfg}, append(c.t.DirectoryOptions(), opts...)...)
}

// directoryDriver implements usermgmt/driver over a Client.
type directoryDriver struct {
	c   *Client
	cfg DirectoryConfig

	mu    sync.Mutex
	roles map[string]int64 // lower-cased role name -> id, from getRoles
}

var (
	_ driver.Updater    = (*directoryDriver)(nil)
	_ driver.Activator  = (*directoryDriver)(nil)
	_ driver.Deleter    = (*directoryDriver)(nil)
	_ driver.RoleSetter = (*directoryDriver)(nil)
	_ driver.Finder     = (*directoryDriver)(nil)
)

func (d *directoryDriver) Provider() string { return provider }

func (d *directoryDriver) Traits() driver.Traits {
	req := []string{"Username", "Password", "Roles"}
	if d.cfg.DefaultRoleID != 0 {
		req = req[:2]
	}
	return driver.Traits{
		NaturalKey:   driver.KeyUsername,
		Requires:     req,
		DeleteMeans:  "archive",
		UpdateFields: []string{"Name", "FirstName", "LastName"},
		MinRoles:     1, MaxRoles: 1,
		MinPageSize: 1, MaxPageSize: MaxPageSize, DefaultPageSize: DefaultPageSize,
	}
}

func (d *directoryDriver) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	const op = "createUser"
	if in.Email != "" && !strings.EqualFold(in.Username, in.Email) {
		return nil, inputError(op, "Email", "differs from Username: the API keeps one address, the username, and returns it as the email")
	}
	roleID := d.cfg.DefaultRoleID
	if len(in.Roles) == 1 {
		var err error
		if roleID, err = d.roleID(ctx, op, in.Roles[0]); err != nil {
			return nil, err
		}
	}
	first, last := in.FirstName, in.LastName
	if first == "" && last == "" {
		first, last = usermgmt.CreateUserInput{Name: in.Name}.SplitName()
	}
	u, err := d.c.CreateUser(ctx, CreateUserInput{Username: in.Username, RoleID: roleID,
		Password: usermgmt.Secret(in.Password), FirstName: first, LastName: last})
	return toDriverUser(u), err
}

func (d *directoryDriver) GetUser(ctx context.Context, id string) (*driver.User, error) {
	n, err := parseID("getUsers", id)
	if err != nil {
		return nil, err
	}
	return d.find(ctx, func(u *User) bool { return u.ID == n })
}

func (d *directoryDriver) FindUser(ctx context.Context, key string) (*driver.User, error) {
	return d.find(ctx, func(u *User) bool { return strings.EqualFold(u.Email, key) })
}

// find walks every user, archived ones included, and skips the archived
// ones itself: asking the API for non-archived users only would let a user
// archived meanwhile shift the offset pages and hide another. A user
// renamed meanwhile can still move between pages (the API sorts by name
// only), so a walk that finds nothing is made once more before the user is
// reported missing.
func (d *directoryDriver) find(ctx context.Context, match func(*User) bool) (*driver.User, error) {
	for range 2 {
		for u, err := range d.c.ListUsers(ctx, nil) {
			if err != nil {
				return nil, err
			}
			if !u.Details.Archived && match(&u) {
				return toDriverUser(&u), nil
			}
		}
	}
	return nil, driver.ErrNotFound
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
	archived := false
	users, err := d.c.ListUsersPage(ctx, off, size, &ListUsersOptions{Archived: &archived})
	if err != nil {
		return nil, err
	}
	page := &driver.Page{Users: make([]driver.User, len(users))}
	for i := range users {
		page.Users[i] = *toDriverUser(&users[i])
	}
	if len(users) >= size {
		page.Next = driver.Offset(off + len(users))
	}
	return page, nil
}

func (d *directoryDriver) UpdateUser(ctx context.Context, id string, in *driver.UpdateInput) (*driver.User, error) {
	n, err := parseID("updateUser", id)
	if err != nil {
		return nil, err
	}
	var ui UpdateUserInput
	switch {
	case in.FirstName != nil || in.LastName != nil:
		ui.FirstName, ui.LastName = copyPtr(in.FirstName), copyPtr(in.LastName)
	case in.Name != nil:
		first, last := usermgmt.CreateUserInput{Name: *in.Name}.SplitName()
		ui.FirstName, ui.LastName = &first, &last
	}
	u, err := d.c.UpdateUser(ctx, n, ui)
	return toDriverUser(u), err
}

func (d *directoryDriver) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	n, err := parseID("updateUser", id)
	if err != nil {
		return nil, err
	}
	u, err := d.c.SetActive(ctx, n, active)
	return toDriverUser(u), err
}

// DeleteUser archives the user; one archived already is not found.
func (d *directoryDriver) DeleteUser(ctx context.Context, id string) error {
	if _, err := d.GetUser(ctx, id); err != nil {
		return err
	}
	n, _ := parseID("updateUser", id) // GetUser parsed it
	_, err := d.c.Archive(ctx, n, true)
	return err
}

func (d *directoryDriver) SetRoles(ctx context.Context, id string, roles []string) (*driver.User, error) {
	const op = "updateUser"
	n, err := parseID(op, id)
	if err != nil {
		return nil, err
	}
	roleID, err := d.roleID(ctx, op, roles[0]) // the Directory checked there is exactly one
	if err != nil {
		return nil, err
	}
	u, err := d.c.UpdateUser(ctx, n, UpdateUserInput{RoleID: &roleID})
	return toDriverUser(u), err
}

// roleID maps a role name to its id through getRoles, ignoring case. The
// names are cached for the directory's life and fetched again once when a
// name is unknown. The Administrator role, which getRoles does not list,
// cannot be set by name; Client.UpdateUser sets any role id.
func (d *directoryDriver) roleID(ctx context.Context, op, name string) (int64, error) {
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

// toDriverUser converts u (nil stays nil). Raw is u itself: every caller
// passes a user it has just received and keeps no other hold on.
func toDriverUser(u *User) *driver.User {
	if u == nil {
		return nil
	}
	out := &driver.User{
		ID:        strconv.FormatInt(u.ID, 10),
		Username:  u.Email,
		Email:     u.Email,
		Name:      strings.TrimSpace(u.Details.FirstName + " " + u.Details.LastName),
		FirstName: u.Details.FirstName,
		LastName:  u.Details.LastName,
		Active:    u.Active,
		Raw:       u,
	}
	if u.Details.Role.Name != "" {
		out.Roles = []string{u.Details.Role.Name}
	}
	return out
}
