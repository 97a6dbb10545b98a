// Package driver defines what a provider implements to be served by
// *usermgmt.Directory, as database/sql/driver does for database/sql and
// gocloud.dev/blob/driver for blob.Bucket.
//
// Users of the SDK never name this package: they call the concrete
// *usermgmt.Directory, which owns every rule that is the same for all APIs
// (input validation, list filters, page-size clamping, the paging loop
// guard, exactly-once creates, create-then-deactivate, the spelling of
// not-found and unsupported errors, and the debug log of its decisions). A
// driver does only what its API makes different, and reports only facts.
//
// A driver implements Driver, and any of the optional abilities (Updater,
// Activator, Deleter, RoleSetter, Finder) its API has. The Directory's
// Capabilities are derived from the interfaces a driver implements, so they
// cannot disagree with what it does.
//
// Errors: a driver returns the errors of its typed client as they are
// (*usermgmt.APIError, *usermgmt.OutcomeUnknownError, *usermgmt.InputError
// for an id its API cannot take). When it finds by itself that a user does
// not exist (say, after searching a listing), it returns an error matching
// ErrNotFound. It never retries a create whose outcome is unknown, and never
// settles one by a look-up: the Directory does both.
package driver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// ErrNotFound is what a driver returns when it finds by itself that a user
// does not exist. The Directory turns it, like a provider's 404, into a
// *usermgmt.NotFoundError.
var ErrNotFound = errors.New("driver: no such user")

// Driver is the part every provider implements. Its methods are called
// only with inputs the Directory has validated: a non-nil context, a
// non-empty id, a CreateInput whose required fields are set.
type Driver interface {
	// Provider names the provider, e.g. "bss". It is constant.
	Provider() string
	// Traits reports the facts about the API that the Directory's common
	// rules need. It is constant.
	Traits() Traits
	// CreateUser sends one create. The context carries the idempotency key
	// of the logical create (usermgmt.IdempotencyKey) when Traits says the
	// API takes one; a driver for such an API sends it.
	CreateUser(ctx context.Context, in *CreateInput) (*User, error)
	// GetUser returns the user with the id (User.ID).
	GetUser(ctx context.Context, id string) (*User, error)
	// ListPage returns one page of users. The Directory follows
	// Page.Next until it is empty.
	ListPage(ctx context.Context, req PageRequest) (*Page, error)
}

// Updater is the optional ability to change a user's fields.
type Updater interface {
	// UpdateUser changes the fields of in that are set, all of them named
	// in Traits.UpdateFields.
	UpdateUser(ctx context.Context, id string, in *UpdateInput) (*User, error)
}

// Activator is the optional ability to activate and deactivate a user.
type Activator interface {
	// SetActive activates (true) or deactivates (false) the user.
	SetActive(ctx context.Context, id string, active bool) (*User, error)
}

// Deleter is the optional ability to delete a user, or to do what the API
// offers instead (Traits.DeleteMeans). Deleting a user that does not exist,
// or that an earlier delete already removed (archived, unregistered, or for
// DeleteMeans "deactivate", deactivated), returns an error matching
// ErrNotFound or usermgmt.ErrNotFound.
type Deleter interface {
	// DeleteUser deletes the user.
	DeleteUser(ctx context.Context, id string) error
}

// RoleSetter is the optional ability to replace a user's roles. Drivers
// that implement it also take CreateInput.Roles.
type RoleSetter interface {
	// SetRoles replaces the user's roles with roles (names as the API
	// spells them); an empty roles clears them where Traits.MinRoles is 0.
	SetRoles(ctx context.Context, id string, roles []string) (*User, error)
}

// Finder is the optional ability to find a user by its natural key faster
// than the Directory's fallback, which walks the listing.
type Finder interface {
	// FindUser returns the user whose natural key (Traits.NaturalKey)
	// equals key, compared as the API compares it, or an error matching
	// ErrNotFound.
	FindUser(ctx context.Context, key string) (*User, error)
}

// Natural keys a driver can name in Traits.NaturalKey.
const (
	KeyEmail    = "email"
	KeyUsername = "username"
)

// Traits are the facts about an API that the Directory's rules need.
type Traits struct {
	// NaturalKey is the field that identifies a user apart from its id:
	// KeyEmail or KeyUsername. Users are matched by it without regard to
	// case.
	NaturalKey string
	// Requires lists the usermgmt.CreateUserInput fields a create needs
	// once the natural key is filled in ("Username", "Email", "Name",
	// "Password", "Roles").
	Requires []string
	// IdempotentCreate reports that the API deduplicates creates carrying
	// the same idempotency key.
	IdempotentCreate bool
	// CreatesInactive reports that CreateUser honours CreateInput.Inactive
	// in one call. Otherwise the Directory creates the user and then
	// deactivates it through Activator.
	CreatesInactive bool
	// DeleteMeans says what Deleter does where the API has no real delete,
	// e.g. "archive", "unregister" or "deactivate"; empty for a real delete.
	DeleteMeans string
	// UpdateFields names the usermgmt.UpdateUserInput fields Updater can
	// change ("Email", "Name", "FirstName", "LastName", "Password").
	UpdateFields []string
	// MinRoles and MaxRoles bound the number of roles a user can hold,
	// where the driver is a RoleSetter; MaxRoles 0 means no bound.
	MinRoles, MaxRoles int
	// ExternalID reports that the API keeps CreateInput.ExternalID and
	// fills User.ExternalID.
	ExternalID bool
	// MinPageSize, MaxPageSize and DefaultPageSize are the API's page-size
	// bounds; MaxPageSize 0 means the API does not page (one page holds
	// everyone). The Directory clamps a requested size into the bounds.
	MinPageSize, MaxPageSize, DefaultPageSize int
}

// User is a user as the driver describes it. Fields its API does not have
// are left empty.
type User struct {
	// ID identifies the user in GetUser and the other calls.
	ID string
	// Username is the login name, where the API has one.
	Username string
	// Email is the email address, where the API has one.
	Email string
	// ExternalID is an identifier the caller's system assigned, where the
	// API keeps one.
	ExternalID string
	// Name is the full name; FirstName and LastName are set where the API
	// keeps them apart.
	Name, FirstName, LastName string
	// Active reports whether the user can use the service.
	Active bool
	// Roles are the user's role names.
	Roles []string
	// Raw is the provider's own value, e.g. *bss.User.
	Raw any
}

// CreateInput is a validated create. The natural-key field (Email or
// Username, per Traits.NaturalKey) is always set.
type CreateInput struct {
	Username, Email, ExternalID string
	Name, FirstName, LastName   string
	// Password is the initial password; it never prints (see Format).
	Password string
	Roles    []string
	Inactive bool
}

// Format prints the input with the password redacted, in every verb.
func (in CreateInput) Format(f fmt.State, verb rune) {
	type plain CreateInput
	p := plain(in)
	if p.Password != "" {
		p.Password = redacted
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), p)
}

// LogValue logs the input with the password redacted.
func (in CreateInput) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", in)) }

// UpdateInput holds the fields to change; nil fields are left as they are.
type UpdateInput struct {
	Email, Name, FirstName, LastName *string
	// Password is the new password; it never prints (see Format).
	Password *string
}

// Format prints the input with the password redacted, in every verb.
func (in UpdateInput) Format(f fmt.State, verb rune) {
	type plain struct{ Email, Name, FirstName, LastName, Password *string }
	p := plain{in.Email, in.Name, in.FirstName, in.LastName, nil}
	if in.Password != nil {
		r := redacted
		p.Password = &r
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), p)
}

// LogValue logs the input with the password redacted.
func (in UpdateInput) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", in)) }

const redacted = "[REDACTED]"

// PageRequest asks for one page.
type PageRequest struct {
	// Token is the Page.Next of the previous page; empty for the first.
	Token string
	// Size is the page size, within the Traits bounds; 0 means the API's
	// default.
	Size int
	// Active, when set, lets a driver filter on the server; the Directory
	// filters again, so a driver may ignore it.
	Active *bool
}

// Page is one page of users.
type Page struct {
	Users []User
	// Next is the token of the next page; empty when this is the last.
	Next string
}
