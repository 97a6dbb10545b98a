package genericusr_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func TestAPIErrorsMapToSentinels(t *testing.T) {
	t.Parallel()
	taken := genericusr.AddUserInput{ContactName: "Dup", EmailAddress: "dup@example.com",
		DefaultAccountID: genericusrtest.AccountID, Username: "TAKEN", Password: "pw"}
	tests := []struct {
		name     string
		call     func(context.Context, *genericusr.Client) error
		op       string
		status   int
		message  string
		wantKind error
	}{
		{"getUser unknown id", func(ctx context.Context, c *genericusr.Client) error {
			_, err := c.GetUser(ctx, 404)
			return err
		}, "getUser", 404, "Unknown userId Error", usermgmt.ErrNotFound},
		{"modifyUser unknown id", func(ctx context.Context, c *genericusr.Client) error {
			_, err := c.ModifyUser(ctx, 404, genericusr.ModifyUserInput{ContactName: ptr("x")})
			return err
		}, "modifyUser", 404, "Unknown userId Error", usermgmt.ErrNotFound},
		{"deleteUser unknown id", func(ctx context.Context, c *genericusr.Client) error {
			return c.DeleteUser(ctx, 404)
		}, "deleteUser", 404, "Unknown userId Error", usermgmt.ErrNotFound},
		{"list unknown account", func(ctx context.Context, c *genericusr.Client) error {
			_, err := usermgmt.Collect(c.ListUsers(ctx, 404))
			return err
		}, "getUserListByAccountId", 404, "Unknown accountId Error", usermgmt.ErrNotFound},
		{"addUser unknown account", func(ctx context.Context, c *genericusr.Client) error {
			in := taken
			in.Username, in.DefaultAccountID = "fresh", 404
			_, err := c.AddUser(ctx, in)
			return err
		}, "addUser", 404, "Unknown defaultAccountId Error", usermgmt.ErrNotFound},
		{"addUser username taken", func(ctx context.Context, c *genericusr.Client) error {
			_, err := c.AddUser(ctx, taken)
			return err
		}, "addUser", 409, "Username already exists", usermgmt.ErrConflict},
		{"modifyUser username taken", func(ctx context.Context, c *genericusr.Client) error {
			_, err := c.ModifyUser(ctx, 2, genericusr.ModifyUserInput{Username: ptr("taken")})
			return err
		}, "modifyUser", 409, "Username already exists", usermgmt.ErrConflict},
	}
	// The same errors reported with a 200 (an installation that always
	// answers 200) and with a 400 must map the same way, by their message.
	for _, status := range []int{0, 200, 400} {
		for _, tc := range tests {
			name := tc.name
			if status != 0 {
				name += " answered " + http.StatusText(status)
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var opts []genericusrtest.Option
				if status != 0 {
					opts = append(opts, genericusrtest.WithErrorStatus(status))
				}
				srv, c := setup(t, opts, nil)
				srv.AddUser(genericusr.User{ID: 1, ContactName: "T", EmailAddress: "t@example.com", Username: "taken"})
				srv.AddUser(genericusr.User{ID: 2, ContactName: "O", EmailAddress: "o@example.com", Username: "other"})
				err := tc.call(context.Background(), c)
				if !errors.Is(err, tc.wantKind) {
					t.Fatalf("error = %v, want one matching %v", err, tc.wantKind)
				}
				var apiErr *usermgmt.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %T is not an *usermgmt.APIError", err)
				}
				want := usermgmt.APIError{Provider: "genericusr", Operation: tc.op, StatusCode: tc.status,
					Code: "Exception", Message: tc.message, Kind: tc.wantKind}
				switch status {
				case 200:
					want.StatusCode = 200 // the status the error came with
				case 400:
					want.StatusCode = 400
				}
				if diff := cmp.Diff(want, *apiErr, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
					t.Errorf("APIError (-want +got):\n%s", diff)
				}
				if n := len(srv.Requests()); n != 1 {
					t.Errorf("sent %d requests, want 1 (an API error is final)", n)
				}
			})
		}
	}
}

func TestWrongCredentialsAreErrUnauthorized(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, func(cfg *genericusr.Config) { cfg.Password = "wrong" })
	_, err := c.GetUser(context.Background(), 1)
	if !errors.Is(err, usermgmt.ErrUnauthorized) {
		t.Fatalf("error = %v, want ErrUnauthorized", err)
	}
	r := one(t, srv, "getUser")
	if r.Status != http.StatusUnauthorized {
		t.Errorf("fake answered %d, want 401", r.Status)
	}
}

func TestInvalidInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	good := genericusr.AddUserInput{ContactName: "N", EmailAddress: "n@example.com", DefaultAccountID: 1, Username: "n", Password: "pw"}
	add := func(edit func(*genericusr.AddUserInput)) func(context.Context, *genericusr.Client) error {
		return func(ctx context.Context, c *genericusr.Client) error {
			in := good
			edit(&in)
			_, err := c.AddUser(ctx, in)
			return err
		}
	}
	modify := func(id int64, in genericusr.ModifyUserInput) func(context.Context, *genericusr.Client) error {
		return func(ctx context.Context, c *genericusr.Client) error {
			_, err := c.ModifyUser(ctx, id, in)
			return err
		}
	}
	tests := []struct {
		name string
		call func(context.Context, *genericusr.Client) error
	}{
		{"getUser id 0", func(ctx context.Context, c *genericusr.Client) error { _, err := c.GetUser(ctx, 0); return err }},
		{"getUser negative id", func(ctx context.Context, c *genericusr.Client) error { _, err := c.GetUser(ctx, -1); return err }},
		{"list account 0", func(ctx context.Context, c *genericusr.Client) error {
			_, err := usermgmt.Collect(c.ListUsers(ctx, 0))
			return err
		}},
		{"users account -2", func(ctx context.Context, c *genericusr.Client) error {
			_, err := usermgmt.Collect(c.ListUsers(ctx, -2))
			return err
		}},
		{"delete id 0", func(ctx context.Context, c *genericusr.Client) error { return c.DeleteUser(ctx, 0) }},
		{"add without contactName", add(func(in *genericusr.AddUserInput) { in.ContactName = " " })},
		{"add without email", add(func(in *genericusr.AddUserInput) { in.EmailAddress = "" })},
		{"add with a malformed email", add(func(in *genericusr.AddUserInput) { in.EmailAddress = "Name <n@example.com>" })},
		{"add without account", add(func(in *genericusr.AddUserInput) { in.DefaultAccountID = 0 })},
		{"add without username", add(func(in *genericusr.AddUserInput) { in.Username = "" })},
		{"add with a control character", add(func(in *genericusr.AddUserInput) { in.Username = "a\nb" })},
		{"add without password", add(func(in *genericusr.AddUserInput) { in.Password = "" })},
		{"modify id 0", modify(0, genericusr.ModifyUserInput{ContactName: ptr("x")})},
		{"modify nothing", modify(1, genericusr.ModifyUserInput{})},
		{"modify empty contactName", modify(1, genericusr.ModifyUserInput{ContactName: ptr("")})},
		{"modify malformed email", modify(1, genericusr.ModifyUserInput{EmailAddress: ptr("nope")})},
		{"modify account 0", modify(1, genericusr.ModifyUserInput{DefaultAccountID: ptr(int64(0))})},
		{"modify empty username", modify(1, genericusr.ModifyUserInput{Username: ptr(" ")})},
		{"modify empty password", modify(1, genericusr.ModifyUserInput{Password: ptr(usermgmt.Secret(""))})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil, nil)
			err := tc.call(context.Background(), c)
			if !errors.Is(err, usermgmt.ErrInvalidInput) {
				t.Fatalf("error = %v, want ErrInvalidInput", err)
			}
			var in *usermgmt.InputError
			if !errors.As(err, &in) || in.Provider != "genericusr" || in.Field == "" {
				t.Errorf("error %#v does not name the provider and field", err)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("sent %d requests, want none", n)
			}
		})
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	good := genericusr.Config{BaseURL: "https://ads.example.com/api", Username: "admin", Password: "pw"}
	tests := []struct {
		name string
		edit func(*genericusr.Config)
		opts []usermgmt.Option
	}{
		{"no base URL", func(c *genericusr.Config) { c.BaseURL = "" }, nil},
		{"relative base URL", func(c *genericusr.Config) { c.BaseURL = "/api" }, nil},
		{"ftp base URL", func(c *genericusr.Config) { c.BaseURL = "ftp://ads.example.com" }, nil},
		{"credentials in the URL", func(c *genericusr.Config) { c.BaseURL = "https://u:p@ads.example.com" }, nil},
		{"plain http to a remote host", func(c *genericusr.Config) { c.BaseURL = "http://ads.example.com" }, nil},
		{"no username", func(c *genericusr.Config) { c.Username = "" }, nil},
		{"colon in username", func(c *genericusr.Config) { c.Username = "a:b" }, nil},
		{"no password", func(c *genericusr.Config) { c.Password = "" }, nil},
		{"control character in password", func(c *genericusr.Config) { c.Password = "a\r\nb" }, nil},
		{"unknown content type", func(c *genericusr.Config) { c.ContentType = "text/plain" }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tc.edit(&cfg)
			c, err := genericusr.New(cfg, tc.opts...)
			if !errors.Is(err, usermgmt.ErrInvalidInput) || c != nil {
				t.Errorf("New = %v, %v; want nil and ErrInvalidInput", c, err)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		t.Parallel()
		for _, cfg := range []genericusr.Config{
			good,
			{BaseURL: "http://ads.internal", Username: "admin", Password: "pw", ContentType: genericusr.ContentTypeJSON},
		} {
			c, err := genericusr.New(cfg, usermgmt.WithInsecureHTTP())
			if err != nil {
				t.Fatal(err)
			}
			want := cfg.ContentType
			if want == "" {
				want = genericusr.ContentTypeJavaScript
			}
			if c.ContentType() != want {
				t.Errorf("ContentType() = %q, want %q", c.ContentType(), want)
			}
		}
	})
	t.Run("bad option", func(t *testing.T) {
		t.Parallel()
		if _, err := genericusr.New(good, usermgmt.WithHTTPClient(nil)); err == nil {
			t.Error("New accepted a nil HTTP client")
		}
	})
}

func TestBaseURLPathPrefixIsKept(t *testing.T) {
	t.Parallel()
	var got string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"userId":"7"}`))
	}))
	t.Cleanup(hs.Close)
	c, err := genericusr.New(genericusr.Config{BaseURL: hs.URL + "/www/api/v2/", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	if got != "/www/api/v2/usr/7" {
		t.Errorf("path = %q, want the base URL's prefix kept", got)
	}
}

// TestLenientAnswers covers answers the fake does not give but an
// installation might: a list encoded as a PHP object, null, an empty or
// non-JSON delete body, an error object in various shapes.
func TestLenientAnswers(t *testing.T) {
	t.Parallel()
	serve := func(t *testing.T, status int, contentType, body string) *genericusr.Client {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(hs.Close)
		c, err := genericusr.New(genericusr.Config{BaseURL: hs.URL, Username: "u", Password: "p"},
			usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	t.Run("list as a PHP object", func(t *testing.T) {
		t.Parallel()
		c := serve(t, 200, "application/json", `{"10":{"userId":"10"},"2":{"userId":"2"}}`)
		got, err := usermgmt.Collect(c.ListUsers(ctx, 1))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]genericusr.User{{ID: 2}, {ID: 10}}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("list empty", func(t *testing.T) {
		t.Parallel()
		got, err := usermgmt.Collect(serve(t, 200, "application/json", `[]`).ListUsers(ctx, 1))
		if err != nil || len(got) != 0 {
			t.Errorf("ListUsers = %v, %v; want no users", got, err)
		}
	})
	t.Run("list null", func(t *testing.T) {
		t.Parallel()
		got, err := usermgmt.Collect(serve(t, 200, "application/json", `null`).ListUsers(ctx, 1))
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 || !strings.HasPrefix(apiErr.Message, "incomplete answer") {
			t.Errorf("ListUsers = %v, %v; want an incomplete answer", got, err)
		}
	})
	for _, body := range []string{"", "true", "1", `{"result":"ok"}`, `"deleted"`} {
		t.Run("delete answered "+body, func(t *testing.T) {
			t.Parallel()
			if err := serve(t, 200, "text/html", body).DeleteUser(ctx, 1); err != nil {
				t.Errorf("DeleteUser = %v, want success", err)
			}
		})
	}
	t.Run("delete answered 204", func(t *testing.T) {
		t.Parallel()
		if err := serve(t, 204, "", "").DeleteUser(ctx, 1); err != nil {
			t.Errorf("DeleteUser = %v, want success", err)
		}
	})
	t.Run("delete answered an error with 200", func(t *testing.T) {
		t.Parallel()
		err := serve(t, 200, "application/json", `{"error":"Unknown userId Error"}`).DeleteUser(ctx, 1)
		if !errors.Is(err, usermgmt.ErrNotFound) {
			t.Errorf("DeleteUser = %v, want ErrNotFound", err)
		}
	})
	t.Run("user answered null", func(t *testing.T) {
		t.Parallel()
		_, err := serve(t, 200, "application/json", `null`).GetUser(ctx, 1)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 {
			t.Errorf("GetUser = %v, want an APIError saying the answer could not be read", err)
		}
	})
	t.Run("error page", func(t *testing.T) {
		t.Parallel()
		_, err := serve(t, 502, "text/html", "<html>bad gateway</html>").GetUser(ctx, 1)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || apiErr.Message == "" {
			t.Errorf("GetUser = %v, want an APIError with status 502", err)
		}
	})
	t.Run("401 saying unknown user", func(t *testing.T) {
		t.Parallel()
		_, err := serve(t, 401, "application/json", `{"error":{"type":"Exception","message":"Unknown user"}}`).GetUser(ctx, 1)
		if !errors.Is(err, usermgmt.ErrUnauthorized) || errors.Is(err, usermgmt.ErrNotFound) {
			t.Errorf("GetUser = %v, want ErrUnauthorized only", err)
		}
	})
}

func TestRetries(t *testing.T) {
	t.Parallel()
	newUser := genericusr.AddUserInput{ContactName: "N", EmailAddress: "n@example.com",
		DefaultAccountID: genericusrtest.AccountID, Username: "n", Password: "pw"}
	t.Run("read after 503, 503 succeeds on the third request", func(t *testing.T) {
		t.Parallel()
		srv, c := setup(t, nil, nil)
		srv.AddUser(genericusr.User{ID: 5, Username: "u"})
		srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getUser", Status: 503, Times: 2})
		u, err := c.GetUser(context.Background(), 5)
		if err != nil || u.ID != 5 {
			t.Fatalf("GetUser = %+v, %v", u, err)
		}
		if n := srv.Count("getUser"); n != 3 {
			t.Errorf("requests = %d, want 3", n)
		}
	})
	t.Run("list after a dropped connection is retried", func(t *testing.T) {
		t.Parallel()
		srv, c := setup(t, nil, nil)
		srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropBefore, Operation: "getUserListByAccountId"})
		if _, err := usermgmt.Collect(c.ListUsers(context.Background(), genericusrtest.AccountID)); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count("getUserListByAccountId"); n != 2 {
			t.Errorf("requests = %d, want 2", n)
		}
	})
	for _, tc := range []struct {
		name  string
		fault usermgmttest.Fault
		put   bool
	}{
		{"create dropped after store", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "addUser"}, false},
		{"create PUT dropped after store", usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "addUserPut"}, true},
		{"create answered 503 after store", usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "addUser", Status: 503}, false},
		{"create answered 500 after store", usermgmttest.Fault{Kind: usermgmttest.FailAfter, Operation: "addUser", Status: 500}, false},
	} {
		t.Run(tc.name+" is not resent", func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil, func(cfg *genericusr.Config) { cfg.UsePUT = tc.put })
			srv.Inject(tc.fault)
			_, err := c.AddUser(context.Background(), newUser)
			if !errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Fatalf("error = %v, want ErrOutcomeUnknown", err)
			}
			if n := srv.Count(tc.fault.Operation); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
			if n := len(srv.Users()); n != 1 {
				t.Errorf("fake holds %d users, want exactly 1", n)
			}
		})
	}
	t.Run("create answered 429 is resent", func(t *testing.T) {
		t.Parallel()
		srv, c := setup(t, nil, nil)
		srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "addUser", Status: 429, RetryAfter: "0"})
		if _, err := c.AddUser(context.Background(), newUser); err != nil {
			t.Fatal(err)
		}
		if n, users := srv.Count("addUser"), len(srv.Users()); n != 2 || users != 1 {
			t.Errorf("requests = %d, users = %d; want 2 and 1", n, users)
		}
	})
	for _, put := range []bool{false, true} {
		op := "modifyUser"
		if put {
			op = "modifyUserPut"
		}
		t.Run(op+" dropped after store is resent", func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil, func(cfg *genericusr.Config) { cfg.UsePUT = put })
			u := srv.AddUser(genericusr.User{ContactName: "Old", Username: "u"})
			srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: op})
			got, err := c.ModifyUser(context.Background(), u.ID, genericusr.ModifyUserInput{ContactName: ptr("New")})
			if err != nil || got.ContactName != "New" {
				t.Fatalf("ModifyUser = %+v, %v", got, err)
			}
			if n := srv.Count(op); n != 2 {
				t.Errorf("requests = %d, want 2", n)
			}
		})
	}
	t.Run("delete answered 503 is resent", func(t *testing.T) {
		t.Parallel()
		srv, c := setup(t, nil, nil)
		u := srv.AddUser(genericusr.User{Username: "u"})
		srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "deleteUser", Status: 503})
		if err := c.DeleteUser(context.Background(), u.ID); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count("deleteUser"); n != 2 {
			t.Errorf("requests = %d, want 2", n)
		}
	})
}
