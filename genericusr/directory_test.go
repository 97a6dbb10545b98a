package genericusr_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// newDirectory returns a fake, a directory over it working in account 2,
// and the client behind it.
func newDirectory(t *testing.T, edit func(*genericusr.Config), opts ...usermgmt.Option) (*genericusrtest.Server, *usermgmt.Directory) {
	t.Helper()
	srv, c := setup(t, []genericusrtest.Option{genericusrtest.WithAccounts(2)}, edit, opts...)
	d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: 2})
	if err != nil {
		t.Fatal(err)
	}
	return srv, d
}

func TestDirectoryConformancePUTAndJSON(t *testing.T) {
	usermgmttest.Run(t, usermgmttest.Harness{Open: func(t *testing.T) *usermgmt.Directory {
		_, d := newDirectory(t, func(cfg *genericusr.Config) {
			cfg.UsePUT, cfg.ContentType = true, genericusr.ContentTypeJSON
		})
		return d
	}})
}

func TestNewDirectoryValidates(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil, nil)
	for _, tc := range []struct {
		name string
		c    *genericusr.Client
		cfg  genericusr.DirectoryConfig
	}{
		{"nil client", nil, genericusr.DirectoryConfig{AccountID: 1}},
		{"no account", c, genericusr.DirectoryConfig{}},
		{"negative account", c, genericusr.DirectoryConfig{AccountID: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if d, err := genericusr.NewDirectory(tc.c, tc.cfg); !errors.Is(err, usermgmt.ErrInvalidInput) || d != nil {
				t.Errorf("NewDirectory = %v, %v; want nil and ErrInvalidInput", d, err)
			}
		})
	}
}

func TestDirectoryCapabilities(t *testing.T) {
	t.Parallel()
	_, d := newDirectory(t, nil)
	want := usermgmt.Capabilities{Create: true, Get: true, List: true, Update: true, Activate: true, Deactivate: true,
		Delete: true, CreateInactive: true, NaturalKey: "username", Requires: []string{"Email", "Name", "Password"},
		UpdateFields: []string{"Email", "Name", "FirstName", "LastName", "Password"}}
	if diff := cmp.Diff(want, d.Capabilities()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d.Provider() != "genericusr" {
		t.Errorf("Provider() = %q", d.Provider())
	}
}

// TestDirectoryMapsOntoTheAPI runs each Directory method and checks the API
// call it makes and the user it returns.
func TestDirectoryMapsOntoTheAPI(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t, nil)
	ctx := context.Background()
	u, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace", Password: "pw", Inactive: true})
	if err != nil {
		t.Fatal(err)
	}
	raw := genericusr.User{ID: 1, ContactName: "Ada Lovelace", EmailAddress: "ada@example.com", Username: "ada@example.com", DefaultAccountID: 2}
	want := usermgmt.User{ID: "1", Username: "ada@example.com", Email: "ada@example.com", Name: "Ada Lovelace", Provider: "genericusr", Raw: &raw}
	if diff := cmp.Diff(&want, u); diff != "" {
		t.Errorf("CreateUser (-want +got):\n%s", diff)
	}
	checkRequest(t, one(t, srv, "addUser"), http.MethodPost, "/usr/new", "text/javascript")

	if got, err := d.GetUser(ctx, "1"); err != nil || got.ID != "1" {
		t.Errorf("GetUser = %+v, %v", got, err)
	}
	checkRequest(t, one(t, srv, "getUser"), http.MethodGet, "/usr/1", "")

	got, err := d.SetActive(ctx, "1", true)
	if err != nil || !got.Active {
		t.Fatalf("SetActive = %+v, %v", got, err)
	}
	r := one(t, srv, "modifyUser")
	checkRequest(t, r, http.MethodPost, "/usr/1", "text/javascript")
	if string(r.Body) != `{"active":"1"}` {
		t.Errorf("SetActive sent %s", r.Body)
	}

	srv.ResetJournal()
	email := "lovelace@example.com"
	if _, err := d.UpdateUser(ctx, "1", usermgmt.UpdateUserInput{Email: &email}); err != nil {
		t.Fatal(err)
	}
	if r := one(t, srv, "modifyUser"); string(r.Body) != `{"emailAddress":"lovelace@example.com"}` {
		t.Errorf("UpdateUser sent %s", r.Body)
	}

	srv.AddUser(genericusr.User{ContactName: "Other account", Username: "other", DefaultAccountID: 1})
	var listed []string
	for u, err := range d.ListUsers(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, u.Username)
	}
	if diff := cmp.Diff([]string{"ada@example.com"}, listed); diff != "" {
		t.Errorf("ListUsers lists account 2 only (-want +got):\n%s", diff)
	}
	checkRequest(t, one(t, srv, "getUserListByAccountId"), http.MethodGet, "/usr/acc/2", "")

	found, err := d.FindUser(ctx, "ADA@example.com")
	if err != nil || found.ID != "1" {
		t.Errorf("FindUser = %+v, %v", found, err)
	}
	if _, err := d.FindUser(ctx, "other"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("FindUser of a user of another account: err = %v, want ErrNotFound", err)
	}

	if err := d.DeleteUser(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, one(t, srv, "deleteUser"), http.MethodDelete, "/usr/1", "")
}

func TestDirectoryUpdateNames(t *testing.T) {
	t.Parallel()
	first, last, name := "Grace", "Hopper", "Rear Admiral Hopper"
	for _, tc := range []struct {
		name     string
		in       usermgmt.UpdateUserInput
		wantBody string
		wantErr  error
	}{
		{"Name", usermgmt.UpdateUserInput{Name: &name, FirstName: &first}, `{"contactName":"Rear Admiral Hopper"}`, nil},
		{"FirstName and LastName", usermgmt.UpdateUserInput{FirstName: &first, LastName: &last}, `{"contactName":"Grace Hopper"}`, nil},
		{"FirstName alone", usermgmt.UpdateUserInput{FirstName: &first}, "", usermgmt.ErrInvalidInput},
		{"nothing", usermgmt.UpdateUserInput{}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t, nil)
			u := srv.AddUser(genericusr.User{ContactName: "Old", Username: "u", DefaultAccountID: 2})
			got, err := d.UpdateUser(context.Background(), "1", tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			reqs := only(srv, "modifyUser")
			if tc.wantBody == "" {
				if len(reqs) != 0 {
					t.Errorf("sent %d modifyUser requests, want none", len(reqs))
				}
				if err == nil && got.Name != u.ContactName {
					t.Errorf("UpdateUser returned %+v, want the unchanged user", got)
				}
				return
			}
			if len(reqs) != 1 || string(reqs[0].Body) != tc.wantBody {
				t.Errorf("modifyUser requests = %+v, want one with %s", reqs, tc.wantBody)
			}
		})
	}
}

func TestDirectoryCreateSettlesADroppedCreate(t *testing.T) {
	t.Parallel()
	for _, put := range []bool{false, true} {
		op := map[bool]string{false: "addUser", true: "addUserPut"}[put]
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t, func(cfg *genericusr.Config) { cfg.UsePUT = put })
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: op})
			u, err := d.CreateUser(context.Background(), usermgmttest.NewUser("dropped"))
			if err != nil {
				t.Fatal(err)
			}
			if users := srv.Users(); len(users) != 1 || users[0].ID != u.Raw.(*genericusr.User).ID {
				t.Errorf("stored users = %+v, want exactly the one returned", users)
			}
			if n := srv.Count(op); n != 1 {
				t.Errorf("%s requests = %d, want 1 (settled by a look-up, not resent)", op, n)
			}
		})
	}
}

func TestDirectoryCreateResendsWhenTheLookUpFindsNothing(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t, nil)
	// 503 before the handler: nothing stored, but the client cannot know.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "addUser", Status: 503})
	if _, err := d.CreateUser(context.Background(), usermgmttest.NewUser("resent")); err != nil {
		t.Fatal(err)
	}
	if n, users := srv.Count("addUser"), len(srv.Users()); n != 2 || users != 1 {
		t.Errorf("addUser requests = %d, users = %d; want 2 and 1", n, users)
	}
}

func TestDirectoryRefusesRoles(t *testing.T) {
	t.Parallel()
	srv, d := newDirectory(t, nil)
	in := usermgmttest.NewUser("roles")
	in.Roles = []string{"admin"}
	if _, err := d.CreateUser(context.Background(), in); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("CreateUser with roles: err = %v, want ErrUnsupported", err)
	}
	if _, err := d.SetRoles(context.Background(), "1", []string{"admin"}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SetRoles: err = %v, want ErrUnsupported", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("sent %d requests, want none", n)
	}
}

// TestIDsStayInTheirPathSegment checks what reaches the request path. The
// API's ids are integers (int64 in the client), so a string id reaches the
// path only through the Directory, which accepts nothing but decimal digits:
// a value with '/', '..', '?' or '%' is refused and nothing is sent, and a
// valid id lands alone in its segment.
func TestIDsStayInTheirPathSegment(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"1/2", "../1", "..", ".", "1?x=2", "1#f", "%2F1", "1%2F2", " 1", "1 ", "-1", "+1", "0", "1.0", "0x1", "99999999999999999999", "١"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			srv, d := newDirectory(t, nil)
			ctx := context.Background()
			calls := map[string]func() error{
				"GetUser": func() error { _, err := d.GetUser(ctx, id); return err },
				"UpdateUser": func() error {
					n := "x"
					_, err := d.UpdateUser(ctx, id, usermgmt.UpdateUserInput{Name: &n})
					return err
				},
				"SetActive":  func() error { _, err := d.SetActive(ctx, id, false); return err },
				"DeleteUser": func() error { return d.DeleteUser(ctx, id) },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, usermgmt.ErrInvalidInput) {
					t.Errorf("%s(%q): err = %v, want ErrInvalidInput", name, id, err)
				}
			}
			if reqs := srv.Requests(); len(reqs) != 0 {
				t.Errorf("sent %d requests, want none: %+v", len(reqs), reqs)
			}
		})
	}
	t.Run("valid ids", func(t *testing.T) {
		t.Parallel()
		srv, c := setup(t, nil, nil)
		d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: 1})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		_, _ = d.GetUser(ctx, "007")
		_, _ = c.GetUser(ctx, 9223372036854775807)
		_, _ = usermgmt.Collect(c.ListUsers(ctx, 42))
		var paths []string
		for _, r := range srv.Requests() {
			paths = append(paths, r.RawPath)
		}
		want := []string{"/usr/7", "/usr/9223372036854775807", "/usr/acc/42"}
		if diff := cmp.Diff(want, paths); diff != "" {
			t.Errorf("paths (-want +got):\n%s", diff)
		}
	})
}
