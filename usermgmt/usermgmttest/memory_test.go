package usermgmttest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestMemoryUsernameIndexFollowsEveryChange: a create conflicts with a
// stored username in any case, FindUser finds it in any case, and a deleted
// user's username is free at once.
func TestMemoryUsernameIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	m := usermgmttest.NewMemoryDriver()
	ctx := context.Background()
	create := func(username string, wantConflict bool) *driver.User {
		t.Helper()
		u, err := m.CreateUser(ctx, &driver.CreateInput{Username: username})
		if got := errors.Is(err, usermgmt.ErrConflict); got != wantConflict || (err != nil && !got) {
			t.Fatalf("create %s: %v, want a conflict: %v", username, err, wantConflict)
		}
		return u
	}
	find := func(key, wantID string) {
		t.Helper()
		u, err := m.FindUser(ctx, key)
		switch {
		case wantID == "" && !errors.Is(err, driver.ErrNotFound):
			t.Fatalf("FindUser(%s) = %v, %v; want not found", key, u, err)
		case wantID != "" && (err != nil || u.ID != wantID):
			t.Fatalf("FindUser(%s) = %v, %v; want id %s", key, u, err, wantID)
		}
	}
	a := create("Ada", false)
	create("ADA", true)
	find("aDA", a.ID)
	b := create("bob", false)
	if err := m.DeleteUser(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	find("ada", "")
	c := create("ada", false)
	find("ADA", c.ID)
	find("BOB", b.ID)
	create("Bob", true)
}
