package safetycheck

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// These tests are not parallel: leakcheck.Verify, like goleak.VerifyNone,
// looks at every goroutine of the process.

// TestCancelMidListLeavesNoGoroutine cancels, for every provider, a
// listing twice: while its first request is in flight (the fake holds each
// request 30s; for Syncari that is the token request) and between two
// pages. The listing must end with the context's error well before the
// fake would have answered, and once the fakes are closed no goroutine may
// be left.
//
// Each cancellation has a fake of its own, seeded with the same users: the
// fake records the request abandoned in flight only once it notices the
// client left, and a request cancelled before it even reached the fake can
// still be read by it later. Sharing one fake, the second listing's count
// of the requests sent could include that request, recorded after the
// count was taken.
func TestCancelMidListLeavesNoGoroutine(t *testing.T) {
	const held = 30 * time.Second
	for _, name := range providers {
		t.Run(name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			seeded := func() env {
				e := open(t, name)
				for i := range 3 {
					if _, err := e.dir.CreateUser(context.Background(), input(fmt.Sprintf("listed-%d@example.com", i))); err != nil {
						t.Fatal(err)
					}
				}
				return e
			}

			// In flight. The fake keeps holding requests until it is
			// closed, so one it reads late is not served either.
			func() {
				e := seeded()
				defer e.srv.Close()
				if e.disturb != nil {
					e.disturb() // the next call fetches a token first
				}
				e.srv.SetLatency(held)
				ctx, cancel := context.WithCancel(context.Background())
				timer := time.AfterFunc(50*time.Millisecond, cancel)
				start := time.Now()
				_, err := usermgmt.Collect(e.dir.ListUsers(ctx, &usermgmt.ListOptions{PageSize: 1}))
				timer.Stop()
				cancel()
				if !errors.Is(err, context.Canceled) {
					t.Errorf("cancelled in flight: err = %v, want context.Canceled", err)
				}
				// The bound tells a listing that gave up from one that
				// waited for the fake, with a margin a loaded machine
				// under -race keeps.
				if d := time.Since(start); d > held/3 {
					t.Errorf("the listing took %v to notice the cancellation; the fake holds a request %v", d, held)
				}
			}()

			// Between pages, on a fake that has seen only this listing's
			// requests and its seeding: cancel on the first user and go
			// on iterating. Users already fetched may still come; no
			// request may be sent, and an error must be the context's.
			func() {
				e := seeded()
				defer e.srv.Close()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				sent := -1
				for _, err := range e.dir.ListUsers(ctx, &usermgmt.ListOptions{PageSize: 1}) {
					if sent < 0 {
						sent = len(e.srv.Requests())
						cancel()
					}
					if err != nil && !errors.Is(err, context.Canceled) {
						t.Errorf("after cancelling: %v, want context.Canceled", err)
					}
				}
				if n := len(e.srv.Requests()); sent < 0 || n != sent {
					t.Errorf("%d requests were sent after the cancellation", n-sent)
				}
			}()
			leakcheck.Verify(t, ignore)
		})
	}
}

// TestCancelMidProvisionLeavesNoGoroutine cancels, for every provider, a
// Provision run of 24 users after 6 are done. The run must stop, skipping
// users, and leave no goroutine behind; a second run then provisions the
// rest, every user exactly once.
func TestCancelMidProvisionLeavesNoGoroutine(t *testing.T) {
	for _, name := range providers {
		t.Run(name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			func() {
				e := open(t, name)
				defer e.srv.Close()
				users := make([]usermgmt.CreateUserInput, 24)
				for i := range users {
					users[i] = input(fmt.Sprintf("provisioned-%02d@example.com", i))
				}
				e.srv.SetLatency(10 * time.Millisecond)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				results, err := usermgmt.Provision(ctx, e.dir, users, &usermgmt.ProvisionOptions{Concurrency: 4, Progress: func(p usermgmt.Progress) {
					if p.Done >= 6 {
						cancel()
					}
				}})
				skipped := 0
				for _, r := range results {
					if r.Outcome == usermgmt.OutcomeSkipped {
						skipped++
					}
				}
				if err == nil || skipped == 0 {
					t.Errorf("cancelled run: err = %v, %d skipped; want an error and skipped users", err, skipped)
				}

				e.srv.SetLatency(0)
				if _, err := usermgmt.Provision(context.Background(), e.dir, users, nil); err != nil {
					t.Fatalf("re-run: %v", err)
				}
				stored := e.stored()
				for _, u := range users {
					if c := count(stored, u.NaturalKey()); c != 1 {
						t.Errorf("%s is stored %d times", u.NaturalKey(), c)
					}
				}
			}()
			leakcheck.Verify(t, ignore)
		})
	}
}

// TestCancelledTokenFetchLeavesNoGoroutine holds Syncari's token request
// on the server and cancels the only call waiting for it: the request must
// be abandoned, so that no goroutine is left even while the server is
// still up. Goroutines of the server and of idle connections are not the
// client's, and are ignored.
func TestCancelledTokenFetchLeavesNoGoroutine(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e := open(t, "syncari")
	e.srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Delay, Operation: "getToken", Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := e.dir.GetUser(ctx, "anyone"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	leakcheck.Verify(t, ignore,
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http/httptest.(*Server).goServe.func1"),
		goleak.IgnoreAnyFunction("net/http.(*Server).Serve"),
	)
}
