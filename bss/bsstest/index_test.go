package bsstest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
)

// idsWithEmail lists the ids the user index answers for ?email=.
func idsWithEmail(t *testing.T, srv *bsstest.Server, email string) []string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/user/management/v4/users?email="+url.QueryEscape(email), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Apikey "+bsstest.APIKey)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var users []struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&users); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET ?email=%s: %d, %v", email, resp.StatusCode, err)
	}
	ids := []string{}
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	return ids
}

// TestEmailIndexFollowsEveryChange walks a user's email through create,
// update, delete and a new create, through V4 and the legacy endpoints:
// an email a user gave up is free at once, the one it took conflicts in
// any case, and look-ups by email find the user that holds it.
func TestEmailIndexFollowsEveryChange(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	const v4, legacy = "/api/user/management/v4/users", "/api/management/user"
	key := "Apikey " + bsstest.APIKey
	step := func(method, path, body string, wantStatus int, wantMessage string) map[string]any {
		t.Helper()
		status, got := send(t, srv, method, path, key, body)
		if status != wantStatus {
			t.Fatalf("%s %s %s: %d %v, want %d", method, path, body, status, got, wantStatus)
		}
		if wantMessage != "" && (got["code"] != "USER_ALREADY_EXISTS" || got["message"] != wantMessage) {
			t.Fatalf("%s %s %s: %v, want USER_ALREADY_EXISTS %q", method, path, body, got, wantMessage)
		}
		return got
	}
	lookup := func(email string, want ...string) {
		t.Helper()
		if got := idsWithEmail(t, srv, email); !slices.Equal(got, append([]string{}, want...)) {
			t.Fatalf("?email=%s found %v, want %v", email, got, want)
		}
	}

	a := step("POST", v4, `{"contact_details":{"email":"old@example.com"}}`, 201, "")["id"].(string)
	step("PATCH", v4+"/"+a, `{"contact_details":{"email":"New@Example.com"}}`, 200, "")
	step("POST", v4, `{"contact_details":{"email":"NEW@example.COM"}}`, 409, "A user with email NEW@example.COM already exists")
	lookup("new@example.com", a)
	lookup("old@example.com")

	b := step("POST", v4, `{"contact_details":{"email":"Old@example.com"}}`, 201, "")["id"].(string)
	step("PATCH", v4+"/"+b, `{"contact_details":{"email":"new@example.com"}}`, 409, "A user with email new@example.com already exists")
	step("PUT", legacy+"/OLD@example.com", `{"email":"nEw@example.com"}`, 409, "A user with email nEw@example.com already exists")
	lookup("OLD@EXAMPLE.COM", b)

	step("DELETE", v4+"/"+a, "", 204, "")
	lookup("new@example.com")
	step("PUT", legacy+"/new@example.com", `{"name":"x"}`, 404, "")
	step("PUT", legacy+"/old@example.com", `{"email":"new@example.com"}`, 200, "") // b takes the freed email
	lookup("new@example.com", b)
	lookup("old@example.com")
	step("POST", legacy, `{"email":"NEW@EXAMPLE.COM"}`, 409, "A user with email NEW@EXAMPLE.COM already exists")

	c := step("POST", legacy, `{"email":"old@example.com"}`, 201, "")
	lookup("old@example.com", srv.Users()[1].ID)
	if c["email"] != "old@example.com" {
		t.Fatalf("legacy create answered %v", c)
	}
	step("DELETE", legacy+"/New@Example.com", "", 204, "")
	step("DELETE", legacy+"/new@example.com", "", 404, "")
	step("POST", v4, `{"contact_details":{"email":"new@example.com"}}`, 201, "")
	step("POST", v4, `{"contact_details":{"email":"old@example.com"}}`, 409, "A user with email old@example.com already exists")
}

// TestEmailIndexWithSeededUsers: AddUser stores what it is given, two users
// with one email included; a look-up finds the first created, and AddUser
// over a stored id moves that user's email in the index.
func TestEmailIndexWithSeededUsers(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	key := "Apikey " + bsstest.APIKey
	first := srv.AddUser(bss.User{ContactDetails: bss.ContactDetails{Email: "twin@example.com"}})
	second := srv.AddUser(bss.User{ContactDetails: bss.ContactDetails{Email: "TWIN@example.com"}})
	if got := idsWithEmail(t, srv, "Twin@example.com"); !slices.Equal(got, []string{first.ID, second.ID}) {
		t.Fatalf("?email= found %v, want both in creation order", got)
	}
	// second is replaced under its id: it keeps its place in creation
	// order and leaves the twin email ...
	srv.AddUser(bss.User{ID: second.ID, ContactDetails: bss.ContactDetails{Email: "moved@example.com"}})
	if got := idsWithEmail(t, srv, "twin@example.com"); !slices.Equal(got, []string{first.ID}) {
		t.Fatalf("after moving the second: ?email= found %v, want [%s]", got, first.ID)
	}
	// ... and taking the email back puts it second again, as creation order says.
	srv.AddUser(bss.User{ID: second.ID, ContactDetails: bss.ContactDetails{Email: "twin@example.com"}})
	status, body := send(t, srv, http.MethodPut, "/api/management/user/twin@example.com", key, `{"name":"First"}`)
	if status != 200 || body["name"] != "First" {
		t.Fatalf("legacy update: %d %v", status, body)
	}
	if u, _ := srv.User(first.ID); u.Name != "First" {
		t.Errorf("the legacy update by email changed another user than the first created: %+v", srv.Users())
	}
	if got := idsWithEmail(t, srv, "twin@example.com"); !slices.Equal(got, []string{first.ID, second.ID}) {
		t.Errorf("?email= found %v, want both in creation order", got)
	}
	if got := idsWithEmail(t, srv, "moved@example.com"); len(got) != 0 {
		t.Errorf("?email= of the email given up found %v", got)
	}
}
