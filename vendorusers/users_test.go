package vendorusers_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func TestCreateUserSendsTheSeedRequest(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	var seedReq map[string]any
	readJSON(t, "create_user_request.json", &seedReq)

	in := vendorusers.CreateUserInput{
		Username: "1111@gmail.com", RoleID: 5, Password: "Eklmn63158515Eklmn",
		FirstName: "My First Name", LastName: "My Last Name", CompanyName: "Aktiv", Phone: "+49 (0xx) xxxx-xxxx",
	}
	before := fmt.Sprintf("%#v", in)
	got, err := c.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%#v", in); after != before {
		t.Errorf("CreateUser modified its input:\n%s\n%s", before, after)
	}
	reqs := only(srv, "createUser")
	if len(reqs) != 1 {
		t.Fatalf("createUser requests = %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1.0/users" || len(r.Query) != 0 {
		t.Errorf("sent %s %s?%s, want POST /v1.0/users", r.Method, r.Path, r.Query.Encode())
	}
	checkAuth(t, r)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if diff := gocmp.Diff(seedReq, bodyOf(t, r)); diff != "" {
		t.Errorf("body differs from the seed's request sample (-seed +sent):\n%s", diff)
	}
	stored, ok := srv.User(got.ID)
	if !ok {
		t.Fatalf("the fake holds no user %d", got.ID)
	}
	if diff := gocmp.Diff(&stored, got); diff != "" {
		t.Errorf("result differs from the stored user (-stored +got):\n%s", diff)
	}
	want := vendorusers.User{
		ID: got.ID, Email: "1111@gmail.com", Active: true,
		Details: vendorusers.Details{ID: got.Details.ID, FirstName: "My First Name", LastName: "My Last Name", Role: developer()},
	}
	if diff := gocmp.Diff(&want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

func TestCreateUserSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	if _, err := c.CreateUser(context.Background(), vendorusers.CreateUserInput{Username: "min@example.com", RoleID: 3, Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"username": "min@example.com", "roleId": 3.0, "password": "pw", "passwordConfirm": "pw"}
	if diff := gocmp.Diff(want, bodyOf(t, only(srv, "createUser")[0])); diff != "" {
		t.Errorf("body (-want +sent):\n%s", diff)
	}
}

func TestUpdateUserSendsTheSeedRequest(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(vendorusers.User{Email: "test@gmail.com", Active: true, Details: vendorusers.Details{FirstName: "Test", LastName: "Test", Role: vendorusers.Role{ID: 2}}})
	var seedReq map[string]any
	readJSON(t, "update_user_request.json", &seedReq)

	got, err := c.UpdateUser(context.Background(), u.ID, vendorusers.UpdateUserInput{
		RoleID: ptr[int64](5), FirstName: ptr("My First Name"), LastName: ptr("My Last Name"),
		Active: ptr(false), Archived: ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "updateUser")
	if len(reqs) != 1 {
		t.Fatalf("updateUser requests = %d", len(reqs))
	}
	r := reqs[0]
	wantPath := "/v1.0/users/" + strconv.FormatInt(u.ID, 10)
	if r.Method != http.MethodPut || r.Path != wantPath || r.RawPath != wantPath {
		t.Errorf("sent %s %s (raw %s), want PUT %s", r.Method, r.Path, r.RawPath, wantPath)
	}
	checkAuth(t, r)
	if diff := gocmp.Diff(seedReq, bodyOf(t, r)); diff != "" {
		t.Errorf("body differs from the seed's request sample (-seed +sent):\n%s", diff)
	}
	want := u
	want.Active = false
	want.Details.FirstName, want.Details.LastName, want.Details.Role = "My First Name", "My Last Name", developer()
	if diff := gocmp.Diff(&want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if stored, _ := srv.User(u.ID); !gocmp.Equal(stored, want) {
		t.Errorf("stored %+v, want %+v", stored, want)
	}
}

func TestUpdateSendsOnlyTheFieldsSet(t *testing.T) {
	t.Parallel()
	archivedAt := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	srv, c := setup(t, []vendoruserstest.Option{vendoruserstest.WithClock(func() time.Time { return archivedAt })})
	u := srv.AddUser(vendorusers.User{Email: "a@example.com", Active: true, Details: vendorusers.Details{LastName: "A"}})
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func() (*vendorusers.User, error)
		wantBody map[string]any
		check    func(*vendorusers.User) bool
	}{
		{"deactivate", func() (*vendorusers.User, error) { return c.SetActive(ctx, u.ID, false) },
			map[string]any{"userIsActive": "false"}, func(u *vendorusers.User) bool { return !u.Active }},
		{"activate", func() (*vendorusers.User, error) { return c.SetActive(ctx, u.ID, true) },
			map[string]any{"userIsActive": "true"}, func(u *vendorusers.User) bool { return u.Active }},
		{"archive", func() (*vendorusers.User, error) { return c.Archive(ctx, u.ID, true) },
			map[string]any{"archived": true}, func(u *vendorusers.User) bool { return u.Details.Archived && u.Details.ArchivedAt.Equal(archivedAt) }},
		{"restore", func() (*vendorusers.User, error) { return c.Archive(ctx, u.ID, false) },
			map[string]any{"archived": false}, func(u *vendorusers.User) bool { return !u.Details.Archived && u.Details.ArchivedAt.IsZero() }},
		{"role", func() (*vendorusers.User, error) {
			return c.UpdateUser(ctx, u.ID, vendorusers.UpdateUserInput{RoleID: ptr(vendoruserstest.RoleAdministrator)})
		}, map[string]any{"roleId": 1.0}, func(u *vendorusers.User) bool { return u.Details.Role.Name == "Administrator" }},
		{"last name", func() (*vendorusers.User, error) {
			return c.UpdateUser(ctx, u.ID, vendorusers.UpdateUserInput{LastName: ptr("Zed")})
		}, map[string]any{"lastName": "Zed"}, func(u *vendorusers.User) bool { return u.Details.LastName == "Zed" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetJournal()
			got, err := tt.call()
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Operation != "updateUser" {
				t.Fatalf("journal = %+v, want one updateUser", reqs)
			}
			if diff := gocmp.Diff(tt.wantBody, bodyOf(t, reqs[0])); diff != "" {
				t.Errorf("body (-want +sent):\n%s", diff)
			}
			if !tt.check(got) {
				t.Errorf("result %+v", got)
			}
			if stored, _ := srv.User(u.ID); !gocmp.Equal(stored, *got) {
				t.Errorf("stored %+v, returned %+v", stored, got)
			}
		})
	}
}

func TestListRoles(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	got, err := c.ListRoles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(seedRoles(), got); diff != "" {
		t.Errorf("roles (-seed +got):\n%s", diff)
	}
	reqs := only(srv, "getRoles")
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/v1.0/users/roles" || len(reqs[0].Body) != 0 || len(reqs[0].Query) != 0 {
		t.Fatalf("requests = %+v, want one GET /v1.0/users/roles", reqs)
	}
	checkAuth(t, reqs[0])
}

func TestListUsersPage(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	seed := srv.AddUser(seedListUser())
	for _, last := range []string{"Adams", "Cole", "Young"} {
		srv.AddUser(vendorusers.User{Email: strings.ToLower(last) + "@example.com", Active: true, Details: vendorusers.Details{FirstName: "Kim", LastName: last}})
	}
	archived := srv.AddUser(vendorusers.User{Email: "old@example.com", Details: vendorusers.Details{LastName: "Baker", Archived: true, ArchivedAt: time.Unix(1700000000, 0)}})
	ctx := context.Background()

	// Non-archived, descending: Young, Cole, BDev, Adams; the page at
	// offset 1 with limit 2 is Cole, BDev.
	got, err := c.ListUsersPage(ctx, 1, 2, &vendorusers.ListUsersOptions{Archived: ptr(false), Direction: vendorusers.Descending})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range got {
		names = append(names, u.Details.LastName)
	}
	if diff := gocmp.Diff([]string{"Cole", "BDev"}, names); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff(seed, got[1]); diff != "" {
		t.Errorf("seed user (-want +got):\n%s", diff)
	}
	r := only(srv, "getUsers")[0]
	if r.Method != http.MethodGet || r.Path != "/v1.0/users" || len(r.Body) != 0 {
		t.Errorf("sent %s %s with %d body bytes", r.Method, r.Path, len(r.Body))
	}
	checkAuth(t, r)
	wantQuery := map[string][]string{"sortby": {"name"}, "direction": {"desc"}, "offset": {"1"}, "limit": {"2"}, "archived": {"false"}}
	if diff := gocmp.Diff(wantQuery, map[string][]string(r.Query)); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}

	// Only archived users.
	got, err = c.ListUsersPage(ctx, 0, 100, &vendorusers.ListUsersOptions{Archived: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff([]vendorusers.User{archived}, got); diff != "" {
		t.Errorf("archived (-want +got):\n%s", diff)
	}
	// Both, ascending by default, and no archived parameter.
	got, err = c.ListUsersPage(ctx, 0, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	names = names[:0]
	for _, u := range got {
		names = append(names, u.Details.LastName)
	}
	if diff := gocmp.Diff([]string{"Adams", "Baker", "BDev", "Cole", "Young"}, names); diff != "" {
		t.Errorf("all users (-want +got):\n%s", diff)
	}
	reqs := only(srv, "getUsers")
	if q := reqs[len(reqs)-1].Query; q.Has("archived") || q.Get("direction") != "asc" || q.Get("sortby") != "name" {
		t.Errorf("query = %v, want no archived and direction=asc", q)
	}
}

// byName is the documented order: last name, then first name.
func byName(a, b vendorusers.User) int {
	return cmp.Or(
		cmp.Compare(strings.ToLower(a.Details.LastName), strings.ToLower(b.Details.LastName)),
		cmp.Compare(strings.ToLower(a.Details.FirstName), strings.ToLower(b.Details.FirstName)),
	)
}

func TestListUsersWalksOffsetPages(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	const total = 1050
	for i := range total {
		k := (i * 7919) % total // stored out of order
		srv.AddUser(vendorusers.User{
			Email:   fmt.Sprintf("user%04d@example.com", k),
			Details: vendorusers.Details{LastName: fmt.Sprintf("Last%03d", k/3), FirstName: fmt.Sprintf("First%d", 2-k%3)},
		})
	}
	want := srv.Users()
	slices.SortFunc(want, byName)
	ctx := context.Background()

	got, err := usermgmt.Collect(c.ListUsers(ctx, &vendorusers.ListUsersOptions{PageSize: 100}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total {
		t.Fatalf("yielded %d users, want %d", len(got), total)
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	reqs := only(srv, "getUsers")
	var offsets []string
	for i, r := range reqs {
		offsets = append(offsets, r.Query.Get("offset"))
		if r.Query.Get("limit") != "100" {
			t.Errorf("request %d: limit = %q, want 100", i, r.Query.Get("limit"))
		}
	}
	if diff := gocmp.Diff([]string{"0", "100", "200", "300", "400", "500", "600", "700", "800", "900", "1000"}, offsets); diff != "" || len(reqs) != 11 {
		t.Errorf("%d requests; offsets (-want +got):\n%s", len(reqs), diff)
	}

	// Breaking out after 150 users stops after the second page.
	srv.ResetJournal()
	n := 0
	for _, err := range c.ListUsers(ctx, &vendorusers.ListUsersOptions{PageSize: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	if got := srv.Count("getUsers"); got != 2 {
		t.Errorf("breaking after 150 users made %d requests, want 2", got)
	}

	// Descending is the exact reverse; the default page size is 100.
	srv.ResetJournal()
	desc, err := usermgmt.Collect(c.ListUsers(ctx, &vendorusers.ListUsersOptions{Direction: vendorusers.Descending}))
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(desc)
	if diff := gocmp.Diff(want, desc); diff != "" {
		t.Errorf("descending, reversed (-want +got):\n%s", diff)
	}
	if r := srv.Requests()[0]; r.Query.Get("limit") != "100" || r.Query.Get("direction") != "desc" {
		t.Errorf("query = %v", r.Query)
	}
}

func TestListUsersStopsAtTheFirstShortPage(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	for i := range 6 {
		srv.AddUser(vendorusers.User{Email: fmt.Sprintf("u%d@example.com", i), Details: vendorusers.Details{LastName: fmt.Sprint(i), Archived: i%2 == 1}})
	}
	got, err := usermgmt.Collect(c.ListUsers(context.Background(), &vendorusers.ListUsersOptions{PageSize: 2, Archived: ptr(false)}))
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, u := range got {
		emails = append(emails, u.Email)
	}
	if diff := gocmp.Diff([]string{"u0@example.com", "u2@example.com", "u4@example.com"}, emails); diff != "" {
		t.Errorf("emails (-want +got):\n%s", diff)
	}
	var offsets []string
	for _, r := range only(srv, "getUsers") {
		offsets = append(offsets, r.Query.Get("offset")+"/"+r.Query.Get("limit")+"/"+r.Query.Get("archived"))
	}
	if diff := gocmp.Diff([]string{"0/2/false", "2/2/false"}, offsets); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestInvalidInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	valid := vendorusers.CreateUserInput{Username: "a@example.com", RoleID: 5, Password: "pw"}
	create := func(f func(*vendorusers.CreateUserInput)) func() error {
		return func() error {
			in := valid
			f(&in)
			_, err := c.CreateUser(ctx, in)
			return err
		}
	}
	list := func(opts *vendorusers.ListUsersOptions) func() error {
		return func() error { _, err := usermgmt.Collect(c.ListUsers(ctx, opts)); return err }
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"limit 0", func() error { _, err := c.ListUsersPage(ctx, 0, 0, nil); return err }, "limit"},
		{"limit 101", func() error { _, err := c.ListUsersPage(ctx, 0, 101, nil); return err }, "limit"},
		{"negative limit", func() error { _, err := c.ListUsersPage(ctx, 0, -1, nil); return err }, "limit"},
		{"negative offset", func() error { _, err := c.ListUsersPage(ctx, -1, 10, nil); return err }, "offset"},
		{"bad direction", func() error {
			_, err := c.ListUsersPage(ctx, 0, 10, &vendorusers.ListUsersOptions{Direction: "up"})
			return err
		}, "Direction"},
		{"page size 101", list(&vendorusers.ListUsersOptions{PageSize: 101}), "PageSize"},
		{"negative page size", list(&vendorusers.ListUsersOptions{PageSize: -1}), "PageSize"},
		{"iterator direction", list(&vendorusers.ListUsersOptions{Direction: "ASC"}), "Direction"},
		{"empty username", create(func(in *vendorusers.CreateUserInput) { in.Username = "" }), "Username"},
		{"blank username", create(func(in *vendorusers.CreateUserInput) { in.Username = "  " }), "Username"},
		{"control character", create(func(in *vendorusers.CreateUserInput) { in.Username = "a\n@example.com" }), "Username"},
		{"no role", create(func(in *vendorusers.CreateUserInput) { in.RoleID = 0 }), "RoleID"},
		{"no password", create(func(in *vendorusers.CreateUserInput) { in.Password = "" }), "Password"},
		{"zero id", func() error { _, err := c.SetActive(ctx, 0, true); return err }, "id"},
		{"negative id", func() error { _, err := c.Archive(ctx, -3, true); return err }, "id"},
		{"empty change", func() error { _, err := c.UpdateUser(ctx, 10026, vendorusers.UpdateUserInput{}); return err }, "UpdateUserInput"},
		{"zero role id", func() error {
			_, err := c.UpdateUser(ctx, 10026, vendorusers.UpdateUserInput{RoleID: ptr[int64](0)})
			return err
		}, "RoleID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var in *usermgmt.InputError
			if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &in) || in.Field != tt.field || in.Provider != "vendorusers" {
				t.Errorf("err = %v, want an InputError for field %q", err, tt.field)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent for invalid input", n)
	}
}

func TestAPIErrorsFromTheFake(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(vendorusers.User{Email: "taken@example.com"})
	ctx := context.Background()
	tests := []struct {
		name   string
		call   func() error
		op     string
		status int
		code   string
		kind   error
	}{
		{"unknown user", func() error { _, err := c.SetActive(ctx, 99, true); return err }, "updateUser", 404, "1404", usermgmt.ErrNotFound},
		{"taken username", func() error {
			_, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: "TAKEN@example.com", RoleID: 5, Password: "pw"})
			return err
		}, "createUser", 409, "1409", usermgmt.ErrConflict},
		{"unknown role", func() error {
			_, err := c.UpdateUser(ctx, u.ID, vendorusers.UpdateUserInput{RoleID: ptr[int64](42)})
			return err
		}, "updateUser", 400, "1400", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an APIError", err)
			}
			if apiErr.Operation != tt.op || apiErr.StatusCode != tt.status || apiErr.Code != tt.code || apiErr.Message == "" || apiErr.Provider != "vendorusers" {
				t.Errorf("APIError = %+v", apiErr)
			}
			if apiErr.Kind != tt.kind || (tt.kind != nil && !errors.Is(err, tt.kind)) {
				t.Errorf("Kind = %v, want %v", apiErr.Kind, tt.kind)
			}
		})
	}

	// A wrong token is ErrUnauthorized.
	cfg := srv.Config()
	cfg.Token = "wrong"
	bad, err := vendorusers.New(cfg, fastRetries())
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.ListRoles(ctx)
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Code != "1401" {
		t.Errorf("wrong token: err = %v, want ErrUnauthorized", err)
	}
	// A 200 whose body is an error body is an error too.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getUsers", Status: 200})
	_, err = c.ListUsersPage(ctx, 0, 10, nil)
	if !errors.As(err, &apiErr) || apiErr.Code != "1200" || apiErr.Operation != "getUsers" {
		t.Errorf("200 with an error body: err = %v, want an APIError with its code", err)
	}
}

// TestErrorBodies checks how answers the fake does not give are read.
func TestErrorBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		kind        error
		code        string
		message     string
	}{
		{"taken username as 400", 400, "application/json", `{"code":17,"message":"User already exists"}`, usermgmt.ErrConflict, "17", "User already exists"},
		{"missing user as 400", 400, "application/json", `{"code":"18","message":"User not found"}`, usermgmt.ErrNotFound, "18", "User not found"},
		{"other 400", 400, "application/json", `{"code":3,"message":"Bad role"}`, nil, "3", "Bad role"},
		{"error member", 422, "application/json", `{"error":"Invalid phone"}`, nil, "", "Invalid phone"},
		{"401 says not found", 401, "application/json", `{"message":"token not found"}`, usermgmt.ErrUnauthorized, "", "token not found"},
		{"html", 404, "text/html", `<html>nope</html>`, usermgmt.ErrNotFound, "", "unexpected Not Found response (text/html, 17 bytes)"},
		{"200 error body", 200, "application/json", `{"code":5,"message":"Username already taken"}`, usermgmt.ErrConflict, "5", "Username already taken"},
		{"200 without element", 200, "application/json", `{}`, nil, "", "incomplete answer: missing user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hs := newStaticServer(t, tt.status, tt.contentType, tt.body)
			c, err := vendorusers.New(vendorusers.Config{BaseURL: hs, Token: "static-test-token"}, usermgmt.WithRetry(usermgmt.NoRetries()))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.SetActive(context.Background(), 1, true)
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an APIError", err)
			}
			if apiErr.Kind != tt.kind || apiErr.Code != tt.code || apiErr.Message != tt.message {
				t.Errorf("APIError = %+v, want kind %v code %q message %q", apiErr, tt.kind, tt.code, tt.message)
			}
		})
	}
}

func newStaticServer(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}
