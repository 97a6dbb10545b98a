package genericusr

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The JSON forms of the public types. Decoding accepts what the API writes
// (numbers as strings or numbers, flags as "1"/1, nulls); encoding writes
// JSON numbers and 0/1 flags, a form the API accepts, so that a value
// survives a round trip. Passwords are usermgmt.Secret values, which
// encode as "[REDACTED]": encoding an input is safe for logs, and the
// client builds the requests it sends itself.

type userJSON struct {
	ID               flexInt  `json:"userId"`
	ContactName      string   `json:"contactName"`
	EmailAddress     string   `json:"emailAddress"`
	Username         string   `json:"username"`
	DefaultAccountID flexInt  `json:"defaultAccountId"`
	Active           flexBool `json:"active"`
}

// UnmarshalJSON decodes a user as the API writes it: numbers and numeric
// strings alike ("userId":"21" and "userId":21), 0/1 flags in either form,
// null as the zero value. Unknown members (password, which is always null,
// and any the installation adds) are ignored.
func (u *User) UnmarshalJSON(b []byte) error {
	var j userJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*u = j.user()
	return nil
}

func (j *userJSON) user() User {
	return User{
		ID:               int64(j.ID),
		ContactName:      j.ContactName,
		EmailAddress:     j.EmailAddress,
		Username:         j.Username,
		DefaultAccountID: int64(j.DefaultAccountID),
		Active:           bool(j.Active),
	}
}

// MarshalJSON encodes the user with JSON numbers and a 0/1 active flag.
func (u User) MarshalJSON() ([]byte, error) {
	return json.Marshal(userJSON{
		ID:               flexInt(u.ID),
		ContactName:      u.ContactName,
		EmailAddress:     u.EmailAddress,
		Username:         u.Username,
		DefaultAccountID: flexInt(u.DefaultAccountID),
		Active:           flexBool(u.Active),
	})
}

type addUserJSON struct {
	ContactName      string          `json:"contactName"`
	EmailAddress     string          `json:"emailAddress"`
	DefaultAccountID flexInt         `json:"defaultAccountId"`
	Username         string          `json:"username"`
	Password         usermgmt.Secret `json:"password"`
	Active           *flexBool       `json:"active,omitempty"`
}

// UnmarshalJSON decodes a create request as the vendor documents it, e.g.
// {"contactName":"John Doe","emailAddress":"jhn.doe@example.com",
// "defaultAccountId":1,"username":"test","password":"test"}.
func (in *AddUserInput) UnmarshalJSON(b []byte) error {
	var j addUserJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*in = AddUserInput{
		ContactName:      j.ContactName,
		EmailAddress:     j.EmailAddress,
		DefaultAccountID: int64(j.DefaultAccountID),
		Username:         j.Username,
		Password:         j.Password,
		Active:           (*bool)(j.Active),
	}
	return nil
}

// MarshalJSON encodes the create request in the API's form, with the
// password as "[REDACTED]".
func (in AddUserInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(addUserJSON{
		ContactName:      in.ContactName,
		EmailAddress:     in.EmailAddress,
		DefaultAccountID: flexInt(in.DefaultAccountID),
		Username:         in.Username,
		Password:         in.Password,
		Active:           (*flexBool)(clonePtr(in.Active)),
	})
}

type modifyUserJSON struct {
	ContactName      *string          `json:"contactName,omitempty"`
	EmailAddress     *string          `json:"emailAddress,omitempty"`
	DefaultAccountID *flexInt         `json:"defaultAccountId,omitempty"`
	Username         *string          `json:"username,omitempty"`
	Password         *usermgmt.Secret `json:"password,omitempty"`
	Active           *flexBool        `json:"active,omitempty"`
}

// UnmarshalJSON decodes a modify request as the vendor documents it, e.g.
// {"contactName":"John Doe modified","active":"0"}. A member that is
// absent or null stays nil (unchanged).
func (in *ModifyUserInput) UnmarshalJSON(b []byte) error {
	var j modifyUserJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*in = ModifyUserInput{
		ContactName:      j.ContactName,
		EmailAddress:     j.EmailAddress,
		DefaultAccountID: (*int64)(j.DefaultAccountID),
		Username:         j.Username,
		Password:         j.Password,
		Active:           (*bool)(j.Active),
	}
	return nil
}

// MarshalJSON encodes the fields that are set, and only those, with a
// password as "[REDACTED]".
func (in ModifyUserInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(modifyUserJSON{
		ContactName:      in.ContactName,
		EmailAddress:     in.EmailAddress,
		DefaultAccountID: (*flexInt)(in.DefaultAccountID),
		Username:         in.Username,
		Password:         in.Password,
		Active:           (*flexBool)(in.Active),
	})
}

var errNotUser = errors.New("genericusr: the answer is not a user object")

// userAnswer is a 2xx answer that should hold a user, or the API's error
// object (the API may report an error with a 2xx status).
type userAnswer struct {
	user User
	fail *transport.Failure
}

func (a *userAnswer) UnmarshalJSON(b []byte) error {
	// One decoding reads a user and an error member alike. Should it fail
	// (a member of the wrong type, say), the answer is read as before:
	// first as an error object, then as a user.
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var j struct {
			userJSON
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(t, &j) == nil {
			if f, ok := errorMember(j.Error); ok {
				a.fail = &f
				return nil
			}
			a.user = j.userJSON.user()
			return nil
		}
	}
	if f, ok := errorIn(b); ok {
		a.fail = &f
		return nil
	}
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return errNotUser
	}
	return json.Unmarshal(b, &a.user)
}

// listAnswer is a 2xx answer that should hold a list of users, or the API's
// error object. Besides the documented array it accepts an object keyed by
// index ({"0":{...},"2":{...}}), which is how PHP encodes an array whose
// keys are not consecutive.
type listAnswer struct {
	users []User
	fail  *transport.Failure
}

func (a *listAnswer) UnmarshalJSON(b []byte) error {
	if f, ok := errorIn(b); ok {
		a.fail = &f
		return nil
	}
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var m map[string]User
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		// Index keys first, in numeric order, then any other key in string
		// order: one total order, so the users come out the same whatever
		// the order of the members (mixing the two comparisons would not
		// be one: "9" < "10" as numbers, "10" < "5a" < "9" as strings).
		slices.SortFunc(keys, func(x, y string) int {
			nx, ex := strconv.Atoi(x)
			ny, ey := strconv.Atoi(y)
			switch {
			case ex == nil && ey == nil:
				return cmp.Or(cmp.Compare(nx, ny), strings.Compare(x, y))
			case ex == nil:
				return -1
			case ey == nil:
				return 1
			}
			return strings.Compare(x, y)
		})
		a.users = make([]User, 0, len(m))
		for _, k := range keys {
			a.users = append(a.users, m[k])
		}
		return nil
	}
	if err := json.Unmarshal(b, &a.users); err != nil {
		return err
	}
	if a.users == nil {
		a.users = []User{} // null: no users
	}
	return nil
}
