package dbsync_test

import (
	"context"
	"errors"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestReadsRetried checks that the two reads, POSTs both, are retried:
// 503, 503, then success makes three requests.
func TestReadsRetried(t *testing.T) {
	t.Parallel()
	for op, call := range map[string]func(context.Context, *dbsync.Client) error{
		"licenseDetails": func(ctx context.Context, c *dbsync.Client) error {
			_, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{})
			return err
		},
		"authenticateUser": func(ctx context.Context, c *dbsync.Client) error {
			_, err := c.AuthenticateUser(ctx, jdoe)
			return err
		},
		"unregisterUser": func(ctx context.Context, c *dbsync.Client) error { return c.UnregisterUser(ctx, jdoe) },
	} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.AddUser(dbsync.License{CompanyName: jdoe.Company, UserName: jdoe.UserName})
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: op, Status: 503, Times: 2})
			if err := call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(op); n != 3 {
				t.Errorf("%s requests = %d, want 3", op, n)
			}
		})
	}
}

// TestRegisterNotResent checks that a registration that may have been
// applied is never resent: the error reports an unknown outcome, and the
// fake holds exactly one user.
func TestRegisterNotResent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  usermgmttest.Fault
		stored int
	}{
		{"connection dropped after the write", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "registerUser"}, 1},
		{"503 after the write", usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "registerUser", Status: 503}, 1},
		{"502 before the write", usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "registerUser", Status: 502}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.Inject(tt.fault)
			_, err := c.RegisterUser(context.Background(), jdoe)
			var unknown *usermgmt.OutcomeUnknownError
			if !errors.Is(err, usermgmt.ErrOutcomeUnknown) || !errors.As(err, &unknown) {
				t.Fatalf("error = %v, want an *usermgmt.OutcomeUnknownError", err)
			}
			if unknown.Provider != "dbsync" || unknown.Operation != "registerUser" {
				t.Errorf("Provider, Operation = %q, %q", unknown.Provider, unknown.Operation)
			}
			if n := srv.Count("registerUser"); n != 1 {
				t.Errorf("registerUser requests = %d, want 1 (never resent)", n)
			}
			if n := len(srv.Users()); n != tt.stored {
				t.Errorf("fake holds %d users, want %d", n, tt.stored)
			}
		})
	}
}

// TestRegisterResentWhenRefused checks that a 429 (the server refused the
// request) is retried even for registerUser.
func TestRegisterResentWhenRefused(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "registerUser", Status: 429})
	if _, err := c.RegisterUser(context.Background(), jdoe); err != nil {
		t.Fatal(err)
	}
	if n, u := srv.Count("registerUser"), len(srv.Users()); n != 2 || u != 1 {
		t.Errorf("requests, users = %d, %d; want 2, 1", n, u)
	}
}

// TestUnregisterRetriedAfterApplied checks the decision for unregisterUser:
// when the first attempt was applied but its answer was lost, the retry's
// "not registered" answer means success.
func TestUnregisterRetriedAfterApplied(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]usermgmttest.Fault{
		"dropped": {Kind: usermgmttest.DropAfter, Operation: "unregisterUser"},
		"503":     {Kind: usermgmttest.FailAfter, Operation: "unregisterUser", Status: 503},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.AddUser(dbsync.License{CompanyName: jdoe.Company, UserName: jdoe.UserName})
			srv.Inject(f)
			if err := c.UnregisterUser(context.Background(), jdoe); err != nil {
				t.Fatalf("UnregisterUser = %v, want success", err)
			}
			if n := srv.Count("unregisterUser"); n != 2 {
				t.Errorf("unregisterUser requests = %d, want 2", n)
			}
			if n := len(srv.Users()); n != 0 {
				t.Errorf("fake holds %d users, want 0", n)
			}
			// A later, separate call for the same user is not a retry.
			if err := c.UnregisterUser(context.Background(), jdoe); !errors.Is(err, usermgmt.ErrNotFound) {
				t.Errorf("second UnregisterUser = %v, want ErrNotFound", err)
			}
		})
	}
}

// TestUnregisterRetryBeforeApplied checks that a retry after a failure that
// did not apply anything still reports a user that never was registered.
func TestUnregisterRetryBeforeApplied(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropBefore, Operation: "unregisterUser"})
	err := c.UnregisterUser(context.Background(), jdoe)
	// The dropped request may have been applied for all the client knows,
	// so "not registered" on the retry is taken as success.
	if err != nil {
		t.Fatalf("UnregisterUser = %v, want success", err)
	}
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "unregisterUser", Status: 429})
	if err := c.UnregisterUser(context.Background(), jdoe); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("after a 429 (nothing applied), UnregisterUser = %v, want ErrNotFound", err)
	}
}

// TestRetriesGiveUp checks what remains when every attempt fails: the last
// answer, read from the API's wrapper; an unknown outcome only for the
// call that changes state.
func TestRetriesGiveUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op      string
		call    func(context.Context, *dbsync.Client) error
		unknown bool
	}{
		{"licenseDetails", func(ctx context.Context, c *dbsync.Client) error {
			_, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{})
			return err
		}, false},
		{"authenticateUser", func(ctx context.Context, c *dbsync.Client) error {
			_, err := c.AuthenticateUser(ctx, jdoe)
			return err
		}, false},
		{"unregisterUser", func(ctx context.Context, c *dbsync.Client) error { return c.UnregisterUser(ctx, jdoe) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: tt.op, Status: 500, Times: 10})
			err := tt.call(context.Background(), c)
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
				t.Fatalf("error = %v, want an APIError with status 500", err)
			}
			if got := errors.Is(err, usermgmt.ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("errors.Is(err, ErrOutcomeUnknown) = %v, want %v: %v", got, tt.unknown, err)
			}
			if m := apiErr.Messages; len(m) != 1 || m[0] != "injected fault: 500" {
				t.Errorf("Messages = %q, want the fake's message read from the wrapper", m)
			}
			if n := srv.Count(tt.op); n != 4 {
				t.Errorf("requests = %d, want 4 (MaxAttempts)", n)
			}
		})
	}
}

// TestReadsNeverUnknown checks that a read whose connections all drop is a
// plain error: nothing can have been changed.
func TestReadsNeverUnknown(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropBefore, Operation: "licenseDetails", Times: 10})
	_, err := c.LicenseDetails(context.Background(), dbsync.LicenseFilter{})
	if err == nil || errors.Is(err, usermgmt.ErrOutcomeUnknown) {
		t.Errorf("error = %v, want a transport error without an unknown outcome", err)
	}
	if n := srv.Count("licenseDetails"); n != 4 {
		t.Errorf("requests = %d, want 4", n)
	}
}
