package vendoruserstest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// TestEmailIndexFollowsEveryChange: a create conflicts with a stored email
// in any case. The API changes no email and deletes nobody (it archives),
// so AddUser over a stored id is the one way an email is given up: the old
// one is free at once, the new one taken.
func TestEmailIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	srv := vendoruserstest.NewServer()
	t.Cleanup(srv.Close)
	create := func(username string, wantStatus int) map[string]any {
		t.Helper()
		body := fmt.Sprintf(`{"username":%q,"roleId":5,"password":"p","passwordConfirm":"p"}`, username)
		status, got := send(t, srv, http.MethodPost, "/v1.0/users", vendoruserstest.Token, body)
		if status != wantStatus {
			t.Fatalf("create %s: %d %v, want %d", username, status, got, wantStatus)
		}
		if status == 409 && (got["code"] != float64(1409) || got["message"] != "a user with this username already exists") {
			t.Fatalf("create %s: error %v", username, got)
		}
		return got
	}
	u := create("old@example.com", 200)["user"].(map[string]any)
	create("OLD@Example.com", 409)

	id := int64(u["_id"].(float64))
	srv.AddUser(vendorusers.User{ID: id, Email: "New@example.com"})
	create("new@EXAMPLE.com", 409)
	create("Old@example.com", 200)
	create("old@example.com", 409)

	// Archiving keeps the user, and its email taken.
	if status, got := send(t, srv, http.MethodPut, fmt.Sprintf("/v1.0/users/%d", id), vendoruserstest.Token, `{"archived":true}`); status != 200 {
		t.Fatalf("archive: %d %v", status, got)
	}
	create("NEW@example.com", 409)
}
