//lint:file-ignore SA1019 the deprecated legacy client is checked for input validation on purpose

package bss_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

const usersPath = "/api/user/management/v4/users"

func TestCreateUserSendsTheSpecExample(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	in := bss.CreateUserInput{
		Name:                "Jane Doe",
		Email:               "jane.doe@example.com",
		TelephoneNumberE123: "+44 20 7946 0958",
		UserFlags:           []string{"LICENSE_PURCHASE_RESTRICTED"},
		RegistrationState:   bss.Unregistered,
		ExternalID:          "CID-000123",
		Password:            "change-me",
	}
	before := fmt.Sprintf("%#v %v", in, in.UserFlags)
	got, err := c.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%#v %v", in, in.UserFlags); after != before {
		t.Errorf("CreateUser modified its input:\n%s\n%s", before, after)
	}
	r := one(t, srv, "createUser")
	checkRequest(t, r, http.MethodPost, usersPath, usersPath, readFile(t, "create_user_request.json"))

	stored := srv.Users()
	if len(stored) != 1 {
		t.Fatalf("fake holds %d users, want 1", len(stored))
	}
	if diff := cmp.Diff(&stored[0], got, cmpUsers); diff != "" {
		t.Errorf("result differs from the stored user (-stored +got):\n%s", diff)
	}
	want := sampleUser()
	want.ID, want.DefaultUserProfile = got.ID, got.DefaultUserProfile
	want.RegistrationInformation = bss.RegistrationInformation{State: bss.Unregistered}
	if diff := cmp.Diff(&want, got, cmpUsers); diff != "" {
		t.Errorf("created user (-want +got):\n%s", diff)
	}
	if got.ID == "" || got.DefaultUserProfile.ID == "" || got.Registered() {
		t.Errorf("created user %+v: want an id, a default profile, and UNREGISTERED", got)
	}
	if pw, _ := srv.Password(got.ID); pw.Reveal() != "change-me" {
		t.Errorf("stored password = %q, want change-me", pw.Reveal())
	}
}

func TestCreateUserWithoutStateIsUnregistered(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	got, err := c.CreateUser(context.Background(), bss.CreateUserInput{Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "createUser"), http.MethodPost, usersPath, usersPath,
		[]byte(`{"contact_details":{"email":"a@example.com"}}`))
	if got.RegistrationInformation.State != bss.Unregistered {
		t.Errorf("state = %q, want UNREGISTERED (the API's default)", got.RegistrationInformation.State)
	}
}

func TestGetUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	got, err := c.GetUser(context.Background(), sampleUser().ID)
	if err != nil {
		t.Fatal(err)
	}
	p := usersPath + "/" + sampleUser().ID
	checkRequest(t, one(t, srv, "getUserById"), http.MethodGet, p, p, nil)
	want := sampleUser()
	if diff := cmp.Diff(&want, got, cmpUsers); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}
}

func TestUpdateUserSendsOnlyTheFieldsSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     bss.UpdateUserInput
		body   string
		change func(u *bss.User)
	}{
		{"name", bss.UpdateUserInput{Name: ptr("Jane Q. Doe")}, `{"name":"Jane Q. Doe"}`,
			func(u *bss.User) { u.Name = "Jane Q. Doe" }},
		{"email", bss.UpdateUserInput{Email: ptr("jq@example.com")}, `{"contact_details":{"email":"jq@example.com"}}`,
			func(u *bss.User) { u.ContactDetails.Email = "jq@example.com" }},
		{"telephone", bss.UpdateUserInput{TelephoneNumberE123: ptr("+1 555 0100")}, `{"contact_details":{"telephone_number_E123":"+1 555 0100"}}`,
			func(u *bss.User) { u.ContactDetails.TelephoneNumberE123 = "+1 555 0100" }},
		{"flags cleared", bss.UpdateUserInput{UserFlags: []string{}}, `{"user_flags":[]}`,
			func(u *bss.User) { u.UserFlags = []string{} }},
		{"flags", bss.UpdateUserInput{UserFlags: []string{"A", "B"}}, `{"user_flags":["A","B"]}`,
			func(u *bss.User) { u.UserFlags = []string{"A", "B"} }},
		{"external id", bss.UpdateUserInput{ExternalID: ptr("CID-9")}, `{"external_id":"CID-9"}`,
			func(u *bss.User) { u.ExternalID = "CID-9" }},
		{"unregister", bss.UpdateUserInput{RegistrationState: ptr(bss.Unregistered)},
			`{"registration_information":{"registration_state":"UNREGISTERED"}}`,
			func(u *bss.User) { u.RegistrationInformation = bss.RegistrationInformation{State: bss.Unregistered} }},
		{"password", bss.UpdateUserInput{Password: ptr(usermgmt.Secret("n3w-pass"))}, `{"meta":{"security":{"user_password":"n3w-pass"}}}`,
			func(*bss.User) {}},
		{"several", bss.UpdateUserInput{Name: ptr("J"), Email: ptr("j@example.com")},
			`{"name":"J","contact_details":{"email":"j@example.com"}}`,
			func(u *bss.User) { u.Name, u.ContactDetails.Email = "J", "j@example.com" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.AddUser(sampleUser())
			id := sampleUser().ID
			got, err := c.UpdateUser(context.Background(), id, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			p := usersPath + "/" + id
			r := one(t, srv, "updateUser")
			checkRequest(t, r, http.MethodPatch, p, p, []byte(tt.body))
			want := sampleUser()
			tt.change(&want)
			if diff := cmp.Diff(&want, got, cmpUsers); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if stored, _ := srv.User(id); !cmp.Equal(want, stored, cmpUsers) {
				t.Errorf("stored user (-want +got):\n%s", cmp.Diff(want, stored, cmpUsers))
			}
			if tt.in.Password != nil {
				if pw, _ := srv.Password(id); pw != *tt.in.Password {
					t.Errorf("stored password not updated")
				}
			}
		})
	}
}

// TestSetRegistrationStateSendsExactlyThatField is the acceptance check: a
// PATCH that sets only registration_state sends exactly that field and
// changes nothing else.
func TestSetRegistrationStateSendsExactlyThatField(t *testing.T) {
	t.Parallel()
	registeredAt := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	srv, c := setup(t, []bsstest.Option{bsstest.WithClock(func() time.Time { return registeredAt })})
	created, err := c.CreateUser(context.Background(), bss.CreateUserInput{
		Name: "Jane Doe", Email: "jane.doe@example.com", UserFlags: []string{"LICENSE_PURCHASE_RESTRICTED"},
		ExternalID: "CID-000123", Password: "pw-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.SetRegistrationState(context.Background(), created.ID, bss.Registered)
	if err != nil {
		t.Fatal(err)
	}
	r := one(t, srv, "updateUser")
	const want = `{"registration_information":{"registration_state":"REGISTERED"}}`
	if string(r.Body) != want {
		t.Errorf("PATCH body = %s, want exactly %s", r.Body, want)
	}
	if diff := cmp.Diff(jsonValue(t, readFile(t, "update_user_request.json")), jsonValue(t, r.Body)); diff != "" {
		t.Errorf("PATCH body differs from the spec's example:\n%s", diff)
	}
	p := usersPath + "/" + created.ID
	checkRequest(t, r, http.MethodPatch, p, p, []byte(want))
	if !got.Registered() || !got.RegistrationInformation.Time.Equal(registeredAt) {
		t.Errorf("after registering: %+v, want REGISTERED at %v", got.RegistrationInformation, registeredAt)
	}
	wantUser := *created
	wantUser.RegistrationInformation = got.RegistrationInformation
	if diff := cmp.Diff(&wantUser, got, cmpUsers); diff != "" {
		t.Errorf("registering changed other fields (-before +after):\n%s", diff)
	}
	if pw, _ := srv.Password(created.ID); pw.Reveal() != "pw-1" {
		t.Error("registering changed the password")
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	keep := srv.AddUser(bss.User{Name: "Keep"})
	if err := c.DeleteUser(context.Background(), sampleUser().ID); err != nil {
		t.Fatal(err)
	}
	p := usersPath + "/" + sampleUser().ID
	checkRequest(t, one(t, srv, "deleteUserById"), http.MethodDelete, p, p, nil)
	if diff := cmp.Diff([]bss.User{keep}, srv.Users(), cmpUsers); diff != "" {
		t.Errorf("users after delete (-want +got):\n%s", diff)
	}
	_, err := c.GetUser(context.Background(), sampleUser().ID)
	if !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("GetUser after delete: %v, want ErrNotFound", err)
	}
}

func TestListUsersPageSendsTheQuery(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	srv.AddUser(bss.User{ContactDetails: bss.ContactDetails{Email: "other@example.com"}})
	tests := []struct {
		name   string
		offset int
		opts   *bss.ListUsersOptions
		query  url.Values
		want   []string
	}{
		{"no options", 0, nil, url.Values{}, []string{"jane.doe@example.com", "other@example.com"}},
		{"paged", 1, &bss.ListUsersOptions{PageSize: 5}, url.Values{"offset": {"1"}, "limit": {"5"}}, []string{"other@example.com"}},
		{"email", 0, &bss.ListUsersOptions{Email: "Jane.Doe@example.com"}, url.Values{"email": {"Jane.Doe@example.com"}}, []string{"jane.doe@example.com"}},
		{"external id", 0, &bss.ListUsersOptions{ExternalID: "CID-000123"}, url.Values{"external_id": {"CID-000123"}}, []string{"jane.doe@example.com"}},
		{"email with plus", 0, &bss.ListUsersOptions{Email: "a+b&c@x.io"}, url.Values{"email": {"a+b&c@x.io"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetJournal()
			users, err := c.ListUsersPage(context.Background(), tt.offset, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			r := one(t, srv, "getAllUsers")
			checkRequest(t, r, http.MethodGet, usersPath, usersPath, nil)
			if diff := cmp.Diff(tt.query, r.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			var emails []string
			for _, u := range users {
				emails = append(emails, u.ContactDetails.Email)
			}
			if diff := cmp.Diff(tt.want, emails); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
		})
	}
	all, err := c.ListUsersPage(context.Background(), 0, nil)
	if err != nil || len(all) != 2 || !cmp.Equal(sampleUser(), all[0], cmpUsers) {
		t.Errorf("ListUsersPage = %+v, %v; want the sample user first", all, err)
	}
}

// TestIDsStayInTheirPathSegment proves that ids are escaped into one path
// segment and that the fake decodes them back.
func TestIDsStayInTheirPathSegment(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"a/b", "x/../y", "..x", "a?b=c", "a#b", "100%", "%2F", "sp ace"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			srv.AddUser(bss.User{ID: id, Name: "Odd"})
			u, err := c.GetUser(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.UpdateUser(context.Background(), id, bss.UpdateUserInput{Name: ptr("Even")}); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteUser(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			if u.ID != id {
				t.Errorf("GetUser returned id %q, want %q", u.ID, id)
			}
			raw := usersPath + "/" + url.PathEscape(id)
			for _, r := range srv.Requests() {
				if r.Path != usersPath+"/"+id || r.RawPath != raw || r.Operation == "" {
					t.Errorf("%s %s: path %q raw %q, want %q raw %q", r.Method, r.Operation, r.Path, r.RawPath, usersPath+"/"+id, raw)
				}
			}
			if n := len(srv.Requests()); n != 3 {
				t.Errorf("requests = %d, want 3", n)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(sampleUser())
	ctx := context.Background()
	wrong, err := bss.New(bss.Config{BaseURL: srv.URL, APIKey: "wrong-key"}, fastRetries())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		call   func() error
		kind   error
		status int
		code   string
		op     string
	}{
		{"not found", func() error { _, err := c.GetUser(ctx, "missing"); return err },
			usermgmt.ErrNotFound, 404, "USER_NOT_FOUND", "getUserById"},
		{"update not found", func() error { _, err := c.UpdateUser(ctx, "missing", bss.UpdateUserInput{Name: ptr("x")}); return err },
			usermgmt.ErrNotFound, 404, "USER_NOT_FOUND", "updateUser"},
		{"delete not found", func() error { return c.DeleteUser(ctx, "missing") },
			usermgmt.ErrNotFound, 404, "USER_NOT_FOUND", "deleteUserById"},
		{"email exists", func() error {
			_, err := c.CreateUser(ctx, bss.CreateUserInput{Email: "JANE.DOE@example.com"})
			return err
		}, usermgmt.ErrConflict, 409, "USER_ALREADY_EXISTS", "createUser"},
		{"wrong key", func() error { _, err := wrong.GetUser(ctx, sampleUser().ID); return err },
			usermgmt.ErrUnauthorized, 401, "UNAUTHORIZED", "getUserById"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetJournal()
			err := tt.call()
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %T, want *usermgmt.APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code || apiErr.Operation != tt.op || apiErr.Provider != "bss" || apiErr.Message == "" {
				t.Errorf("APIError = %+v, want status %d, code %s, operation %s", apiErr, tt.status, tt.code, tt.op)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("requests = %d, want 1 (client errors are not retried)", n)
			}
		})
	}
}

func TestInvalidInputSendsNothing(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	l := c.Legacy()
	tests := []struct {
		name string
		call func() error
	}{
		{"GetUser empty", func() error { _, err := c.GetUser(ctx, ""); return err }},
		{"GetUser blank", func() error { _, err := c.GetUser(ctx, "  "); return err }},
		{"GetUser dot", func() error { _, err := c.GetUser(ctx, "."); return err }},
		{"GetUser dotdot", func() error { _, err := c.GetUser(ctx, ".."); return err }},
		{"GetUser spaces around", func() error { _, err := c.GetUser(ctx, " x"); return err }},
		{"GetUser control", func() error { _, err := c.GetUser(ctx, "a\nb"); return err }},
		{"CreateUser empty", func() error { _, err := c.CreateUser(ctx, bss.CreateUserInput{}); return err }},
		{"CreateUser bad email", func() error { _, err := c.CreateUser(ctx, bss.CreateUserInput{Email: "nope"}); return err }},
		{"CreateUser email with space", func() error { _, err := c.CreateUser(ctx, bss.CreateUserInput{Email: "a b@x.io"}); return err }},
		{"CreateUser bad state", func() error {
			_, err := c.CreateUser(ctx, bss.CreateUserInput{Name: "x", RegistrationState: "ACTIVE"})
			return err
		}},
		{"CreateUser empty flag", func() error {
			_, err := c.CreateUser(ctx, bss.CreateUserInput{Name: "x", UserFlags: []string{""}})
			return err
		}},
		{"UpdateUser nothing set", func() error { _, err := c.UpdateUser(ctx, "id", bss.UpdateUserInput{}); return err }},
		{"UpdateUser empty id", func() error { _, err := c.UpdateUser(ctx, "", bss.UpdateUserInput{Name: ptr("x")}); return err }},
		{"UpdateUser empty email", func() error { _, err := c.UpdateUser(ctx, "id", bss.UpdateUserInput{Email: ptr("")}); return err }},
		{"UpdateUser empty password", func() error {
			_, err := c.UpdateUser(ctx, "id", bss.UpdateUserInput{Password: ptr(usermgmt.Secret(""))})
			return err
		}},
		{"UpdateUser bad state", func() error {
			_, err := c.UpdateUser(ctx, "id", bss.UpdateUserInput{RegistrationState: ptr(bss.RegistrationState("ACTIVE"))})
			return err
		}},
		{"SetRegistrationState empty", func() error { _, err := c.SetRegistrationState(ctx, "id", ""); return err }},
		{"DeleteUser empty", func() error { return c.DeleteUser(ctx, "") }},
		{"ListUsersPage negative offset", func() error { _, err := c.ListUsersPage(ctx, -1, nil); return err }},
		{"ListUsersPage negative size", func() error {
			_, err := c.ListUsersPage(ctx, 0, &bss.ListUsersOptions{PageSize: -1})
			return err
		}},
		{"ListUsersPage control in email", func() error {
			_, err := c.ListUsersPage(ctx, 0, &bss.ListUsersOptions{Email: "a\r\nb"})
			return err
		}},
		{"ListUsers negative size", func() error {
			_, err := usermgmt.Collect(c.ListUsers(ctx, &bss.ListUsersOptions{PageSize: -1}))
			return err
		}},
		{"legacy CreateUser without email", func() error { _, err := l.CreateUser(ctx, bss.LegacyUser{Name: "x"}); return err }},
		{"legacy UpdateUser dotdot", func() error { _, err := l.UpdateUser(ctx, "..", bss.LegacyUser{Name: "x"}); return err }},
		{"legacy UpdateUser bad new email", func() error {
			_, err := l.UpdateUser(ctx, "a@x.io", bss.LegacyUser{Email: "nope"})
			return err
		}},
		{"legacy DeleteUser empty", func() error { return l.DeleteUser(ctx, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var inErr *usermgmt.InputError
			if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &inErr) {
				t.Fatalf("err = %v, want an *usermgmt.InputError", err)
			}
			if inErr.Provider != "bss" || inErr.Field == "" || inErr.Reason == "" {
				t.Errorf("InputError = %+v", inErr)
			}
		})
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("invalid input was sent: %+v", reqs)
	}
}
