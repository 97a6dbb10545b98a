package dbsync_test

import (
	"context"
	"errors"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// TestCancelledContext checks that a call whose context is already done
// sends nothing and says so: context.Canceled, not an unknown outcome.
func TestCancelledContext(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for op, err := range map[string]error{
		"register":       second(c.RegisterUser(ctx, jdoe)),
		"unregister":     c.UnregisterUser(ctx, jdoe),
		"authenticate":   second(c.AuthenticateUser(ctx, jdoe)),
		"licenseDetails": second(c.LicenseDetails(ctx, dbsync.LicenseFilter{})),
	} {
		if !errors.Is(err, context.Canceled) || errors.Is(err, usermgmt.ErrOutcomeUnknown) {
			t.Errorf("%s: err = %v, want context.Canceled and no unknown outcome", op, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
