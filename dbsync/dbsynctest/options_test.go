package dbsynctest_test

import (
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
)

func TestWithClockDatesTheLicenses(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 23, 0, 0, 0, time.FixedZone("", -3*3600))
	srv := dbsynctest.NewServer(dbsynctest.WithClock(func() time.Time { return at }))
	t.Cleanup(srv.Close)
	if got := srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"}); got.ExpiryDate != "2027-03-05" {
		t.Errorf("ExpiryDate = %q, want a year after the clock's time in UTC", got.ExpiryDate)
	}
}
