package vendorusers_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func newDirectory(t *testing.T, c *vendorusers.Client, cfg vendorusers.DirectoryConfig) *usermgmt.Directory {
	t.Helper()
	d, err := vendorusers.NewDirectory(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNewDirectoryValidates(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	if _, err := vendorusers.NewDirectory(nil, vendorusers.DirectoryConfig{}); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("nil client: err = %v", err)
	}
	if _, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: -1}); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("negative role: err = %v", err)
	}
}

func TestDirectoryCapabilities(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	want := usermgmt.Capabilities{
		Create: true, Get: true, List: true, Update: true, Activate: true, Deactivate: true, Delete: true, Roles: true,
		CreateInactive: true, DeleteMeans: "archive", NaturalKey: "username", Requires: []string{"Username", "Password", "Roles"},
		UpdateFields: []string{"Name", "FirstName", "LastName"}, MinRoles: 1, MaxRoles: 1, MaxPageSize: vendorusers.MaxPageSize,
	}
	if diff := gocmp.Diff(want, newDirectory(t, c, vendorusers.DirectoryConfig{}).Capabilities()); diff != "" {
		t.Errorf("without a default role (-want +got):\n%s", diff)
	}
	want.Requires = want.Requires[:2]
	d := newDirectory(t, c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	if diff := gocmp.Diff(want, d.Capabilities()); diff != "" {
		t.Errorf("with a default role (-want +got):\n%s", diff)
	}
	if d.Provider() != "vendorusers" {
		t.Errorf("Provider = %q", d.Provider())
	}
}

func TestDirectoryLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	d := newDirectory(t, c, vendorusers.DirectoryConfig{})
	ctx := context.Background()

	in := usermgmt.CreateUserInput{Email: "ada@example.com", Name: "Ada Lovelace", Password: "pw-1", Roles: []string{"sales MANAGER"}}
	u, err := d.CreateUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	stored := srv.Users()[0]
	want := &usermgmt.User{
		ID: "10026", Username: "ada@example.com", Email: "ada@example.com", Name: "Ada Lovelace",
		FirstName: "Ada", LastName: "Lovelace", Active: true, Roles: []string{"Sales manager"},
		Provider: "vendorusers", Raw: &stored,
	}
	if diff := gocmp.Diff(want, u); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	body := bodyOf(t, only(srv, "createUser")[0])
	if body["roleId"] != 4.0 || body["username"] != "ada@example.com" || body["firstName"] != "Ada" || body["password"] != "pw-1" || body["passwordConfirm"] != "pw-1" {
		t.Errorf("create body = %v", body)
	}

	got, err := d.GetUser(ctx, u.ID)
	if err != nil || !gocmp.Equal(want, got) {
		t.Errorf("GetUser = %+v, %v", got, err)
	}
	// GetUser walks every user, archived included, and skips the archived
	// itself, so that archiving cannot shift the pages under it.
	if r := only(srv, "getUsers"); len(r) != 1 || r[0].Query.Has("archived") {
		t.Errorf("GetUser sent %+v, want one getUsers without an archived filter", r)
	}
	if f, err := d.FindUser(ctx, "ADA@example.com"); err != nil || f.ID != u.ID {
		t.Errorf("FindUser = %+v, %v", f, err)
	}

	if got, err = d.UpdateUser(ctx, u.ID, usermgmt.UpdateUserInput{Name: ptr("Grace Brewster Hopper")}); err != nil || got.FirstName != "Grace" || got.LastName != "Brewster Hopper" {
		t.Errorf("UpdateUser = %+v, %v", got, err)
	}
	if got, err = d.SetActive(ctx, u.ID, false); err != nil || got.Active {
		t.Errorf("SetActive(false) = %+v, %v", got, err)
	}
	if got, err = d.SetRoles(ctx, u.ID, []string{"Developer"}); err != nil || !gocmp.Equal([]string{"Developer"}, got.Roles) {
		t.Errorf("SetRoles = %+v, %v", got, err)
	}
	if n := srv.Count("getRoles"); n != 1 {
		t.Errorf("getRoles requests = %d, want 1 (names are cached)", n)
	}
	var bodies []map[string]any
	for _, r := range only(srv, "updateUser") {
		bodies = append(bodies, bodyOf(t, r))
		if r.Method != http.MethodPut || r.RawPath != "/v1.0/users/10026" {
			t.Errorf("sent %s %s", r.Method, r.RawPath)
		}
	}
	wantBodies := []map[string]any{
		{"firstName": "Grace", "lastName": "Brewster Hopper"},
		{"userIsActive": "false"},
		{"roleId": 5.0},
	}
	if diff := gocmp.Diff(wantBodies, bodies); diff != "" {
		t.Errorf("updateUser bodies (-want +got):\n%s", diff)
	}

	if err := d.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if stored, _ := srv.User(10026); !stored.Details.Archived {
		t.Error("DeleteUser did not archive the user")
	}
	if _, err := d.GetUser(ctx, u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("GetUser after delete: err = %v, want ErrNotFound", err)
	}
	if all, err := usermgmt.Collect(d.ListUsers(ctx, nil)); err != nil || len(all) != 0 {
		t.Errorf("ListUsers after delete = %+v, %v", all, err)
	}
}

func TestDirectoryCreateSettlesADroppedCreate(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, usermgmt.WithRetry(usermgmt.NoRetries()))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	d := newDirectory(t, c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	u, err := d.CreateUser(context.Background(), usermgmttest.NewUser("dropped"))
	if err != nil {
		t.Fatal(err)
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != u.Raw.(*vendorusers.User).ID {
		t.Errorf("stored users = %+v, want exactly the one returned", users)
	}
	if n := srv.Count("createUser"); n != 1 {
		t.Errorf("createUser requests = %d, want 1", n)
	}
}

func TestDirectoryCreateResendsWhenTheCreateWasNotApplied(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, usermgmt.WithRetry(usermgmt.NoRetries()))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: 503})
	d := newDirectory(t, c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	if _, err := d.CreateUser(context.Background(), usermgmttest.NewUser("failed")); err != nil {
		t.Fatal(err)
	}
	if n, users := srv.Count("createUser"), len(srv.Users()); n != 2 || users != 1 {
		t.Errorf("%d createUser requests and %d users, want 2 and 1", n, users)
	}
}

func TestDirectoryCreateInactive(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	d := newDirectory(t, c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	in := usermgmttest.NewUser("inactive")
	in.Inactive = true
	u, err := d.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if u.Active || srv.Users()[0].Active {
		t.Errorf("created user is active: %+v", u)
	}
	if srv.Count("createUser") != 1 || srv.Count("updateUser") != 1 {
		t.Errorf("journal = %+v", srv.Requests())
	}
}

func TestDirectoryRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	d := newDirectory(t, c, vendorusers.DirectoryConfig{})
	ctx := context.Background()
	ok := usermgmt.CreateUserInput{Username: "a@example.com", Password: "pw", Roles: []string{"Developer"}}
	type refusal struct {
		name string
		call func() error
		kind error
	}
	tests := []refusal{
		{"no username", func() error {
			_, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Password: "pw", Roles: ok.Roles})
			return err
		}, usermgmt.ErrInvalidInput},
		{"email differs", func() error {
			in := ok
			in.Email = "b@example.com"
			_, err := d.CreateUser(ctx, in)
			return err
		}, usermgmt.ErrInvalidInput},
		{"no password", func() error { in := ok; in.Password = ""; _, err := d.CreateUser(ctx, in); return err }, usermgmt.ErrInvalidInput},
		{"no role, no default", func() error { in := ok; in.Roles = nil; _, err := d.CreateUser(ctx, in); return err }, usermgmt.ErrInvalidInput},
		{"two roles", func() error {
			in := ok
			in.Roles = []string{"Developer", "Supervisor"}
			_, err := d.CreateUser(ctx, in)
			return err
		}, usermgmt.ErrInvalidInput},
		{"set two roles", func() error { _, err := d.SetRoles(ctx, "10026", []string{"Developer", "Supervisor"}); return err }, usermgmt.ErrInvalidInput},
		{"set no role", func() error { _, err := d.SetRoles(ctx, "10026", nil); return err }, usermgmt.ErrInvalidInput},
		{"change email", func() error {
			_, err := d.UpdateUser(ctx, "10026", usermgmt.UpdateUserInput{Email: ptr("x@example.com")})
			return err
		}, errors.ErrUnsupported},
		{"change password", func() error {
			_, err := d.UpdateUser(ctx, "10026", usermgmt.UpdateUserInput{Password: ptr[usermgmt.Secret]("x")})
			return err
		}, errors.ErrUnsupported},
		{"empty find key", func() error { _, err := d.FindUser(ctx, ""); return err }, usermgmt.ErrInvalidInput},
		{"list page size -1", func() error {
			_, err := usermgmt.Collect(d.ListUsers(ctx, &usermgmt.ListOptions{PageSize: -1}))
			return err
		}, usermgmt.ErrInvalidInput},
		{"not an email", func() error {
			in := ok
			in.Username, in.Email = "", "not-an-email"
			_, err := d.CreateUser(ctx, in)
			return err
		}, usermgmt.ErrInvalidInput},
		{"email with spaces", func() error {
			in := ok
			in.Username, in.Email = "", " sp@example.com "
			_, err := d.CreateUser(ctx, in)
			return err
		}, usermgmt.ErrInvalidInput},
		{"username with spaces", func() error {
			in := ok
			in.Username = " sp@example.com "
			_, err := d.CreateUser(ctx, in)
			return err
		}, usermgmt.ErrInvalidInput},
	}
	// Ids are decimal integers: anything that could leave its path segment
	// is refused before a request is built.
	for _, id := range []string{"", "1/../2", "..", "1?x=y", "1#f", "%2F", "+5", "05", "0", "-1", "1 ", "9223372036854775808"} {
		tests = append(tests,
			refusal{"id " + id, func() error { _, err := d.SetActive(ctx, id, true); return err }, usermgmt.ErrInvalidInput},
			refusal{"get id " + id, func() error { _, err := d.GetUser(ctx, id); return err }, usermgmt.ErrInvalidInput},
			refusal{"delete id " + id, func() error { return d.DeleteUser(ctx, id) }, usermgmt.ErrInvalidInput},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent: %+v", n, srv.Requests())
	}
}

func TestDirectoryUnknownRoleName(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	d := newDirectory(t, c, vendorusers.DirectoryConfig{})
	u := srv.AddUser(vendorusers.User{Email: "a@example.com"})
	_, err := d.SetRoles(context.Background(), "10026", []string{"Administrator"})
	if !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Fatalf("err = %v, want ErrInvalidInput (Administrator is not listed by getRoles)", err)
	}
	if srv.Count("updateUser") != 0 || srv.Count("getRoles") != 1 {
		t.Errorf("journal = %+v", srv.Requests())
	}
	if stored, _ := srv.User(u.ID); stored.Details.Role.ID != vendoruserstest.RoleDeveloper {
		t.Errorf("role changed to %+v", stored.Details.Role)
	}
}
