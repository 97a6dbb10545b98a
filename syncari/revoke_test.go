package syncari_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
)

// TestTokensRevokedUnderConcurrentUse: many goroutines share one client
// while the fake revokes every token it issued, again and again, with calls
// in flight: each revocation sends a crowd of callers through the 401, the
// one shared token fetch and the resend at once. Every call must succeed,
// and each revocation must cost one token fetch, not one per caller.
//
// The client refreshes once per call, so no call may meet two revocations:
// after revocation k, the test waits for a call started after it to
// succeed (from then on the client holds a token issued after k), then for
// every goroutine to finish a call started after that, and only then
// revokes again.
func TestTokensRevokedUnderConcurrentUse(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	// Each goroutine makes at least calls calls, and goes on until the
	// client has come through all revocations, however the scheduler shares
	// the CPU among them; all stop at the first failure.
	const workers, calls, revocations = 32, 40, 4
	type finished struct {
		worker    int
		revoked   int32 // revocations before the call started
		clean     int32 // clean points before the call started
		succeeded bool
	}
	var revoked, clean atomic.Int32
	done := make(chan finished, workers)
	stop := make(chan struct{})
	var revoker sync.WaitGroup
	revoker.Add(1)
	go func() {
		defer revoker.Done()
		caught := make(map[int]bool) // goroutines that finished a call since the clean point
		dirty := false               // revoked, no clean point yet
		for {
			select {
			case f := <-done:
				switch {
				case dirty:
					if f.succeeded && f.revoked == revoked.Load() {
						clean.Add(1)
						dirty = false
					}
				case f.clean == clean.Load():
					caught[f.worker] = true
					if len(caught) == workers && revoked.Load() < revocations {
						srv.ExpireTokens()
						revoked.Add(1)
						clear(caught)
						dirty = true
					}
				}
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; (i < calls || clean.Load() < revocations) && failed.Load() == 0; i++ {
				f := finished{worker: w, revoked: revoked.Load(), clean: clean.Load()}
				_, err := c.ListUsersPage(ctx, "", nil)
				if f.succeeded = err == nil; !f.succeeded && failed.Add(1) <= 5 {
					t.Error(err)
				}
				done <- f
			}
		}()
	}
	wg.Wait()
	close(stop)
	revoker.Wait()
	if n := failed.Load(); n > 0 {
		t.Errorf("%d calls failed (the first 5 shown)", n)
	}
	// One fetch per revocation: every caller that met it shares the fetch.
	if got, want := srv.TokensIssued(), revocations+1; got != want {
		t.Errorf("%d tokens issued for %d revocations; want %d", got, revocations, want)
	}
}

// TestTokenRevokedBetweenIssueAndDelivery: the first token is revoked after
// the token endpoint issued it and before the client has it, while every
// goroutine waits for that one fetch. All of them send with it, meet the
// 401, share a second fetch and succeed. A waiter that woke after another
// had already invalidated the token used to fail with "already expired".
func TestTokenRevokedBetweenIssueAndDelivery(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var first sync.Once
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(*http.Response) error {
		first.Do(srv.ExpireTokens)
		return nil
	}
	tokenSrv := httptest.NewServer(proxy)
	t.Cleanup(tokenSrv.Close)
	cfg := srv.Config()
	cfg.TokenURL = tokenSrv.URL + "/api/v1/oauth/token"
	c, err := syncari.New(cfg, fastRetries())
	if err != nil {
		t.Fatal(err)
	}
	const workers = 64
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListUsersPage(context.Background(), "", nil); err != nil && failed.Add(1) <= 5 {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Errorf("%d of %d calls failed (the first 5 shown)", n, workers)
	}
	if n := srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens issued; want 2 (the revoked one, then one shared refresh)", n)
	}
}
