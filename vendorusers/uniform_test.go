//lint:file-ignore SA1012 a nil context is passed on purpose, to check it is refused

package vendorusers_test

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

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
)

// operation is one call of the client, named by its spec operationId.
type operation struct {
	op string
	// changes says the call may change state: an answer that leaves its
	// outcome in doubt is then an OutcomeUnknownError.
	changes bool
	// element is the member of the answer that holds the result.
	element string
	call    func(ctx context.Context, c *vendorusers.Client) error
	bad     func(ctx context.Context, c *vendorusers.Client) error
}

func operations() []operation {
	first := func(seq func(yield func(vendorusers.User, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	create := vendorusers.CreateUserInput{Username: "a@example.com", RoleID: 5, Password: "pw-123456"}
	return []operation{
		{op: "getUsers", element: "users",
			call: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.ListUsersPage(ctx, 0, 10, nil)
				return err
			},
			bad: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.ListUsersPage(ctx, 0, vendorusers.MaxPageSize+1, nil)
				return err
			}},
		{op: "getUsers", element: "users",
			call: func(ctx context.Context, c *vendorusers.Client) error { return first(c.ListUsers(ctx, nil)) },
			bad: func(ctx context.Context, c *vendorusers.Client) error {
				return first(c.ListUsers(ctx, &vendorusers.ListUsersOptions{PageSize: -1}))
			}},
		{op: "getRoles", element: "roles",
			call: func(ctx context.Context, c *vendorusers.Client) error { _, err := c.ListRoles(ctx); return err }},
		{op: "createUser", element: "user", changes: true,
			call: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.CreateUser(ctx, create)
				return err
			},
			bad: func(ctx context.Context, c *vendorusers.Client) error {
				in := create
				in.Username = "not-an-email"
				_, err := c.CreateUser(ctx, in)
				return err
			}},
		{op: "updateUser", element: "user", changes: true,
			call: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.UpdateUser(ctx, 7, vendorusers.UpdateUserInput{FirstName: ptr("A")})
				return err
			},
			bad: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.UpdateUser(ctx, 0, vendorusers.UpdateUserInput{FirstName: ptr("A")})
				return err
			}},
		{op: "updateUser", element: "user", changes: true,
			call: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.SetActive(ctx, 7, false)
				return err
			},
			bad: func(ctx context.Context, c *vendorusers.Client) error {
				_, err := c.SetActive(ctx, -7, false)
				return err
			}},
		{op: "updateUser", element: "user", changes: true,
			call: func(ctx context.Context, c *vendorusers.Client) error { _, err := c.Archive(ctx, 7, true); return err },
			bad:  func(ctx context.Context, c *vendorusers.Client) error { _, err := c.Archive(ctx, 0, true); return err }},
	}
}

// answering returns a client of a loopback server that answers every
// request with status and body, and a counter of the requests it got.
func answering(t *testing.T, status int, body string) (*vendorusers.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := vendorusers.New(vendorusers.Config{BaseURL: srv.URL, Token: "t0ken-value"}, usermgmt.WithRetry(usermgmt.NoRetries()))
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
			c, n := answering(t, http.StatusInternalServerError, `{"code":1500,"message":"boom"}`)

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
			if !errors.As(err, &api) || api.Operation != o.op || api.StatusCode != http.StatusInternalServerError || api.Provider != "vendorusers" {
				t.Errorf("500: err = %#v; want an APIError of %s with status 500", err, o.op)
			}
			var unknown *usermgmt.OutcomeUnknownError
			if errors.As(err, &unknown) != o.changes {
				t.Errorf("500: err = %v; outcome unknown should be %v", err, o.changes)
			} else if unknown != nil && unknown.Operation != o.op {
				t.Errorf("500: OutcomeUnknownError.Operation = %q; want %q", unknown.Operation, o.op)
			}

			// A 200 carrying an error body is the service's failure, with
			// the status of the answer.
			c2, _ := answering(t, http.StatusOK, `{"code":1200,"message":"refused"}`)
			err = o.call(ctx, c2)
			if !errors.As(err, &api) || api.Operation != o.op || api.StatusCode != http.StatusOK || api.Code != "1200" ||
				errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Errorf("200 error body: err = %v; want an APIError of %s with status 200", err, o.op)
			}
		})
	}
}

// fullUser is a user with every member the spec requires.
const fullUser = `{"_id":7,"confirmed":false,"email":"a@example.com","status":true,"userdetails":{"_id":8,` +
	`"firstname":"A","lastname":"B","lastvisitdate":0,"archived":false,"archivationdate":0,` +
	`"role":{"_id":5,"createorders":false,"createproducts":false,"createusers":false,"manageprotect":true,"nameeng":"Developer"},` +
	`"settings":{"language":0}}}`

const fullRole = `{"_id":5,"createorders":false,"createproducts":false,"createusers":false,"manageprotect":true,"nameeng":"Developer"}`

// TestHollowAnswersAreNotSuccess answers every operation with a 2xx whose
// body is null, {}, or an element lacking a required member: a read fails
// with an APIError "incomplete answer" carrying the status, a call that
// changes state with an outcome unknown.
func TestHollowAnswersAreNotSuccess(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		item := fullUser
		if o.element == "roles" {
			item = fullRole
		}
		wrap := func(v string) string {
			if o.element == "user" {
				return `{"user":` + v + `}`
			}
			return `{"` + o.element + `":[` + v + `]}`
		}
		bodies := map[string]string{
			`null`:                       o.element,
			`{}`:                         o.element,
			`{"` + o.element + `":null}`: o.element,
			wrap(`{}`):                   "_id",
			wrap(strings.Replace(item, `"_id":`, `"id":`, 1)):                             "_id",
			wrap(strings.Replace(item, `"nameeng":"Developer"`, `"name":"Developer"`, 1)): "nameeng",
		}
		if o.element != "roles" {
			bodies[wrap(strings.Replace(item, `"role":{"_id":5,`, `"role":{"id":5,`, 1))] = "userdetails.role._id"
		}
		for body, missing := range bodies {
			t.Run(o.op+" "+body, func(t *testing.T) {
				t.Parallel()
				c, _ := answering(t, http.StatusCreated, body)
				err := o.call(context.Background(), c)
				if err == nil {
					t.Fatal("a hollow answer was taken as success")
				}
				var api *usermgmt.APIError
				if !errors.As(err, &api) || api.StatusCode != http.StatusCreated || api.Operation != o.op {
					t.Fatalf("err = %#v; want an APIError of %s with status 201", err, o.op)
				}
				if !strings.HasPrefix(api.Message, "incomplete answer: missing ") || !strings.Contains(api.Message, missing) {
					t.Errorf("message = %q; want an incomplete answer missing %s", api.Message, missing)
				}
				var unknown *usermgmt.OutcomeUnknownError
				if errors.As(err, &unknown) != o.changes || errors.Is(err, usermgmt.ErrOutcomeUnknown) != o.changes {
					t.Errorf("err = %v; outcome unknown should be %v", err, o.changes)
				}
			})
		}
		t.Run(o.op+" complete", func(t *testing.T) {
			t.Parallel()
			c, _ := answering(t, http.StatusOK, wrap(item))
			if err := o.call(context.Background(), c); err != nil {
				t.Fatalf("a complete answer failed: %v", err)
			}
		})
	}
}

// TestUsernameMustBeAnEmail: the username is an e-mail address; anything
// else is refused before sending.
func TestUsernameMustBeAnEmail(t *testing.T) {
	t.Parallel()
	c, n := answering(t, http.StatusOK, `{"user":`+fullUser+`}`)
	ctx := context.Background()
	for _, name := range []string{"not-an-email", " sp@example.com ", "sp@example.com ", "Jane <jane@example.com>",
		"a@", "@example.com", "a b@example.com", "", "a@example.com\n"} {
		_, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: name, RoleID: 5, Password: "pw-123456"})
		var in *usermgmt.InputError
		if !errors.As(err, &in) || in.Field != "Username" || in.Operation != "createUser" {
			t.Errorf("username %q: err = %v; want an InputError on Username", name, err)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d requests sent for invalid usernames", got)
	}
	for _, name := range []string{"a@example.com", "first.last+tag@sub.example.co.uk", "1111@gmail.com"} {
		if _, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: name, RoleID: 5, Password: "pw-123456"}); err != nil {
			t.Errorf("username %q: %v", name, err)
		}
	}
}

// TestClientFormat prints the client with every verb and as JSON: only
// its base URL shows, never the token.
func TestClientFormat(t *testing.T) {
	t.Parallel()
	const token = "SECRET-TOKEN-55cc"
	c, err := vendorusers.New(vendorusers.Config{BaseURL: "https://station.example.com/", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	holder := struct{ C *vendorusers.Client }{c}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if s := fmt.Sprintf(verb, c); s != "vendorusers.Client{https://station.example.com}" {
			t.Errorf("%s = %s", verb, s)
		}
		if s := fmt.Sprintf(verb, holder); strings.Contains(s, token) {
			t.Errorf("%s of a holder = %s", verb, s)
		}
	}
	j, err := json.Marshal(holder)
	if err != nil || strings.Contains(string(j), token) {
		t.Errorf("JSON = %s, %v", j, err)
	}
}

// TestCreateUserInputFormat prints a create input holding a password with
// every verb, directly and behind a pointer inside another value.
func TestCreateUserInputFormat(t *testing.T) {
	t.Parallel()
	const pw = "SECRET-PW-66dd"
	in := vendorusers.CreateUserInput{Username: "a@example.com", RoleID: 5, Password: pw}
	holder := struct{ In any }{&in}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{in, &in, holder} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, pw) {
				t.Errorf("%s of %T shows the password: %s", verb, v, s)
			}
		}
	}
	if s := fmt.Sprintf("%#v", in); !strings.HasPrefix(s, "vendorusers.CreateUserInput{") || !strings.Contains(s, "a@example.com") {
		t.Errorf("%%#v = %s", s)
	}
	j, err := json.Marshal(holder)
	if err != nil || strings.Contains(string(j), pw) {
		t.Errorf("JSON = %s, %v", j, err)
	}
}
