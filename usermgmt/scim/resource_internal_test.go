package scim

import (
	"encoding/json"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// TestUserDocumentIsTheResource: the typed user answer encodes to the same
// JSON, byte for byte, as the map the attribute projections work on.
func TestUserDocumentIsTheResource(t *testing.T) {
	users := []usermgmt.User{
		{ID: "1", Email: "ada@example.com", Name: "Ada Lovelace", FirstName: "Ada", LastName: "Lovelace", Active: true, Roles: []string{"Viewer", "Org Admin"}},
		{ID: "a/b", Username: "grace", Name: "Grace Hopper"},
		{ID: "3", Username: "x@example.com", Email: "x@example.com", FirstName: "X"},
		{ID: "4", Username: "bare"},
	}
	for _, caps := range []usermgmt.Capabilities{{NaturalKey: "email", Roles: true}, {NaturalKey: "username"}} {
		tn := &tenant{caps: caps}
		for i := range users {
			u := &users[i]
			want, err := json.Marshal(tn.userResource(u, "http://h/scim/v2"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(tn.userDocument(u, "http://h/scim/v2", userETag(u)))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("user %s, %s key:\n got %s\nwant %s", u.ID, caps.NaturalKey, got, want)
			}
		}
	}
}
