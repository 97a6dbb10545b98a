package dbsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// operations calls every operation of the client once, keyed by the
// specification's operationId.
func operations(c *dbsync.Client) map[string]func(context.Context) error {
	u := dbsync.EndUser{Company: "Acme Corp", UserName: "jdoe"}
	return map[string]func(context.Context) error{
		"registerUser":     func(ctx context.Context) error { _, err := c.RegisterUser(ctx, u); return err },
		"unregisterUser":   func(ctx context.Context) error { return c.UnregisterUser(ctx, u) },
		"authenticateUser": func(ctx context.Context) error { _, err := c.AuthenticateUser(ctx, u); return err },
		"licenseDetails": func(ctx context.Context) error {
			_, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{})
			return err
		},
		"licenseDetails/iterator": func(ctx context.Context) error {
			_, err := usermgmt.Collect(c.Licenses(ctx, dbsync.LicenseFilter{}))
			return err
		},
	}
}

// writes are the operations that change state.
var writes = map[string]bool{"registerUser": true, "unregisterUser": true}

// answering starts a server that answers every call with status and body.
func answering(t *testing.T, status int, body string) *dbsync.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := dbsync.New(dbsync.Config{BaseURL: srv.URL, PartnerAppKey: "key-canary-1", PartnerAppToken: "token-canary-2"},
		usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHollowAnswersAreNotSuccesses(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`null`, `{}`, `{"value":null}`, `{"other":[]}`} {
		for op, call := range operations(answering(t, http.StatusOK, body)) {
			op = strings.TrimSuffix(op, "/iterator")
			err := call(context.Background())
			var ae *usermgmt.APIError
			if !errors.As(err, &ae) || !strings.HasPrefix(ae.Message, "incomplete answer: missing ") || ae.StatusCode != http.StatusOK || ae.Operation != op {
				t.Errorf("%s answered %s: err = %v, want an incomplete-answer APIError", op, body, err)
				continue
			}
			if writes[op] != errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Errorf("%s answered %s: err = %v: a write must report an unknown outcome, a read must not", op, body, err)
			}
		}
	}
}

func TestErrorsNameTheOperation(t *testing.T) {
	t.Parallel()
	bodies := map[int]string{
		http.StatusOK:                  `{"value":[{"userName":"jdoe","errorMessage":["User does not exist"]}]}`,
		http.StatusNotFound:            `{"message":"no such path"}`,
		http.StatusInternalServerError: `{"message":"boom"}`,
	}
	for status, body := range bodies {
		for op, call := range operations(answering(t, status, body)) {
			op = strings.TrimSuffix(op, "/iterator")
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
	// An answer that names nobody carries its status too.
	for op, call := range operations(answering(t, http.StatusOK, `{"value":[]}`)) {
		op = strings.TrimSuffix(op, "/iterator")
		err := call(context.Background())
		if op == "unregisterUser" || op == "licenseDetails" {
			if err != nil {
				t.Errorf("%s answered an empty list: %v", op, err)
			}
			continue
		}
		var ae *usermgmt.APIError
		if !errors.As(err, &ae) || ae.Operation != op || ae.StatusCode != http.StatusOK {
			t.Errorf("%s answered an empty list: err = %#v, want an APIError with status 200", op, err)
		}
	}
}

func TestNilContextIsInvalidInput(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	for op, call := range operations(c) {
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
		if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &in) || in.Field != "ctx" || in.Operation != strings.TrimSuffix(op, "/iterator") {
			t.Errorf("%s: err = %v, want an InputError on ctx", op, err)
		}
	}
}

func TestNewRequiresAnEnvironment(t *testing.T) {
	t.Parallel()
	cred := dbsync.Config{PartnerAppKey: "k", PartnerAppToken: "t"}
	for name, cfg := range map[string]dbsync.Config{
		"neither":      cred,
		"version only": {Version: "appcenter-2-2", PartnerAppKey: "k", PartnerAppToken: "t"},
	} {
		var in *usermgmt.InputError
		if _, err := dbsync.New(cfg); !errors.As(err, &in) || in.Field != "Environment" {
			t.Errorf("%s: err = %v, want an InputError on Environment", name, err)
		}
	}
	for env, want := range map[string]string{
		dbsync.Staging:    "https://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner",
		dbsync.Production: dbsync.EndpointURL(dbsync.Production, dbsync.DefaultVersion),
	} {
		cfg := cred
		cfg.Environment = env
		c, err := dbsync.New(cfg)
		if err != nil || c.BaseURL() != want {
			t.Errorf("Environment %q: %v, %v; want %s", env, c, err, want)
		}
	}
	if dbsync.Production == dbsync.Staging || dbsync.Production == "" {
		t.Errorf("Production = %q", dbsync.Production)
	}
}

func TestClientFormatShowsOnlyTheBaseURL(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	want := "dbsync.Client{" + srv.URL + "}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(verb, c); got != want {
			t.Errorf("%s: %s, want %s", verb, got, want)
		}
		if got := fmt.Sprintf(verb, *c); got != want {
			t.Errorf("%s of the value: %s, want %s", verb, got, want)
		}
	}
}

// TestEchoedCredentialsAreDropped checks that a server echoing the
// write-only partner credentials in a license item does not get them into
// License.Extra, where they would print and encode.
func TestEchoedCredentialsAreDropped(t *testing.T) {
	t.Parallel()
	const body = `{"value":[{"companyId":"9877","userId":"5773","userName":"jdoe","errorMessage":[],` +
		`"partnerAppKey":"key-canary-1","PartnerAppToken":"token-canary-2","seats":3}]}`
	c := answering(t, http.StatusOK, body)
	var got []any
	l, err := c.AuthenticateUser(context.Background(), dbsync.EndUser{Company: "Acme Corp", UserName: "jdoe"})
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, l, *l)
	ls, err := c.LicenseDetails(context.Background(), dbsync.LicenseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, ls)
	var out strings.Builder
	for _, v := range got {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(b)
	}
	for _, canary := range []string{"key-canary-1", "token-canary-2"} {
		if strings.Contains(out.String(), canary) {
			t.Errorf("%s shows in the results:\n%s", canary, out.String())
		}
	}
	if string(l.Extra["seats"]) != "3" {
		t.Errorf("Extra = %v, want the other unknown fields kept", l.Extra)
	}
	var decoded dbsync.License
	if err := json.Unmarshal([]byte(`{"userName":"x","partnerAppToken":"token-canary-2"}`), &decoded); err != nil || decoded.Extra != nil {
		t.Errorf("decoding a License kept %v (%v)", decoded.Extra, err)
	}
}
