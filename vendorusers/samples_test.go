package vendorusers_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/vendorusers"
)

// The seed's samples live in testdata; their broken `"archivationdate: 0`
// is read there as `"archivationdate": 0` (see testdata/README.md).

// developer is the Developer role as embedded in a user: without
// ReadVendorBalance.
func developer() vendorusers.Role {
	return vendorusers.Role{ID: 5, ManageProtect: true, Name: "Developer"}
}

// seedListUser is the user of the list sample.
func seedListUser() vendorusers.User {
	return vendorusers.User{
		ID: 10026, Confirmed: true, Email: "1111@gmail.com", Active: true,
		Details: vendorusers.Details{ID: 10027, FirstName: "MD", LastName: "BDev", Role: developer()},
	}
}

// seedUser is the user element of the create and change samples.
func seedUser() vendorusers.User {
	return vendorusers.User{
		ID: 10065, Email: "test@gmail.com", Active: true,
		Details: vendorusers.Details{ID: 10067, FirstName: "Test", LastName: "Test", Role: developer()},
	}
}

// seedRoles are the roles of the roles sample.
func seedRoles() []vendorusers.Role {
	t, f := true, false
	return []vendorusers.Role{
		{ID: 2, CreateOrders: true, CreateProducts: true, ManageProtect: true, Name: "Supervisor", ReadVendorBalance: &t},
		{ID: 3, CreateProducts: true, Name: "Product manager", ReadVendorBalance: &f},
		{ID: 4, CreateOrders: true, Name: "Sales manager", ReadVendorBalance: &f},
		{ID: 5, ManageProtect: true, Name: "Developer", ReadVendorBalance: &f},
	}
}

func TestSeedResponseSamplesDecodeAndRoundTrip(t *testing.T) {
	t.Parallel()
	type users struct {
		Users []vendorusers.User `json:"users"`
	}
	type user struct {
		User vendorusers.User `json:"user"`
	}
	type roles struct {
		Roles []vendorusers.Role `json:"roles"`
	}
	tests := []struct {
		file string
		into func() any
		want any
	}{
		{"list_users_response.json", func() any { return new(users) }, &users{Users: []vendorusers.User{seedListUser()}}},
		{"user_response.json", func() any { return new(user) }, &user{User: seedUser()}},
		{"roles_response.json", func() any { return new(roles) }, &roles{Roles: seedRoles()}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			raw := readFile(t, tt.file)
			got := tt.into()
			if err := json.Unmarshal(raw, got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("decoded sample differs (-want +got):\n%s", diff)
			}
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var before, after any
			if err := json.Unmarshal(raw, &before); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(again, &after); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("round trip changed the JSON (-sample +marshalled):\n%s", diff)
			}
		})
	}
}

func TestDatesAreTimesAndZeroWhenUnset(t *testing.T) {
	t.Parallel()
	in := `{"_id":1,"firstname":"A","lastname":"B","lastvisitdate":1700000000,"archived":true,"archivationdate":1700000600,"role":{"_id":5,"createorders":false,"createproducts":false,"createusers":false,"manageprotect":true,"nameeng":"Developer"},"settings":{"language":0}}`
	var d vendorusers.Details
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if got := d.LastVisit.Unix(); got != 1700000000 {
		t.Errorf("LastVisit = %v", d.LastVisit)
	}
	if got := d.ArchivedAt.Unix(); got != 1700000600 || d.ArchivedAt.Location().String() != "UTC" {
		t.Errorf("ArchivedAt = %v", d.ArchivedAt)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal([]byte(in), &a)
	_ = json.Unmarshal(out, &b)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}

	var zero vendorusers.Details
	if err := json.Unmarshal([]byte(`{"lastvisitdate":0,"archivationdate":0}`), &zero); err != nil {
		t.Fatal(err)
	}
	if !zero.LastVisit.IsZero() || !zero.ArchivedAt.IsZero() {
		t.Errorf("0 decoded as %v and %v, want zero times", zero.LastVisit, zero.ArchivedAt)
	}
	out, err = json.Marshal(vendorusers.Details{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	if m["lastvisitdate"] != 0.0 || m["archivationdate"] != 0.0 {
		t.Errorf("zero times marshalled as %s, want 0", out)
	}
}
