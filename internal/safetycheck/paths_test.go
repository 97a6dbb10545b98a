//lint:file-ignore SA1019 the deprecated legacy BSS client puts emails in paths and is checked on purpose

package safetycheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// hostile are values that would leave a path segment or a query parameter
// if they were not escaped: separators, dot segments, escapes (raw and
// double), query and fragment markers, and characters some routers treat
// specially.
var hostile = []string{
	"a/b", "../admin", "..", ".", "x/../../y", "a?b=c", "a#frag", "100%", "%2F", "%252e%252e", "a%20b",
	"sp ace", "a+b", "a;b=c", "a&limit=1", "ü/ñ", `a\b`, "a@b:c", "~user", "a\tb", "a\nb", "",
}

// sentOrRefused checks the one property every provider must have for a
// hostile value: the call is refused as invalid input with nothing sent,
// or every request it sent reached the expected operation, with the value
// as one decoded path segment (want, the whole decoded path), or no path
// at all. It returns whether something was sent.
func sentOrRefused(t *testing.T, srv *usermgmttest.FakeServer, v string, err error, op, wantPath string) bool {
	t.Helper()
	reqs := srv.Requests()
	srv.ResetJournal()
	if len(reqs) == 0 {
		if !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("%q: nothing sent, err = %v; want ErrInvalidInput", v, err)
		}
		return false
	}
	for _, r := range reqs {
		if r.Operation != op || (wantPath != "" && r.Path != wantPath) {
			t.Errorf("%q: %s %s (raw %s) routed to %q; want %q at %q", v, r.Method, r.Path, r.RawPath, r.Operation, op, wantPath)
		}
	}
	return true
}

func TestSyncariIDsStayInTheirSegment(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	c := must(syncari.New(srv.Config(), fastRetries()))
	if _, err := c.Token(context.Background()); err != nil { // the token request is not under test
		t.Fatal(err)
	}
	srv.ResetJournal()
	sent := 0
	for i, v := range hostile {
		srv.AddUser(syncari.User{ID: v, Email: fmt.Sprintf("hostile-%d@example.com", i)})
		u, err := c.DeactivateUser(context.Background(), v)
		if sentOrRefused(t, srv.FakeServer(), v, err, "deactivateUser", "/api/v1/users/"+v+"/deactivate") {
			sent++
			if err != nil || u.ID != v {
				t.Errorf("%q: DeactivateUser = %v, %v; want that user", v, u, err)
			}
		}
		_, err = c.RemoveUserRole(context.Background(), v, v)
		sentOrRefused(t, srv.FakeServer(), v, err, "removeUserRole", "/api/v1/users/"+v+"/roles/"+v)

		_, _ = c.ListUsersPage(context.Background(), v, nil)
		if v != "" {
			for _, r := range srv.Requests() {
				if got := r.Query["cursorToken"]; !slices.Equal(got, []string{v}) || len(r.Query) != 1 {
					t.Errorf("%q: query %v; want cursorToken alone, holding the value", v, r.Query)
				}
			}
		}
		srv.ResetJournal()
	}
	if sent < len(hostile)/4 {
		t.Errorf("only %d of %d values were sent: the check proves little", sent, len(hostile))
	}
}

func TestBSSIDsAndEmailsStayInTheirSegment(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	c := must(bss.New(srv.Config(), fastRetries()))
	ctx := context.Background()
	const users = "/api/user/management/v4/users/"
	sent := 0
	for i, v := range hostile {
		email := v + "@example.com"
		srv.AddUser(bss.User{ID: v, Name: "Hostile", ContactDetails: bss.ContactDetails{Email: email}})
		u, err := c.GetUser(ctx, v)
		if sentOrRefused(t, srv.FakeServer(), v, err, "getUserById", users+v) {
			sent++
			if err != nil || u.ID != v {
				t.Errorf("%q: GetUser = %v, %v; want that user", v, u, err)
			}
		}
		_, err = c.UpdateUser(ctx, v, bss.UpdateUserInput{Name: ptr(fmt.Sprint("Renamed ", i))})
		sentOrRefused(t, srv.FakeServer(), v, err, "updateUser", users+v)
		_, err = c.Legacy().UpdateUser(ctx, email, bss.LegacyUser{Name: "Legacy"})
		sentOrRefused(t, srv.FakeServer(), email, err, "updateLegacyUser", "/api/management/user/"+email)
		err = c.DeleteUser(ctx, v)
		sentOrRefused(t, srv.FakeServer(), v, err, "deleteUserById", users+v)

		_, _ = c.ListUsersPage(ctx, 0, &bss.ListUsersOptions{Email: email, ExternalID: v})
		for _, r := range srv.Requests() {
			if !slices.Equal(r.Query["email"], []string{email}) || (v != "" && !slices.Equal(r.Query["external_id"], []string{v})) ||
				r.Query.Has("limit") || r.Query.Has("offset") {
				t.Errorf("%q: query %v; want email and external_id holding the values, and nothing else", v, r.Query)
			}
		}
		srv.ResetJournal()
	}
	if sent < len(hostile)/4 {
		t.Errorf("only %d of %d values were sent: the check proves little", sent, len(hostile))
	}
}

// TestNumericIDsRefuseAnythingElse checks the providers whose ids are
// numbers: a Directory id that is not one is refused before sending, and
// one that is reaches the user's own path.
func TestNumericIDsRefuseAnythingElse(t *testing.T) {
	t.Parallel()
	g := genericusrtest.NewServer()
	t.Cleanup(g.Close)
	gd := must(genericusr.NewDirectory(must(genericusr.New(g.Config(), fastRetries())), genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}))
	v := vendoruserstest.NewServer()
	t.Cleanup(v.Close)
	vd := must(vendorusers.NewDirectory(must(vendorusers.New(v.Config(), fastRetries())), vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}))
	gu := g.AddUser(genericusr.User{ContactName: "N", EmailAddress: "n@example.com", Username: "n", Active: true})
	g.SetPassword(gu.ID, "password-n")
	vu := v.AddUser(vendorusers.User{Email: "n@example.com", Active: true})
	ctx := context.Background()
	values := append(slices.Clone(hostile), strconv.FormatInt(gu.ID, 10)+"/../1", "1e3", "0x10", "-1", "9223372036854775808")
	for _, s := range values {
		_, err := gd.GetUser(ctx, s)
		sentOrRefused(t, g.FakeServer(), s, err, "getUser", "")
		err = gd.DeleteUser(ctx, s)
		sentOrRefused(t, g.FakeServer(), s, err, "deleteUser", "")
		_, err = vd.SetActive(ctx, s, false)
		sentOrRefused(t, v.FakeServer(), s, err, "updateUser", "")
	}
	if _, err := gd.GetUser(ctx, strconv.FormatInt(gu.ID, 10)); err != nil {
		t.Fatal(err)
	}
	if r := g.Requests(); len(r) != 1 || r[0].Path != "/usr/"+strconv.FormatInt(gu.ID, 10) {
		t.Errorf("a numeric id went to %v", r)
	}
	if _, err := vd.SetActive(ctx, strconv.FormatInt(vu.ID, 10), false); err != nil {
		t.Fatal(err)
	}
	if r := v.Requests(); len(r) != 1 || r[0].Path != "/v1.0/users/"+strconv.FormatInt(vu.ID, 10) {
		t.Errorf("a numeric id went to %v", r)
	}
}

// TestDBSyncNamesStayInTheBody checks that DBSync's user and company
// names, which travel in the JSON body, arrive there exactly as given and
// never change the path.
func TestDBSyncNamesStayInTheBody(t *testing.T) {
	t.Parallel()
	srv := dbsynctest.NewServer()
	t.Cleanup(srv.Close)
	c := must(dbsync.New(srv.Config(), fastRetries()))
	sent := 0
	for _, v := range hostile {
		_, err := c.RegisterUser(context.Background(), dbsync.EndUser{Company: v, UserName: v})
		if !sentOrRefused(t, srv.FakeServer(), v, err, "registerUser", "/registerUser") {
			continue
		}
		sent++
		if err != nil {
			t.Errorf("%q: %v", v, err)
		}
		_, _ = c.AuthenticateUser(context.Background(), dbsync.EndUser{Company: v, UserName: v})
		reqs := srv.Requests()
		srv.ResetJournal()
		for _, r := range reqs {
			var body struct {
				Company string `json:"endUserCompany"`
				Name    string `json:"endUserName"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil || body.Company != v || body.Name != v || r.Path != "/authenticateUser" {
				t.Errorf("%q: %s with body %s", v, r.Path, r.Body)
			}
		}
		if len(srv.Users()) != sent {
			t.Errorf("%q: %d users stored, want %d", v, len(srv.Users()), sent)
		}
	}
	if sent < len(hostile)/4 {
		t.Errorf("only %d of %d values were sent: the check proves little", sent, len(hostile))
	}
}
