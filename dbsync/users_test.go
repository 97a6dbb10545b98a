package dbsync_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

var jdoe = dbsync.EndUser{Company: "Acme Corp", UserName: "jdoe@acme.example"}

func TestRegisterUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	in := jdoe
	got, err := c.RegisterUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if in != jdoe {
		t.Errorf("RegisterUser modified its input: %+v", in)
	}
	checkWire(t, srv, "registerUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe@acme.example"}))
	want := &dbsync.User{CompanyID: "9877", UserID: "5773", UserName: "jdoe@acme.example", ErrorMessage: []string{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	users := srv.Users()
	if len(users) != 1 || users[0].CompanyName != "Acme Corp" || users[0].UserName != "jdoe@acme.example" {
		t.Errorf("fake holds %+v, want jdoe of Acme Corp", users)
	}
}

func TestUnregisterUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe@acme.example"})
	srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "asmith@acme.example"})
	if err := c.UnregisterUser(context.Background(), jdoe); err != nil {
		t.Fatal(err)
	}
	checkWire(t, srv, "unregisterUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe@acme.example"}))
	if users := srv.Users(); len(users) != 1 || users[0].UserName != "asmith@acme.example" {
		t.Errorf("fake holds %+v, want only asmith", users)
	}
	if n := srv.Registrations(); n != 2 {
		t.Errorf("Registrations = %d, want 2 (unregistering does not give the quota back)", n)
	}
}

func TestAuthenticateUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	seeded := srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe@acme.example"})
	got, err := c.AuthenticateUser(context.Background(), jdoe)
	if err != nil {
		t.Fatal(err)
	}
	checkWire(t, srv, "authenticateUser", body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "jdoe@acme.example"}))
	want := &dbsync.License{
		CompanyID: "9877", CompanyName: "Acme Corp", UserID: "5773", UserName: "jdoe@acme.example",
		LicenseStatus: "Active", LicenseType: "Partner", ExpiryDate: seeded.ExpiryDate, ErrorMessage: []string{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if got.ExpiryDate == "" {
		t.Error("ExpiryDate is empty")
	}
}

// TestErrorMessages checks that a 200 carrying errorMessage is an
// *usermgmt.APIError with the message, of the right kind.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fake    []dbsynctest.Option
		badKey  bool
		seed    bool
		call    func(context.Context, *dbsync.Client) error
		kind    error
		message string
	}{
		{name: "register existing", seed: true,
			call: func(ctx context.Context, c *dbsync.Client) error { _, err := c.RegisterUser(ctx, jdoe); return err },
			kind: usermgmt.ErrConflict, message: "User already exists"},
		{name: "register past quota", fake: []dbsynctest.Option{dbsynctest.WithQuota(1)}, seed: true,
			call: func(ctx context.Context, c *dbsync.Client) error {
				_, err := c.RegisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: "second"})
				return err
			},
			kind: dbsync.ErrQuotaExceeded, message: "License quota exceeded: 1 of 1 licensed users are registered"},
		{name: "unregister unknown",
			call: func(ctx context.Context, c *dbsync.Client) error { return c.UnregisterUser(ctx, jdoe) },
			kind: usermgmt.ErrNotFound, message: "User is not registered"},
		{name: "authenticate unknown",
			call: func(ctx context.Context, c *dbsync.Client) error { _, err := c.AuthenticateUser(ctx, jdoe); return err },
			kind: usermgmt.ErrNotFound, message: "User not found"},
		{name: "wrong credentials", badKey: true,
			call: func(ctx context.Context, c *dbsync.Client) error {
				_, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{})
				return err
			},
			kind: usermgmt.ErrUnauthorized, message: "Invalid partnerAppKey or partnerAppToken"},
		{name: "wrong credentials on register", badKey: true,
			call: func(ctx context.Context, c *dbsync.Client) error { _, err := c.RegisterUser(ctx, jdoe); return err },
			kind: usermgmt.ErrUnauthorized, message: "Invalid partnerAppKey or partnerAppToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := dbsynctest.NewServer(tt.fake...)
			t.Cleanup(srv.Close)
			if tt.seed {
				srv.AddUser(dbsync.License{CompanyName: jdoe.Company, UserName: jdoe.UserName})
			}
			cfg := srv.Config()
			if tt.badKey {
				cfg.PartnerAppKey = "wrong-key"
			}
			c, err := dbsync.New(cfg, fastRetries())
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(context.Background(), c)
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v (%T), want *usermgmt.APIError", err, err)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %v does not match %v", err, tt.kind)
			}
			if diff := cmp.Diff([]string{tt.message}, apiErr.Messages); diff != "" {
				t.Errorf("Messages (-want +got):\n%s", diff)
			}
			if apiErr.Provider != "dbsync" || apiErr.Operation == "" {
				t.Errorf("Provider, Operation = %q, %q", apiErr.Provider, apiErr.Operation)
			}
			if want := ": " + tt.message; len(err.Error()) < len(want) || err.Error()[len(err.Error())-len(want):] != want {
				t.Errorf("Error() = %q, want it to end in %q", err.Error(), want)
			}
			if len(srv.Requests()) != 1 {
				t.Errorf("requests = %d, want 1: an error answer is not retried", len(srv.Requests()))
			}
		})
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, []dbsynctest.Option{dbsynctest.WithQuota(2)})
	ctx := context.Background()
	for i := range 2 {
		if _, err := c.RegisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: fmt.Sprint("user", i)}); err != nil {
			t.Fatal(err)
		}
	}
	third := dbsync.EndUser{Company: "Globex", UserName: "user2"}
	if _, err := c.RegisterUser(ctx, third); !errors.Is(err, dbsync.ErrQuotaExceeded) {
		t.Fatalf("third registration: %v, want ErrQuotaExceeded", err)
	}
	if err := c.UnregisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: "user0"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterUser(ctx, third); err != nil {
		t.Fatalf("registration after a seat was freed: %v", err)
	}
	if n, r := len(srv.Users()), srv.Registrations(); n != 2 || r != 3 {
		t.Errorf("users, registrations = %d, %d; want 2, 3", n, r)
	}
}

// TestValidation checks that bad arguments give ErrInvalidInput and send
// nothing.
func TestValidation(t *testing.T) {
	t.Parallel()
	bad := map[string]dbsync.EndUser{
		"empty company":    {UserName: "jdoe"},
		"blank company":    {Company: "  ", UserName: "jdoe"},
		"empty user name":  {Company: "Acme Corp"},
		"padded user name": {Company: "Acme Corp", UserName: " jdoe"},
		"control char":     {Company: "Acme\nCorp", UserName: "jdoe"},
	}
	for name, u := range bad {
		for op, call := range map[string]func(context.Context, *dbsync.Client) error{
			"register":     func(ctx context.Context, c *dbsync.Client) error { _, err := c.RegisterUser(ctx, u); return err },
			"unregister":   func(ctx context.Context, c *dbsync.Client) error { return c.UnregisterUser(ctx, u) },
			"authenticate": func(ctx context.Context, c *dbsync.Client) error { _, err := c.AuthenticateUser(ctx, u); return err },
		} {
			t.Run(op+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv, c := setup(t, nil)
				err := call(context.Background(), c)
				var inErr *usermgmt.InputError
				if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &inErr) {
					t.Fatalf("error = %v, want an *usermgmt.InputError", err)
				}
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("%d requests sent, want none", n)
				}
			})
		}
	}
	for name, f := range map[string]dbsync.LicenseFilter{
		"blank company":   {Company: " "},
		"padded username": {Company: "Acme Corp", UserName: "jdoe\t"},
	} {
		t.Run("licenseDetails/"+name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			if _, err := c.LicenseDetails(context.Background(), f); !errors.Is(err, usermgmt.ErrInvalidInput) {
				t.Fatalf("error = %v, want ErrInvalidInput", err)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

// TestNamesStayInBody checks that names with path characters travel in the
// JSON body, verbatim, and never change the path: DBSync has no path
// parameters.
func TestNamesStayInBody(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a/b", "..", "../licenseDetails", "x?y=1", "50%", "#frag"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			u := dbsync.EndUser{Company: "Acme/..?", UserName: name}
			got, err := c.RegisterUser(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			if got.UserName != name {
				t.Errorf("UserName = %q, want %q", got.UserName, name)
			}
			checkWire(t, srv, "registerUser", body(map[string]any{"endUserCompany": "Acme/..?", "endUserName": name}))
			if err := c.UnregisterUser(context.Background(), u); err != nil {
				t.Fatal(err)
			}
			checkWire(t, srv, "unregisterUser", body(map[string]any{"endUserCompany": "Acme/..?", "endUserName": name}))
		})
	}
}
