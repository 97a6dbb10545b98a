package safetycheck

import (
	"strconv"
	"testing"
	"time"

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

// providers are the names open knows, in a fixed order.
var providers = []string{"syncari", "dbsync", "genericusr", "vendorusers", "bss"}

// company is the DBSync company the dbsync directories manage.
const company = "Safety Co"

// env is one provider's fake and a Directory over one client of it.
type env struct {
	name string
	srv  *usermgmttest.FakeServer
	dir  usermgmt.Directory
	// stored returns the natural key of every user the fake stores, with
	// the users a DeleteUser only deactivates or archives.
	stored func() []string
	// disturb, when set, upsets the client's state on the server mid-run
	// (Syncari: revokes every token, so that calls refresh at once).
	disturb func()
}

// fastRetries keeps retried tests quick.
func fastRetries() usermgmt.Option {
	return usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})
}

// open starts the named provider's fake and a Directory over a client of
// it made with opts. The fake is closed when the test ends.
func open(t *testing.T, name string, opts ...usermgmt.Option) env {
	t.Helper()
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	e := env{name: name}
	switch name {
	case "syncari":
		s := syncaritest.NewServer(syncaritest.WithPageSize(50))
		t.Cleanup(s.Close)
		e.srv, e.disturb = s.FakeServer(), s.ExpireTokens
		e.dir = syncari.NewDirectory(must(syncari.New(s.Config(), opts...)))
		e.stored = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}
	case "dbsync":
		s := dbsynctest.NewServer()
		t.Cleanup(s.Close)
		e.srv = s.FakeServer()
		e.dir = must(dbsync.NewDirectory(must(dbsync.New(s.Config(), opts...)), dbsync.DirectoryConfig{Company: company}))
		e.stored = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.UserName)
			}
			return k
		}
	case "genericusr":
		s := genericusrtest.NewServer()
		t.Cleanup(s.Close)
		e.srv = s.FakeServer()
		e.dir = must(genericusr.NewDirectory(must(genericusr.New(s.Config(), opts...)), genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}))
		e.stored = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Username)
			}
			return k
		}
	case "vendorusers":
		s := vendoruserstest.NewServer()
		t.Cleanup(s.Close)
		e.srv = s.FakeServer()
		e.dir = must(vendorusers.NewDirectory(must(vendorusers.New(s.Config(), opts...)), vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}))
		e.stored = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}
	case "bss":
		s := bsstest.NewServer()
		t.Cleanup(s.Close)
		e.srv = s.FakeServer()
		e.dir = bss.NewDirectory(must(bss.New(s.Config(), opts...)))
		e.stored = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.ContactDetails.Email)
			}
			return k
		}
	default:
		t.Fatalf("no provider %q", name)
	}
	return e
}

// openAt returns a Directory over a client of the named provider pointed
// at baseURL, with the credentials its fake accepts by default.
func openAt(name, baseURL string, opts ...usermgmt.Option) (usermgmt.Directory, error) {
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	switch name {
	case "syncari":
		c, err := syncari.New(syncari.Config{BaseURL: baseURL, ClientID: syncaritest.ClientID, ClientSecret: syncaritest.ClientSecret,
			InstanceID: syncaritest.InstanceID}, opts...)
		if err != nil {
			return nil, err
		}
		return syncari.NewDirectory(c), nil
	case "dbsync":
		c, err := dbsync.New(dbsync.Config{BaseURL: baseURL, PartnerAppKey: dbsynctest.PartnerAppKey, PartnerAppToken: dbsynctest.PartnerAppToken}, opts...)
		if err != nil {
			return nil, err
		}
		return dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: company})
	case "genericusr":
		c, err := genericusr.New(genericusr.Config{BaseURL: baseURL, Username: genericusrtest.Username, Password: genericusrtest.Password}, opts...)
		if err != nil {
			return nil, err
		}
		return genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID})
	case "vendorusers":
		c, err := vendorusers.New(vendorusers.Config{BaseURL: baseURL, Token: vendoruserstest.Token}, opts...)
		if err != nil {
			return nil, err
		}
		return vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper})
	case "bss":
		c, err := bss.New(bss.Config{BaseURL: baseURL, APIKey: bsstest.APIKey}, opts...)
		if err != nil {
			return nil, err
		}
		return bss.NewDirectory(c), nil
	}
	panic("no provider " + name)
}

// input is a user every provider can create, with natural key key.
func input(key string) usermgmt.CreateUserInput {
	return usermgmt.CreateUserInput{Username: key, Email: key, Name: "Safety User", Password: usermgmt.Secret("safety-password-" + strconv.Itoa(len(key)))}
}

// must returns v, or panics on a set-up error (which fails the test).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }
