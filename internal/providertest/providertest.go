// Package providertest opens each provider of the module on its in-process
// fake with a *usermgmt.Directory over it: the one set-up shared by the
// cross-provider tests (conformance, fault matrix, secret canary, safety
// checks, provisioning under faults) and the example programs.
package providertest

import (
	"fmt"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// Env is one provider's fake and a Directory over it.
type Env struct {
	// Name is the provider's name, e.g. "bss".
	Name string
	// Dir is the Directory over the provider's client.
	Dir *usermgmt.Directory
	// Fake is the fake server, for injecting faults and reading its
	// journal.
	Fake *usermgmttest.FakeServer
	// URL is the fake's base URL.
	URL string
	// Keys returns the natural key of every user the fake stores, with
	// those a DeleteUser only deactivates or archives, as the fake sees
	// them: the ground truth for exactly-once checks.
	Keys func() []string
	// Disturb, when set, upsets the client's state on the server (Syncari:
	// revokes every token, so that calls refresh at once).
	Disturb func()
	// Roles names two roles the directory accepts, for providers with
	// roles.
	Roles []string
	// CreateOperation is the operationId of the API's create.
	CreateOperation string
}

// Options tune the clients and directories an Opener makes.
type Options struct {
	// Client options go to the provider's New.
	Client []usermgmt.Option
	// Directory options go to the provider's NewDirectory.
	Directory []usermgmt.DirectoryOption
}

// Opener opens one provider.
type Opener struct {
	// Name is the provider's name.
	Name string
	// Open starts a fresh fake and returns the Env over it; the fake is
	// closed when t ends.
	Open func(t testing.TB, o Options) Env
}

// Names lists the providers in a fixed order.
var Names = []string{"syncari", "dbsync", "genericusr", "vendorusers", "bss"}

// Openers returns one Opener per provider, in the order of Names.
func Openers() []Opener {
	return []Opener{
		{"syncari", openSyncari},
		{"dbsync", openDBSync},
		{"genericusr", openGenericUsr},
		{"vendorusers", openVendorUsers},
		{"bss", openBSS},
	}
}

// OpenAll opens every provider, in the order of Names.
func OpenAll(t testing.TB, o Options) []Env {
	t.Helper()
	var out []Env
	for _, op := range Openers() {
		out = append(out, op.Open(t, o))
	}
	return out
}

// Open opens the named provider; an unknown name fails t.
func Open(t testing.TB, name string, o Options) Env {
	t.Helper()
	for _, op := range Openers() {
		if op.Name == name {
			return op.Open(t, o)
		}
	}
	t.Fatalf("providertest: no provider %q", name)
	return Env{}
}

// Conformance returns the conformance harness of the provider op opens.
func Conformance(op Opener, o Options) (h func(t *testing.T) *usermgmt.Directory, roles []string) {
	var env Env
	h = func(t *testing.T) *usermgmt.Directory {
		env = op.Open(t, o)
		return env.Dir
	}
	return h, rolesOf(op.Name)
}

func rolesOf(name string) []string {
	switch name {
	case "syncari":
		return []string{"Sync Manager", "Viewer"}
	case "vendorusers":
		return []string{"Supervisor", "Developer"}
	}
	return nil
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func openSyncari(t testing.TB, o Options) Env {
	s := syncaritest.NewServer()
	t.Cleanup(s.Close)
	c, err := syncari.New(s.Config(), o.Client...)
	check(t, err)
	d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{}, o.Directory...)
	check(t, err)
	return Env{Name: "syncari", CreateOperation: "createUser", Dir: d, Fake: s.FakeServer(), URL: s.URL, Roles: rolesOf("syncari"), Disturb: s.ExpireTokens, Keys: keysOf(s.Users, func(u syncari.User) string { return u.Email })}
}

func openDBSync(t testing.TB, o Options) Env {
	s := dbsynctest.NewServer()
	t.Cleanup(s.Close)
	c, err := dbsync.New(s.Config(), o.Client...)
	check(t, err)
	d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: Company}, o.Directory...)
	check(t, err)
	return Env{Name: "dbsync", CreateOperation: "registerUser", Dir: d, Fake: s.FakeServer(), URL: s.URL, Keys: keysOf(s.Users, func(u dbsync.License) string { return u.UserName })}
}

func openGenericUsr(t testing.TB, o Options) Env {
	s := genericusrtest.NewServer()
	t.Cleanup(s.Close)
	c, err := genericusr.New(s.Config(), o.Client...)
	check(t, err)
	d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}, o.Directory...)
	check(t, err)
	return Env{Name: "genericusr", CreateOperation: "addUser", Dir: d, Fake: s.FakeServer(), URL: s.URL, Keys: keysOf(s.Users, func(u genericusr.User) string { return u.Username })}
}

func openVendorUsers(t testing.TB, o Options) Env {
	s := vendoruserstest.NewServer()
	t.Cleanup(s.Close)
	c, err := vendorusers.New(s.Config(), o.Client...)
	check(t, err)
	d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}, o.Directory...)
	check(t, err)
	return Env{Name: "vendorusers", CreateOperation: "createUser", Dir: d, Fake: s.FakeServer(), URL: s.URL, Roles: rolesOf("vendorusers"), Keys: keysOf(s.Users, func(u vendorusers.User) string { return u.Email })}
}

func openBSS(t testing.TB, o Options) Env {
	s := bsstest.NewServer()
	t.Cleanup(s.Close)
	c, err := bss.New(s.Config(), o.Client...)
	check(t, err)
	d, err := bss.NewDirectory(c, bss.DirectoryConfig{}, o.Directory...)
	check(t, err)
	return Env{Name: "bss", CreateOperation: "createUser", Dir: d, Fake: s.FakeServer(), URL: s.URL, Keys: keysOf(s.Users, func(u bss.User) string { return u.ContactDetails.Email })}
}

// keysOf returns the Keys function of a fake: key of every user it stores.
func keysOf[U any](users func() []U, key func(U) string) func() []string {
	return func() []string {
		var k []string
		for _, u := range users() {
			k = append(k, key(u))
		}
		return k
	}
}

// Company is the DBSync company the dbsync directories manage.
const Company = "Example Co"

// OpenAt returns a Directory over a client of the named provider pointed at
// baseURL (a server of the test's own), with the credentials its fake
// accepts by default.
func OpenAt(name, baseURL string, o Options) (*usermgmt.Directory, error) {
	switch name {
	case "syncari":
		c, err := syncari.New(syncari.Config{BaseURL: baseURL, ClientID: syncaritest.ClientID, ClientSecret: syncaritest.ClientSecret,
			InstanceID: syncaritest.InstanceID}, o.Client...)
		if err != nil {
			return nil, err
		}
		return syncari.NewDirectory(c, syncari.DirectoryConfig{}, o.Directory...)
	case "dbsync":
		c, err := dbsync.New(dbsync.Config{BaseURL: baseURL, PartnerAppKey: dbsynctest.PartnerAppKey, PartnerAppToken: dbsynctest.PartnerAppToken}, o.Client...)
		if err != nil {
			return nil, err
		}
		return dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: Company}, o.Directory...)
	case "genericusr":
		c, err := genericusr.New(genericusr.Config{BaseURL: baseURL, Username: genericusrtest.Username, Password: genericusrtest.Password}, o.Client...)
		if err != nil {
			return nil, err
		}
		return genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}, o.Directory...)
	case "vendorusers":
		c, err := vendorusers.New(vendorusers.Config{BaseURL: baseURL, Token: vendoruserstest.Token}, o.Client...)
		if err != nil {
			return nil, err
		}
		return vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}, o.Directory...)
	case "bss":
		c, err := bss.New(bss.Config{BaseURL: baseURL, APIKey: bsstest.APIKey}, o.Client...)
		if err != nil {
			return nil, err
		}
		return bss.NewDirectory(c, bss.DirectoryConfig{}, o.Directory...)
	}
	return nil, fmt.Errorf("providertest: no provider %q", name)
}
