package syncari_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func TestDirectoryConformance(t *testing.T) {
	usermgmttest.Run(t, func(t *testing.T) usermgmt.Directory {
		_, c := setup(t, nil)
		return syncari.NewDirectory(c)
	})
}

func TestDirectorySetRolesKeepsOtherInstances(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	d := syncari.NewDirectory(c)
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
	d := syncari.NewDirectory(c)
	u, err := d.CreateUser(context.Background(), usermgmttest.NewUser("dropped"))
	if err != nil {
		t.Fatal(err)
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != u.ID {
		t.Errorf("stored users = %+v, want exactly the one returned", users)
	}
}
