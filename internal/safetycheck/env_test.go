package safetycheck

import (
	"strconv"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// providers are the names open knows, in a fixed order.
var providers = []string{"syncari", "dbsync", "genericusr", "vendorusers", "bss"}

// env is one provider's fake and a Directory over one client of it.
type env struct {
	name string
	srv  *usermgmttest.FakeServer
	dir  *usermgmt.Directory
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
	e := providertest.Open(t, name, providertest.Options{Client: append([]usermgmt.Option{fastRetries()}, opts...)})
	return env{name: e.Name, srv: e.Fake, dir: e.Dir, stored: e.Keys, disturb: e.Disturb}
}

// openAt returns a Directory over a client of the named provider pointed
// at baseURL, with the credentials its fake accepts by default.
func openAt(name, baseURL string, opts ...usermgmt.Option) (*usermgmt.Directory, error) {
	return providertest.OpenAt(name, baseURL, providertest.Options{Client: append([]usermgmt.Option{fastRetries()}, opts...)})
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
