package dbsynctest_test

import (
	"fmt"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
)

// TestLookupByNameFollowsEveryChange: licenseDetails for one company and
// user name finds the user that is registered under exactly that name (the
// API compares names as they are), through register, unregister and a new
// registration of the same name.
func TestLookupByNameFollowsEveryChange(t *testing.T) {
	t.Parallel()
	srv := dbsynctest.NewServer()
	t.Cleanup(srv.Close)
	creds := fmt.Sprintf(`"partnerAppKey":%q,"partnerAppToken":%q`, dbsynctest.PartnerAppKey, dbsynctest.PartnerAppToken)
	call := func(op, company, name string) []any {
		t.Helper()
		status, got := post(t, srv, op, "application/json", fmt.Sprintf(`{%s,"endUserCompany":%q,"endUserName":%q}`, creds, company, name))
		if status != 200 {
			t.Fatalf("%s %s/%s: %d %v", op, company, name, status, got)
		}
		return got["value"].([]any)
	}
	find := func(company, name string) []string { // the userIds licenseDetails answers
		t.Helper()
		var ids []string
		for _, v := range call("licenseDetails", company, name) {
			ids = append(ids, v.(map[string]any)["userId"].(string))
		}
		return ids
	}
	errorOf := func(v []any) any { return v[0].(map[string]any)["errorMessage"] }

	srv.AddUser(dbsync.License{CompanyName: "Acme", UserName: "other"})
	srv.AddUser(dbsync.License{CompanyName: "Globex", UserName: "jdoe"})
	first := call("registerUser", "Acme", "jdoe")[0].(map[string]any)["userId"].(string)
	if got := find("Acme", "jdoe"); len(got) != 1 || got[0] != first {
		t.Fatalf("licenseDetails Acme/jdoe = %v, want [%s]", got, first)
	}
	if got := find("Acme", "JDoe"); len(got) != 0 {
		t.Fatalf("licenseDetails Acme/JDoe = %v, want none (names compare as they are)", got)
	}
	if got := find("", "jdoe"); len(got) != 2 {
		t.Fatalf("licenseDetails of jdoe in every company = %v, want two", got)
	}
	if e := errorOf(call("unregisterUser", "Acme", "jdoe")); len(e.([]any)) != 0 {
		t.Fatalf("unregister: %v", e)
	}
	if got := find("Acme", "jdoe"); len(got) != 0 {
		t.Fatalf("licenseDetails after unregistering = %v, want none", got)
	}
	second := call("registerUser", "Acme", "jdoe")[0].(map[string]any)["userId"].(string)
	if got := find("Acme", "jdoe"); len(got) != 1 || got[0] != second || second == first {
		t.Fatalf("licenseDetails after registering again = %v, want [%s] (a new user, not %s)", got, second, first)
	}
	if e := errorOf(call("registerUser", "Acme", "jdoe")); fmt.Sprint(e) != "[User already exists]" {
		t.Fatalf("registering a registered name: %v", e)
	}
}
