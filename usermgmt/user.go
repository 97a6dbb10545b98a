package usermgmt

import (
	"slices"
	"strings"
)

// User is a user account as every provider can describe it. Fields an API
// does not have are left empty; Raw holds the provider's own value.
type User struct {
	// ID identifies the user in GetUser, UpdateUser and the other calls.
	ID string
	// Username is the login name, where the API has one.
	Username string
	// Email is the user's email address, where the API has one.
	Email string
	// ExternalID is an identifier the caller's own system assigned, where
	// the API keeps one (BSS external_id).
	ExternalID string
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
	// ExternalID is an identifier of the caller's own system, kept where
	// the API has a field for it (BSS external_id) and ignored elsewhere.
	ExternalID string
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
	// means the API's default. A size outside the API's bounds is clamped
	// into them, so the same options work with every provider.
	PageSize int
}

// Keep reports whether u passes the filters of o (nil o keeps everyone).
func (o *ListOptions) Keep(u *User) bool {
	return o == nil || o.Active == nil || *o.Active == u.Active
}

// Capabilities reports what a Directory can do. It is derived from the
// abilities its driver implements, so it cannot disagree with what the
// Directory does: an operation marked false returns an error matching
// errors.ErrUnsupported before anything is sent.
type Capabilities struct {
	// Create, Get, List, Update, Activate, Deactivate, Delete and Roles
	// report whether CreateUser, GetUser, ListUsers, UpdateUser,
	// SetActive(true), SetActive(false), DeleteUser and SetRoles work.
	// Create, Get and List always do.
	Create, Get, List, Update, Activate, Deactivate, Delete, Roles bool
	// CreateInactive reports that CreateUserInput.Inactive can be honoured
	// (in one call, or as a create then a deactivation).
	CreateInactive bool
	// DeleteMeans says what DeleteUser does where the API has no real
	// delete, e.g. "archive", "unregister" or "deactivate"; empty for a
	// real delete.
	DeleteMeans string
	// IdempotentCreate reports that the API itself deduplicates retried
	// creates (an idempotency key).
	IdempotentCreate bool
	// NaturalKey names the field that identifies a user apart from its ID:
	// "username" or "email". Users are matched by it without regard to
	// case.
	NaturalKey string
	// Requires lists the CreateUserInput fields a create needs, once the
	// natural key is filled in from Username or Email.
	Requires []string
	// UpdateFields lists the UpdateUserInput fields UpdateUser can change
	// ("Email", "Name", "FirstName", "LastName", "Password"); empty when
	// Update is false.
	UpdateFields []string
	// MinRoles and MaxRoles bound how many roles a user holds where Roles
	// is true; MaxRoles 0 means no bound.
	MinRoles, MaxRoles int
	// MaxPageSize is the largest page the API serves; 0 when it does not
	// page. ListOptions.PageSize is clamped into the API's bounds.
	MaxPageSize int
	// ExternalID reports that the API keeps CreateUserInput.ExternalID
	// (BSS external_id); elsewhere it is ignored.
	ExternalID bool
}

// CanUpdate reports whether UpdateUser can change the named field of
// UpdateUserInput, e.g. "Email".
func (c Capabilities) CanUpdate(field string) bool {
	return c.Update && slices.Contains(c.UpdateFields, field)
}
