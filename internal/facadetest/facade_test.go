package facadetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// open starts every provider's fake and a Directory over each.
func open(t *testing.T, dirOpts []usermgmt.DirectoryOption, opts ...usermgmt.Option) []providertest.Env {
	t.Helper()
	return providertest.OpenAll(t, providertest.Options{Client: opts, Directory: dirOpts})
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
func checkExactlyOnce(t *testing.T, e providertest.Env, want []usermgmt.CreateUserInput) {
	t.Helper()
	count := map[string]int{}
	for _, k := range e.Keys() {
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
		t.Errorf("%s: the fake holds %d distinct users for %d wanted: %d missing, %d duplicated", e.Name, len(count), len(want), missing, dups)
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
	// A create that times out may still be in flight: the Directory looks
	// for it for the settle window before reporting the outcome unknown.
	envs := open(t, []usermgmt.DirectoryOption{usermgmt.WithSettleWindow(1500 * time.Millisecond)},
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 6, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}),
		usermgmt.WithHTTPClient(&http.Client{Timeout: time.Second}), // a loaded machine under -race keeps far below it
		usermgmt.WithTimeout(time.Minute))
	for i, e := range envs {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			draw := lockedRand(uint64(i + 1))
			e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 503, Probability: 0.034, Rand: draw})
			e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Probability: 0.034, Rand: draw})
			e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.Delay, Delay: 1200 * time.Millisecond, Probability: 0.034, Rand: draw})
			want := users(n, "bulk-"+e.Name)
			ctx := context.Background()
			var results []usermgmt.ProvisionResult
			var err error
			// A fault can exhaust a call's retries; the documented remedy is
			// to run the provisioning again, which creates only what is
			// missing. Five runs are plenty at 10%, even on a loaded machine.
			for run := 1; run <= 5; run++ {
				results, err = usermgmt.Provision(ctx, e.Dir, want, &usermgmt.ProvisionOptions{Concurrency: 16})
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
				if r.Index != i || r.Key != want[i].NaturalKey() || (r.Outcome != usermgmt.OutcomeCreated && r.Outcome != usermgmt.OutcomeExisted) {
					t.Fatalf("result %d = %+v", i, r)
				}
			}
			e.Fake.ClearFaults()
			checkExactlyOnce(t, e, want)
			faults := 0
			for _, r := range e.Fake.Requests() {
				if r.Fault != "" {
					faults++
				}
			}
			if faults < n/50 {
				t.Errorf("only %d faults were injected: the test proves little", faults)
			}
			t.Logf("%s: %d requests, %d with an injected fault", e.Name, len(e.Fake.Requests()), faults)
		})
	}
}

// TestProvisionReRunAfterCancellation cancels a provisioning halfway, then
// runs it again: only the missing users are created.
func TestProvisionReRunAfterCancellation(t *testing.T) {
	const n = 200
	envs := open(t, nil, usermgmt.WithRetry(usermgmt.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}))
	for _, e := range envs {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			want := users(n, "rerun-"+e.Name)
			ctx, cancel := context.WithCancel(context.Background())
			cancelHalfway := func(p usermgmt.Progress) {
				if p.Created >= n/2 {
					cancel()
				}
			}
			first, err := usermgmt.Provision(ctx, e.Dir, want, &usermgmt.ProvisionOptions{Concurrency: 8, Progress: cancelHalfway})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the cancelled run reported %v, want an error matching context.Canceled", err)
			}
			created := 0
			for _, r := range first {
				if r.Outcome == usermgmt.OutcomeCreated {
					created++
				}
			}
			// Creates in flight when the run was cancelled may have been
			// stored without being reported (their outcome is unknown).
			stored := len(e.Keys())
			if created < n/2 || stored >= n || stored < created {
				t.Fatalf("cancelled run: %d reported created, %d stored", created, stored)
			}
			e.Fake.ResetJournal()
			second, err := usermgmt.Provision(context.Background(), e.Dir, want, &usermgmt.ProvisionOptions{Concurrency: 8})
			if err != nil {
				t.Fatal(err)
			}
			again, existing := 0, 0
			for _, r := range second {
				switch r.Outcome {
				case usermgmt.OutcomeCreated:
					again++
				case usermgmt.OutcomeExisted:
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
	envs := open(t, nil)
	e := envs[0] // syncari: the one API with keys
	want := users(3, "keyed")
	ctx := usermgmt.WithIdempotencyKey(context.Background(), "batch-1")
	results, err := usermgmt.Provision(ctx, e.Dir, want, nil)
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

// TestCreateStoredAfterTheClientGaveUp: a server slower than its client
// stores a create well after the client's timeout. The Directory must not
// take the look-up that finds nothing right after the timeout as proof that
// the create was not applied: within the settle window it finds the user
// and returns it; with a settle window shorter than the server's delay it
// reports the outcome unknown and sends nothing again. Either way the fake
// holds the user exactly once.
func TestCreateStoredAfterTheClientGaveUp(t *testing.T) {
	// Every call has a second (the create times out after it, each look-up
	// must answer within it); the store comes 3.9s after the window too
	// short has ended (the create's second, then 100ms of looking): margins
	// a loaded machine under -race keeps.
	const late = 5 * time.Second
	for _, tc := range []struct {
		name    string
		window  time.Duration
		settled bool
	}{
		{"settled within the window", 10 * time.Second, true},
		{"window too short", 100 * time.Millisecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			envs := open(t, []usermgmt.DirectoryOption{usermgmt.WithSettleWindow(tc.window)},
				usermgmt.WithTimeout(time.Second),
				usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
			// The providers wait for their fake at once (goroutines, not
			// parallel subtests, which -parallel would queue by twos);
			// the subtests then check what each did.
			type outcome struct {
				in      []usermgmt.CreateUserInput
				u       *usermgmt.User
				err     error
				idleErr error
			}
			outs := make([]outcome, len(envs))
			var wg sync.WaitGroup
			for i, e := range envs {
				wg.Go(func() {
					e.Fake.Inject(usermgmttest.Fault{Kind: usermgmttest.StoreLate, Operation: e.CreateOperation, Delay: late})
					o := &outs[i]
					o.in = users(1, "late-"+e.Name)
					o.u, o.err = e.Dir.CreateUser(context.Background(), o.in[0])
					idle, stop := context.WithTimeout(context.Background(), 30*time.Second)
					defer stop()
					o.idleErr = e.Fake.Idle(idle)
				})
			}
			wg.Wait()
			for i, e := range envs {
				t.Run(e.Name, func(t *testing.T) {
					o := outs[i]
					keyed := e.Dir.Capabilities().IdempotentCreate
					switch {
					case tc.settled && o.err != nil:
						t.Fatalf("CreateUser = %v; want the user, found once the server stored it", o.err)
					case tc.settled && !strings.EqualFold(o.u.Email, o.in[0].NaturalKey()) && !strings.EqualFold(o.u.Username, o.in[0].NaturalKey()):
						t.Errorf("CreateUser returned %+v, want the user %s", o.u, o.in[0].NaturalKey())
					case !tc.settled && !keyed && !errors.Is(o.err, usermgmt.ErrOutcomeUnknown):
						t.Fatalf("CreateUser = %v, %v; want ErrOutcomeUnknown: nothing proved the create was not applied", o.u, o.err)
					}
					if o.idleErr != nil {
						t.Fatal(o.idleErr)
					}
					if !keyed {
						if n := e.Fake.Count(e.CreateOperation); n != 1 {
							t.Errorf("%s sent %d times, want once: a create that may still be in flight is never resent", e.CreateOperation, n)
						}
					}
					checkExactlyOnce(t, e, o.in)
				})
			}
		})
	}
}
