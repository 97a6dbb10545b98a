package usermgmt

import (
	"context"
	"iter"
	"strings"
)

// Directory is the provider-neutral view of one API's user accounts. Each
// provider package has an adapter (syncari.NewDirectory, dbsync.NewDirectory,
// ...) that implements it over its own client; usermgmt imports none of them.
//
// Every method is safe for concurrent use. An operation the API cannot do
// returns an *UnsupportedError, which matches errors.ErrUnsupported;
// Capabilities says in advance which ones those are.
type Directory interface {
	// Provider names the provider, e.g. "syncari".
	Provider() string
	// Capabilities reports what the API behind the directory can do.
	Capabilities() Capabilities
	// CreateUser creates a user. Adapters make creates exactly-once: an
	// API key where the API has one, otherwise a look-up by the natural
	// key (see Capabilities.NaturalKey) when the outcome of a create is
	// unknown, before anything is resent.
	CreateUser(ctx context.Context, in CreateUserInput) (*User, error)
	// GetUser returns the user with the given ID (User.ID).
	GetUser(ctx context.Context, id string) (*User, error)
	// ListUsers iterates over the users, fetching pages lazily.
	ListUsers(ctx context.Context, opts *ListOptions) iter.Seq2[User, error]
	// UpdateUser changes the fields of in that are set, and only those.
	UpdateUser(ctx context.Context, id string, in UpdateUserInput) (*User, error)
	// SetActive activates or deactivates the user.
	SetActive(ctx context.Context, id string, active bool) (*User, error)
	// DeleteUser deletes the user, or does what the API offers instead
	// (see the table in the package documentation).
	DeleteUser(ctx context.Context, id string) error
	// SetRoles replaces the user's roles with roles (names as the API
	// spells them).
	SetRoles(ctx context.Context, id string, roles []string) (*User, error)
}

// UserFinder is an optional ability: finding a user by its natural key
// (username or email) without listing everyone. Adapters use it to settle a
// create whose outcome is unknown; Provision uses it to skip users that
// already exist.
type UserFinder interface {
	// FindUser returns the user whose natural key equals key, or an error
	// matching ErrNotFound.
	FindUser(ctx context.Context, key string) (*User, error)
}

// User is a user account as every provider can describe it. Fields an API
// does not have are left empty; Raw holds the provider's own value.
type User struct {
	// ID identifies the user in GetUser, UpdateUser and the other calls.
	ID string
	// Username is the login name, where the API has one.
	Username string
	// Email is the user's email address, where the API has one.
	Email string
	// Name is the full name. For APIs that keep first and last names apart
	// it is the two joined with a space.
	Name string
	// FirstName and LastName are set where the API keeps them apart.
	FirstName string
	LastName  string
	// Active reports whether the user can use the service.
	Active bool
	// Roles are the user's role names.
	Roles []string
	// Provider names the provider the user came from.
	Provider string
	// Raw is the provider's own value, e.g. *syncari.User.
	Raw any
}

// CreateUserInput is a user to create. Which fields an API needs differs:
// Capabilities.Requires lists them.
type CreateUserInput struct {
	// Username is the login name; for APIs without one the adapter uses
	// Email.
	Username string
	// Email is the user's email address; for APIs without a username it
	// is the natural key.
	Email string
	// Name is the full name. Where the API keeps first and last names apart
	// and FirstName and LastName are empty, Name is split at its first
	// space.
	Name string
	// FirstName and LastName are the parts of the name, for APIs that keep
	// them apart; when both are empty they come from Name.
	FirstName string
	LastName  string
	// Password is the initial password, for APIs that take one.
	Password Secret
	// Roles are role names, for APIs with roles.
	Roles []string
	// Inactive creates the user deactivated, where the API allows it.
	Inactive bool
}

// NaturalKey returns the key the adapters use to recognise an existing user:
// the username, or the email when no username is set.
func (in CreateUserInput) NaturalKey() string {
	if in.Username != "" {
		return in.Username
	}
	return in.Email
}

// SplitName returns the first and last names to send to an API that keeps
// them apart: FirstName and LastName when either is set, otherwise Name split
// at its first space.
func (in CreateUserInput) SplitName() (first, last string) {
	if in.FirstName != "" || in.LastName != "" {
		return in.FirstName, in.LastName
	}
	first, last, _ = strings.Cut(strings.TrimSpace(in.Name), " ")
	return first, strings.TrimSpace(last)
}

// FullName returns Name, or FirstName and LastName joined, for an API that
// keeps one name.
func (in CreateUserInput) FullName() string {
	if in.Name != "" {
		return in.Name
	}
	return strings.TrimSpace(in.FirstName + " " + in.LastName)
}

// UpdateUserInput holds the fields to change; nil fields are left as they
// are.
type UpdateUserInput struct {
	// Email is the new email address.
	Email *string
	// Name is the new full name; for APIs that keep first and last names
	// apart, set FirstName and LastName instead or as well.
	Name *string
	// FirstName and LastName are the new parts of the name.
	FirstName *string
	LastName  *string
	// Password is the new password, for APIs that can change it.
	Password *Secret
}

// ListOptions filter a listing. Every provider honours every filter, on the
// server where the API can, otherwise on the client.
type ListOptions struct {
	// Active, when set, keeps only active (true) or inactive (false) users.
	Active *bool
	// PageSize asks for pages of this many users where the API pages; zero
	// means the API's default.
	PageSize int
}

// Keep reports whether u passes the filters of o (nil o keeps everyone).
func (o *ListOptions) Keep(u *User) bool {
	return o == nil || o.Active == nil || *o.Active == u.Active
}

// Capabilities reports what a Directory can do. An operation marked false
// returns an error matching errors.ErrUnsupported.
type Capabilities struct {
	// Create, Get, List, Update, Activate, Deactivate, Delete and Roles
	// report whether CreateUser, GetUser, ListUsers, UpdateUser,
	// SetActive(true), SetActive(false), DeleteUser and SetRoles work.
	Create, Get, List, Update, Activate, Deactivate, Delete, Roles bool
	// DeleteMeans says what DeleteUser does where the API has no real
	// delete, e.g. "archive" or "unregister"; empty for a real delete.
	DeleteMeans string
	// IdempotentCreate reports that the API itself deduplicates retried
	// creates (an idempotency key).
	IdempotentCreate bool
	// NaturalKey names the field that identifies a user when an API has no
	// idempotency key, e.g. "username" or "email".
	NaturalKey string
	// Requires lists the CreateUserInput fields the API needs.
	Requires []string
}
