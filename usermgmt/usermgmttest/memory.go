package usermgmttest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/usermgmt-go/sdk/internal/fold"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// Memory is an in-memory driver with every ability, for testing code that
// takes a *usermgmt.Directory without any provider or fake: NewMemory
// returns a Directory over a fresh one. Users are keyed by username,
// compared without regard to case; a second create of a username is a 409
// conflict, as most APIs answer. Listings page by offset (MemoryPageSize by
// default, at most MemoryMaxPageSize). It is safe for concurrent use; the
// zero value is not usable, use NewMemoryDriver.
type Memory struct {
	mu        sync.Mutex
	users     map[string]*driver.User
	order     []string
	usernames fold.Index[string] // the ids of the users, by username
	nextID    int
}

// Page sizes of a Memory listing.
const (
	// MemoryPageSize is the page size when a listing asks for none.
	MemoryPageSize = 50
	// MemoryMaxPageSize is the largest page a Memory listing serves.
	MemoryMaxPageSize = 500
)

var (
	_ driver.Driver     = (*Memory)(nil)
	_ driver.Updater    = (*Memory)(nil)
	_ driver.Activator  = (*Memory)(nil)
	_ driver.Deleter    = (*Memory)(nil)
	_ driver.RoleSetter = (*Memory)(nil)
	_ driver.Finder     = (*Memory)(nil)
)

// NewMemoryDriver returns an empty Memory driver.
func NewMemoryDriver() *Memory { return &Memory{users: map[string]*driver.User{}} }

// NewMemory returns a Directory over an empty Memory driver.
func NewMemory(opts ...usermgmt.DirectoryOption) *usermgmt.Directory {
	d, err := usermgmt.NewDirectory(NewMemoryDriver(), opts...)
	if err != nil {
		panic(err) // unreachable: the Memory driver's traits are valid
	}
	return d
}

// Provider returns "memory".
func (m *Memory) Provider() string { return "memory" }

// Traits reports a username-keyed API that changes every field.
func (m *Memory) Traits() driver.Traits {
	return driver.Traits{
		NaturalKey:      driver.KeyUsername,
		CreatesInactive: true,
		ExternalID:      true,
		UpdateFields:    []string{"Email", "Name", "FirstName", "LastName", "Password"},
		MinPageSize:     1, MaxPageSize: MemoryMaxPageSize, DefaultPageSize: MemoryPageSize,
	}
}

func clone(u *driver.User) *driver.User {
	c := *u
	c.Roles = slices.Clone(u.Roles)
	c.Raw = nil
	raw := c
	c.Raw = &raw
	return &c
}

func notFound(op, id string) error {
	return &usermgmt.APIError{Provider: "memory", Operation: op, StatusCode: 404, Message: "no user " + strconv.Quote(id), Kind: usermgmt.ErrNotFound}
}

// CreateUser stores a user; a username that exists is a conflict.
func (m *Memory) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.usernames.Lookup(in.Username)) > 0 {
		return nil, &usermgmt.APIError{Provider: "memory", Operation: "createUser", StatusCode: 409, Message: "username taken", Kind: usermgmt.ErrConflict}
	}
	m.nextID++
	first, last := in.FirstName, in.LastName
	name := in.Name
	if name == "" {
		name = strings.TrimSpace(first + " " + last)
	}
	if first == "" && last == "" {
		first, last, _ = strings.Cut(name, " ")
	}
	u := &driver.User{
		ID: strconv.Itoa(m.nextID), Username: in.Username, Email: in.Email, ExternalID: in.ExternalID, Name: name,
		FirstName: first, LastName: last, Active: !in.Inactive, Roles: slices.Clone(in.Roles),
	}
	m.users[u.ID] = u
	m.order = append(m.order, u.ID)
	m.usernames.Add(u.Username, u.ID)
	return clone(u), nil
}

// GetUser returns the user with id.
func (m *Memory) GetUser(ctx context.Context, id string) (*driver.User, error) {
	return m.change(ctx, "getUser", id, func(*driver.User) {})
}

// FindUser returns the user whose username is key, ignoring case.
func (m *Memory) FindUser(ctx context.Context, key string) (*driver.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if ids := m.usernames.Lookup(key); len(ids) > 0 { // one at most: CreateUser keeps usernames unique
		return clone(m.users[ids[0]]), nil
	}
	return nil, driver.ErrNotFound
}

// ListPage returns the page of users at the offset the token holds.
func (m *Memory) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	off := 0
	if req.Token != "" {
		n, err := strconv.Atoi(req.Token)
		if err != nil || n < 0 {
			return nil, &usermgmt.InputError{Provider: "memory", Operation: "listUsers", Field: "token", Reason: "not a token of this listing"}
		}
		off = n
	}
	size := req.Size
	if size == 0 {
		size = MemoryPageSize
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	page := &driver.Page{}
	end := min(off+size, len(m.order))
	for _, id := range m.order[min(off, end):end] {
		page.Users = append(page.Users, *clone(m.users[id]))
	}
	if end < len(m.order) {
		page.Next = strconv.Itoa(end)
	}
	return page, nil
}

// UpdateUser changes the fields that are set.
func (m *Memory) UpdateUser(ctx context.Context, id string, in *driver.UpdateInput) (*driver.User, error) {
	return m.change(ctx, "updateUser", id, func(u *driver.User) {
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&u.Email, in.Email)
		set(&u.FirstName, in.FirstName)
		set(&u.LastName, in.LastName)
		set(&u.Name, in.Name)
		if in.Name == nil && (in.FirstName != nil || in.LastName != nil) {
			u.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
		}
	})
}

// SetActive activates or deactivates the user.
func (m *Memory) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	return m.change(ctx, "setActive", id, func(u *driver.User) { u.Active = active })
}

// SetRoles replaces the user's roles.
func (m *Memory) SetRoles(ctx context.Context, id string, roles []string) (*driver.User, error) {
	return m.change(ctx, "setRoles", id, func(u *driver.User) { u.Roles = slices.Clone(roles) })
}

func (m *Memory) change(ctx context.Context, op, id string, f func(*driver.User)) (*driver.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return nil, notFound(op, id)
	}
	f(u)
	return clone(u), nil
}

// DeleteUser removes the user.
func (m *Memory) DeleteUser(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return notFound("deleteUser", id)
	}
	m.usernames.Remove(u.Username, id)
	delete(m.users, id)
	m.order = slices.DeleteFunc(m.order, func(x string) bool { return x == id })
	return nil
}
