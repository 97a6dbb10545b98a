package faultmatrix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// The users of every cell: seedKey exists before the call (read, update and
// delete work on it), newKey is what the creates create.
const (
	seedKey  = "seed@example.com"
	newKey   = "new@example.com"
	renamed  = "Renamed"
	password = "Matrix-Pa55word!"
)

// newUser is the input of the Directory creates, acceptable to every
// adapter: newKey is the natural key whether the API keys users by
// username or by email.
func newUser() usermgmt.CreateUserInput {
	return usermgmt.CreateUserInput{
		Username: newKey, Email: newKey, Name: "New User",
		Password: usermgmt.Secret(password),
	}
}

// class is how the transport may resend an operation's request.
type class int

const (
	// safe: a read, resent on any failure that is worth a retry.
	safe class = iota
	// idempotent: a write whose repetition has the effect of one (PUT,
	// PATCH, DELETE, a status toggle, a keyed create), resent like a read.
	idempotent
	// once: a create without an idempotency key, resent only when the
	// failure proves the server never saw it.
	once
)

func (c class) String() string {
	return [...]string{"read", "idempotent", "not idempotent"}[c]
}

// spec describes one cell row of a provider: which public call a kind maps
// to. Reason, when set, says why the kind is n/a.
type spec struct {
	call      string // the public call, e.g. "Client.CreateUser"
	note      string // what the document says besides
	operation string // the operationId it sends, the one the faults target
	class     class
	reason    string
}

// subject is one provider in the matrix.
type subject struct {
	name string
	// kinds are read, create, update, delete, in that order.
	kinds [4]spec
	// directory describes the Directory adapter's CreateUser.
	directory spec
	// lookup is the operation the adapter settles a create with.
	lookup string
	// key returns the idempotency key a create request carries, "" for
	// none.
	key func(usermgmttest.Request) string
	// start starts a fresh fake holding the seed user, and a client on it
	// (or on cfg.url when set) made with cfg.opts.
	start func(t *testing.T, cfg clientConfig) *env
}

// clientConfig is how a cell makes its client.
type clientConfig struct {
	opts []usermgmt.Option
	// url, when set, replaces the fake's base URL (the refused column).
	url string
}

// env is a running fake and the calls of one provider on it.
type env struct {
	srv *usermgmttest.FakeServer
	// ops are the calls of read, create, update and delete; nil for n/a.
	// A read returns an error when its answer lacks the seed user.
	ops [4]func(context.Context) error
	// applied reports, per kind, whether the change is in the fake: the
	// new user exists, the seed user is renamed, or it is gone. Reads
	// change nothing: applied reports false.
	applied [4]func() bool
	// dirCreate is the Directory adapter's CreateUser of newUser.
	dirCreate func(context.Context) error
	// created counts the users with the natural key newKey.
	created func() int
	// state is a summary of everything the fake stores, to check that a
	// read changed nothing.
	state func() string
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errNoSeed is returned by a read whose answer does not hold the seed user.
var errNoSeed = errors.New("the answer does not hold the seed user")

func subjects() []subject {
	return []subject{syncariSubject(), dbsyncSubject(), genericusrSubject(), vendorusersSubject(), bssSubject()}
}

func syncariSubject() subject {
	return subject{
		name: "syncari",
		kinds: [4]spec{
			{call: "Client.ListUsersPage", operation: "getUsers", class: safe},
			{call: "Client.CreateUser", note: "keyed by clientRequestId", operation: "createUser", class: idempotent},
			{call: "Client.SetUserRoles", operation: "setUserRoles", class: idempotent},
			{call: "Client.DeactivateUser", note: "the API has no delete", operation: "deactivateUser", class: idempotent},
		},
		directory: spec{call: "Directory.CreateUser", note: "keyed by clientRequestId", operation: "createUser", class: idempotent},
		lookup:    "getUsers",
		key:       func(r usermgmttest.Request) string { return r.Header.Get("clientRequestId") },
		start: func(t *testing.T, cfg clientConfig) *env {
			srv := syncaritest.NewServer()
			t.Cleanup(srv.Close)
			seed := srv.AddUser(syncari.User{Email: seedKey, FirstName: "Seed", Status: syncari.StatusActive,
				Roles: syncari.Roles{syncaritest.InstanceID: {"Viewer"}}})
			conf := srv.Config()
			if cfg.url != "" {
				// Nothing listens there, so the token endpoint would be
				// refused too: a static token keeps the cell about the call.
				conf = syncari.Config{BaseURL: cfg.url, Token: "matrix-static-token", InstanceID: syncaritest.InstanceID}
			}
			c, err := syncari.New(conf, cfg.opts...)
			check(t, err)
			d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{}, usermgmt.WithSettleWindow(settleWindow))
			check(t, err)
			find := func(pred func(syncari.User) bool) (n int) {
				for _, u := range srv.Users() {
					if pred(u) {
						n++
					}
				}
				return n
			}
			seedIs := func(pred func(syncari.User) bool) func() bool {
				return func() bool { return find(func(u syncari.User) bool { return u.ID == seed.ID && pred(u) }) == 1 }
			}
			return &env{
				srv: srv.FakeServer(),
				ops: [4]func(context.Context) error{
					func(ctx context.Context) error {
						p, err := c.ListUsersPage(ctx, "", nil)
						if err == nil && !slices.ContainsFunc(p.Users, func(u syncari.User) bool { return u.ID == seed.ID }) {
							return errNoSeed
						}
						return err
					},
					func(ctx context.Context) error {
						_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: newKey, FirstName: "New"})
						return err
					},
					func(ctx context.Context) error {
						_, err := c.SetUserRoles(ctx, seed.ID, syncari.Roles{syncaritest.InstanceID: {"Sync Manager"}})
						return err
					},
					func(ctx context.Context) error {
						_, err := c.DeactivateUser(ctx, seed.ID)
						return err
					},
				},
				applied: [4]func() bool{
					func() bool { return false },
					func() bool { return find(func(u syncari.User) bool { return u.Email == newKey }) > 0 },
					seedIs(func(u syncari.User) bool {
						return slices.Equal(u.Roles[syncaritest.InstanceID], []string{"Sync Manager"})
					}),
					seedIs(func(u syncari.User) bool { return u.Status == syncari.StatusInactive }),
				},
				dirCreate: func(ctx context.Context) error { _, err := d.CreateUser(ctx, newUser()); return err },
				created:   func() int { return find(func(u syncari.User) bool { return strings.EqualFold(u.Email, newKey) }) },
				state:     func() string { return mustJSON(srv.Users()) },
			}
		},
	}
}

func dbsyncSubject() subject {
	const company = "Matrix Co"
	return subject{
		name: "dbsync",
		kinds: [4]spec{
			{call: "Client.LicenseDetails", operation: "licenseDetails", class: safe},
			{call: "Client.RegisterUser", operation: "registerUser", class: once},
			{reason: "the Partner API changes no user field"},
			{call: "Client.UnregisterUser", operation: "unregisterUser", class: idempotent},
		},
		directory: spec{call: "Directory.CreateUser", operation: "registerUser", class: once},
		lookup:    "licenseDetails",
		key:       func(usermgmttest.Request) string { return "" },
		start: func(t *testing.T, cfg clientConfig) *env {
			srv := dbsynctest.NewServer()
			t.Cleanup(srv.Close)
			srv.AddUser(dbsync.License{CompanyName: company, UserName: seedKey})
			conf := srv.Config()
			if cfg.url != "" {
				conf.BaseURL = cfg.url
			}
			c, err := dbsync.New(conf, cfg.opts...)
			check(t, err)
			d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: company}, usermgmt.WithSettleWindow(settleWindow))
			check(t, err)
			count := func(name string) (n int) {
				for _, l := range srv.Users() {
					if l.CompanyName == company && l.UserName == name {
						n++
					}
				}
				return n
			}
			return &env{
				srv: srv.FakeServer(),
				ops: [4]func(context.Context) error{
					func(ctx context.Context) error {
						ls, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{Company: company})
						if err == nil && !slices.ContainsFunc(ls, func(l dbsync.License) bool { return l.UserName == seedKey }) {
							return errNoSeed
						}
						return err
					},
					func(ctx context.Context) error {
						_, err := c.RegisterUser(ctx, dbsync.EndUser{Company: company, UserName: newKey})
						return err
					},
					nil,
					func(ctx context.Context) error {
						return c.UnregisterUser(ctx, dbsync.EndUser{Company: company, UserName: seedKey})
					},
				},
				applied: [4]func() bool{
					func() bool { return false },
					func() bool { return count(newKey) > 0 },
					nil,
					func() bool { return count(seedKey) == 0 },
				},
				dirCreate: func(ctx context.Context) error { _, err := d.CreateUser(ctx, newUser()); return err },
				created:   func() int { return count(newKey) },
				state:     func() string { return mustJSON(srv.Users()) },
			}
		},
	}
}

func genericusrSubject() subject {
	return subject{
		name: "genericusr",
		kinds: [4]spec{
			{call: "Client.GetUser", operation: "getUser", class: safe},
			{call: "Client.AddUser", operation: "addUser", class: once},
			{call: "Client.ModifyUser", operation: "modifyUser", class: idempotent},
			{call: "Client.DeleteUser", operation: "deleteUser", class: idempotent},
		},
		directory: spec{call: "Directory.CreateUser", operation: "addUser", class: once},
		lookup:    "getUserListByAccountId",
		key:       func(usermgmttest.Request) string { return "" },
		start: func(t *testing.T, cfg clientConfig) *env {
			srv := genericusrtest.NewServer()
			t.Cleanup(srv.Close)
			seed := srv.AddUser(genericusr.User{ContactName: "Seed User", EmailAddress: seedKey, Username: seedKey, Active: true})
			srv.SetPassword(seed.ID, password)
			conf := srv.Config()
			if cfg.url != "" {
				conf.BaseURL = cfg.url
			}
			c, err := genericusr.New(conf, cfg.opts...)
			check(t, err)
			d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}, usermgmt.WithSettleWindow(settleWindow))
			check(t, err)
			find := func(pred func(genericusr.User) bool) (n int) {
				for _, u := range srv.Users() {
					if pred(u) {
						n++
					}
				}
				return n
			}
			return &env{
				srv: srv.FakeServer(),
				ops: [4]func(context.Context) error{
					func(ctx context.Context) error {
						u, err := c.GetUser(ctx, seed.ID)
						if err == nil && u.Username != seedKey {
							return errNoSeed
						}
						return err
					},
					func(ctx context.Context) error {
						_, err := c.AddUser(ctx, genericusr.AddUserInput{ContactName: "New User", EmailAddress: newKey,
							DefaultAccountID: genericusrtest.AccountID, Username: newKey, Password: password})
						return err
					},
					func(ctx context.Context) error {
						name := renamed
						_, err := c.ModifyUser(ctx, seed.ID, genericusr.ModifyUserInput{ContactName: &name})
						return err
					},
					func(ctx context.Context) error { return c.DeleteUser(ctx, seed.ID) },
				},
				applied: [4]func() bool{
					func() bool { return false },
					func() bool { return find(func(u genericusr.User) bool { return u.Username == newKey }) > 0 },
					func() bool {
						return find(func(u genericusr.User) bool { return u.ID == seed.ID && u.ContactName == renamed }) == 1
					},
					func() bool { return find(func(u genericusr.User) bool { return u.ID == seed.ID }) == 0 },
				},
				dirCreate: func(ctx context.Context) error { _, err := d.CreateUser(ctx, newUser()); return err },
				created: func() int {
					return find(func(u genericusr.User) bool { return strings.EqualFold(u.Username, newKey) })
				},
				state: func() string { return mustJSON(srv.Users()) },
			}
		},
	}
}

func vendorusersSubject() subject {
	return subject{
		name: "vendorusers",
		kinds: [4]spec{
			{call: "Client.ListUsersPage", operation: "getUsers", class: safe},
			{call: "Client.CreateUser", operation: "createUser", class: once},
			{call: "Client.UpdateUser", operation: "updateUser", class: idempotent},
			{call: "Client.Archive", note: "the API has no delete", operation: "updateUser", class: idempotent},
		},
		directory: spec{call: "Directory.CreateUser", operation: "createUser", class: once},
		lookup:    "getUsers",
		key:       func(usermgmttest.Request) string { return "" },
		start: func(t *testing.T, cfg clientConfig) *env {
			srv := vendoruserstest.NewServer()
			t.Cleanup(srv.Close)
			seed := srv.AddUser(vendorusers.User{Email: seedKey, Active: true,
				Details: vendorusers.Details{FirstName: "Seed", LastName: "User"}})
			conf := srv.Config()
			if cfg.url != "" {
				conf.BaseURL = cfg.url
			}
			c, err := vendorusers.New(conf, cfg.opts...)
			check(t, err)
			d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}, usermgmt.WithSettleWindow(settleWindow))
			check(t, err)
			find := func(pred func(vendorusers.User) bool) (n int) {
				for _, u := range srv.Users() {
					if pred(u) {
						n++
					}
				}
				return n
			}
			seedIs := func(pred func(vendorusers.User) bool) func() bool {
				return func() bool {
					u, ok := srv.User(seed.ID)
					return ok && pred(u)
				}
			}
			return &env{
				srv: srv.FakeServer(),
				ops: [4]func(context.Context) error{
					func(ctx context.Context) error {
						us, err := c.ListUsersPage(ctx, 0, vendorusers.MaxPageSize, nil)
						if err == nil && !slices.ContainsFunc(us, func(u vendorusers.User) bool { return u.ID == seed.ID }) {
							return errNoSeed
						}
						return err
					},
					func(ctx context.Context) error {
						_, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: newKey,
							RoleID: vendoruserstest.RoleDeveloper, Password: password, FirstName: "New"})
						return err
					},
					func(ctx context.Context) error {
						name := renamed
						_, err := c.UpdateUser(ctx, seed.ID, vendorusers.UpdateUserInput{FirstName: &name})
						return err
					},
					func(ctx context.Context) error { _, err := c.Archive(ctx, seed.ID, true); return err },
				},
				applied: [4]func() bool{
					func() bool { return false },
					func() bool { return find(func(u vendorusers.User) bool { return u.Email == newKey }) > 0 },
					seedIs(func(u vendorusers.User) bool { return u.Details.FirstName == renamed }),
					seedIs(func(u vendorusers.User) bool { return u.Details.Archived }),
				},
				dirCreate: func(ctx context.Context) error { _, err := d.CreateUser(ctx, newUser()); return err },
				created: func() int {
					return find(func(u vendorusers.User) bool { return strings.EqualFold(u.Email, newKey) })
				},
				state: func() string { return mustJSON(srv.Users()) },
			}
		},
	}
}

func bssSubject() subject {
	return subject{
		name: "bss",
		kinds: [4]spec{
			{call: "Client.GetUser", operation: "getUserById", class: safe},
			{call: "Client.CreateUser", operation: "createUser", class: once},
			{call: "Client.UpdateUser", operation: "updateUser", class: idempotent},
			{call: "Client.DeleteUser", operation: "deleteUserById", class: idempotent},
		},
		directory: spec{call: "Directory.CreateUser", operation: "createUser", class: once},
		lookup:    "getAllUsers",
		key:       func(usermgmttest.Request) string { return "" },
		start: func(t *testing.T, cfg clientConfig) *env {
			srv := bsstest.NewServer()
			t.Cleanup(srv.Close)
			seed := srv.AddUser(bss.User{Name: "Seed User", ContactDetails: bss.ContactDetails{Email: seedKey},
				RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
			conf := srv.Config()
			if cfg.url != "" {
				conf.BaseURL = cfg.url
			}
			c, err := bss.New(conf, cfg.opts...)
			check(t, err)
			d, err := bss.NewDirectory(c, bss.DirectoryConfig{}, usermgmt.WithSettleWindow(settleWindow))
			check(t, err)
			find := func(pred func(bss.User) bool) (n int) {
				for _, u := range srv.Users() {
					if pred(u) {
						n++
					}
				}
				return n
			}
			return &env{
				srv: srv.FakeServer(),
				ops: [4]func(context.Context) error{
					func(ctx context.Context) error {
						u, err := c.GetUser(ctx, seed.ID)
						if err == nil && u.ContactDetails.Email != seedKey {
							return errNoSeed
						}
						return err
					},
					func(ctx context.Context) error {
						_, err := c.CreateUser(ctx, bss.CreateUserInput{Name: "New User", Email: newKey, Password: password})
						return err
					},
					func(ctx context.Context) error {
						name := renamed
						_, err := c.UpdateUser(ctx, seed.ID, bss.UpdateUserInput{Name: &name})
						return err
					},
					func(ctx context.Context) error { return c.DeleteUser(ctx, seed.ID) },
				},
				applied: [4]func() bool{
					func() bool { return false },
					func() bool { return find(func(u bss.User) bool { return u.ContactDetails.Email == newKey }) > 0 },
					func() bool { return find(func(u bss.User) bool { return u.ID == seed.ID && u.Name == renamed }) == 1 },
					func() bool { _, ok := srv.User(seed.ID); return !ok },
				},
				dirCreate: func(ctx context.Context) error { _, err := d.CreateUser(ctx, newUser()); return err },
				created: func() int {
					return find(func(u bss.User) bool { return strings.EqualFold(u.ContactDetails.Email, newKey) })
				},
				state: func() string { return mustJSON(srv.Users()) },
			}
		},
	}
}

// describe names a spec for the document; method is the HTTP method its
// requests were seen with, lookup the operation a Directory create is
// settled with.
func (s spec) describe(method, lookup string) string {
	if s.reason != "" {
		return "n/a: " + s.reason
	}
	d := fmt.Sprintf("`%s`: %s %s, %s", s.call, method, s.operation, s.class)
	if lookup != "" {
		d += ", settled by " + lookup
	}
	if s.note != "" {
		d += " (" + s.note + ")"
	}
	return d
}
