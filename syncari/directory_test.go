package syncari_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func newDirectory(t *testing.T, c *syncari.Client) *usermgmt.Directory {
	t.Helper()
	d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDirectorySetRolesKeepsOtherInstances(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	d := newDirectory(t, c)
	got, err := d.SetRoles(context.Background(), u.ID, []string{"Viewer"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Viewer"}, got.Roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	stored := srv.Users()[0].Roles
	if len(stored["RR0VPW"]) != 4 || len(stored["YUBV99"]) != 1 {
		t.Errorf("stored roles = %v", stored)
	}
}

func TestDirectoryCreateSettlesADroppedCreate(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, usermgmt.WithRetry(usermgmt.NoRetries()))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	d := newDirectory(t, c)
	u, err := d.CreateUser(context.Background(), usermgmttest.NewUser("dropped"))
	if err != nil {
		t.Fatal(err)
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != u.ID {
		t.Errorf("stored users = %+v, want exactly the one returned", users)
	}
}

// Clearing a user's roles in the client's instance sends an empty list for
// that instance (the API refuses null) and keeps the other instances'.
func TestDirectorySetRolesClearsTheInstance(t *testing.T) {
	t.Parallel()
	for _, clear := range [][]string{nil, {}} {
		srv, c := setup(t, nil)
		u := srv.AddUser(seedUser())
		got, err := newDirectory(t, c).SetRoles(context.Background(), u.ID, clear)
		if err != nil {
			t.Fatalf("SetRoles(%#v): %v", clear, err)
		}
		if len(got.Roles) != 0 {
			t.Errorf("SetRoles(%#v) returned roles %q", clear, got.Roles)
		}
		stored := srv.Users()[0].Roles
		if len(stored["RR0VPW"]) != 4 || len(stored["YUBV99"]) != 0 {
			t.Errorf("stored roles = %v", stored)
		}
	}
}

func TestNewDirectoryRefusesANilClient(t *testing.T) {
	t.Parallel()
	if d, err := syncari.NewDirectory(nil, syncari.DirectoryConfig{}); d != nil || !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("NewDirectory(nil) = %v, %v; want ErrInvalidInput", d, err)
	}
}
