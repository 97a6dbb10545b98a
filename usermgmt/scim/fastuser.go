package scim

import (
	"encoding/json"

	"github.com/usermgmt-go/sdk/internal/jsonscan"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// userFields is the common shape of a User resource in a POST or PUT body,
// as identity providers send it: decoded into this struct, without the
// maps of the general reading, when fastUser finds the body has that
// shape. A value of another type than a field's fails the decoding, which
// sends the body the general way; null leaves a field empty, as the
// general reading reads it.
type userFields struct {
	UserName    string `json:"userName"`
	DisplayName string `json:"displayName"`
	Name        struct {
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
		Formatted  string `json:"formatted"`
	} `json:"name"`
	Emails []struct {
		Value   string `json:"value"`
		Type    string `json:"type"`
		Primary bool   `json:"primary"`
	} `json:"emails"`
	Active   json.RawMessage `json:"active"`
	Password string          `json:"password"`
}

// The top-level members fastUser reads (a bit each, to find repeats).
const (
	memberUserName = 1 << iota
	memberDisplayName
	memberName
	memberEmails
	memberActive
	memberPassword
	memberIgnored // any member parseUser ignores: not counted
)

// fastMember maps the ASCII-lowercased names of the members a body may
// hold for fastUser to take it: those it reads, and those parseUser
// ignores.
func fastMember(lower []byte) int {
	switch string(lower) {
	case "username":
		return memberUserName
	case "displayname":
		return memberDisplayName
	case "name":
		return memberName
	case "emails":
		return memberEmails
	case "active":
		return memberActive
	case "password":
		return memberPassword
	case "schemas", "id", "externalid", "meta", "groups", "nickname", "title", "locale", "timezone",
		"preferredlanguage", "usertype", "profileurl", "phonenumbers", "addresses", "roles",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":
		return memberIgnored
	}
	return 0
}

// fastUser reads body, a User resource, the way parseUser reads the same
// body decoded into maps, but without the maps: when every top-level
// member is one fastMember names, written in ASCII, once, and every value
// fastUser reads has the type it expects (a string, an object of strings,
// a list of email objects), it returns the userState and true. Anything
// else (another member, a URN-qualified or dotted name, a repeated member,
// a number where a string goes, "primary": "True") returns false, and the
// body goes the general way, which also words the errors.
func fastUser(body []byte) (*userState, bool) {
	var seen int
	var buf [64]byte
	if !jsonscan.Members(body, func(name, value []byte) bool {
		m := fastMember(asciiLower(&buf, name))
		if m == 0 || m != memberIgnored && seen&m != 0 {
			return false
		}
		seen |= m
		// The general reading goes through a map, in no fixed order: a
		// sub-attribute given twice (in two spellings) has no one reading.
		switch m {
		case memberName:
			return jsonscan.IsNull(value) || once(value, "givenname", "familyname", "formatted")
		case memberEmails:
			// A null email is an error of the general reading: there,
			// in its words.
			return jsonscan.IsNull(value) || jsonscan.Elements(value, func(e []byte) bool { return !jsonscan.IsNull(e) && once(e, "value", "type", "primary") })
		}
		return true
	}) {
		return nil, false
	}
	var f userFields
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, false
	}
	st := &userState{userName: f.UserName, displayName: f.DisplayName}
	if seen&memberName != 0 {
		st.hasName = true
		st.given, st.family, st.formatted = f.Name.GivenName, f.Name.FamilyName, f.Name.Formatted
	}
	if seen&memberEmails != 0 {
		st.hasEmail = true
		list := make([]emailEntry, len(f.Emails))
		for i, e := range f.Emails {
			list[i] = emailEntry{value: e.Value, typ: e.Type, primary: e.Primary}
		}
		st.email = pickEmail(list)
	}
	if seen&memberActive != 0 {
		var b bool
		switch string(f.Active) {
		case "true":
			b = true
		case "false":
		default:
			var v any
			if err := json.Unmarshal(f.Active, &v); err != nil {
				return nil, false
			}
			var err error
			if b, err = parseBool(v); err != nil {
				return nil, false
			}
		}
		st.active, st.hasAct = &b, true
	}
	if f.Password != "" {
		s := usermgmt.Secret(f.Password)
		st.password = &s
	}
	return st, true
}

// once reports whether obj is an object in which each of names (in ASCII
// lower case) appears at most once, in any ASCII case, and no member name
// is outside ASCII.
func once(obj []byte, names ...string) bool {
	var seen uint64
	var buf [64]byte
	return jsonscan.Members(obj, func(name, _ []byte) bool {
		lower := asciiLower(&buf, name)
		if lower == nil {
			return false
		}
		for i, n := range names {
			if string(lower) == n {
				if seen&(1<<i) != 0 {
					return false
				}
				seen |= 1 << i
			}
		}
		return true
	})
}

// asciiLower writes name in ASCII lower case into buf and returns it, or
// returns nil when name is not ASCII or longer than buf (than any name
// the fast reading knows).
func asciiLower(buf *[64]byte, name []byte) []byte {
	if len(name) > len(buf) {
		return nil
	}
	for i, c := range name {
		if c >= 0x80 {
			return nil
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(name):len(name)]
}
