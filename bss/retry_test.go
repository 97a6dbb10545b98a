//lint:file-ignore SA1019 the deprecated legacy create is checked for its retry class on purpose

package bss_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestSafeCallsAreRetried: reads, PATCH, PUT and DELETE meet 503, 503 and
// then succeed, in three requests.
func TestSafeCallsAreRetried(t *testing.T) {
	t.Parallel()
	id := sampleUser().ID
	email := sampleUser().ContactDetails.Email
	tests := []struct {
		op   string
		call func(c *bss.Client) error
	}{
		{"getUserById", func(c *bss.Client) error { _, err := c.GetUser(context.Background(), id); return err }},
		{"getAllUsers", func(c *bss.Client) error {
			_, err := usermgmt.Collect(c.ListUsers(context.Background(), nil))
			return err
		}},
		{"updateUser", func(c *bss.Client) error {
			_, err := c.SetRegistrationState(context.Background(), id, bss.Unregistered)
			return err
		}},
		{"deleteUserById", func(c *bss.Client) error { return c.DeleteUser(context.Background(), id) }},
		{"getLegacyUsers", func(c *bss.Client) error { _, err := c.Legacy().ListUsers(context.Background()); return err }},
		{"updateLegacyUser", func(c *bss.Client) error {
			_, err := c.Legacy().UpdateUser(context.Background(), email, bss.LegacyUser{Name: "x"})
			return err
		}},
		{"deleteLegacyUser", func(c *bss.Client) error { return c.Legacy().DeleteUser(context.Background(), email) }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.AddUser(sampleUser())
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: tt.op, Status: http.StatusServiceUnavailable, Times: 2})
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(tt.op); n != 3 {
				t.Errorf("%s requests = %d, want 3", tt.op, n)
			}
		})
	}
}

// TestPatchIsRetriedAfterItWasApplied: a PATCH whose answer is lost is
// resent (it is idempotent) and succeeds.
func TestPatchIsRetriedAfterItWasApplied(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "updateUser"})
	got, err := c.UpdateUser(context.Background(), sampleUser().ID, bss.UpdateUserInput{Name: ptr("New")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "New" || srv.Count("updateUser") != 2 {
		t.Errorf("name %q after %d requests, want New after 2", got.Name, srv.Count("updateUser"))
	}
}

// TestCreateIsNotResentOnUnknownOutcome: a create whose connection drops
// after the fake stored it is not resent.
func TestCreateIsNotResentOnUnknownOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		op     string
		fault  usermgmttest.Fault
		create func(c *bss.Client) error
	}{
		{"dropped after the write", "createUser", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"}, func(c *bss.Client) error {
			_, err := c.CreateUser(context.Background(), bss.CreateUserInput{Email: "a@example.com"})
			return err
		}},
		{"500 after the write", "createUser", usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "createUser", Status: http.StatusInternalServerError}, func(c *bss.Client) error {
			_, err := c.CreateUser(context.Background(), bss.CreateUserInput{Email: "a@example.com"})
			return err
		}},
		{"legacy dropped after the write", "createLegacyUser", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createLegacyUser"}, func(c *bss.Client) error {
			_, err := c.Legacy().CreateUser(context.Background(), bss.LegacyUser{Email: "a@example.com"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.Inject(tt.fault)
			err := tt.create(c)
			if !errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			var oe *usermgmt.OutcomeUnknownError
			if !errors.As(err, &oe) || oe.Operation != tt.op || oe.Provider != "bss" {
				t.Errorf("err = %#v, want an OutcomeUnknownError for %s", err, tt.op)
			}
			if n := srv.Count(tt.op); n != 1 {
				t.Errorf("%s requests = %d, want 1 (never resent)", tt.op, n)
			}
			if n := len(srv.Users()); n != 1 {
				t.Errorf("fake holds %d users, want exactly 1", n)
			}
		})
	}
}

// TestCreateIsResentWhenRefused: a 429 proves the server did not take the
// create, so it is resent.
func TestCreateIsResentWhenRefused(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	if _, err := c.CreateUser(context.Background(), bss.CreateUserInput{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n, u := srv.Count("createUser"), len(srv.Users()); n != 2 || u != 1 {
		t.Errorf("requests %d, users %d; want 2 and 1", n, u)
	}
}
