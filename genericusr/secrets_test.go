package genericusr_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestSecretsNeverLeak runs every operation through success and failure
// with canary credentials and passwords and debug logging on, and checks
// that no canary reaches a log record, an error string, or the printed form
// of anything the SDK returns or was given.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const (
		basicPassword = "canary-basic-password-8c2e"
		wrongPassword = "canary-wrong-password-41a7"
		userPassword  = "canary-user-password-a9d0"
		newPassword   = "canary-new-password-77f3"
	)
	srv := genericusrtest.NewServer(genericusrtest.WithCredentials("admin", basicPassword))
	t.Cleanup(srv.Close)
	var logs syncBuffer
	cfg := srv.Config()
	c, err := genericusr.New(cfg, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var printed []any // everything the SDK returned or was given, errors included
	keep := func(v any, err error) {
		printed = append(printed, v)
		if err != nil {
			printed = append(printed, err, err.Error())
		}
	}
	add := genericusr.AddUserInput{ContactName: "Canary", EmailAddress: "canary@example.com",
		DefaultAccountID: genericusrtest.AccountID, Username: "canary", Password: userPassword}
	modify := genericusr.ModifyUserInput{Password: ptr(usermgmt.Secret(newPassword))}
	printed = append(printed, add, &add, modify, &modify)

	u, err := c.AddUser(ctx, add)
	keep(u, err)
	if err != nil {
		t.Fatal(err)
	}
	keep(c.AddUser(ctx, add)) // conflict
	keep(c.GetUser(ctx, u.ID))
	keep(c.GetUser(ctx, 999))
	keep(usermgmt.Collect(c.ListUsers(ctx, genericusrtest.AccountID)))
	keep(c.ModifyUser(ctx, u.ID, modify))
	keep(c.ModifyUser(ctx, 999, modify))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getUser", Status: 500, Times: 10})
	keep(c.GetUser(ctx, u.ID))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "addUser"})
	add2 := add
	add2.Username = "canary2"
	keep(c.AddUser(ctx, add2))
	keep(nil, c.DeleteUser(ctx, u.ID))
	keep(nil, c.DeleteUser(ctx, u.ID))
	d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID})
	keep(d, err)
	du, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Username: "canary3", Email: "c3@example.com", Name: "C 3", Password: userPassword})
	keep(du, err)
	if err != nil {
		t.Fatal(err)
	}
	keep(d.UpdateUser(ctx, du.ID, usermgmt.UpdateUserInput{Password: ptr(usermgmt.Secret(newPassword))}))
	keep(d.UpdateUser(ctx, "999", usermgmt.UpdateUserInput{Password: ptr(usermgmt.Secret(newPassword))}))

	bad := cfg
	bad.Password = wrongPassword
	badClient, err := genericusr.New(bad, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	keep(badClient.GetUser(ctx, 1))
	keep(badClient.AddUser(ctx, add))
	printed = append(printed, cfg, &cfg, bad, c, badClient)

	canaries := []string{basicPassword, wrongPassword, userPassword, newPassword}
	for _, pw := range []string{basicPassword, wrongPassword} {
		canaries = append(canaries, base64.StdEncoding.EncodeToString([]byte("admin:"+pw)))
	}
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
	for _, want := range []string{"usermgmt: request", "status=401", "status=500", "Authorization"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("debug log has no %q: the test would prove nothing", want)
		}
	}
	id, _ := strconv.ParseInt(du.ID, 10, 64)
	if pw, _ := srv.Password(id); pw != newPassword {
		t.Fatal("the passwords were not actually sent: the test would prove nothing")
	}
}
