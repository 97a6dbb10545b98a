package genericusrtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
)

// send makes a raw request to the fake with its credentials (unless
// noAuth) and returns the status and decoded body.
func send(t *testing.T, srv *genericusrtest.Server, method, path, contentType, body string, noAuth bool) (int, http.Header, any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if !noAuth {
		req.SetBasicAuth(genericusrtest.Username, genericusrtest.Password)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, v
}

// TestSeedRequestsAreAccepted sends the seed's request bodies verbatim, as
// text/javascript (as the seed does) and as application/json: the spec and
// the fake take integers both as numbers and as numeric strings.
func TestSeedRequestsAreAccepted(t *testing.T) {
	t.Parallel()
	const add = `{ "contactName":"John Doe", "emailAddress":"jhn.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test" }`
	const modify = `{ "contactName":"John Doe modified", "emailAddress":"john.doe@example.com", "defaultAccountId":1, "username":"test", "password":"test", "active":"0" }`
	for _, ct := range []string{"text/javascript", "application/json", "text/javascript; charset=utf-8"} {
		for _, method := range []string{http.MethodPost, http.MethodPut} {
			t.Run(ct+" "+method, func(t *testing.T) {
				t.Parallel()
				srv := genericusrtest.NewServer()
				t.Cleanup(srv.Close)
				status, _, got := send(t, srv, method, "/usr/new", ct, add, false)
				if status != 200 {
					t.Fatalf("addUser answered %d: %v", status, got)
				}
				status, _, got = send(t, srv, method, "/usr/1", ct, modify, false)
				if status != 200 {
					t.Fatalf("modifyUser answered %d: %v", status, got)
				}
				want := map[string]any{"userId": "1", "contactName": "John Doe modified", "emailAddress": "john.doe@example.com",
					"username": "test", "defaultAccountId": "1", "active": "0", "password": nil}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("modifyUser answer (-want +got):\n%s", diff)
				}
				if pw, _ := srv.Password(1); pw != "test" {
					t.Errorf("stored password = %q", pw)
				}
			})
		}
	}
}

func TestRequestsAreValidatedAgainstTheSpec(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, path, ct, body string
		noAuth                       bool
		want                         int
	}{
		{"missing username", http.MethodPost, "/usr/new", "text/javascript", `{"contactName":"J","emailAddress":"j@example.com","defaultAccountId":1,"password":"p"}`, false, 400},
		{"missing password", http.MethodPost, "/usr/new", "text/javascript", `{"contactName":"J","emailAddress":"j@example.com","defaultAccountId":1,"username":"j"}`, false, 400},
		{"account not numeric", http.MethodPost, "/usr/new", "text/javascript", `{"contactName":"J","emailAddress":"j@example.com","defaultAccountId":"one","username":"j","password":"p"}`, false, 400},
		{"not JSON", http.MethodPost, "/usr/1", "text/javascript", `contactName=J`, false, 400},
		{"unknown media type", http.MethodPost, "/usr/1", "text/plain", `{"contactName":"J"}`, false, 400},
		{"id not an integer", http.MethodGet, "/usr/abc", "", "", false, 400},
		{"no credentials", http.MethodGet, "/usr/1", "", "", true, 401},
		{"no such path", http.MethodGet, "/pub/usr/acc/1", "", "", false, 404},
		{"method not allowed", http.MethodPatch, "/usr/1", "", "", false, 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := genericusrtest.NewServer()
			t.Cleanup(srv.Close)
			srv.AddUser(genericusr.User{ID: 1, Username: "x"})
			status, header, got := send(t, srv, tc.method, tc.path, tc.ct, tc.body, tc.noAuth)
			if status != tc.want {
				t.Errorf("status = %d, want %d (%v)", status, tc.want, got)
			}
			e, _ := got.(map[string]any)["error"].(map[string]any)
			if e["type"] != "Exception" || e["message"] == "" {
				t.Errorf("answer %v is not the vendor's error object", got)
			}
			if tc.want == 401 && !strings.HasPrefix(header.Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("401 without a Basic challenge: %v", header)
			}
		})
	}
}

func TestWrongPasswordIsRefused(t *testing.T) {
	t.Parallel()
	srv := genericusrtest.NewServer(genericusrtest.WithCredentials("alice", "s3cret"))
	t.Cleanup(srv.Close)
	if status, _, _ := send(t, srv, http.MethodGet, "/usr/acc/1", "", "", false); status != 401 {
		t.Errorf("default credentials: status = %d, want 401", status)
	}
	cfg := srv.Config()
	if cfg.Username != "alice" || cfg.Password.Reveal() != "s3cret" || cfg.BaseURL != srv.URL {
		t.Errorf("Config() = %+v does not point at the fake with its credentials", cfg)
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	srv := genericusrtest.NewServer(genericusrtest.WithAccounts(5, 3))
	t.Cleanup(srv.Close)
	srv.AddAccount(9)
	a := srv.AddUser(genericusr.User{Username: "a"})
	b := srv.AddUser(genericusr.User{ID: 40, Username: "b", DefaultAccountID: 12, Active: true})
	c := srv.AddUser(genericusr.User{Username: "c"})
	if !srv.SetPassword(40, "pb") || srv.SetPassword(99, "px") {
		t.Error("SetPassword reported a missing user, or found one that is not there")
	}
	if diff := cmp.Diff([]int64{1, 3, 5, 9, 12}, srv.Accounts()); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	want := []genericusr.User{
		{ID: 1, Username: "a", DefaultAccountID: 1},
		{ID: 2, Username: "c", DefaultAccountID: 1},
		{ID: 40, Username: "b", DefaultAccountID: 12, Active: true},
	}
	if diff := cmp.Diff(want, srv.Users()); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	if a.ID != 1 || b.ID != 40 || c.ID != 2 {
		t.Errorf("AddUser returned ids %d, %d, %d", a.ID, b.ID, c.ID)
	}
	if pw, ok := srv.Password(1); !ok || pw != "" {
		t.Errorf("Password(1) = %q, %t; want no password for a seeded user", pw, ok)
	}
	if pw, ok := srv.Password(40); !ok || pw != "pb" {
		t.Errorf("Password(40) = %q, %t", pw, ok)
	}
	if _, ok := srv.Password(99); ok {
		t.Error("Password of a missing user reported ok")
	}
}
