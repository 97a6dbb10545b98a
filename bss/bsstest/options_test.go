package bsstest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
)

// listed returns how many users the user index answers for query.
func listed(t *testing.T, srv *bsstest.Server, query string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/user/management/v4/users"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Apikey "+srv.Config().APIKey.Reveal())
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var users []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&users); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET users%s: status %d, %v", query, resp.StatusCode, err)
	}
	return len(users)
}

func TestWithPageSizeAppliesWhenTheClientSendsNoLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		opts  []bsstest.Option
		query string
		want  int
	}{
		{"no page size", nil, "", 5},
		{"page size", []bsstest.Option{bsstest.WithPageSize(2)}, "", 2},
		{"page size from offset", []bsstest.Option{bsstest.WithPageSize(2)}, "?offset=4", 1},
		{"the client's limit wins", []bsstest.Option{bsstest.WithPageSize(2)}, "?limit=3", 3},
		{"an ignored limit", []bsstest.Option{bsstest.WithPageSize(2), bsstest.WithLimitIgnored()}, "?limit=3", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := bsstest.NewServer(tc.opts...)
			t.Cleanup(srv.Close)
			for range 5 {
				srv.AddUser(bss.User{})
			}
			if got := listed(t, srv, tc.query); got != tc.want {
				t.Errorf("listed %d users, want %d", got, tc.want)
			}
		})
	}
}

func TestWithCredentialsSetsTheAPIKey(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer(bsstest.WithCredentials("another-key"))
	t.Cleanup(srv.Close)
	if got := srv.Config().APIKey.Reveal(); got != "another-key" {
		t.Fatalf("Config().APIKey = %q", got)
	}
	if code, _ := send(t, srv, http.MethodGet, "/api/user/management/v4/users", "Apikey "+bsstest.APIKey, ""); code != http.StatusUnauthorized {
		t.Errorf("the default key got %d, want 401", code)
	}
	if listed(t, srv, "") != 0 {
		t.Error("a fresh fake lists users")
	}
}

func TestWithClockStampsRegistrations(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	srv := bsstest.NewServer(bsstest.WithClock(func() time.Time { return at }))
	t.Cleanup(srv.Close)
	u := srv.AddUser(bss.User{})
	code, _ := send(t, srv, http.MethodPatch, "/api/user/management/v4/users/"+u.ID, "Apikey "+bsstest.APIKey,
		`{"registration_information":{"registration_state":"REGISTERED"}}`)
	if code != http.StatusOK {
		t.Fatalf("PATCH: status %d", code)
	}
	got, _ := srv.User(u.ID)
	if ri := got.RegistrationInformation; ri.State != "REGISTERED" || !ri.Time.Equal(at) {
		t.Errorf("registration information = %+v, want registered at %v", ri, at)
	}
}
