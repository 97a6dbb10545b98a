package syncaritest_test

import (
	"context"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
)

func TestWithClockStampsUsersAndTokens(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	srv := syncaritest.NewServer(syncaritest.WithClock(func() time.Time { return at }))
	t.Cleanup(srv.Close)
	c, err := syncari.New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.CreateUser(context.Background(), syncari.CreateUserInput{Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !u.CreatedAt.Equal(at) || !u.UpdatedAt.Equal(at) {
		t.Errorf("created %v, updated %v; want both %v", u.CreatedAt, u.UpdatedAt, at)
	}
	if seeded := srv.AddUser(syncari.User{Email: "bob@example.com"}); seeded.ID == "" || seeded.ID == u.ID {
		t.Errorf("AddUser returned id %q beside %q", seeded.ID, u.ID)
	}
}
