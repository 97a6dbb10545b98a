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

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// env is a directory over one provider's fake (or the in-memory one),
// with the means to inject faults and to read what the fake stores.
type env struct {
	name string
	dir  *usermgmt.Directory
	// inject starts injecting faults drawn with draw; clear stops;
	// faulted counts the requests that met a fault so far.
	inject  func(draw func() float64)
	clear   func()
	faulted func() int
	// keys returns the natural key of every user stored, removed ones
	// that the fake keeps (archived) included.
	keys func() []string
	// idle waits until the fake serves no request.
	idle func(t *testing.T)
}

// providerNames lists the environments open returns, in order.
var providerNames = append(append([]string(nil), providertest.Names...), "memory")

// open starts the environment called name on a fresh fake.
func open(t *testing.T, name string) env {
	t.Helper()
	if name == "memory" {
		m := usermgmttest.NewMemoryDriver()
		f := &flaky{Memory: m}
		d, err := usermgmt.NewDirectory(f)
		if err != nil {
			t.Fatal(err)
		}
		return env{name: name, dir: d, idle: func(*testing.T) {},
			inject:  func(draw func() float64) { f.set(draw) },
			clear:   func() { f.set(nil) },
			faulted: func() int { return int(f.faults.Load()) },
			keys: func() (k []string) {
				us, _ := usermgmt.Collect(d.ListUsers(context.Background(), nil))
				for _, u := range us {
					k = append(k, u.Username)
				}
				return k
			},
		}
	}
	e := providertest.Open(t, name, providertest.Options{
		Client: []usermgmt.Option{
			usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
			usermgmt.WithTimeout(time.Minute),
		},
		Directory: []usermgmt.DirectoryOption{usermgmt.WithSettleWindow(500 * time.Millisecond)},
	})
	s := e.Fake
	return env{name: name, dir: e.Dir, keys: e.Keys,
		idle: func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := s.Idle(ctx); err != nil {
				t.Fatal(err)
			}
		},
		inject: func(draw func() float64) {
			s.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 503, Probability: 0.15, Rand: draw})
			s.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Probability: 0.1, Rand: draw})
		},
		clear: s.ClearFaults,
		faulted: func() (n int) {
			for _, r := range s.Requests() {
				if r.Fault != "" {
					n++
				}
			}
			return n
		},
	}
}

// flaky is the in-memory driver with the faults of the fakes: a write that
// fails before it is done (a 503), and one that is done but whose answer is
// lost (its outcome is unknown).
type flaky struct {
	*usermgmttest.Memory
	mu     sync.Mutex
	draw   func() float64
	faults atomic.Int32
}

func (f *flaky) set(draw func() float64) {
	f.mu.Lock()
	f.draw = draw
	f.mu.Unlock()
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

// write runs do between the faults drawn for op.
func write[T any](f *flaky, op string, do func() (T, error)) (T, error) {
	var zero T
	before, after := f.fault(op)
	if before != nil {
		return zero, before
	}
	v, err := do()
	if err == nil && after != nil {
		return zero, after
	}
	return v, err
}

func (f *flaky) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	return write(f, "createUser", func() (*driver.User, error) { return f.Memory.CreateUser(ctx, in) })
}

func (f *flaky) UpdateUser(ctx context.Context, id string, in *driver.UpdateInput) (*driver.User, error) {
	return write(f, "updateUser", func() (*driver.User, error) { return f.Memory.UpdateUser(ctx, id, in) })
}

func (f *flaky) SetActive(ctx context.Context, id string, active bool) (*driver.User, error) {
	return write(f, "setActive", func() (*driver.User, error) { return f.Memory.SetActive(ctx, id, active) })
}

func (f *flaky) SetRoles(ctx context.Context, id string, roles []string) (*driver.User, error) {
	return write(f, "setRoles", func() (*driver.User, error) { return f.Memory.SetRoles(ctx, id, roles) })
}

func (f *flaky) DeleteUser(ctx context.Context, id string) error {
	_, err := write(f, "deleteUser", func() (struct{}, error) { return struct{}{}, f.Memory.DeleteUser(ctx, id) })
	return err
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
