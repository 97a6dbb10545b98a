package genericusr_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// operations calls every operation of a client once, keyed by the
// specification's operationId; usePUT selects the PUT variants.
func operations(c *genericusr.Client, usePUT bool) map[string]func(context.Context) error {
	suffix := ""
	if usePUT {
		suffix = "Put"
	}
	return map[string]func(context.Context) error{
		"getUserListByAccountId": func(ctx context.Context) error { _, err := usermgmt.Collect(c.ListUsers(ctx, 2)); return err },
		"getUser":                func(ctx context.Context) error { _, err := c.GetUser(ctx, 21); return err },
		"addUser" + suffix: func(ctx context.Context) error {
			_, err := c.AddUser(ctx, genericusr.AddUserInput{ContactName: "John Doe", EmailAddress: "jhn.doe@example.com",
				DefaultAccountID: 1, Username: "test", Password: "test-password"})
			return err
		},
		"modifyUser" + suffix: func(ctx context.Context) error {
			name := "John"
			_, err := c.ModifyUser(ctx, 21, genericusr.ModifyUserInput{ContactName: &name})
			return err
		},
		"deleteUser": func(ctx context.Context) error { return c.DeleteUser(ctx, 21) },
	}
}

// answering starts a server that answers every call with status and body.
func answering(t *testing.T, status int, body string, usePUT bool) *genericusr.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := genericusr.New(genericusr.Config{BaseURL: srv.URL, Username: "u", Password: "p", UsePUT: usePUT},
		usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestModifySendsActiveAsTheSeedDoes(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	srv.AddUser(genericusr.User{ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "test", Active: true})
	srv.SetPassword(21, "secret")
	for _, active := range []bool{false, true} {
		srv.ResetJournal()
		if _, err := c.ModifyUser(context.Background(), 21, genericusr.ModifyUserInput{Active: &active}); err != nil {
			t.Fatal(err)
		}
		want := `{"active":"0"}`
		if active {
			want = `{"active":"1"}`
		}
		if got := string(one(t, srv, "modifyUser").Body); got != want {
			t.Errorf("body = %s, want %s (the seed's string form)", got, want)
		}
	}
}

func TestHollowAnswersAreNotSuccesses(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`null`, `{}`, `{"contactName":"John Doe","active":"1"}`, `[{"contactName":"x"}]`} {
		for _, usePUT := range []bool{false, true} {
			for op, call := range operations(answering(t, http.StatusOK, body, usePUT), usePUT) {
				err := call(context.Background())
				if op == "deleteUser" {
					if err != nil { // the spec lets a delete answer anything
						t.Errorf("%s answered %s: %v", op, body, err)
					}
					continue
				}
				var ae *usermgmt.APIError
				if !errors.As(err, &ae) || !strings.HasPrefix(ae.Message, "incomplete answer: missing ") || ae.StatusCode != http.StatusOK || ae.Operation != op {
					t.Errorf("%s answered %s: err = %v, want an incomplete-answer APIError", op, body, err)
					continue
				}
				write := strings.HasPrefix(op, "addUser") || strings.HasPrefix(op, "modifyUser")
				if write != errors.Is(err, usermgmt.ErrOutcomeUnknown) {
					t.Errorf("%s answered %s: err = %v: a write must report an unknown outcome, a read must not", op, body, err)
				}
			}
		}
	}
}

func TestErrorsNameTheOperation(t *testing.T) {
	t.Parallel()
	bodies := map[int]string{
		http.StatusOK:                  `{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
		http.StatusNotFound:            `{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
		http.StatusInternalServerError: `{"error":"boom"}`,
	}
	for status, body := range bodies {
		for _, usePUT := range []bool{false, true} {
			for op, call := range operations(answering(t, status, body, usePUT), usePUT) {
				err := call(context.Background())
				var ae *usermgmt.APIError
				if !errors.As(err, &ae) || ae.Operation != op || ae.StatusCode != status {
					t.Errorf("%d %s: err = %#v, want an APIError of %s with status %d", status, op, err, op, status)
				}
				var ou *usermgmt.OutcomeUnknownError
				if errors.As(err, &ou) && ou.Operation != op {
					t.Errorf("%d %s: OutcomeUnknownError.Operation = %q", status, op, ou.Operation)
				}
			}
		}
	}
}

func TestNilContextIsInvalidInput(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil, nil)
	for op, call := range operations(c, false) {
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
		if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &in) || in.Field != "ctx" || in.Operation != op {
			t.Errorf("%s: err = %v, want an InputError on ctx", op, err)
		}
	}
}

func TestClientFormatShowsOnlyTheBaseURL(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil, nil)
	want := "genericusr.Client{" + srv.URL + "}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(verb, c); got != want {
			t.Errorf("%s: %s, want %s", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%q", c); strings.Contains(got, genericusrtest.Password) || !strings.Contains(got, srv.URL) {
		t.Errorf("%%q: %s", got)
	}
}
