package dbsync_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestSecretsNeverLeak runs every operation through success and failure
// with canary credentials and debug logging on, and checks that no canary
// reaches a log record, an error string, or the printed form of anything
// the SDK returns, the Config and the Client included.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const key, token = "canary-partner-key-8c1e", "canary-partner-token-41fa"
	const wrongKey = "canary-wrong-key-93d0"
	srv := dbsynctest.NewServer(dbsynctest.WithCredentials(key, token), dbsynctest.WithQuota(1))
	t.Cleanup(srv.Close)
	var logs syncBuffer
	cfg := srv.Config()
	c, err := dbsync.New(cfg, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var printed []any
	keep := func(v any, err error) {
		printed = append(printed, v)
		if err != nil {
			printed = append(printed, err, err.Error())
		}
	}
	keepErr := func(err error) { keep(nil, err) }

	keep(c.RegisterUser(ctx, jdoe))
	keep(c.RegisterUser(ctx, jdoe))                                           // conflict
	keep(c.RegisterUser(ctx, dbsync.EndUser{Company: "Acme", UserName: "x"})) // quota
	keep(c.AuthenticateUser(ctx, jdoe))
	keep(c.AuthenticateUser(ctx, dbsync.EndUser{Company: "Acme", UserName: "nobody"}))
	keep(c.LicenseDetails(ctx, dbsync.LicenseFilter{}))
	keep(usermgmt.Collect(c.Licenses(ctx, dbsync.LicenseFilter{Company: "Acme Corp"})))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "licenseDetails", Status: 500, Times: 10})
	keep(c.LicenseDetails(ctx, dbsync.LicenseFilter{}))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "registerUser"})
	keep(c.RegisterUser(ctx, dbsync.EndUser{Company: "Globex", UserName: "y"}))
	keepErr(c.UnregisterUser(ctx, jdoe))
	keepErr(c.UnregisterUser(ctx, jdoe)) // not registered
	keep(c.RegisterUser(ctx, dbsync.EndUser{Company: "", UserName: "x"}))

	d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: "Acme Corp"})
	if err != nil {
		t.Fatal(err)
	}
	keep(d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "z", Password: "canary-user-password-77"}))
	keep(usermgmt.Collect(d.ListUsers(ctx, nil)))
	keep(d.GetUser(ctx, "missing"))

	bad := cfg
	bad.PartnerAppKey = wrongKey
	badClient, err := dbsync.New(bad, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	keep(badClient.LicenseDetails(ctx, dbsync.LicenseFilter{}))
	keep(badClient.RegisterUser(ctx, jdoe))
	printed = append(printed, cfg, bad, &cfg, c, badClient, d, *c)

	var out strings.Builder
	out.WriteString(logs.String())
	for _, v := range printed {
		fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", v, v, v, v)
	}
	for _, canary := range []string{key, token, wrongKey, "canary-user-password-77"} {
		if i := strings.Index(out.String(), canary); i >= 0 {
			t.Errorf("canary %q leaked: …%s…", canary, out.String()[max(0, i-300):i])
		}
	}
	if !strings.Contains(logs.String(), "usermgmt: request") {
		t.Fatal("debug logging produced no records: the test would prove nothing")
	}
	if !strings.Contains(only(srv, "registerUser")[0].Header.Get("Content-Type"), "json") ||
		!strings.Contains(string(only(srv, "registerUser")[0].Body), key) {
		t.Fatal("the canary key was not sent: the test would prove nothing")
	}
}

// TestSecretsScrubbedFromEchoes checks that a server echoing the
// credentials in its messages does not leak them through the error.
func TestSecretsScrubbedFromEchoes(t *testing.T) {
	t.Parallel()
	const key = "canary-echoed-key-5b2a"
	c := answerWith(t, key, wrapped("Invalid partnerAppKey "+key))
	_, err := c.RegisterUser(context.Background(), jdoe)
	if err == nil || strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), key) {
		t.Errorf("error = %v: the echoed key is not scrubbed", err)
	}
}
