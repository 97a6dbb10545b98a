package bss_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
)

// sampleUser is the user of the spec's examples, as the SDK decodes it.
func sampleUser() bss.User {
	return bss.User{
		ID:        "5f1b2c3d4e5f6a7b8c9d0e1f",
		Name:      "Jane Doe",
		UserFlags: []string{"LICENSE_PURCHASE_RESTRICTED"},
		ContactDetails: bss.ContactDetails{
			Email:               "jane.doe@example.com",
			TelephoneNumberE123: "+44 20 7946 0958",
		},
		RegistrationInformation: bss.RegistrationInformation{
			State: bss.Registered,
			Time:  time.Unix(1700000000, 0).UTC(),
		},
		ExternalID:         "CID-000123",
		DefaultUserProfile: bss.DefaultUserProfile{ID: "6a7b8c9d0e1f5f1b2c3d4e5f"},
	}
}

// roundTrip decodes the sample file into a new T, checks it against want
// (when not nil), encodes it again and checks that the JSON is unchanged but
// for the members named in secrets, which usermgmt.Secret encodes as
// "[REDACTED]".
func roundTrip[T any](t *testing.T, file string, want *T, secrets ...string) {
	t.Helper()
	raw := readFile(t, file)
	var got T
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s does not decode: %v", file, err)
	}
	if want != nil {
		if diff := cmp.Diff(*want, got, cmpUsers); diff != "" {
			t.Errorf("%s decoded (-want +got):\n%s", file, diff)
		}
	}
	again, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	sample := jsonValue(t, raw)
	for _, k := range secrets {
		sample.(map[string]any)[k] = "[REDACTED]"
	}
	if diff := cmp.Diff(sample, jsonValue(t, again)); diff != "" {
		t.Errorf("%s does not round-trip (-sample +encoded):\n%s", file, diff)
	}
}

func TestSamplesDecodeAndRoundTrip(t *testing.T) {
	t.Parallel()
	jane := sampleUser()
	noFlags := sampleUser()
	noFlags.UserFlags = []string{}
	created := sampleUser()
	created.RegistrationInformation = bss.RegistrationInformation{State: bss.Unregistered}
	updated := noFlags
	updated.ContactDetails.TelephoneNumberE123 = ""
	updated.DefaultUserProfile = bss.DefaultUserProfile{}
	tests := []struct {
		file string
		run  func(t *testing.T, file string)
	}{
		{"get_all_users_response.json", func(t *testing.T, f string) { roundTrip(t, f, &[]bss.User{jane}) }},
		{"create_user_response.json", func(t *testing.T, f string) { roundTrip(t, f, &created) }},
		{"get_user_response.json", func(t *testing.T, f string) { roundTrip(t, f, &noFlags) }},
		{"update_user_response.json", func(t *testing.T, f string) { roundTrip(t, f, &updated) }},
		{"legacy_users_response.json", func(t *testing.T, f string) {
			roundTrip(t, f, &[]bss.LegacyUser{{Email: "jane.doe@example.com", Name: "Jane Doe", CID: "CID-000123"}})
		}},
		{"legacy_create_user_request.json", func(t *testing.T, f string) {
			roundTrip(t, f, &bss.LegacyUser{Email: "jane.doe@example.com", Name: "Jane Doe", CID: "CID-000123", Password: "change-me"}, "password")
		}},
		{"legacy_update_user_request.json", func(t *testing.T, f string) {
			roundTrip(t, f, &bss.LegacyUser{Email: "jane.doe@example.com", Name: "Jane Q. Doe", CID: "CID-000123"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			tt.run(t, tt.file)
		})
	}
}

// TestTestdataMatchesSpecExamples keeps testdata in step with the examples
// of specs/bss.yaml, which they copy.
func TestTestdataMatchesSpecExamples(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromFile("../specs/bss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const v4, v4id = "/api/user/management/v4/users", "/api/user/management/v4/users/{user_id}"
	const lg, lgid = "/api/management/user", "/api/management/user/{email}"
	resp := func(path, method, status string) any {
		return doc.Paths.Find(path).GetOperation(method).Responses.Value(status).Value.Content.Get("application/json").Example
	}
	req := func(path, method string) any {
		return doc.Paths.Find(path).GetOperation(method).RequestBody.Value.Content.Get("application/json").Example
	}
	files := map[string]any{
		"get_all_users_response.json":     resp(v4, "GET", "200"),
		"create_user_request.json":        req(v4, "POST"),
		"create_user_response.json":       resp(v4, "POST", "201"),
		"get_user_response.json":          resp(v4id, "GET", "200"),
		"update_user_request.json":        req(v4id, "PATCH"),
		"update_user_response.json":       resp(v4id, "PATCH", "200"),
		"legacy_users_response.json":      resp(lg, "GET", "200"),
		"legacy_create_user_request.json": req(lg, "POST"),
		"legacy_update_user_request.json": req(lgid, "PUT"),
		"error_response.json":             doc.Components.Responses["Error"].Value.Content.Get("application/json").Example,
	}
	for file, example := range files {
		b, err := json.Marshal(example)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonValue(t, b), jsonValue(t, readFile(t, file))); diff != "" {
			t.Errorf("testdata/%s differs from the spec's example (-spec +file):\n%s", file, diff)
		}
	}
}
