package vendorusers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// TestSecretsNeverLeak runs every operation through success and failure
// with canary credentials and passwords and debug logging on, and checks
// that no canary reaches a log record, an error string, or the printed
// form of anything the SDK returns or was configured with.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const (
		token      = "canary-token-8e3b1"
		wrongToken = "canary-wrong-token-13a7"
		password   = "canary-password-41f0"
		apiKey     = "canary-apikey-9c2d"
	)
	srv := vendoruserstest.NewServer(vendoruserstest.WithCredentials(token))
	t.Cleanup(srv.Close)
	var logs syncBuffer
	logged := usermgmt.WithLogger(debugLogger(&logs))
	cfg := srv.Config()
	c, err := vendorusers.New(cfg, fastRetries(), logged)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var printed []any // everything the SDK returned, errors included
	keep := func(v any, err error) {
		printed = append(printed, v)
		if err != nil {
			printed = append(printed, err, err.Error())
		}
	}
	in := vendorusers.CreateUserInput{Username: "canary@example.com", RoleID: 5, Password: password}
	u, err := c.CreateUser(ctx, in)
	keep(u, err)
	if err != nil {
		t.Fatal(err)
	}
	keep(c.CreateUser(ctx, in)) // conflict
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	keep(c.CreateUser(ctx, vendorusers.CreateUserInput{Username: "drop@example.com", RoleID: 5, Password: password}))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: 500})
	keep(c.CreateUser(ctx, vendorusers.CreateUserInput{Username: "fail@example.com", RoleID: 5, Password: password}))
	keep(usermgmt.Collect(c.ListUsers(ctx, nil)))
	keep(c.ListUsersPage(ctx, 0, 10, &vendorusers.ListUsersOptions{Archived: ptr(false)}))
	keep(c.ListRoles(ctx))
	keep(c.SetActive(ctx, u.ID, false))
	keep(c.Archive(ctx, u.ID, true))
	keep(c.UpdateUser(ctx, 99, vendorusers.UpdateUserInput{FirstName: ptr("x")}))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 503, Times: 10})
	keep(c.ListRoles(ctx))

	d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	keep(d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "dir@example.com", Password: password}))
	keep(d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "dir@example.com", Password: password}))

	bad := cfg
	bad.Token = wrongToken
	badClient, err := vendorusers.New(bad, fastRetries(), logged)
	if err != nil {
		t.Fatal(err)
	}
	keep(badClient.ListRoles(ctx))
	keep(badClient.CreateUser(ctx, in))

	// A custom scheme's header is redacted from logs too.
	keyed := vendorusers.Config{BaseURL: srv.URL, Auth: vendorusers.AuthenticatorFunc(func(r *http.Request) error {
		r.Header.Set("X-Api-Key", apiKey)
		return nil
	})}
	keyClient, err := vendorusers.New(keyed, fastRetries(), logged)
	if err != nil {
		t.Fatal(err)
	}
	keep(keyClient.ListRoles(ctx)) // 401: the fake wants its bearer token

	// A server that echoes the token in its error message is scrubbed.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 9, "message": "bad header " + r.Header.Get("Authorization")})
	}))
	t.Cleanup(echo.Close)
	echoCfg := vendorusers.Config{BaseURL: echo.URL, Token: token}
	echoClient, err := vendorusers.New(echoCfg, fastRetries(), logged)
	if err != nil {
		t.Fatal(err)
	}
	keep(echoClient.ListRoles(ctx))
	printed = append(printed, cfg, bad, keyed, echoCfg, in, c, badClient, keyClient, d)

	var out strings.Builder
	out.WriteString(logs.String())
	for _, v := range printed {
		fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", v, v, v, v)
	}
	for _, canary := range []string{token, wrongToken, password, apiKey} {
		if i := strings.Index(out.String(), canary); i >= 0 {
			t.Errorf("canary %q leaked: …%s…", canary, out.String()[max(0, i-300):i])
		}
	}
	for _, want := range []string{"usermgmt: request", "X-Api-Key=[REDACTED]", "Authorization=[REDACTED]"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("debug log lacks %q: the test would prove nothing", want)
		}
	}
}
