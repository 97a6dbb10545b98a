package dbsynctest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
)

// post sends body to the fake's op and returns the status and decoded body.
func post(t *testing.T, srv *dbsynctest.Server, op, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+"/"+op, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, got
}

func failure(msg string) map[string]any {
	return map[string]any{"value": []any{map[string]any{"errorMessage": []any{msg}}}}
}

func TestFakeAnswersInTheAPIsStyle(t *testing.T) {
	t.Parallel()
	creds := `"partnerAppKey":"` + dbsynctest.PartnerAppKey + `","partnerAppToken":"` + dbsynctest.PartnerAppToken + `"`
	tests := []struct {
		name, op, ct, body string
		status             int
		want               map[string]any
	}{
		{name: "register", op: "registerUser", ct: "application/json",
			body:   `{` + creds + `,"endUserCompany":"Acme Corp","endUserName":"jdoe"}`,
			status: 200, want: map[string]any{"value": []any{map[string]any{"companyId": "9877", "userId": "5773", "userName": "jdoe", "errorMessage": []any{}}}}},
		{name: "wrong token", op: "licenseDetails", ct: "application/json",
			body:   `{"partnerAppKey":"` + dbsynctest.PartnerAppKey + `","partnerAppToken":"nope"}`,
			status: 200, want: failure("Invalid partnerAppKey or partnerAppToken")},
		{name: "empty user name", op: "authenticateUser", ct: "application/json",
			body:   `{` + creds + `,"endUserCompany":"Acme Corp","endUserName":""}`,
			status: 200, want: map[string]any{"value": []any{map[string]any{"errorMessage": []any{"endUserName is required"}}}}},
		{name: "missing credential field (spec)", op: "unregisterUser", ct: "application/json",
			body: `{"partnerAppKey":"k","endUserCompany":"Acme Corp","endUserName":"jdoe"}`, status: 400},
		{name: "missing endUserName (spec)", op: "registerUser", ct: "application/json",
			body: `{` + creds + `,"endUserCompany":"Acme Corp"}`, status: 400},
		{name: "not JSON (spec)", op: "registerUser", ct: "text/plain", body: `hello`, status: 400},
		{name: "unknown path", op: "deleteUser", ct: "application/json", body: `{}`, status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := dbsynctest.NewServer()
			t.Cleanup(srv.Close)
			status, got := post(t, srv, tt.op, tt.ct, tt.body)
			if status != tt.status {
				t.Errorf("status = %d, want %d (%v)", status, tt.status, got)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			} else if v, _ := got["value"].([]any); len(v) != 1 {
				t.Errorf("error body %v is not in the API's wrapper", got)
			}
		})
	}
}

func TestFakeWithCredentials(t *testing.T) {
	t.Parallel()
	srv := dbsynctest.NewServer(dbsynctest.WithCredentials("my-key", "my-token"))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	if cfg.PartnerAppKey.Reveal() != "my-key" || cfg.PartnerAppToken.Reveal() != "my-token" || cfg.BaseURL != srv.URL {
		t.Errorf("Config = %+v", cfg)
	}
	b, _ := json.Marshal(map[string]string{"partnerAppKey": "my-key", "partnerAppToken": "my-token"})
	resp, err := srv.Client().Post(srv.URL+"/licenseDetails", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || srv.Count("licenseDetails") != 1 {
		t.Errorf("status %d, journal %d", resp.StatusCode, srv.Count("licenseDetails"))
	}
}

func TestFakeAddUserIsIdempotent(t *testing.T) {
	t.Parallel()
	srv := dbsynctest.NewServer()
	t.Cleanup(srv.Close)
	a := srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"})
	b := srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"})
	c := srv.AddUser(dbsync.License{CompanyName: "Globex", UserName: "jdoe"})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("second AddUser differs:\n%s", diff)
	}
	if c.CompanyID == a.CompanyID || c.UserID == a.UserID {
		t.Errorf("users of two companies share ids: %+v %+v", a, c)
	}
	if n, r := len(srv.Users()), srv.Registrations(); n != 2 || r != 2 {
		t.Errorf("users, registrations = %d, %d; want 2, 2", n, r)
	}
}
