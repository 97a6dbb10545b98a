package scim

import (
	"reflect"
	"testing"
)

// fastUserSeeds are bodies as identity providers send them, and edge
// cases of the fast reading.
var fastUserSeeds = []string{
	// Okta's create and full-user PUT.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"primary":true,"value":"ada@example.com","type":"work"}],"displayName":"Ada Lovelace","locale":"en-US","externalId":"00u1","groups":[],"password":"Pa55-word!","active":true}`,
	// Microsoft Entra ID's create, with the enterprise extension.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"externalId":"0a21f0f2","userName":"Test_User_ab6490ee@testuser.com","active":true,"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],"meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"sales"}}`,
	`{"userName":"a@example.com","active":"False"}`,
	`{"userName":"a@example.com","active":" TRUE "}`,
	`{"userName":"a@example.com","active":null}`,
	`{"userName":"a@example.com","active":1}`,
	`{"USERNAME":"a@example.com","Emails":[{"VALUE":"b@example.com","Primary":"True"}]}`,
	`{"userName":"a@example.com","username":"b@example.com"}`,
	`{"userName":"a@example.com","emails":[null]}`,
	`{"userName":"a@example.com","emails":[{"value":1}]}`,
	`{"userName":"a@example.com","emails":{"value":"x"}}`,
	`{"userName":"a@example.com","emails":null,"name":null,"password":null}`,
	`{"userName":"a@example.com","name":"Ada"}`,
	`{"userName":"a@example.com","name":{"givenName":null,"other":1}}`,
	`{"userName":"a@example.com","name.givenName":"Ada"}`,
	`{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a@example.com"}`,
	`{"userName":7}`, `{}`, `null`, `[]`, `{"userName":"a@example.com"`, `{"u\u0073erName":"a@example.com"}`, `{"uſerName":"a@example.com"}`,
	`{"userName":"a@example.com","password":""}`,
	`{"userName":"a@example.com","name":{"givenName":"A","GIVENNAME":"B"}}`,
	`{"userName":"a@example.com","emails":[{"value":"a@example.com","Value":"b@example.com"}]}`,
	`{"userName":"a@example.com","name":{"givenNamé":"A"}}`,
	`{"userName":"a@example.com","emails":[{"value":"x@example.com","type":"home"},{"value":"y@example.com","type":"WORK"}]}`,
}

// TestFastUserTakesIdentityProviderBodies: the common bodies do take the
// fast reading (else the benchmarks measure the general one).
func TestFastUserTakesIdentityProviderBodies(t *testing.T) {
	t.Parallel()
	for _, s := range fastUserSeeds[:4] {
		if _, ok := fastUser([]byte(s)); !ok {
			t.Errorf("fastUser refused %s", s)
		}
	}
}

// FuzzFastUser holds the fast reading of a User body to the general one:
// whatever fastUser takes, decodeObject and parseUser take too, with the
// same result.
func FuzzFastUser(f *testing.F) {
	for _, s := range fastUserSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := fastUser([]byte(s))
		if !ok {
			return
		}
		m, err := decodeObject([]byte(s))
		if err != nil {
			t.Fatalf("%q: fastUser took it, decodeObject refuses it: %v", s, err)
		}
		want, err := parseUser(m)
		if err != nil {
			t.Fatalf("%q: fastUser took it, parseUser refuses it: %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast    %+v\ngeneral %+v", s, *got, *want)
		}
	})
}
