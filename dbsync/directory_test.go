package dbsync_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func newDirectory(t *testing.T, c *dbsync.Client) *usermgmt.Directory {
	t.Helper()
	d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: "Acme Corp"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNewDirectoryRejects(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	for name, tt := range map[string]struct {
		c   *dbsync.Client
		cfg dbsync.DirectoryConfig
	}{
		"nil client":     {nil, dbsync.DirectoryConfig{Company: "Acme Corp"}},
		"no company":     {c, dbsync.DirectoryConfig{}},
		"padded company": {c, dbsync.DirectoryConfig{Company: "Acme Corp "}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if d, err := dbsync.NewDirectory(tt.c, tt.cfg); d != nil || !errors.Is(err, usermgmt.ErrInvalidInput) {
				t.Errorf("NewDirectory = %v, %v; want ErrInvalidInput", d, err)
			}
		})
	}
}

func TestDirectoryCapabilities(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	d := newDirectory(t, c)
	want := usermgmt.Capabilities{Create: true, Get: true, List: true, Delete: true,
		DeleteMeans: "unregister", NaturalKey: "username", Requires: []string{"Username"}}
	if diff := cmp.Diff(want, d.Capabilities()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d.Provider() != "dbsync" {
		t.Errorf("Provider = %q", d.Provider())
	}
}

func TestDirectoryLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(dbsync.License{CompanyName: "Globex", UserName: "other"}) // another company's user stays out of sight
	d := newDirectory(t, c)
	ctx := context.Background()
	ignoreRaw := cmpopts.IgnoreFields(usermgmt.User{}, "Raw")

	created, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "jdoe", Email: "jdoe@acme.example", Name: "J Doe"})
	if err != nil {
		t.Fatal(err)
	}
	want := usermgmt.User{ID: "jdoe", Username: "jdoe", Active: true, Provider: "dbsync"}
	if diff := cmp.Diff(&want, created, ignoreRaw); diff != "" {
		t.Errorf("CreateUser (-want +got):\n%s", diff)
	}
	if raw, ok := created.Raw.(*dbsync.User); !ok || raw.UserID == "" {
		t.Errorf("CreateUser Raw = %#v, want a *dbsync.User with its id", created.Raw)
	}
	checkWire(t, srv, "registerUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe"}))

	got, err := d.GetUser(ctx, "jdoe")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got, ignoreRaw); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}
	if raw, ok := got.Raw.(*dbsync.License); !ok || raw.CompanyName != "Acme Corp" {
		t.Errorf("GetUser Raw = %#v, want a *dbsync.License", got.Raw)
	}
	checkWire(t, srv, "licenseDetails", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe"}))

	srv.ResetJournal()
	list, err := usermgmt.Collect(d.ListUsers(ctx, nil))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]usermgmt.User{want}, list, ignoreRaw); diff != "" {
		t.Errorf("ListUsers (-want +got):\n%s", diff)
	}
	checkWire(t, srv, "licenseDetails", body(map[string]any{"endUserCompany": "Acme Corp"}))
	inactive := false
	if list, err := usermgmt.Collect(d.ListUsers(ctx, &usermgmt.ListOptions{Active: &inactive})); err != nil || len(list) != 0 {
		t.Errorf("ListUsers(inactive) = %v, %v; want none", list, err)
	}

	srv.ResetJournal()
	if err := d.DeleteUser(ctx, "jdoe"); err != nil {
		t.Fatal(err)
	}
	checkWire(t, srv, "unregisterUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe"}))
	if _, err := d.GetUser(ctx, "jdoe"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("GetUser after delete = %v, want ErrNotFound", err)
	}
	if err := d.DeleteUser(ctx, "jdoe"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("DeleteUser twice = %v, want ErrNotFound", err)
	}
	if _, err := d.FindUser(ctx, "jdoe"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("FindUser after delete = %v, want ErrNotFound", err)
	}
	if n := len(srv.Users()); n != 1 {
		t.Errorf("fake holds %d users, want only Globex's", n)
	}
}

func TestDirectoryCreateUsesEmailWithoutUsername(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u, err := newDirectory(t, c).CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "jdoe@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "jdoe@acme.example" {
		t.Errorf("ID = %q", u.ID)
	}
	checkWire(t, srv, "registerUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe@acme.example"}))
}

// TestDirectoryCreateOnce checks that an unknown outcome is settled by a
// look-up, and that a user that existed before is a *ConflictError carrying
// it: the user exists exactly once.
func TestDirectoryCreateOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		seed         bool
		fault        *usermgmttest.Fault
		wantRegister int
	}{
		{name: "dropped after the write", fault: &usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "registerUser"}, wantRegister: 1},
		{name: "503 after the write", fault: &usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "registerUser", Status: 503}, wantRegister: 1},
		{name: "503 before the write", fault: &usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "registerUser", Status: 503}, wantRegister: 2},
		{name: "exists already", seed: true, wantRegister: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			if tt.seed {
				srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"})
			}
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			u, err := newDirectory(t, c).CreateUser(context.Background(), usermgmt.CreateUserInput{Username: "jdoe"})
			var ce *usermgmt.ConflictError
			switch {
			case tt.seed && errors.As(err, &ce) && errors.Is(err, usermgmt.ErrConflict):
				u = ce.Existing
			case tt.seed:
				t.Fatalf("err = %v, want a *usermgmt.ConflictError", err)
			case err != nil:
				t.Fatal(err)
			}
			if u.ID != "jdoe" {
				t.Errorf("ID = %q", u.ID)
			}
			if users := srv.Users(); len(users) != 1 || users[0].UserName != "jdoe" {
				t.Errorf("fake holds %+v, want jdoe once", users)
			}
			if n := srv.Count("registerUser"); n != tt.wantRegister {
				t.Errorf("registerUser requests = %d, want %d", n, tt.wantRegister)
			}
		})
	}
}

func TestDirectoryUnsupported(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"})
	d := newDirectory(t, c)
	ctx := context.Background()
	name := "New Name"
	for op, err := range map[string]error{
		"UpdateUser":            second(d.UpdateUser(ctx, "jdoe", usermgmt.UpdateUserInput{Name: &name})),
		"SetActive false":       second(d.SetActive(ctx, "jdoe", false)),
		"SetActive true":        second(d.SetActive(ctx, "jdoe", true)),
		"SetRoles":              second(d.SetRoles(ctx, "jdoe", []string{"admin"})),
		"CreateUser with roles": second(d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "x", Roles: []string{"admin"}})),
		"CreateUser inactive":   second(d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "x", Inactive: true})),
	} {
		var unsup *usermgmt.UnsupportedError
		if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &unsup) || unsup.Provider != "dbsync" {
			t.Errorf("%s = %v, want an *usermgmt.UnsupportedError", op, err)
		}
	}
	for op, err := range map[string]error{
		"GetUser empty":    second(d.GetUser(ctx, "")),
		"DeleteUser empty": d.DeleteUser(ctx, " "),
		"CreateUser empty": second(d.CreateUser(ctx, usermgmt.CreateUserInput{Name: "No Key"})),
	} {
		if !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("%s = %v, want ErrInvalidInput", op, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestDirectoryListUnknownCompany(t *testing.T) {
	t.Parallel()
	c := answer(t, 200, "application/json", wrapped("Company not found"))
	d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: "Initech"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := usermgmt.Collect(d.ListUsers(context.Background(), nil))
	if err != nil || len(list) != 0 {
		t.Errorf("ListUsers = %v, %v; want an empty listing", list, err)
	}
}

func second[T any](_ T, err error) error { return err }
