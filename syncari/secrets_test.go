package syncari_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestSecretsNeverLeak runs every operation through success and failure
// with canary credentials and debug logging on, and checks that no canary
// reaches a log record, an error string, or the printed form of anything
// the SDK returns.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const clientSecret = "canary-client-secret-5d1f"
	srv := syncaritest.NewServer(syncaritest.WithCredentials("canary-id", clientSecret))
	t.Cleanup(srv.Close)
	var logs syncBuffer
	cfg := srv.Config()
	c, err := syncari.New(cfg, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
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
	tok, err := c.Token(ctx)
	keep(tok, err)
	u, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "api@example.com", APIUser: true, Roles: syncari.Roles{"YUBV99": {"Viewer"}}})
	keep(u, err)
	if u == nil || u.ClientSecret.IsZero() {
		t.Fatal("the fake returned no clientSecret to check")
	}
	userSecret := u.ClientSecret.Reveal()
	keep(c.CreateUser(ctx, syncari.CreateUserInput{Email: "api@example.com"})) // conflict
	keep(usermgmt.Collect(c.ListUsers(ctx, nil)))
	keep(c.DeactivateUser(ctx, u.ID))
	keep(c.ActivateUser(ctx, u.ID))
	keep(c.DeactivateUser(ctx, "missing"))
	keep(c.SetUserRoles(ctx, u.ID, syncari.Roles{"YUBV99": {"Viewer", "Org Admin"}}))
	keep(c.RemoveUserRole(ctx, u.ID, "role-2"))
	keep(c.ListRoles(ctx))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 500, Times: 10})
	keep(c.ListRoles(ctx))
	srv.ExpireTokens()
	keep(c.ListRoles(ctx))
	tok2, err := c.Token(ctx)
	keep(tok2, err)

	bad := cfg
	bad.ClientSecret = "canary-wrong-secret-77"
	badClient, err := syncari.New(bad, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	keep(badClient.ListRoles(ctx))
	printed = append(printed, cfg, bad, c, badClient)

	canaries := []string{clientSecret, "canary-wrong-secret-77", userSecret, tok.AccessToken.Reveal(), tok2.AccessToken.Reveal()}
	var out strings.Builder
	out.WriteString(logs.String())
	for _, v := range printed {
		fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", v, v, v, v)
	}
	for _, canary := range canaries {
		if i := strings.Index(out.String(), canary); i >= 0 {
			t.Errorf("canary %q leaked: …%s…", canary, out.String()[max(0, i-300):i])
		}
	}
	if !strings.Contains(logs.String(), "usermgmt: request") {
		t.Fatal("debug logging produced no records: the test would prove nothing")
	}
}
