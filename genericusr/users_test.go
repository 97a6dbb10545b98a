package genericusr_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// methodCases are the four ways a client can send creates and modifies.
var methodCases = []struct {
	name        string
	usePUT      bool
	contentType string // Config.ContentType
	wantMethod  string
	wantCT      string
	suffix      string // operationId suffix
}{
	{"POST text/javascript (default)", false, "", http.MethodPost, "text/javascript", ""},
	{"PUT text/javascript", true, "", http.MethodPut, "text/javascript", "Put"},
	{"POST application/json", false, genericusr.ContentTypeJSON, http.MethodPost, "application/json", ""},
	{"PUT application/json", true, genericusr.ContentTypeJSON, http.MethodPut, "application/json", "Put"},
}

func TestAddUser(t *testing.T) {
	t.Parallel()
	seed := readFile(t, "add_user_request.json")
	for _, tc := range methodCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil, func(cfg *genericusr.Config) {
				cfg.UsePUT, cfg.ContentType = tc.usePUT, tc.contentType
			})
			var in genericusr.AddUserInput
			if err := json.Unmarshal(seed, &in); err != nil {
				t.Fatal(err)
			}
			before := fmt.Sprintf("%#v", in)
			got, err := c.AddUser(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if after := fmt.Sprintf("%#v", in); after != before {
				t.Errorf("AddUser modified its input:\n%s\n%s", before, after)
			}

			r := one(t, srv, "addUser"+tc.suffix)
			checkRequest(t, r, tc.wantMethod, "/usr/new", tc.wantCT)
			var sent, want map[string]any
			if err := json.Unmarshal(r.Body, &sent); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(seed, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, sent); diff != "" {
				t.Errorf("body differs from the seed's request sample (-seed +sent):\n%s", diff)
			}

			wantUser := genericusr.User{ID: 1, ContactName: "John Doe", EmailAddress: "jhn.doe@example.com",
				Username: "test", DefaultAccountID: 1, Active: true}
			if diff := cmp.Diff(&wantUser, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]genericusr.User{wantUser}, srv.Users()); diff != "" {
				t.Errorf("stored users (-want +got):\n%s", diff)
			}
			if pw, _ := srv.Password(got.ID); pw != "test" {
				t.Errorf("stored password = %q, want the one sent", pw)
			}
		})
	}
}

func TestAddUserInactive(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	got, err := c.AddUser(context.Background(), genericusr.AddUserInput{
		ContactName: "Ina Ctive", EmailAddress: "ina@example.com", DefaultAccountID: genericusrtest.AccountID,
		Username: "ina", Password: "pw", Active: ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Active {
		t.Error("user created active, want inactive")
	}
	var sent map[string]any
	if err := json.Unmarshal(one(t, srv, "addUser").Body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent["active"] != "0" {
		t.Errorf("active sent as %#v, want \"0\" as the seed sends it", sent["active"])
	}
}

func TestModifyUser(t *testing.T) {
	t.Parallel()
	for _, tc := range methodCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil, func(cfg *genericusr.Config) {
				cfg.UsePUT, cfg.ContentType = tc.usePUT, tc.contentType
			})
			u := srv.AddUser(genericusr.User{ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com",
				Username: "test", Active: true})
			srv.SetPassword(u.ID, "secret")
			got, err := c.ModifyUser(context.Background(), 21, genericusr.ModifyUserInput{ContactName: ptr("John Doe modified")})
			if err != nil {
				t.Fatal(err)
			}
			r := one(t, srv, "modifyUser"+tc.suffix)
			checkRequest(t, r, tc.wantMethod, "/usr/21", tc.wantCT)
			if string(r.Body) != `{"contactName":"John Doe modified"}` {
				t.Errorf("body = %s, want only the contactName", r.Body)
			}
			want := u
			want.ContactName = "John Doe modified"
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]genericusr.User{want}, srv.Users()); diff != "" {
				t.Errorf("stored users (-want +got):\n%s", diff)
			}
		})
	}
}

func TestModifyUserSendsOnlyTheFieldsSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       genericusr.ModifyUserInput
		wantBody string
		change   func(*genericusr.User)
		wantPW   string
	}{
		{"contactName", genericusr.ModifyUserInput{ContactName: ptr("New Name")}, `{"contactName":"New Name"}`,
			func(u *genericusr.User) { u.ContactName = "New Name" }, "old-pw"},
		{"active false", genericusr.ModifyUserInput{Active: ptr(false)}, `{"active":"0"}`,
			func(u *genericusr.User) { u.Active = false }, "old-pw"},
		{"password", genericusr.ModifyUserInput{Password: ptr(usermgmt.Secret("new-pw"))}, `{"password":"new-pw"}`,
			func(*genericusr.User) {}, "new-pw"},
		{"account", genericusr.ModifyUserInput{DefaultAccountID: ptr(int64(2))}, `{"defaultAccountId":2}`,
			func(u *genericusr.User) { u.DefaultAccountID = 2 }, "old-pw"},
		{"every field", genericusr.ModifyUserInput{
			ContactName: ptr("N"), EmailAddress: ptr("n@example.com"), DefaultAccountID: ptr(int64(2)),
			Username: ptr("n"), Password: ptr(usermgmt.Secret("p2")), Active: ptr(true),
		}, `{"contactName":"N","emailAddress":"n@example.com","defaultAccountId":2,"username":"n","password":"p2","active":"1"}`,
			func(u *genericusr.User) {
				u.ContactName, u.EmailAddress, u.DefaultAccountID, u.Username, u.Active = "N", "n@example.com", 2, "n", true
			}, "p2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, []genericusrtest.Option{genericusrtest.WithAccounts(2)}, nil)
			u := srv.AddUser(genericusr.User{ContactName: "Old", EmailAddress: "old@example.com", Username: "old", Active: true})
			srv.SetPassword(u.ID, "old-pw")
			got, err := c.ModifyUser(context.Background(), u.ID, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var sent, wantSent map[string]any
			body := one(t, srv, "modifyUser").Body
			if err := json.Unmarshal(body, &sent); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.wantBody), &wantSent); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantSent, sent); diff != "" {
				t.Errorf("body %s (-want +sent):\n%s", body, diff)
			}
			want := u
			tc.change(&want)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if pw, _ := srv.Password(u.ID); pw != tc.wantPW {
				t.Errorf("stored password = %q, want %q", pw, tc.wantPW)
			}
		})
	}
}

func TestGetUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	want := srv.AddUser(genericusr.User{ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com",
		Username: "test", DefaultAccountID: 2, Active: true})
	got, err := c.GetUser(context.Background(), 21)
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "getUser"), http.MethodGet, "/usr/21", "")
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}
}

// TestFakeAnswersInTheVendorsStyle checks the raw answers the client
// decodes: bare objects and arrays, numbers as strings, password null.
func TestFakeAnswersInTheVendorsStyle(t *testing.T) {
	t.Parallel()
	srv := genericusrtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddUser(genericusr.User{ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com",
		Username: "test", DefaultAccountID: 2, Active: true})
	var user any
	if err := json.Unmarshal(readFile(t, "user_response.json"), &user); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want any
	}{
		{"/usr/21", user},
		{"/usr/acc/2", []any{user}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.SetBasicAuth(genericusrtest.Username, genericusrtest.Password)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got any
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer differs from the vendor's sample (-sample +fake):\n%s", diff)
			}
		})
	}
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, []genericusrtest.Option{genericusrtest.WithAccounts(2, 3)}, nil)
	a := srv.AddUser(genericusr.User{ContactName: "A", EmailAddress: "a@example.com", Username: "a", DefaultAccountID: 2, Active: true})
	srv.AddUser(genericusr.User{ContactName: "B", EmailAddress: "b@example.com", Username: "b", DefaultAccountID: 1, Active: true})
	cc := srv.AddUser(genericusr.User{ContactName: "C", EmailAddress: "c@example.com", Username: "c", DefaultAccountID: 2})
	ctx := context.Background()

	got, err := usermgmt.Collect(c.ListUsers(ctx, 2))
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "getUserListByAccountId"), http.MethodGet, "/usr/acc/2", "")
	if diff := cmp.Diff([]genericusr.User{a, cc}, got); diff != "" {
		t.Errorf("ListUsers (-want +got):\n%s", diff)
	}

	empty, err := usermgmt.Collect(c.ListUsers(ctx, 3))
	if err != nil || len(empty) != 0 {
		t.Errorf("ListUsers(empty account) = %v, %v; want no users", empty, err)
	}
	if _, err := usermgmt.Collect(c.ListUsers(ctx, 99)); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("ListUsers(unknown account) error = %v, want ErrNotFound", err)
	}
}

func TestListUsersIsLazy(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	seq := c.ListUsers(context.Background(), genericusrtest.AccountID)
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("ListUsers sent %d requests before the iteration started", n)
	}
	for range seq {
	}
	if n := srv.Count("getUserListByAccountId"); n != 1 {
		t.Errorf("iteration sent %d requests, want 1", n)
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	u := srv.AddUser(genericusr.User{ContactName: "A", EmailAddress: "a@example.com", Username: "a", Active: true})
	ctx := context.Background()
	if err := c.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "deleteUser"), http.MethodDelete, fmt.Sprintf("/usr/%d", u.ID), "")
	if n := len(srv.Users()); n != 0 {
		t.Errorf("fake holds %d users after the delete", n)
	}
	if err := c.DeleteUser(ctx, u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("second delete error = %v, want ErrNotFound", err)
	}
}
