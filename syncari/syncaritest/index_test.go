package syncaritest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// TestEmailIndexFollowsEveryChange: a create conflicts with a stored email
// in any case. The API changes no email and deletes nobody, so AddUser over
// a stored id is the one way an email is given up: the old one is free at
// once, the new one taken.
func TestEmailIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	c, err := syncari.New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	create := func(email string, wantConflict bool) *syncari.User {
		t.Helper()
		u, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: email})
		var apiErr *usermgmt.APIError
		switch {
		case !wantConflict && err != nil:
			t.Fatalf("create %s: %v", email, err)
		case wantConflict && (!errors.As(err, &apiErr) || apiErr.StatusCode != 409 || apiErr.Message != "a user with email "+email+" already exists"):
			t.Fatalf("create %s: %v, want the fake's 409", email, err)
		}
		return u
	}
	u := create("old@example.com", false)
	create("OLD@Example.com", true)

	srv.AddUser(syncari.User{ID: u.ID, Email: "New@example.com"})
	create("new@EXAMPLE.com", true)
	create("Old@example.com", false)
	create("old@example.com", true)
	if n := len(srv.Users()); n != 2 {
		t.Errorf("the fake holds %d users, want 2", n)
	}
}
