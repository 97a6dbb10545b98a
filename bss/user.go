package bss

import (
	"encoding/json"
	"time"
)

// RegistrationState is a user's registration state. Only REGISTERED users
// can log in; a new user is UNREGISTERED unless created otherwise.
type RegistrationState string

// The registration states of a user.
const (
	// Unregistered is the default state of a new user, who cannot log in.
	Unregistered RegistrationState = "UNREGISTERED"
	// Registered users are allowed to log in.
	Registered RegistrationState = "REGISTERED"
)

// Valid reports whether s is one of the documented states.
func (s RegistrationState) Valid() bool { return s == Unregistered || s == Registered }

// User is a BSS user (the V4 User Resource) as the API returns it. Its JSON
// form is the API's own, so a user can be stored and read back as JSON.
type User struct {
	// ID identifies the user in the {user_id} paths. Assumed: the field is
	// named "id" (the vendor does not publish it; see specs/README.md).
	ID string `json:"id"`
	// Name is the user's full name.
	Name string `json:"name,omitempty"`
	// UserFlags are predefined feature flags such as
	// "LICENSE_PURCHASE_RESTRICTED". The set is open. They are not roles.
	UserFlags []string `json:"user_flags,omitzero"`
	// ContactDetails hold the email address and telephone number.
	ContactDetails ContactDetails `json:"contact_details,omitzero"`
	// RegistrationInformation holds the registration state and time.
	RegistrationInformation RegistrationInformation `json:"registration_information,omitzero"`
	// ExternalID is the customer's own identifier of the user ("cid" in the
	// legacy endpoints).
	ExternalID string `json:"external_id,omitempty"`
	// DefaultUserProfile is the profile created with the user (read-only).
	DefaultUserProfile DefaultUserProfile `json:"default_user_profile,omitzero"`
	// Meta is meta information as the API returns it. The password set on
	// create or update is write-only and never appears here.
	Meta Meta `json:"meta,omitzero"`
}

// Registered reports whether the user is REGISTERED, that is, can log in.
func (u *User) Registered() bool { return u.RegistrationInformation.State == Registered }

// ContactDetails are a user's contact details.
type ContactDetails struct {
	// Email is the email address.
	Email string `json:"email,omitempty"`
	// TelephoneNumberE123 is the telephone number in E.123 notation, e.g.
	// "+44 20 7946 0958".
	TelephoneNumberE123 string `json:"telephone_number_E123,omitempty"`
}

// RegistrationInformation is a user's registration state and time.
type RegistrationInformation struct {
	// State is UNREGISTERED or REGISTERED.
	State RegistrationState `json:"registration_state,omitempty"`
	// Time is when the user was registered (read-only), zero when the API
	// did not say. On the wire it is registration_time, an epoch timestamp;
	// Assumed: in seconds (the unit is not documented).
	Time time.Time `json:"-"`
}

type registrationJSON struct {
	State RegistrationState `json:"registration_state,omitempty"`
	Time  *int64            `json:"registration_time,omitempty"`
}

// MarshalJSON writes the API's form, with registration_time in epoch
// seconds.
func (r RegistrationInformation) MarshalJSON() ([]byte, error) {
	j := registrationJSON{State: r.State}
	if !r.Time.IsZero() {
		s := r.Time.Unix()
		j.Time = &s
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the API's form.
func (r *RegistrationInformation) UnmarshalJSON(b []byte) error {
	var j registrationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = RegistrationInformation{State: j.State, Time: epoch(j.Time)}
	return nil
}

func epoch(p *int64) time.Time {
	if p == nil || *p == 0 {
		return time.Time{}
	}
	return time.Unix(*p, 0).UTC()
}

// DefaultUserProfile is the user's default profile, created automatically
// with the user. Assumed: it carries the profile's id (not published).
type DefaultUserProfile struct {
	// ID is the profile's id.
	ID string `json:"id,omitempty"`
}

// Meta is the meta information of a user as the API returns it. Its content
// is not published; Security keeps whatever the API sends there.
type Meta struct {
	// Security is the user's security meta information, as an open object.
	Security map[string]any `json:"security,omitzero"`
}
