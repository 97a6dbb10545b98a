//lint:file-ignore SA1019 the deprecated legacy endpoints are checked on purpose
//lint:file-ignore SA1012 a nil context is passed on purpose, to check it is refused

package bss_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// operation is one call of the client, named by its spec operationId.
type operation struct {
	op string
	// changes says the call may change state: an answer that leaves its
	// outcome in doubt is then an OutcomeUnknownError.
	changes bool
	// noBody says a success needs no body (a delete).
	noBody bool
	call   func(ctx context.Context, c *bss.Client) error
	// bad calls with an invalid argument; nil when no argument can be.
	bad func(ctx context.Context, c *bss.Client) error
}

func operations() []operation {
	first := func(seq func(yield func(bss.User, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	return []operation{
		{op: "getAllUsers",
			call: func(ctx context.Context, c *bss.Client) error { _, err := c.ListUsersPage(ctx, 0, nil); return err },
			bad:  func(ctx context.Context, c *bss.Client) error { _, err := c.ListUsersPage(ctx, -1, nil); return err }},
		{op: "getAllUsers",
			call: func(ctx context.Context, c *bss.Client) error { return first(c.ListUsers(ctx, nil)) },
			bad: func(ctx context.Context, c *bss.Client) error {
				return first(c.ListUsers(ctx, &bss.ListUsersOptions{PageSize: bss.MaxPageSize + 1}))
			}},
		{op: "getUserById",
			call: func(ctx context.Context, c *bss.Client) error { _, err := c.GetUser(ctx, "u1"); return err },
			bad:  func(ctx context.Context, c *bss.Client) error { _, err := c.GetUser(ctx, ""); return err }},
		{op: "createUser", changes: true,
			call: func(ctx context.Context, c *bss.Client) error {
				_, err := c.CreateUser(ctx, bss.CreateUserInput{Email: "a@example.com"})
				return err
			},
			bad: func(ctx context.Context, c *bss.Client) error {
				_, err := c.CreateUser(ctx, bss.CreateUserInput{Email: "not-an-email"})
				return err
			}},
		{op: "updateUser", changes: true,
			call: func(ctx context.Context, c *bss.Client) error {
				_, err := c.UpdateUser(ctx, "u1", bss.UpdateUserInput{Name: ptr("N")})
				return err
			},
			bad: func(ctx context.Context, c *bss.Client) error {
				_, err := c.UpdateUser(ctx, "u1", bss.UpdateUserInput{})
				return err
			}},
		{op: "updateUser", changes: true,
			call: func(ctx context.Context, c *bss.Client) error {
				_, err := c.SetRegistrationState(ctx, "u1", bss.Registered)
				return err
			},
			bad: func(ctx context.Context, c *bss.Client) error {
				_, err := c.SetRegistrationState(ctx, "u1", "MAYBE")
				return err
			}},
		{op: "deleteUserById", changes: true, noBody: true,
			call: func(ctx context.Context, c *bss.Client) error { return c.DeleteUser(ctx, "u1") },
			bad:  func(ctx context.Context, c *bss.Client) error { return c.DeleteUser(ctx, "..") }},
		{op: "getLegacyUsers",
			call: func(ctx context.Context, c *bss.Client) error { _, err := c.Legacy().ListUsers(ctx); return err }},
		{op: "createLegacyUser", changes: true,
			call: func(ctx context.Context, c *bss.Client) error {
				_, err := c.Legacy().CreateUser(ctx, bss.LegacyUser{Email: "a@example.com"})
				return err
			},
			bad: func(ctx context.Context, c *bss.Client) error {
				_, err := c.Legacy().CreateUser(ctx, bss.LegacyUser{Name: "no email"})
				return err
			}},
		{op: "updateLegacyUser", changes: true,
			call: func(ctx context.Context, c *bss.Client) error {
				_, err := c.Legacy().UpdateUser(ctx, "a@example.com", bss.LegacyUser{Name: "N"})
				return err
			},
			bad: func(ctx context.Context, c *bss.Client) error {
				_, err := c.Legacy().UpdateUser(ctx, " a@example.com", bss.LegacyUser{Name: "N"})
				return err
			}},
		{op: "deleteLegacyUser", changes: true, noBody: true,
			call: func(ctx context.Context, c *bss.Client) error { return c.Legacy().DeleteUser(ctx, "a@example.com") },
			bad:  func(ctx context.Context, c *bss.Client) error { return c.Legacy().DeleteUser(ctx, "") }},
	}
}

// answering returns a client of a loopback server that answers every
// request with status and body, and a counter of the requests it got.
func answering(t *testing.T, status int, body string) (*bss.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := bss.New(bss.Config{BaseURL: srv.URL, APIKey: "k-123456"}, fastRetries(),
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

// TestErrorsNameTheOperation walks every operation and checks that each
// error it returns (invalid input, nil context, an API error, an outcome
// unknown) names the spec's operationId, and that an API error carries the
// HTTP status.
func TestErrorsNameTheOperation(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.op, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			c, n := answering(t, http.StatusInternalServerError, `{"code":"BOOM","message":"boom"}`)

			err := o.call(nil, c)
			var in *usermgmt.InputError
			if !errors.As(err, &in) || !errors.Is(err, usermgmt.ErrInvalidInput) || in.Operation != o.op || in.Field != "ctx" {
				t.Errorf("nil context: err = %v; want an InputError of %s on ctx", err, o.op)
			}
			if o.bad != nil {
				err = o.bad(ctx, c)
				if !errors.As(err, &in) || in.Operation != o.op {
					t.Errorf("bad input: err = %v; want an InputError of %s", err, o.op)
				}
			}
			if got := n.Load(); got != 0 {
				t.Fatalf("%d requests sent for invalid calls", got)
			}

			err = o.call(ctx, c)
			var api *usermgmt.APIError
			if !errors.As(err, &api) || api.Operation != o.op || api.StatusCode != http.StatusInternalServerError || api.Provider != "bss" {
				t.Errorf("500: err = %#v; want an APIError of %s with status 500", err, o.op)
			}
			var unknown *usermgmt.OutcomeUnknownError
			if errors.As(err, &unknown) != o.changes {
				t.Errorf("500: err = %v; outcome unknown should be %v", err, o.changes)
			} else if unknown != nil && unknown.Operation != o.op {
				t.Errorf("500: OutcomeUnknownError.Operation = %q; want %q", unknown.Operation, o.op)
			}

			c4, _ := answering(t, http.StatusBadRequest, `{"message":"no"}`)
			err = o.call(ctx, c4)
			if !errors.As(err, &api) || api.Operation != o.op || api.StatusCode != http.StatusBadRequest {
				t.Errorf("400: err = %v; want an APIError of %s with status 400", err, o.op)
			}
		})
	}
}

// TestHollowAnswersAreNotSuccess answers every operation with a 2xx whose
// body is null, {} or a user without its id: a read fails with an APIError
// "incomplete answer", a call that changes state with an outcome unknown;
// a delete, which needs no body, succeeds.
func TestHollowAnswersAreNotSuccess(t *testing.T) {
	t.Parallel()
	bodies := []string{`null`, `{}`, `{"name":"No Id","email":"a@example.com"}`, `[{"name":"No Id"}]`, `[]`}
	for _, o := range operations() {
		for _, body := range bodies {
			t.Run(o.op+" "+body, func(t *testing.T) {
				t.Parallel()
				c, _ := answering(t, http.StatusOK, body)
				err := o.call(context.Background(), c)
				list := o.op == "getAllUsers" || o.op == "getLegacyUsers"
				switch {
				case o.noBody:
					if err != nil {
						t.Fatalf("err = %v; a delete needs no body", err)
					}
					return
				case body == `[]` && list:
					if err != nil {
						t.Fatalf("err = %v; an empty list is a valid answer", err)
					}
					return
				case o.op == "getLegacyUsers" && strings.HasPrefix(body, "["):
					if err != nil { // legacy accounts have no required field
						t.Fatalf("err = %v", err)
					}
					return
				case o.op == "createLegacyUser" || o.op == "updateLegacyUser":
					if strings.Contains(body, "email") {
						if err != nil { // the legacy account needs only its email
							t.Fatalf("err = %v", err)
						}
						return
					}
				}
				if err == nil {
					t.Fatal("a hollow answer was taken as success")
				}
				var api *usermgmt.APIError
				if !errors.As(err, &api) || api.StatusCode != http.StatusOK || api.Operation != o.op {
					t.Fatalf("err = %#v; want an APIError of %s with status 200", err, o.op)
				}
				// A body of the wrong JSON type fails to decode instead.
				hollow := body == `null` || body == `{}` || list == strings.HasPrefix(body, "[")
				if hollow && !strings.HasPrefix(api.Message, "incomplete answer: missing ") {
					t.Errorf("message = %q; want an incomplete answer", api.Message)
				}
				var unknown *usermgmt.OutcomeUnknownError
				if errors.As(err, &unknown) != o.changes || errors.Is(err, usermgmt.ErrOutcomeUnknown) != o.changes {
					t.Errorf("err = %v; outcome unknown should be %v", err, o.changes)
				}
			})
		}
	}
}

// TestEchoedCredentialsAreDropped answers with a user whose meta.security
// echoes the password and the API key: neither reaches the result, however
// it is printed or encoded, while the other members are kept.
func TestEchoedCredentialsAreDropped(t *testing.T) {
	t.Parallel()
	const pw, key = "ECHOED-PW-4c1d", "ECHOED-KEY-9e2f"
	body := `{"id":"u1","meta":{"security":{"user_password":"` + pw + `","api_key":"` + key +
		`","mfa":{"enabled":true,"Token":"` + key + `"},"level":"high"}}}`
	c, _ := answering(t, http.StatusOK, body)
	ctx := context.Background()
	got := map[string]*bss.User{}
	var err error
	if got["getUserById"], err = c.GetUser(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	if got["createUser"], err = c.CreateUser(ctx, bss.CreateUserInput{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got["updateUser"], err = c.UpdateUser(ctx, "u1", bss.UpdateUserInput{Name: ptr("N")}); err != nil {
		t.Fatal(err)
	}
	cl, _ := answering(t, http.StatusOK, "["+body+"]")
	page, err := cl.ListUsersPage(ctx, 0, nil)
	if err != nil || len(page) != 1 {
		t.Fatalf("ListUsersPage = %v, %v", page, err)
	}
	got["getAllUsers"] = &page[0]
	for op, u := range got {
		j, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{fmt.Sprintf("%s", u), fmt.Sprintf("%+v", u), fmt.Sprintf("%v", *u), fmt.Sprintf("%#v", *u), string(j)} {
			if strings.Contains(s, pw) || strings.Contains(s, key) {
				t.Errorf("%s: a credential shows in %s", op, s)
			}
		}
		sec := u.Meta.Security
		if sec["level"] != "high" || sec["mfa"].(map[string]any)["enabled"] != true {
			t.Errorf("%s: other members lost: %v", op, sec)
		}
		if _, ok := sec["user_password"]; ok {
			t.Errorf("%s: user_password kept", op)
		}
	}
}

// TestFormatRedacts prints the clients and a legacy user with a password
// with every verb and as JSON.
func TestFormatRedacts(t *testing.T) {
	t.Parallel()
	const key, pw = "SECRET-KEY-77aa", "SECRET-PW-88bb"
	c, err := bss.New(bss.Config{BaseURL: "https://bss.example.com/", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	u := bss.LegacyUser{Email: "a@example.com", Name: "A", Password: pw}
	type holder struct {
		C   *bss.Client
		L   *bss.LegacyClient
		U   *bss.LegacyUser
		V   bss.LegacyUser
		Any any
	}
	h := holder{C: c, L: c.Legacy(), U: &u, V: u, Any: &u}
	in := bss.CreateUserInput{Email: "a@example.com", Password: pw}
	inHolder := struct{ In any }{&in}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{c, c.Legacy(), u, &u, h, &h, in, &in, inHolder} {
			s := fmt.Sprintf(verb, v)
			if strings.Contains(s, key) || strings.Contains(s, pw) {
				t.Errorf("%s of %T shows a secret: %s", verb, v, s)
			}
		}
		if s := fmt.Sprintf(verb, c); !strings.Contains(s, "bss.Client{https://bss.example.com}") {
			t.Errorf("%s of the client = %s", verb, s)
		}
		if s := fmt.Sprintf(verb, c.Legacy()); !strings.Contains(s, "bss.LegacyClient{https://bss.example.com}") {
			t.Errorf("%s of the legacy client = %s", verb, s)
		}
	}
	if s := fmt.Sprintf("%+v", u); !strings.Contains(s, "Email:a@example.com") || !strings.Contains(s, "[REDACTED]") {
		t.Errorf("%%+v of a legacy user = %s", s)
	}
	if s := fmt.Sprintf("%#v", u); !strings.HasPrefix(s, "bss.LegacyUser{") {
		t.Errorf("%%#v of a legacy user = %s", s)
	}
	if s := fmt.Sprintf("%#v", in); !strings.HasPrefix(s, "bss.CreateUserInput{") || !strings.Contains(s, "a@example.com") {
		t.Errorf("%%#v of a create input = %s", s)
	}
	for _, v := range []any{c, c.Legacy(), u, h, in, inHolder} {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(j), key) || strings.Contains(string(j), pw) {
			t.Errorf("JSON of %T shows a secret: %s", v, j)
		}
	}
}
