package vendorusers_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	auth := vendorusers.AuthenticatorFunc(func(*http.Request) error { return nil })
	tests := map[string]vendorusers.Config{
		"no credentials":       {},
		"token and auth":       {Token: "t", Auth: auth},
		"insecure base URL":    {BaseURL: "http://station.guardant.ru", Token: "t"},
		"credentials in URL":   {BaseURL: "https://u:p@station.guardant.ru", Token: "t"},
		"query in URL":         {BaseURL: "https://station.guardant.ru?x=1", Token: "t"},
		"unparseable base URL": {BaseURL: "://", Token: "t"},
		"token with a newline": {Token: "t\r\nX-Evil: 1"},
		"token with spaces":    {Token: " t "},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := vendorusers.New(cfg); !errors.Is(err, usermgmt.ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	for name, cfg := range map[string]vendorusers.Config{"token": {Token: "t"}, "auth": {Auth: auth}} {
		if _, err := vendorusers.New(cfg); err != nil {
			t.Errorf("%s with the default base URL: %v", name, err)
		}
	}
	if _, err := vendorusers.New(vendorusers.Config{Token: "t"}, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: -1})); err == nil {
		t.Error("a negative MaxAttempts was accepted")
	}
}

func TestCustomAuthenticator(t *testing.T) {
	t.Parallel()
	srv := vendoruserstest.NewServer(vendoruserstest.WithCredentials("session-token"))
	t.Cleanup(srv.Close)
	calls := 0
	c, err := vendorusers.New(vendorusers.Config{BaseURL: srv.URL, Auth: vendorusers.AuthenticatorFunc(func(r *http.Request) error {
		calls++
		r.Header.Set("Authorization", "Bearer session-token")
		r.Header.Set("X-Session", "s1")
		return nil
	})}, fastRetries())
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 503})
	if _, err := c.ListRoles(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "getRoles")
	if len(reqs) != 2 {
		t.Fatalf("getRoles requests = %d, want 2 (a 503, then success)", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("X-Session") != "s1" || r.Header.Get("Authorization") != "Bearer session-token" {
			t.Errorf("headers = %v", r.Header)
		}
	}
	if calls != 1 {
		t.Errorf("Authenticate was called %d times for one logical call, want 1", calls)
	}

	// An Authenticator error stops the call before anything is sent.
	boom := errors.New("no session")
	failing, err := vendorusers.New(vendorusers.Config{BaseURL: srv.URL, Auth: vendorusers.AuthenticatorFunc(func(*http.Request) error { return boom })})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetJournal()
	if _, err := failing.ListRoles(context.Background()); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the Authenticator's error", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent after the Authenticator failed", n)
	}
}

func TestReadsAndUpdatesAreRetried(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(vendorusers.User{Email: "a@example.com", Active: true})
	ctx := context.Background()
	tests := []struct {
		op   string
		call func() error
	}{
		{"getRoles", func() error { _, err := c.ListRoles(ctx); return err }},
		{"getUsers", func() error { _, err := c.ListUsersPage(ctx, 0, 10, nil); return err }},
		{"updateUser", func() error { _, err := c.SetActive(ctx, u.ID, false); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: tt.op, Status: 503, Times: 2})
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			var statuses []int
			for _, r := range only(srv, tt.op) {
				statuses = append(statuses, r.Status)
			}
			if diff := gocmp.Diff([]int{503, 503, 200}, statuses); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
	// An update whose connection drops after the change is resent: PUT is
	// idempotent.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "updateUser"})
	got, err := c.SetActive(ctx, u.ID, true)
	if err != nil || !got.Active {
		t.Fatalf("SetActive after a drop: %+v, %v", got, err)
	}
}

func TestCreateIsNotResentWhenItsOutcomeIsUnknown(t *testing.T) {
	t.Parallel()
	in := vendorusers.CreateUserInput{Username: "drop@example.com", RoleID: 5, Password: "pw"}
	tests := []struct {
		name      string
		fault     usermgmttest.Fault
		wantUsers int
	}{
		{"dropped after the store", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"}, 1},
		{"503", usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: 503}, 0},
		{"500 after the store", usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "createUser", Status: 500}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.Inject(tt.fault)
			_, err := c.CreateUser(context.Background(), in)
			if !errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			if n := srv.Count("createUser"); n != 1 {
				t.Errorf("createUser requests = %d, want 1 (never resent)", n)
			}
			if n := len(srv.Users()); n != tt.wantUsers {
				t.Errorf("the fake holds %d users, want %d", n, tt.wantUsers)
			}
		})
	}
}

func TestCreateRefusedWith429IsResent(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: 429})
	if _, err := c.CreateUser(context.Background(), vendorusers.CreateUserInput{Username: "a@example.com", RoleID: 5, Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if n, users := srv.Count("createUser"), len(srv.Users()); n != 2 || users != 1 {
		t.Errorf("%d requests and %d users, want 2 and 1", n, users)
	}
}
