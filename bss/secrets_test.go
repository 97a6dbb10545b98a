//lint:file-ignore SA1019 the deprecated legacy endpoints carry passwords too and are checked on purpose

package bss_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestSecretsNeverLeak runs success and failure paths with canary
// credentials and passwords and debug logging on, and looks for the canaries
// in the log, in every error, and in the printed values.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const (
		key      = "CANARY-APIKEY-7f3a9c"
		wrongKey = "CANARY-WRONGKEY-1b2c3d"
		pw1      = "CANARY-PW1-5e6f7a"
		pw2      = "CANARY-PW2-8b9c0d"
		pw3      = "CANARY-PW3-legacy"
	)
	canaries := []string{key, wrongKey, pw1, pw2, pw3}
	var logs syncBuffer
	srv, c := setup(t, []bsstest.Option{bsstest.WithCredentials(key)}, usermgmt.WithLogger(debugLogger(&logs)))
	wrongCfg := bss.Config{BaseURL: srv.URL, APIKey: wrongKey}
	wrong, err := bss.New(wrongCfg, fastRetries(), usermgmt.WithLogger(debugLogger(&logs)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var printed []any
	var errs []error
	keep := func(v any, err error) {
		printed = append(printed, v)
		if err != nil {
			errs = append(errs, err)
		}
	}

	in := bss.CreateUserInput{Email: "canary@example.com", Password: pw1}
	u, err := c.CreateUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	keep(in, nil)
	keep(u, nil)
	up := bss.UpdateUserInput{Password: ptr(usermgmt.Secret(pw2))}
	keep(c.UpdateUser(ctx, u.ID, up))
	keep(up, nil)
	keep(c.GetUser(ctx, u.ID))
	keep(c.ListUsersPage(ctx, 0, nil))
	lu := bss.LegacyUser{Email: "legacy@example.com", Password: pw3}
	keep(c.Legacy().CreateUser(ctx, lu))
	keep(lu, nil)
	keep(c.Legacy().ListUsers(ctx))
	keep(c.Legacy().UpdateUser(ctx, "legacy@example.com", lu))

	// failures: wrong key, conflict, not found, 5xx with retries, unknown outcome
	keep(wrong.GetUser(ctx, u.ID))
	keep(wrong.CreateUser(ctx, bss.CreateUserInput{Email: "x@example.com", Password: pw1}))
	keep(c.CreateUser(ctx, in))
	keep(c.UpdateUser(ctx, "missing", up))
	keep(c.Legacy().UpdateUser(ctx, "missing@example.com", lu))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: http.StatusServiceUnavailable, Times: 10})
	keep(c.GetUser(ctx, u.ID))
	srv.ClearFaults()
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	keep(c.CreateUser(ctx, bss.CreateUserInput{Email: "drop@example.com", Password: pw1}))
	keep(nil, c.DeleteUser(ctx, "missing"))
	_, err = bss.New(bss.Config{BaseURL: srv.URL, APIKey: key + "\n"})
	keep(nil, err)
	keep(nil, errors.Join(errs...))

	if len(errs) < 9 {
		t.Fatalf("only %d failures happened; the test lost its failure paths: %v", len(errs), errs)
	}
	if !strings.Contains(logs.String(), "Authorization") {
		t.Fatal("the log has no request headers: is debug logging on?")
	}
	printed = append(printed, srv.Config(), wrongCfg, c, wrong)
	var texts []string
	texts = append(texts, logs.String())
	for _, e := range errs {
		texts = append(texts, e.Error(), fmt.Sprintf("%v %+v %#v", e, e, e))
	}
	for _, v := range printed {
		texts = append(texts, fmt.Sprintf("%v %+v %#v", v, v, v))
	}
	for _, text := range texts {
		for _, canary := range canaries {
			if strings.Contains(text, canary) {
				t.Errorf("canary %s leaked into: %.300s", canary, text)
			}
		}
	}
}
