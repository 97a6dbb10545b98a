package genericusrtest_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
)

// TestUsernameIndexFollowsEveryChange walks a username through create,
// modify, delete and a new create: a username a user gave up is free at
// once, the one it took conflicts in any case, and AddUser over a stored id
// frees the username it replaces.
func TestUsernameIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	srv := genericusrtest.NewServer()
	t.Cleanup(srv.Close)
	const taken = "Username already exists"
	step := func(method, path, body string, wantStatus int, wantMessage string) map[string]any {
		t.Helper()
		status, _, got := send(t, srv, method, path, "application/json", body, false)
		m, _ := got.(map[string]any)
		if status != wantStatus {
			t.Fatalf("%s %s %s: %d %v, want %d", method, path, body, status, got, wantStatus)
		}
		if wantMessage != "" {
			if e, _ := m["error"].(map[string]any); e["message"] != wantMessage || e["type"] != "Exception" {
				t.Fatalf("%s %s %s: %v, want the error %q", method, path, body, got, wantMessage)
			}
		}
		return m
	}
	add := func(username string) string {
		return fmt.Sprintf(`{"contactName":"N","emailAddress":"n@example.com","defaultAccountId":1,"username":%q,"password":"p"}`, username)
	}

	a := step("POST", "/usr/new", add("old"), 200, "")["userId"]
	step("POST", fmt.Sprintf("/usr/%v", a), `{"username":"New"}`, 200, "")
	step("POST", "/usr/new", add("NEW"), 409, taken)
	step("POST", fmt.Sprintf("/usr/%v", a), `{"username":"nEw"}`, 200, "") // its own username, in another case
	b := step("PUT", "/usr/new", add("Old"), 200, "")["userId"]
	step("PUT", fmt.Sprintf("/usr/%v", b), `{"username":"new"}`, 409, taken)
	step("POST", "/usr/new", add("OLD"), 409, taken)

	step("DELETE", fmt.Sprintf("/usr/%v", a), "", 200, "")
	step("POST", fmt.Sprintf("/usr/%v", b), `{"username":"NEW"}`, 200, "") // b takes the freed username
	step("POST", "/usr/new", add("old"), 200, "")                          // and frees its own
	step("POST", "/usr/new", add("new"), 409, taken)

	// AddUser over b's id replaces b, username and all.
	bID, err := strconv.ParseInt(b.(string), 10, 64) // the vendor's ids are strings of digits
	if err != nil {
		t.Fatal(err)
	}
	srv.AddUser(genericusr.User{ID: bID, Username: "seeded"})
	step("POST", "/usr/new", add("new"), 200, "")
	step("POST", "/usr/new", add("Seeded"), 409, taken)
}

// TestUsernameIndexWithSeededTwins: AddUser stores two users with one
// username; each of them is then taken for the other, and deleting one
// leaves the other holding it.
func TestUsernameIndexWithSeededTwins(t *testing.T) {
	t.Parallel()
	srv := genericusrtest.NewServer()
	t.Cleanup(srv.Close)
	one := srv.AddUser(genericusr.User{Username: "twin"})
	two := srv.AddUser(genericusr.User{Username: "TWIN"})
	modify := func(id int64, username string) int {
		status, _, _ := send(t, srv, http.MethodPost, fmt.Sprintf("/usr/%d", id), "application/json", fmt.Sprintf(`{"username":%q}`, username), false)
		return status
	}
	if got := modify(one.ID, "Twin"); got != 409 {
		t.Errorf("renaming one twin to the shared username: %d, want 409 (the other holds it)", got)
	}
	if status, _, _ := send(t, srv, http.MethodDelete, fmt.Sprintf("/usr/%d", two.ID), "", "", false); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	if got := modify(one.ID, "Twin"); got != 200 {
		t.Errorf("renaming the remaining twin: %d, want 200", got)
	}
}
