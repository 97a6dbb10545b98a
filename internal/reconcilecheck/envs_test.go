// Package reconcilecheck checks usermgmt.Plan and usermgmt.Apply against
// every provider's fake and the in-memory directory.
package reconcilecheck

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
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

// env is a directory over one provider's fake (or the in-memory one),
// with the means to inject faults and to read what the fake stores.
type env struct {
	name string
	dir  usermgmt.Directory
	// inject starts injecting faults drawn with draw; clear stops;
	// faulted counts the requests that met a fault so far.
	inject  func(draw func() float64)
	clear   func()
	faulted func() int
	// keys returns the natural key of every user stored, removed ones
	// that the fake keeps (archived) included.
	keys func() []string
}

// providerNames lists the environments open returns, in order.
var providerNames = []string{"syncari", "dbsync", "genericusr", "vendorusers", "bss", "memory"}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// open starts the environment called name on a fresh fake.
func open(t *testing.T, name string) env {
	t.Helper()
	opts := []usermgmt.Option{
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
		usermgmt.WithTimeout(time.Minute),
	}
	type injector interface {
		Inject(usermgmttest.Fault)
		ClearFaults()
		Requests() []usermgmttest.Request
	}
	faults := func(s injector) (func(func() float64), func(), func() int) {
		return func(draw func() float64) {
				s.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 503, Probability: 0.15, Rand: draw})
				s.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Probability: 0.1, Rand: draw})
			}, func() {
				s.ClearFaults()
			}, func() (n int) {
				for _, r := range s.Requests() {
					if r.Fault != "" {
						n++
					}
				}
				return n
			}
	}
	e := env{name: name}
	switch name {
	case "syncari":
		s := syncaritest.NewServer()
		t.Cleanup(s.Close)
		e.dir = syncari.NewDirectory(must(syncari.New(s.Config(), opts...)))
		e.inject, e.clear, e.faulted = faults(s)
		e.keys = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}
	case "dbsync":
		s := dbsynctest.NewServer()
		t.Cleanup(s.Close)
		e.dir = must(dbsync.NewDirectory(must(dbsync.New(s.Config(), opts...)), dbsync.DirectoryConfig{Company: "Example Co"}))
		e.inject, e.clear, e.faulted = faults(s)
		e.keys = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.UserName)
			}
			return k
		}
	case "genericusr":
		s := genericusrtest.NewServer()
		t.Cleanup(s.Close)
		e.dir = must(genericusr.NewDirectory(must(genericusr.New(s.Config(), opts...)), genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}))
		e.inject, e.clear, e.faulted = faults(s)
		e.keys = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Username)
			}
			return k
		}
	case "vendorusers":
		s := vendoruserstest.NewServer()
		t.Cleanup(s.Close)
		e.dir = must(vendorusers.NewDirectory(must(vendorusers.New(s.Config(), opts...)), vendorusers.DirectoryConfig{DefaultRoleID: 5}))
		e.inject, e.clear, e.faulted = faults(s)
		e.keys = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}
	case "bss":
		s := bsstest.NewServer()
		t.Cleanup(s.Close)
		e.dir = bss.NewDirectory(must(bss.New(s.Config(), opts...)))
		e.inject, e.clear, e.faulted = faults(s)
		e.keys = func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.ContactDetails.Email)
			}
			return k
		}
	case "memory":
		m := usermgmttest.NewMemory()
		f := &flaky{Directory: m, m: m}
		e.dir = f
		e.inject = func(draw func() float64) { f.set(draw) }
		e.clear = func() { f.set(nil) }
		e.faulted = func() int { return int(f.faults.Load()) }
		e.keys = func() (k []string) {
			us, _ := usermgmt.Collect(m.ListUsers(context.Background(), nil))
			for _, u := range us {
				k = append(k, u.Username)
			}
			return k
		}
	default:
		t.Fatalf("no environment %q", name)
	}
	return e
}

// flaky is the in-memory directory with the faults of the fakes: a write
// that fails before it is done (a 503), and one that is done but whose
// answer is lost (its outcome is unknown).
type flaky struct {
	usermgmt.Directory
	m      *usermgmttest.Memory
	mu     sync.Mutex
	draw   func() float64
	faults atomic.Int32
}

func (f *flaky) set(draw func() float64) {
	f.mu.Lock()
	f.draw = draw
	f.mu.Unlock()
}

// FindUser keeps the Memory's ability to find users.
func (f *flaky) FindUser(ctx context.Context, key string) (*usermgmt.User, error) {
	return f.m.FindUser(ctx, key)
}

// fault draws a fault for a write: before (nothing done), after (done,
// answer lost), or none.
func (f *flaky) fault(op string) (before, after error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.draw == nil {
		return nil, nil
	}
	switch x := f.draw(); {
	case x < 0.15:
		f.faults.Add(1)
		return &usermgmt.APIError{Provider: "memory", Operation: op, StatusCode: 503}, nil
	case x < 0.25:
		f.faults.Add(1)
		return nil, &usermgmt.OutcomeUnknownError{Provider: "memory", Operation: op, Err: context.DeadlineExceeded}
	}
	return nil, nil
}

func (f *flaky) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	before, after := f.fault("CreateUser")
	if before != nil {
		return nil, before
	}
	u, err := f.Directory.CreateUser(ctx, in)
	if err == nil && after != nil {
		return nil, after
	}
	return u, err
}

func (f *flaky) UpdateUser(ctx context.Context, id string, in usermgmt.UpdateUserInput) (*usermgmt.User, error) {
	before, after := f.fault("UpdateUser")
	if before != nil {
		return nil, before
	}
	u, err := f.Directory.UpdateUser(ctx, id, in)
	if err == nil && after != nil {
		return nil, after
	}
	return u, err
}

func (f *flaky) SetActive(ctx context.Context, id string, active bool) (*usermgmt.User, error) {
	before, after := f.fault("SetActive")
	if before != nil {
		return nil, before
	}
	u, err := f.Directory.SetActive(ctx, id, active)
	if err == nil && after != nil {
		return nil, after
	}
	return u, err
}

func (f *flaky) SetRoles(ctx context.Context, id string, roles []string) (*usermgmt.User, error) {
	before, after := f.fault("SetRoles")
	if before != nil {
		return nil, before
	}
	u, err := f.Directory.SetRoles(ctx, id, roles)
	if err == nil && after != nil {
		return nil, after
	}
	return u, err
}

func (f *flaky) DeleteUser(ctx context.Context, id string) error {
	before, after := f.fault("DeleteUser")
	if before != nil {
		return before
	}
	if err := f.Directory.DeleteUser(ctx, id); err != nil {
		return err
	}
	return after
}

// lockedRand is a seeded source shared by the fault draws of one fake.
func lockedRand(seed uint64) func() float64 {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64()
	}
}

// duplicates returns the natural keys stored more than once.
func duplicates(keys []string) []string {
	n := map[string]int{}
	var out []string
	for _, k := range keys {
		k = strings.ToLower(k)
		if n[k]++; n[k] == 2 {
			out = append(out, k)
		}
	}
	return out
}
