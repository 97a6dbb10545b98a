package usermgmttest

import (
	"context"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Memory is an in-memory usermgmt.Directory with every capability, for
// testing code that takes a Directory without any provider or fake. It is
// safe for concurrent use; the zero value is not usable, use NewMemory.
type Memory struct {
	mu     sync.Mutex
	users  map[string]*usermgmt.User
	order  []string
	nextID int
}

var (
	_ usermgmt.Directory  = (*Memory)(nil)
	_ usermgmt.UserFinder = (*Memory)(nil)
)

// NewMemory returns an empty Memory directory.
func NewMemory() *Memory { return &Memory{users: map[string]*usermgmt.User{}} }

// Provider returns "memory".
func (m *Memory) Provider() string { return "memory" }

// Capabilities reports every capability.
func (m *Memory) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{Create: true, Get: true, List: true, Update: true, Activate: true,
		Deactivate: true, Delete: true, Roles: true, NaturalKey: "username", Requires: []string{"Username or Email"}}
}

func clone(u *usermgmt.User) *usermgmt.User {
	c := *u
	c.Roles = slices.Clone(u.Roles)
	c.Raw = &c
	return &c
}

// CreateUser stores a user; creating an existing natural key returns the
// existing user.
func (m *Memory) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key := in.NaturalKey()
	if key == "" {
		return nil, &usermgmt.InputError{Provider: "memory", Operation: "CreateUser", Field: "Username", Reason: "Username or Email is required"}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range m.order {
		if u := m.users[id]; u.Username == key || (u.Username == "" && strings.EqualFold(u.Email, key)) {
			return clone(u), nil
		}
	}
	m.nextID++
	first, last := in.SplitName()
	u := &usermgmt.User{
		ID: strconv.Itoa(m.nextID), Username: in.Username, Email: in.Email, Name: in.FullName(),
		FirstName: first, LastName: last, Active: !in.Inactive, Roles: slices.Clone(in.Roles), Provider: "memory",
	}
	m.users[u.ID] = u
	m.order = append(m.order, u.ID)
	return clone(u), nil
}

func (m *Memory) get(op, id string) (*usermgmt.User, error) {
	if id == "" {
		return nil, &usermgmt.InputError{Provider: "memory", Operation: op, Field: "id", Reason: "must not be empty"}
	}
	u, ok := m.users[id]
	if !ok {
		return nil, &usermgmt.APIError{Provider: "memory", Operation: op, StatusCode: 404, Message: "no user " + id, Kind: usermgmt.ErrNotFound}
	}
	return u, nil
}

// GetUser returns the user with id.
func (m *Memory) GetUser(ctx context.Context, id string) (*usermgmt.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.get("GetUser", id)
	if err != nil {
		return nil, err
	}
	return clone(u), nil
}

// FindUser returns the user whose username (or email) is key.
func (m *Memory) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	for u, err := range m.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if u.Username == key || strings.EqualFold(u.Email, key) {
			return &u, nil
		}
	}
	return nil, &usermgmt.APIError{Provider: "memory", Operation: "FindUser", StatusCode: 404, Kind: usermgmt.ErrNotFound}
}

// ListUsers iterates over a snapshot of the users.
func (m *Memory) ListUsers(ctx context.Context, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	return func(yield func(usermgmt.User, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(usermgmt.User{}, err)
			return
		}
		m.mu.Lock()
		snap := make([]*usermgmt.User, 0, len(m.order))
		for _, id := range m.order {
			snap = append(snap, clone(m.users[id]))
		}
		m.mu.Unlock()
		for _, u := range snap {
			if opts.Keep(u) && !yield(*u, nil) {
				return
			}
		}
	}
}

// UpdateUser changes the fields that are set.
func (m *Memory) UpdateUser(ctx context.Context, id string, in usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	return m.change(ctx, "UpdateUser", id, func(u *usermgmt.User) {
		if in.Email != nil {
			u.Email = *in.Email
		}
		if in.FirstName != nil {
			u.FirstName = *in.FirstName
		}
		if in.LastName != nil {
			u.LastName = *in.LastName
		}
		if in.Name != nil {
			u.Name = *in.Name
		}
	})
}

// SetActive activates or deactivates the user.
func (m *Memory) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	return m.change(ctx, "SetActive", id, func(u *usermgmt.User) { u.Active = active })
}

// SetRoles replaces the user's roles.
func (m *Memory) SetRoles(ctx context.Context, id string, roles []string) (*usermgmt.User, error) {
	return m.change(ctx, "SetRoles", id, func(u *usermgmt.User) { u.Roles = slices.Clone(roles) })
}

func (m *Memory) change(ctx context.Context, op, id string, f func(*usermgmt.User)) (*usermgmt.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.get(op, id)
	if err != nil {
		return nil, err
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
	if _, err := m.get("DeleteUser", id); err != nil {
		return err
	}
	delete(m.users, id)
	m.order = slices.DeleteFunc(m.order, func(x string) bool { return x == id })
	return nil
}
