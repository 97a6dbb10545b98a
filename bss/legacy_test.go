//lint:file-ignore SA1019 the deprecated legacy endpoints are tested on purpose

package bss_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/usermgmt"
)

const legacyPath = "/api/management/user"

func TestLegacyListUsers(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	got, err := c.Legacy().ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "getLegacyUsers"), http.MethodGet, legacyPath, legacyPath, nil)
	var want []bss.LegacyUser
	readJSON(t, "legacy_users_response.json", &want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("legacy users (-want +got):\n%s", diff)
	}
}

// TestLegacyCreatedUserIsFoundThroughV4 is the acceptance check: one store
// behind both APIs, with the legacy cid as V4's external_id.
func TestLegacyCreatedUserIsFoundThroughV4(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	in := bss.LegacyUser{Email: "jane.doe@example.com", Name: "Jane Doe", CID: "CID-000123", Password: "change-me"}
	created, err := c.Legacy().CreateUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "createLegacyUser"), http.MethodPost, legacyPath, legacyPath, readFile(t, "legacy_create_user_request.json"))
	if diff := cmp.Diff(&bss.LegacyUser{Email: in.Email, Name: in.Name, CID: in.CID}, created); diff != "" {
		t.Errorf("legacy create result (-want +got):\n%s", diff)
	}

	found, err := usermgmt.Collect(c.ListUsers(ctx, &bss.ListUsersOptions{Email: in.Email}))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("V4 finds %d users with the legacy email, want 1", len(found))
	}
	v4 := found[0]
	if v4.ID == "" || v4.Name != in.Name || v4.ContactDetails.Email != in.Email || v4.ExternalID != in.CID {
		t.Errorf("V4 view of the legacy user = %+v", v4)
	}
	byID, err := c.GetUser(ctx, v4.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&v4, byID, cmpUsers); diff != "" {
		t.Errorf("GetUser (-listed +got):\n%s", diff)
	}
	byCID, err := c.ListUsersPage(ctx, 0, &bss.ListUsersOptions{ExternalID: in.CID})
	if err != nil || len(byCID) != 1 || byCID[0].ID != v4.ID {
		t.Errorf("V4 by external_id = %+v, %v", byCID, err)
	}
	if pw, _ := srv.Password(v4.ID); pw.Reveal() != "change-me" {
		t.Error("the legacy password was not stored")
	}
}

func TestV4CreatedUserIsVisibleThroughLegacy(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, bss.CreateUserInput{Name: "Jane Doe", Email: "jane.doe@example.com", ExternalID: "CID-000123"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Legacy().ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bss.LegacyUser{{Email: "jane.doe@example.com", Name: "Jane Doe", CID: "CID-000123"}}, got); diff != "" {
		t.Errorf("legacy users (-want +got):\n%s", diff)
	}
}

func TestLegacyUpdateUserSendsTheSpecExample(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	got, err := c.Legacy().UpdateUser(context.Background(), "jane.doe@example.com",
		bss.LegacyUser{Email: "jane.doe@example.com", Name: "Jane Q. Doe", CID: "CID-000123"})
	if err != nil {
		t.Fatal(err)
	}
	p := legacyPath + "/jane.doe@example.com"
	checkRequest(t, one(t, srv, "updateLegacyUser"), http.MethodPut, p, p, readFile(t, "legacy_update_user_request.json"))
	if diff := cmp.Diff(&bss.LegacyUser{Email: "jane.doe@example.com", Name: "Jane Q. Doe", CID: "CID-000123"}, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	stored, _ := srv.User(sampleUser().ID)
	want := sampleUser()
	want.Name = "Jane Q. Doe"
	if diff := cmp.Diff(want, stored, cmpUsers); diff != "" {
		t.Errorf("stored user (-want +got):\n%s", diff)
	}
}

// TestLegacyEmailRoundTripsThroughThePath is the acceptance check: an email
// such as a+b/c@x.io is escaped into one path segment, and the fake decodes
// it back to the same account.
func TestLegacyEmailRoundTripsThroughThePath(t *testing.T) {
	t.Parallel()
	for _, email := range []string{"a+b/c@x.io", "o'brien?x=1#y@x.io", "100%pure@x.io", "../..@x.io"} {
		t.Run(email, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			ctx := context.Background()
			l := c.Legacy()
			if _, err := l.CreateUser(ctx, bss.LegacyUser{Email: email, Name: "Before"}); err != nil {
				t.Fatal(err)
			}
			got, err := l.UpdateUser(ctx, email, bss.LegacyUser{Name: "After", Password: "pw"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Email != email || got.Name != "After" {
				t.Errorf("UpdateUser = %+v", got)
			}
			users := srv.Users()
			if len(users) != 1 || users[0].Name != "After" || users[0].ContactDetails.Email != email {
				t.Fatalf("stored users = %+v, want one named After with email %q", users, email)
			}
			if err := l.DeleteUser(ctx, email); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.Users()); n != 0 {
				t.Errorf("%d users left after the legacy delete", n)
			}
			path, raw := legacyPath+"/"+email, legacyPath+"/"+url.PathEscape(email)
			for _, op := range []string{"updateLegacyUser", "deleteLegacyUser"} {
				r := one(t, srv, op)
				if r.Path != path || r.RawPath != raw || r.Status/100 != 2 {
					t.Errorf("%s: path %q raw %q status %d, want %q raw %q", op, r.Path, r.RawPath, r.Status, path, raw)
				}
			}
			if email == "a+b/c@x.io" && raw != legacyPath+"/a+b%2Fc@x.io" {
				t.Errorf("raw path %q, want the slash escaped and nothing else", raw)
			}
		})
	}
}

func TestLegacyErrors(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	ctx := context.Background()
	l := c.Legacy()
	_, err := l.UpdateUser(ctx, "missing@example.com", bss.LegacyUser{Name: "x"})
	if !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("update of a missing account: %v, want ErrNotFound", err)
	}
	if err := l.DeleteUser(ctx, "missing@example.com"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("delete of a missing account: %v, want ErrNotFound", err)
	}
	_, err = l.CreateUser(ctx, bss.LegacyUser{Email: "jane.doe@example.com"})
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrConflict) || !errors.As(err, &apiErr) || apiErr.Operation != "createLegacyUser" {
		t.Errorf("create of an existing email: %v, want ErrConflict from createLegacyUser", err)
	}
	if got := fmt.Sprint(len(srv.Users())); got != "1" {
		t.Errorf("users = %s, want 1", got)
	}
}
