package bss_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func newDirectory(t *testing.T) (*bsstest.Server, *usermgmt.Directory) {
	t.Helper()
	srv, c := setup(t, nil)
	d, err := bss.NewDirectory(c, bss.DirectoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, d
}

func TestDirectoryCapabilities(t *testing.T) {
	t.Parallel()
	_, d := newDirectory(t)
	want := usermgmt.Capabilities{
		Create: true, Get: true, List: true, Update: true, Activate: true, Deactivate: true, Delete: true,
		CreateInactive: true, ExternalID: true, NaturalKey: "email", Requires: []string{"Email"},
		UpdateFields: []string{"Email", "Name", "FirstName", "LastName", "Password"}, MaxPageSize: 1000,
	}
	if diff := cmp.Diff(want, d.Capabilities()); diff != "" {
		t.Errorf("Capabilities (-want +got):\n%s", diff)
	}
	if d.Provider() != "bss" {
		t.Errorf("Provider = %q", d.Provider())
	}
}

func TestDirectoryCreateUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   usermgmt.CreateUserInput
		body string
	}{
		{"active by default", usermgmt.CreateUserInput{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", Password: "pw"},
			`{"name":"Ada Lovelace","contact_details":{"email":"ada@example.com"},"registration_information":{"registration_state":"REGISTERED"},"meta":{"security":{"user_password":"pw"}}}`},
		{"inactive", usermgmt.CreateUserInput{Username: "ignored", Email: "ada@example.com", Name: "Ada", Inactive: true},
			`{"name":"Ada","contact_details":{"email":"ada@example.com"},"registration_information":{"registration_state":"UNREGISTERED"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t)
			got, err := d.CreateUser(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkRequest(t, one(t, srv, "createUser"), http.MethodPost, usersPath, usersPath, []byte(tt.body))
			raw, ok := got.Raw.(*bss.User)
			if !ok {
				t.Fatalf("Raw = %T, want *bss.User", got.Raw)
			}
			want := &usermgmt.User{ID: raw.ID, Email: tt.in.Email, Name: raw.Name, Active: !tt.in.Inactive, Provider: "bss", Raw: raw}
			if diff := cmp.Diff(want, got, cmpUsers); diff != "" {
				t.Errorf("created (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDirectoryCreateIsExactlyOnce: the create's connection drops after the
// fake stored the user; the adapter finds it by email instead of resending.
func TestDirectoryCreateIsExactlyOnce(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	got, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "once@example.com", Name: "Once"})
	if err != nil {
		t.Fatal(err)
	}
	users := srv.Users()
	if len(users) != 1 || users[0].ID != got.ID {
		t.Fatalf("fake holds %+v, want exactly the returned user %s", users, got.ID)
	}
	if n := srv.Count("createUser"); n != 1 {
		t.Errorf("createUser requests = %d, want 1", n)
	}
	look := one(t, srv, "getAllUsers")
	if look.Query.Get("email") != "once@example.com" {
		t.Errorf("look-up query = %v, want the email filter", look.Query)
	}
}

func TestDirectoryCreateOfAnExistingEmailIsAConflict(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t)
	existing := srv.AddUser(sampleUser())
	_, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "Jane.Doe@example.com"})
	var ce *usermgmt.ConflictError
	if !errors.Is(err, usermgmt.ErrConflict) || !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *usermgmt.ConflictError", err)
	}
	if got := ce.Existing; got.ID != existing.ID || len(srv.Users()) != 1 {
		t.Errorf("got %s with %d users, want the existing %s", got.ID, len(srv.Users()), existing.ID)
	}
}

// TestDirectorySetActiveSendsOnlyRegistrationState: active maps to the
// registration state, changed by a PATCH of that field alone.
func TestDirectorySetActiveSendsOnlyRegistrationState(t *testing.T) {
	t.Parallel()
	for _, active := range []bool{false, true} {
		state := map[bool]string{true: "REGISTERED", false: "UNREGISTERED"}[active]
		t.Run(state, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t)
			start := bss.Registered // the opposite of the state to set
			if active {
				start = bss.Unregistered
			}
			u := srv.AddUser(bss.User{Name: "Jane", RegistrationInformation: bss.RegistrationInformation{State: start}})
			got, err := d.SetActive(context.Background(), u.ID, active)
			if err != nil {
				t.Fatal(err)
			}
			p := usersPath + "/" + u.ID
			body := `{"registration_information":{"registration_state":"` + state + `"}}`
			r := one(t, srv, "updateUser")
			checkRequest(t, r, http.MethodPatch, p, p, []byte(body))
			if string(r.Body) != body {
				t.Errorf("body = %s, want exactly %s", r.Body, body)
			}
			if got.Active != active || got.Name != "Jane" {
				t.Errorf("SetActive(%v) = %+v", active, got)
			}
		})
	}
}

func TestDirectoryUpdateUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       usermgmt.UpdateUserInput
		body     string // "" means no PATCH
		wantName string
	}{
		{"first name merged into the full name", usermgmt.UpdateUserInput{FirstName: ptr("Grace")}, `{"name":"Grace Lovelace"}`, "Grace Lovelace"},
		{"last name merged into the full name", usermgmt.UpdateUserInput{LastName: ptr("Byron")}, `{"name":"Ada Byron"}`, "Ada Byron"},
		{"name wins over parts", usermgmt.UpdateUserInput{Name: ptr("G H"), FirstName: ptr("X")}, `{"name":"G H"}`, "G H"},
		{"email and password", usermgmt.UpdateUserInput{Email: ptr("new@example.com"), Password: ptr(usermgmt.Secret("pw"))},
			`{"contact_details":{"email":"new@example.com"},"meta":{"security":{"user_password":"pw"}}}`, "Ada Lovelace"},
		{"nothing set", usermgmt.UpdateUserInput{}, "", "Ada Lovelace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t)
			u := srv.AddUser(bss.User{Name: "Ada Lovelace", ContactDetails: bss.ContactDetails{Email: "ada@example.com"}})
			got, err := d.UpdateUser(context.Background(), u.ID, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName {
				t.Errorf("Name = %q, want %q", got.Name, tt.wantName)
			}
			patches := only(srv, "updateUser")
			if tt.body == "" {
				if len(patches) != 0 {
					t.Errorf("sent %d PATCHes, want none", len(patches))
				}
				return
			}
			p := usersPath + "/" + u.ID
			checkRequest(t, one(t, srv, "updateUser"), http.MethodPatch, p, p, []byte(tt.body))
		})
	}
}

func TestDirectoryRolesAreUnsupported(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t)
	_, err := d.SetRoles(context.Background(), "id", []string{"admin"})
	var ue *usermgmt.UnsupportedError
	if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &ue) || ue.Provider != "bss" || ue.Hint == "" {
		t.Errorf("SetRoles: %v, want an UnsupportedError with a hint", err)
	}
	_, err = d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "a@example.com", Roles: []string{"admin"}})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("CreateUser with roles: %v, want errors.ErrUnsupported", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestDirectoryFindUser(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t)
	srv.AddUser(sampleUser())
	got, err := d.FindUser(context.Background(), "JANE.DOE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sampleUser().ID || got.Email != "jane.doe@example.com" || !got.Active {
		t.Errorf("FindUser = %+v", got)
	}
	if _, err := d.FindUser(context.Background(), "nobody@example.com"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("FindUser of a missing email: %v, want ErrNotFound", err)
	}
	if _, err := d.FindUser(context.Background(), ""); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("FindUser(\"\"): %v, want ErrInvalidInput", err)
	}
}

func TestDirectoryListUsersFiltersActive(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t)
	reg := srv.AddUser(bss.User{Name: "R", RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
	srv.AddUser(bss.User{Name: "U"})
	active := true
	var got []string
	for u, err := range d.ListUsers(context.Background(), &usermgmt.ListOptions{Active: &active, PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ID)
	}
	if diff := cmp.Diff([]string{reg.ID}, got); diff != "" {
		t.Errorf("active users (-want +got):\n%s", diff)
	}
	if n := srv.Count("getAllUsers"); n != 3 {
		t.Errorf("getAllUsers requests = %d, want 3 with PageSize 1", n)
	}
}
