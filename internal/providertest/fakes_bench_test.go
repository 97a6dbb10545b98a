package providertest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// seededFake starts one fake holding n users, seeded through its own
// AddUser (no HTTP), and returns a create of the i-th new user through the
// provider's client. The fake is closed when tb ends.
type seededFake struct {
	name string
	open func(tb testing.TB, n int) (create func(ctx context.Context, i int) error)
}

// must returns v, failing tb if err is not nil.
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

var seededFakes = []seededFake{
	{"bss", func(tb testing.TB, n int) func(context.Context, int) error {
		s := bsstest.NewServer()
		tb.Cleanup(s.Close)
		for i := range n {
			s.AddUser(bss.User{Name: "Stored", ContactDetails: bss.ContactDetails{Email: fmt.Sprintf("stored%d@example.com", i)}})
		}
		c := must(bss.New(s.Config()))(tb)
		return func(ctx context.Context, i int) error {
			_, err := c.CreateUser(ctx, bss.CreateUserInput{Name: "New", Email: fmt.Sprintf("new%d@example.com", i)})
			return err
		}
	}},
	{"genericusr", func(tb testing.TB, n int) func(context.Context, int) error {
		s := genericusrtest.NewServer()
		tb.Cleanup(s.Close)
		for i := range n {
			s.AddUser(genericusr.User{ContactName: "Stored", EmailAddress: fmt.Sprintf("stored%d@example.com", i), Username: fmt.Sprintf("stored%d", i)})
		}
		c := must(genericusr.New(s.Config()))(tb)
		return func(ctx context.Context, i int) error {
			_, err := c.AddUser(ctx, genericusr.AddUserInput{ContactName: "New", EmailAddress: fmt.Sprintf("new%d@example.com", i),
				DefaultAccountID: genericusrtest.AccountID, Username: fmt.Sprintf("new%d", i), Password: "pw"})
			return err
		}
	}},
	{"vendorusers", func(tb testing.TB, n int) func(context.Context, int) error {
		s := vendoruserstest.NewServer()
		tb.Cleanup(s.Close)
		for i := range n {
			s.AddUser(vendorusers.User{Email: fmt.Sprintf("stored%d@example.com", i)})
		}
		c := must(vendorusers.New(s.Config()))(tb)
		return func(ctx context.Context, i int) error {
			_, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: fmt.Sprintf("new%d@example.com", i),
				RoleID: vendoruserstest.RoleDeveloper, Password: "pw"})
			return err
		}
	}},
	{"syncari", func(tb testing.TB, n int) func(context.Context, int) error {
		s := syncaritest.NewServer()
		tb.Cleanup(s.Close)
		for i := range n {
			s.AddUser(syncari.User{Email: fmt.Sprintf("stored%d@example.com", i)})
		}
		c := must(syncari.New(s.Config()))(tb)
		return func(ctx context.Context, i int) error {
			_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: fmt.Sprintf("new%d@example.com", i)})
			return err
		}
	}},
	{"dbsync", func(tb testing.TB, n int) func(context.Context, int) error {
		s := dbsynctest.NewServer()
		tb.Cleanup(s.Close)
		for i := range n {
			s.AddUser(dbsync.License{CompanyName: providertest.Company, UserName: fmt.Sprintf("stored%d", i)})
		}
		c := must(dbsync.New(s.Config()))(tb)
		return func(ctx context.Context, i int) error {
			_, err := c.RegisterUser(ctx, dbsync.EndUser{Company: providertest.Company, UserName: fmt.Sprintf("new%d", i)})
			return err
		}
	}},
	{"memory", func(tb testing.TB, n int) func(context.Context, int) error {
		m := usermgmttest.NewMemoryDriver() // its only way in is CreateUser
		ctx := context.Background()
		for i := range n {
			must(m.CreateUser(ctx, &driver.CreateInput{Username: fmt.Sprintf("stored%d", i)}))(tb)
		}
		return func(ctx context.Context, i int) error {
			_, err := m.CreateUser(ctx, &driver.CreateInput{Username: fmt.Sprintf("new%d", i)})
			return err
		}
	}},
}

// BenchmarkCreateWithStoredUsers measures one create on each fake (and the
// Memory driver) holding 100 and then 10,000 users. A fake that checks a
// create's natural key against every stored user costs more per create the
// more it holds; one that looks the key up in an index costs the same.
// The sizes stay the same under -short: seeding takes a fraction of a
// second.
func BenchmarkCreateWithStoredUsers(b *testing.B) {
	for _, f := range seededFakes {
		for _, n := range []int{100, 10_000} {
			b.Run(fmt.Sprintf("%s/stored=%d", f.name, n), func(b *testing.B) {
				create := f.open(b, n)
				ctx := context.Background()
				i := 0
				for b.Loop() {
					if err := create(ctx, i); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
