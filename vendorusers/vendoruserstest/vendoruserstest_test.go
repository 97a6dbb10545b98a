package vendoruserstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// send makes a raw request, with the fake's token unless token is "-".
func send(t *testing.T, srv *vendoruserstest.Server, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "-" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: body %q: %v", method, path, b, err)
	}
	return resp.StatusCode, m
}

func TestTheFakeValidatesRequestsAgainstTheSpec(t *testing.T) {
	t.Parallel()
	srv := vendoruserstest.NewServer()
	t.Cleanup(srv.Close)
	u := srv.AddUser(vendorusers.User{Email: "a@example.com"})
	tok := vendoruserstest.Token
	create := `{"username":"b@example.com","roleId":5,"password":"p","passwordConfirm":"p"}`
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            float64
	}{
		{"valid list", "GET", "/v1.0/users?limit=100&offset=0&sortby=name&direction=asc&archived=false", tok, "", 200, 0},
		{"limit 101", "GET", "/v1.0/users?limit=101", tok, "", 400, 1400},
		{"limit 0", "GET", "/v1.0/users?limit=0", tok, "", 400, 1400},
		{"negative offset", "GET", "/v1.0/users?offset=-1", tok, "", 400, 1400},
		{"unknown sort field", "GET", "/v1.0/users?sortby=email", tok, "", 400, 1400},
		{"bad direction", "GET", "/v1.0/users?direction=up", tok, "", 400, 1400},
		{"no token", "GET", "/v1.0/users/roles", "-", "", 401, 1401},
		{"wrong token", "GET", "/v1.0/users/roles", "nope", "", 401, 1401},
		{"missing passwordConfirm", "POST", "/v1.0/users", tok, `{"username":"b@example.com","roleId":5,"password":"p"}`, 400, 1400},
		{"passwords differ", "POST", "/v1.0/users", tok, `{"username":"b@example.com","roleId":5,"password":"p","passwordConfirm":"q"}`, 400, 1400},
		{"empty username", "POST", "/v1.0/users", tok, `{"username":"","roleId":5,"password":"p","passwordConfirm":"p"}`, 400, 1400},
		{"unknown role", "POST", "/v1.0/users", tok, `{"username":"b@example.com","roleId":9,"password":"p","passwordConfirm":"p"}`, 400, 1400},
		{"valid create", "POST", "/v1.0/users", tok, create, 200, 0},
		{"taken username", "POST", "/v1.0/users", tok, create, 409, 1409},
		{"userIsActive as a boolean", "PUT", "/v1.0/users/10026", tok, `{"userIsActive":false}`, 400, 1400},
		{"userIsActive yes", "PUT", "/v1.0/users/10026", tok, `{"userIsActive":"yes"}`, 400, 1400},
		{"non-numeric id", "PUT", "/v1.0/users/abc", tok, `{"archived":true}`, 400, 1400},
		{"unknown id", "PUT", "/v1.0/users/1", tok, `{"archived":true}`, 404, 1404},
		{"no such operation", "DELETE", "/v1.0/users/10026", tok, "", 405, 1405},
	}
	for _, tt := range tests {
		status, body := send(t, srv, tt.method, tt.path, tt.token, tt.body)
		if status != tt.status || (tt.code != 0 && (body["code"] != tt.code || body["message"] == "")) {
			t.Errorf("%s: %d %v, want %d with code %v", tt.name, status, body, tt.status, tt.code)
		}
	}
	if n := len(srv.Users()); n != 2 {
		t.Errorf("users = %d, want 2", n)
	}
	if got, _ := srv.User(u.ID); got.Details.Archived {
		t.Error("a refused update changed the user")
	}
}

func TestTheFakeListsTheDocumentedRoles(t *testing.T) {
	t.Parallel()
	srv := vendoruserstest.NewServer()
	t.Cleanup(srv.Close)
	status, body := send(t, srv, "GET", "/v1.0/users/roles", vendoruserstest.Token, "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	var names []string
	for _, r := range body["roles"].([]any) {
		names = append(names, r.(map[string]any)["nameeng"].(string))
	}
	if diff := cmp.Diff([]string{"Supervisor", "Product manager", "Sales manager", "Developer"}, names); diff != "" {
		t.Errorf("listed roles (-want +got):\n%s", diff)
	}
	if n := len(srv.Roles()); n != 5 || srv.Roles()[0].Name != "Administrator" {
		t.Errorf("known roles = %+v, want Administrator and the four listed", srv.Roles())
	}
}

func TestAddUserKeepsIDsAndDeepCopies(t *testing.T) {
	t.Parallel()
	srv := vendoruserstest.NewServer()
	t.Cleanup(srv.Close)
	u := srv.AddUser(vendorusers.User{ID: 10026, Email: "a@example.com", Details: vendorusers.Details{Role: vendorusers.Role{ID: vendoruserstest.RoleAdministrator}}})
	if u.ID != 10026 || u.Details.ID != 10027 || u.Details.Role.Name != "Administrator" || u.Details.Role.ReadVendorBalance != nil {
		t.Errorf("stored %+v", u)
	}
	next := srv.AddUser(vendorusers.User{Email: "b@example.com"})
	if next.ID != 10028 || next.Details.Role.Name != "Developer" {
		t.Errorf("next user %+v, want id 10028 with the Developer role", next)
	}
	got := srv.Users()
	got[0].Email = "changed"
	if again, _ := srv.User(10026); again.Email != "a@example.com" {
		t.Error("Users() shares memory with the store")
	}
}
