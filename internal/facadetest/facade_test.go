package facadetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
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
	"github.com/usermgmt-go/sdk/internal/fake"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// env is one provider's fake and a Directory over it.
type env struct {
	name string
	dir  usermgmt.Directory
	srv  *fake.Server
	// keys returns the natural key of every user stored in the fake.
	keys func() []string
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// open starts every provider's fake and a Directory over each, with opts.
func open(t *testing.T, opts ...usermgmt.Option) []env {
	t.Helper()
	var envs []env
	{
		s := syncaritest.NewServer()
		t.Cleanup(s.Close)
		d := syncari.NewDirectory(must(syncari.New(s.Config(), opts...)))
		envs = append(envs, env{"syncari", d, s.Server, func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}})
	}
	{
		s := dbsynctest.NewServer()
		t.Cleanup(s.Close)
		d := must(dbsync.NewDirectory(must(dbsync.New(s.Config(), opts...)), dbsync.DirectoryConfig{Company: "Example Co"}))
		envs = append(envs, env{"dbsync", d, s.Server, func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.UserName)
			}
			return k
		}})
	}
	{
		s := genericusrtest.NewServer()
		t.Cleanup(s.Close)
		d := must(genericusr.NewDirectory(must(genericusr.New(s.Config(), opts...)), genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}))
		envs = append(envs, env{"genericusr", d, s.Server, func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Username)
			}
			return k
		}})
	}
	{
		s := vendoruserstest.NewServer()
		t.Cleanup(s.Close)
		d := must(vendorusers.NewDirectory(must(vendorusers.New(s.Config(), opts...)), vendorusers.DirectoryConfig{DefaultRoleID: 5}))
		envs = append(envs, env{"vendorusers", d, s.Server, func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.Email)
			}
			return k
		}})
	}
	{
		s := bsstest.NewServer()
		t.Cleanup(s.Close)
		d := bss.NewDirectory(must(bss.New(s.Config(), opts...)))
		envs = append(envs, env{"bss", d, s.Server, func() (k []string) {
			for _, u := range s.Users() {
				k = append(k, u.ContactDetails.Email)
			}
			return k
		}})
	}
	return envs
}

func users(n int, tag string) []usermgmt.CreateUserInput {
	out := make([]usermgmt.CreateUserInput, n)
	for i := range out {
		email := fmt.Sprintf("%s-%04d@example.com", tag, i)
		out[i] = usermgmt.CreateUserInput{Username: email, Email: email, Name: "Bulk User", Password: usermgmt.Secret(fmt.Sprintf("Bulk-Pa55-%04d!", i))}
	}
	return out
}

// checkExactlyOnce asserts that the fake holds each of want exactly once,
// and nothing else.
func checkExactlyOnce(t *testing.T, e env, want []usermgmt.CreateUserInput) {
	t.Helper()
	count := map[string]int{}
	for _, k := range e.keys() {
		count[strings.ToLower(k)]++
	}
	missing, dups := 0, 0
	for _, u := range want {
		switch count[strings.ToLower(u.NaturalKey())] {
		case 0:
			missing++
		case 1:
		default:
			dups++
		}
	}
	if missing+dups > 0 || len(count) != len(want) {
		t.Errorf("%s: the fake holds %d distinct users for %d wanted: %d missing, %d duplicated", e.name, len(count), len(want), missing, dups)
	}
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

// TestProvisionUnderRandomFaults provisions 300 users through each
// adapter while its fake fails 10% of calls at random (a 503 before the
// write, a connection dropped after the write was stored, and a server too
// slow for the client's timeout), and checks that exactly 300 users exist
// afterwards, none twice, with an outcome reported for each. At that rate
// 300 users meet 20 to 60 injected faults per adapter (the log says how
// many), enough for every kind; more users prove nothing more, and cost
// time quadratically where a look-up walks the listing (vendorusers).
func TestProvisionUnderRandomFaults(t *testing.T) {
	const n = 300
	// The server timeouts are per attempt, as an *http.Client with a
	// Timeout makes them: a read that meets one is retried, a create that
	// meets one has an unknown outcome and is settled by a look-up.
	envs := open(t,
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 6, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}),
		usermgmt.WithHTTPClient(&http.Client{Timeout: time.Second}),
		usermgmt.WithTimeout(time.Minute))
	for i, e := range envs {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			draw := lockedRand(uint64(i + 1))
			e.srv.Inject(fake.Fault{Kind: fake.Fail, Status: 503, Probability: 0.034, Rand: draw})
			e.srv.Inject(fake.Fault{Kind: fake.DropAfter, Probability: 0.034, Rand: draw})
			e.srv.Inject(fake.Fault{Kind: fake.Delay, Delay: 1500 * time.Millisecond, Probability: 0.034, Rand: draw})
			want := users(n, "bulk-"+e.name)
			ctx := context.Background()
			var results []usermgmt.ProvisionResult
			var err error
			// A fault can exhaust a call's retries; the documented remedy is
			// to run the provisioning again, which creates only what is
			// missing. Five runs are plenty at 10%, even on a loaded machine.
			for run := 1; run <= 5; run++ {
				results, err = usermgmt.Provision(ctx, e.dir, want, &usermgmt.ProvisionOptions{Concurrency: 16})
				if err == nil {
					break
				}
				t.Logf("run %d: %v", run, err)
			}
			if err != nil {
				t.Fatalf("provisioning did not converge: %v", err)
			}
			if len(results) != n {
				t.Fatalf("%d results for %d users", len(results), n)
			}
			for i, r := range results {
				if r.Index != i || r.Key != want[i].NaturalKey() || (r.Outcome != usermgmt.OutcomeCreated && r.Outcome != usermgmt.OutcomeExisting) {
					t.Fatalf("result %d = %+v", i, r)
				}
			}
			e.srv.ClearFaults()
			checkExactlyOnce(t, e, want)
			faults := 0
			for _, r := range e.srv.Requests() {
				if r.Fault != "" {
					faults++
				}
			}
			if faults < n/50 {
				t.Errorf("only %d faults were injected: the test proves little", faults)
			}
			t.Logf("%s: %d requests, %d with an injected fault", e.name, len(e.srv.Requests()), faults)
		})
	}
}

// cancelAfter wraps a Directory and cancels the run after some creates.
type cancelAfter struct {
	usermgmt.Directory
	after   int32
	created atomic.Int32
	cancel  context.CancelFunc
}

func (c *cancelAfter) CreateUser(ctx context.Context, in usermgmt.CreateUserInput) (*usermgmt.User, error) {
	u, err := c.Directory.CreateUser(ctx, in)
	if err == nil && c.created.Add(1) == c.after {
		c.cancel()
	}
	return u, err
}

// TestProvisionReRunAfterCancellation cancels a provisioning halfway, then
// runs it again: only the missing users are created.
func TestProvisionReRunAfterCancellation(t *testing.T) {
	const n = 200
	envs := open(t, usermgmt.WithRetry(usermgmt.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}))
	for _, e := range envs {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			want := users(n, "rerun-"+e.name)
			ctx, cancel := context.WithCancel(context.Background())
			d := &cancelAfter{Directory: e.dir, after: n / 2, cancel: cancel}
			first, err := usermgmt.Provision(ctx, d, want, &usermgmt.ProvisionOptions{Concurrency: 8})
			if err == nil {
				t.Fatal("the cancelled run reported no error")
			}
			created := 0
			for _, r := range first {
				if r.Outcome == usermgmt.OutcomeCreated {
					created++
				}
			}
			// Creates in flight when the run was cancelled may have been
			// stored without being reported (their outcome is unknown).
			stored := len(e.keys())
			if created < n/2 || stored >= n || stored < created {
				t.Fatalf("cancelled run: %d reported created, %d stored", created, stored)
			}
			e.srv.ResetJournal()
			second, err := usermgmt.Provision(context.Background(), e.dir, want, &usermgmt.ProvisionOptions{Concurrency: 8})
			if err != nil {
				t.Fatal(err)
			}
			again, existing := 0, 0
			for _, r := range second {
				switch r.Outcome {
				case usermgmt.OutcomeCreated:
					again++
				case usermgmt.OutcomeExisting:
					existing++
				}
			}
			// Every user the first run reported created is found, not
			// created again; together the two runs account for every user.
			// (How many of the in-flight creates the fake stored after the
			// cancellation is a race, so the split is not asserted exactly.)
			if again+existing != n || existing < created || again > n-created {
				t.Errorf("re-run created %d and found %d; the first run created %d of %d", again, existing, created, n)
			}
			checkExactlyOnce(t, e, want)
		})
	}
}

// TestProvisionIgnoresACallersIdempotencyKey: a key set on the context of a
// whole provisioning run must not turn every create into a replay of the
// first.
func TestProvisionIgnoresACallersIdempotencyKey(t *testing.T) {
	envs := open(t)
	e := envs[0] // syncari: the one API with keys
	want := users(3, "keyed")
	ctx := usermgmt.WithIdempotencyKey(context.Background(), "batch-1")
	results, err := usermgmt.Provision(ctx, e.dir, want, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r.Outcome != usermgmt.OutcomeCreated || r.User == nil || !strings.EqualFold(r.User.Email, want[i].Email) {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	checkExactlyOnce(t, e, want)
}
