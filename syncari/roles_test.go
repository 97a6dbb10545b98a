package syncari_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/usermgmt-go/sdk/syncari"
)

func TestListRoles(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	roles, err := c.ListRoles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
		if r.ID == "" || !r.Active {
			t.Errorf("role %+v lacks an id or is inactive", r)
		}
	}
	if diff := cmp.Diff([]string{"Sync Manager", "Org Admin", "Instance Admin", "Viewer"}, names); diff != "" {
		t.Errorf("role names (-want +got):\n%s", diff)
	}
	r := only(srv, "getRoles")[0]
	if r.Method != http.MethodGet || r.Path != "/api/v1/roles" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
	checkCommonHeaders(t, r)
}

func TestSetUserRoles(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	roles := syncari.Roles{"YUBV99": {"Viewer"}}
	got, err := c.SetUserRoles(context.Background(), u.ID, roles)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(roles, got.Roles); diff != "" {
		t.Errorf("returned roles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(roles, srv.Users()[0].Roles); diff != "" {
		t.Errorf("stored roles (-want +got):\n%s", diff)
	}
	r := only(srv, "setUserRoles")[0]
	if r.Method != http.MethodPut || r.Path != "/api/v1/users/"+u.ID+"/roles" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
	checkCommonHeaders(t, r)
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"userRoles": map[string]any{"YUBV99": []any{"Viewer"}}}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	roles["YUBV99"][0] = "changed by the caller later"
	if srv.Users()[0].Roles["YUBV99"][0] != "Viewer" {
		t.Error("the client kept a reference to the caller's map")
	}
}

func TestRemoveUserRole(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	ctx := context.Background()
	roles, err := c.ListRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	viewer := roles[3]
	got, err := c.RemoveUserRole(ctx, u.ID, viewer.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := syncari.Roles{
		"YUBV99": {"Sync Manager", "Org Admin", "Instance Admin"},
		"RR0VPW": {"Sync Manager", "Org Admin", "Instance Admin", "Viewer"},
	}
	if diff := cmp.Diff(want, got.Roles, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("roles after removing Viewer in YUBV99 (-want +got):\n%s", diff)
	}
	r := only(srv, "removeUserRole")[0]
	if r.Method != http.MethodDelete || r.Path != "/api/v1/users/"+u.ID+"/roles/"+viewer.ID || len(r.Body) != 0 {
		t.Errorf("sent %s %s with %d body bytes", r.Method, r.Path, len(r.Body))
	}
	checkCommonHeaders(t, r)
}

func TestToken(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	tok, err := c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Type != "Bearer" || tok.AccessToken.IsZero() || tok.Expiry.IsZero() {
		t.Errorf("token = %+v", tok)
	}
	r := only(srv, "getToken")[0]
	if r.Method != http.MethodPost || r.Path != "/api/v1/oauth/token" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	form := string(r.Body)
	for _, want := range []string{"grant_type=client_credentials", "client_id=syncaritest-client-id", "client_secret=syncaritest-client-secret"} {
		if !contains(form, want) {
			t.Errorf("token request body %q lacks %q", form, want)
		}
	}
	// A second call reuses the cached token.
	again, err := c.Token(context.Background())
	if err != nil || again.AccessToken != tok.AccessToken || srv.Count("getToken") != 1 {
		t.Errorf("second Token call: %v, %d fetches", err, srv.Count("getToken"))
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestSetUserRolesToNone removes every role of the user in an instance:
// the empty list is sent as [], not as null, which the API refuses.
func TestSetUserRolesToNone(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	if _, err := c.SetUserRoles(context.Background(), u.ID, syncari.Roles{"YUBV99": {"Viewer"}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.SetUserRoles(context.Background(), u.ID, syncari.Roles{"YUBV99": {}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Roles["YUBV99"]) != 0 || len(srv.Users()[0].Roles["YUBV99"]) != 0 {
		t.Errorf("roles after removing them all: returned %v, stored %v", got.Roles, srv.Users()[0].Roles)
	}
	r := only(srv, "setUserRoles")[1]
	if !strings.Contains(string(r.Body), `"YUBV99":[]`) {
		t.Errorf("body = %s", r.Body)
	}
}

// TestInstancesSetRolesAtOnce: Directories of several instances over one
// client change the roles of one user, a member of each, at once. The API takes the user's whole role
// map, so each reads the map and writes it back with its own entry
// changed; none may undo another's.
func TestInstancesSetRolesAtOnce(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	u, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	instances := []string{"INSTA1", "INSTB2", "INSTC3", "INSTD4", "INSTE5", "INSTF6"}
	all := map[string][]string{} // the user is a member of every instance, as Org Admin
	for _, inst := range instances {
		all[inst] = []string{"Org Admin"}
	}
	if _, err := c.SetUserRoles(ctx, u.ID, all); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, inst := range instances {
		d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{InstanceID: inst})
		if err != nil {
			t.Fatal(err)
		}
		role := []string{"Viewer", "Sync Manager"}[i%2]
		wg.Go(func() {
			if _, err := d.SetRoles(ctx, u.ID, []string{role}); err != nil {
				t.Errorf("%s: %v", inst, err)
			}
		})
	}
	wg.Wait()
	for _, s := range srv.Users() {
		if s.ID != u.ID {
			continue
		}
		for i, inst := range instances {
			if want := []string{[]string{"Viewer", "Sync Manager"}[i%2]}; !slices.Equal(s.Roles[inst], want) {
				t.Errorf("instance %s: roles %v, want %v (stored: %v)", inst, s.Roles[inst], want, s.Roles)
			}
		}
	}
}
