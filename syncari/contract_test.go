package syncari_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// operations calls every operation of the client once, keyed by the
// specification's operationId.
func operations(c *syncari.Client) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"getRoles": func(ctx context.Context) error { _, err := c.ListRoles(ctx); return err },
		"getUsers": func(ctx context.Context) error { _, err := usermgmt.Collect(c.ListUsers(ctx, nil)); return err },
		"createUser": func(ctx context.Context) error {
			_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "a@example.com"})
			return err
		},
		"deactivateUser": func(ctx context.Context) error { _, err := c.DeactivateUser(ctx, "u1"); return err },
		"activateUser":   func(ctx context.Context) error { _, err := c.ActivateUser(ctx, "u1"); return err },
		"setUserRoles": func(ctx context.Context) error {
			_, err := c.SetUserRoles(ctx, "u1", syncari.Roles{"YUBV99": {"Viewer"}})
			return err
		},
		"removeUserRole": func(ctx context.Context) error { _, err := c.RemoveUserRole(ctx, "u1", "role-1"); return err },
	}
}

// writes are the operations that change state.
var writes = map[string]bool{"createUser": true, "deactivateUser": true, "activateUser": true, "setUserRoles": true, "removeUserRole": true}

// answering starts a server that answers every call with status and body.
func answering(t *testing.T, status int, body string) *syncari.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := syncari.New(syncari.Config{BaseURL: srv.URL, Token: "static-token", InstanceID: "YUBV99"}, usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSetUserRolesClearsTheRolesOfAnInstance(t *testing.T) {
	t.Parallel()
	for name, none := range map[string][]string{"nil": nil, "empty": {}} {
		srv, c := setup(t, nil)
		u := srv.AddUser(seedUser())
		got, err := c.SetUserRoles(context.Background(), u.ID, syncari.Roles{"YUBV99": none, "RR0VPW": {"Viewer"}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r := got.Roles["YUBV99"]; len(r) != 0 || len(got.Roles["RR0VPW"]) != 1 {
			t.Errorf("%s: roles = %v", name, got.Roles)
		}
		body := string(only(srv, "setUserRoles")[0].Body)
		if !strings.Contains(body, `"YUBV99":[]`) {
			t.Errorf("%s: body = %s, want an empty list for the instance", name, body)
		}
		d := newDirectory(t, c)
		du, err := d.SetRoles(context.Background(), u.ID, none)
		if err != nil {
			t.Fatalf("%s: Directory.SetRoles: %v", name, err)
		}
		if len(du.Roles) != 0 {
			t.Errorf("%s: Directory roles = %v", name, du.Roles)
		}
	}
}

func TestSuccessFalseCarriesTheBodysMessage(t *testing.T) {
	t.Parallel()
	const body = `{"success":false,"requestId":"42","timestamp":"2022-05-09T04:58:37.744257Z","message":"instance YUBV99 is locked"}`
	for op, call := range operations(answering(t, http.StatusOK, body)) {
		err := call(context.Background())
		var ae *usermgmt.APIError
		if !errors.As(err, &ae) {
			t.Errorf("%s: err = %v, want an APIError", op, err)
			continue
		}
		if ae.Message != "instance YUBV99 is locked" || ae.StatusCode != http.StatusOK || ae.RequestID != "42" || ae.Operation != op {
			t.Errorf("%s: error = %+v", op, ae)
		}
	}
}

func TestHollowAnswersAreNotSuccesses(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"null":         `null`,
		"{}":           `{}`,
		"no result":    `{"success":true,"requestId":"1","timestamp":"2022-05-09T04:58:37Z"}`,
		"result {}":    `{"success":true,"requestId":"1","timestamp":"2022-05-09T04:58:37Z","result":{}}`,
		"item no id":   `{"success":true,"requestId":"1","timestamp":"2022-05-09T04:58:37Z","result":[{"email":"a@example.com","status":"ACTIVE","name":"n"}]}`,
		"null success": `{"success":null,"requestId":"1","timestamp":"2022-05-09T04:58:37Z","result":[]}`,
	}
	for name, body := range bodies {
		c := answering(t, http.StatusOK, body)
		for op, call := range operations(c) {
			err := call(context.Background())
			var ae *usermgmt.APIError
			if !errors.As(err, &ae) || !strings.HasPrefix(ae.Message, "incomplete answer: missing ") || ae.StatusCode != http.StatusOK || ae.Operation != op {
				if name == "item no id" && (op == "getRoles" || op == "getUsers") || name != "item no id" && name != "result {}" || (name == "result {}" && op != "getRoles" && op != "getUsers") {
					t.Errorf("%s, %s: err = %v, want an incomplete-answer APIError", name, op, err)
				}
				continue
			}
			if writes[op] != errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Errorf("%s, %s: err = %v: a write must report an unknown outcome, a read must not", name, op, err)
			}
		}
	}
}

func TestErrorsNameTheOperation(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusNotFound, http.StatusInternalServerError} {
		c := answering(t, status, `{"success":false,"message":"no"}`)
		for op, call := range operations(c) {
			err := call(context.Background())
			var ae *usermgmt.APIError
			if !errors.As(err, &ae) || ae.Operation != op || ae.StatusCode != status {
				t.Errorf("%d %s: err = %#v, want an APIError of %s with the status", status, op, err, op)
			}
			var ou *usermgmt.OutcomeUnknownError
			if errors.As(err, &ou) && ou.Operation != op {
				t.Errorf("%d %s: OutcomeUnknownError.Operation = %q", status, op, ou.Operation)
			}
		}
	}
	// Input errors name the operation too.
	c := answering(t, http.StatusOK, `{}`)
	inputs := map[string]func() error{
		"getUsers": func() error {
			_, err := c.ListUsersPage(context.Background(), "", &syncari.ListUsersOptions{PageSize: -1})
			return err
		},
		"createUser":     func() error { _, err := c.CreateUser(context.Background(), syncari.CreateUserInput{}); return err },
		"deactivateUser": func() error { _, err := c.DeactivateUser(context.Background(), ""); return err },
		"activateUser":   func() error { _, err := c.ActivateUser(context.Background(), ""); return err },
		"setUserRoles":   func() error { _, err := c.SetUserRoles(context.Background(), "", nil); return err },
		"removeUserRole": func() error { _, err := c.RemoveUserRole(context.Background(), "u", ""); return err },
	}
	for op, call := range inputs {
		var in *usermgmt.InputError
		if err := call(); !errors.As(err, &in) || in.Operation != op {
			t.Errorf("%s: err = %v, want an InputError of %s", op, err, op)
		}
	}
}

func TestTokenErrorsNameGetToken(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusBadRequest, http.StatusInternalServerError} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = fmt.Fprint(w, `{"error":"invalid_client","error_description":"no"}`)
		}))
		c, err := syncari.New(syncari.Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "secret", InstanceID: "YUBV99"}, usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		for name, call := range map[string]func() error{
			"Token":     func() error { _, err := c.Token(context.Background()); return err },
			"ListRoles": func() error { _, err := c.ListRoles(context.Background()); return err },
		} {
			var ae *usermgmt.APIError
			if err := call(); !errors.As(err, &ae) || ae.Operation != "getToken" || ae.StatusCode != status {
				t.Errorf("%d %s: err = %#v, want an APIError of getToken with the status", status, name, err)
			}
		}
		srv.Close()
	}
}

func TestNilContextIsInvalidInput(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	calls := operations(c)
	calls["getToken"] = func(ctx context.Context) error { _, err := c.Token(ctx); return err }
	calls["getUsers/page"] = func(ctx context.Context) error { _, err := c.ListUsersPage(ctx, "", nil); return err }
	for op, call := range calls {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			err = call(nil) //nolint:staticcheck // the nil context is the point
		}()
		var in *usermgmt.InputError
		if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &in) || in.Field != "ctx" || in.Operation != strings.TrimSuffix(op, "/page") {
			t.Errorf("%s: err = %v, want an InputError on ctx", op, err)
		}
	}
}

func TestNewRequiresTheInstance(t *testing.T) {
	t.Parallel()
	for _, inst := range []string{"", "  "} {
		_, err := syncari.New(syncari.Config{Token: "t", InstanceID: inst})
		var in *usermgmt.InputError
		if !errors.As(err, &in) || in.Field != "InstanceID" {
			t.Errorf("InstanceID %q: err = %v, want an InputError on InstanceID", inst, err)
		}
	}
	_, c := setup(t, nil)
	if _, err := c.WithInstanceID("").ListRoles(context.Background()); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("WithInstanceID(\"\"): err = %v, want ErrInvalidInput", err)
	}
}

func TestHollowTokenAnswersAreNotSuccesses(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`null`, `{}`, `{"token_type":"Bearer","expires_in":10800}`} {
		c := answering(t, http.StatusOK, body)
		c, err := syncari.New(syncari.Config{BaseURL: baseURL(c), ClientID: "id", ClientSecret: "secret", InstanceID: "YUBV99"}, usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Token(context.Background())
		var ae *usermgmt.APIError
		if !errors.As(err, &ae) || ae.Operation != "getToken" || ae.StatusCode != http.StatusOK || ae.Message != "incomplete answer: missing access_token" {
			t.Errorf("token answer %s: err = %v, want an incomplete-answer APIError of getToken", body, err)
		}
	}
}

// baseURL returns the base URL a client prints.
func baseURL(c *syncari.Client) string {
	return strings.TrimSuffix(strings.TrimPrefix(fmt.Sprint(c), "syncari.Client{"), "}")
}

func TestTokenWithoutAPositiveExpiryIsRefused(t *testing.T) {
	t.Parallel()
	for _, expiry := range []string{`0`, `-5`, `null`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"access_token":"tok-canary","token_type":"Bearer","expires_in":%s}`, expiry)
		}))
		c, err := syncari.New(syncari.Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "secret", InstanceID: "YUBV99"}, usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Token(context.Background())
		var ae *usermgmt.APIError
		if !errors.As(err, &ae) || ae.Operation != "getToken" || ae.StatusCode != http.StatusOK || !strings.Contains(ae.Message, "expires_in") {
			t.Errorf("expires_in %s: err = %v, want an APIError of getToken about expires_in", expiry, err)
		} else if strings.Contains(err.Error(), "tok-canary") {
			t.Errorf("the error shows the token: %v", err)
		}
		srv.Close()
	}
}

func TestClientFormatShowsOnlyTheBaseURL(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	c, err := syncari.New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	want := "syncari.Client{" + srv.URL + "}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(verb, c); got != want {
			t.Errorf("%s: %s, want %s", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%q", c); strings.Contains(got, syncaritest.ClientSecret) || !strings.Contains(got, srv.URL) {
		t.Errorf("%%q: %s", got)
	}
}

func TestResultFormatsRedactTheSecrets(t *testing.T) {
	t.Parallel()
	u := seedUser()
	secret := u.ClientSecret.Reveal()
	tok := syncari.Token{AccessToken: usermgmt.Secret(secret), Type: "Bearer"}
	for _, v := range []any{u, &u, []syncari.User{u}, struct{ U *syncari.User }{&u}, struct{ R any }{&u},
		tok, &tok, []*syncari.Token{&tok}, struct{ T *syncari.Token }{&tok}, struct{ R any }{&tok}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, secret) {
				t.Errorf("%s of %T shows the secret: %s", verb, v, got)
			}
		}
		b, err := json.Marshal(v)
		if err != nil || strings.Contains(string(b), secret) {
			t.Errorf("JSON of %T: %s, %v", v, b, err)
		}
	}
}
