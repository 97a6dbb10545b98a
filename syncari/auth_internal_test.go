package syncari

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestRefreshAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		life time.Duration
		want time.Duration // after now
	}{
		{3 * time.Hour, 3*time.Hour - time.Minute},
		{4 * time.Minute, 3 * time.Minute},
		{time.Minute, 45 * time.Second},
	}
	for _, tt := range tests {
		if got := refreshAt(now, now.Add(tt.life)).Sub(now); got != tt.want {
			t.Errorf("lifetime %v: refresh after %v, want %v", tt.life, got, tt.want)
		}
	}
	if got := refreshAt(now, time.Time{}); got.Before(now.Add(24 * time.Hour)) {
		t.Errorf("a token without expiry is refreshed at %v", got)
	}
}

// TestTokenRefreshedBeforeExpiry drives the cache's clock: a token is reused
// while fresh and replaced a minute before it expires, without any call
// failing first.
func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	t.Parallel()
	var issued atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := issued.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	t.Cleanup(srv.Close)
	o, err := usermgmt.NewOptions()
	if err != nil {
		t.Fatal(err)
	}
	c := newTokenCache(transport.New(transport.Config{Provider: provider, Options: o}), srv.URL, "id", "secret", time.Minute)
	now := time.Now()
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for _, step := range []struct {
		advance time.Duration
		want    string
	}{
		{0, "tok-1"},
		{58 * time.Minute, "tok-1"},
		{2 * time.Minute, "tok-2"}, // 60 minutes in: inside the last minute
		{30 * time.Minute, "tok-2"},
	} {
		now = now.Add(step.advance)
		got, err := c.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != step.want {
			t.Errorf("after %v more: token %q, want %q", step.advance, got, step.want)
		}
	}
	c.invalidate("tok-1") // stale: keeps tok-2
	if got, _ := c.get(ctx); got != "tok-2" {
		t.Errorf("invalidating an old token dropped the current one")
	}
	c.invalidate("tok-2")
	if got, _ := c.get(ctx); got != "tok-3" {
		t.Errorf("after invalidation got %q, want tok-3", got)
	}
}

// TestAbandonedTokenFetchIsCancelled checks that a token request nobody
// waits for any more is cancelled, so that its goroutine does not outlive
// the callers, and that the next caller starts a fresh request instead of
// joining the cancelled one.
func TestAbandonedTokenFetchIsCancelled(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 2)
	cancelled := make(chan struct{}, 2)
	release := make(chan struct{})
	var hang atomic.Bool
	hang.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client going away
		if hang.Load() {
			arrived <- struct{}{}
			select {
			case <-r.Context().Done():
				cancelled <- struct{}{}
			case <-release:
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-after","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: a failing test does not hang in Close
	o, err := usermgmt.NewOptions()
	if err != nil {
		t.Fatal(err)
	}
	c := newTokenCache(transport.New(transport.Config{Provider: provider, Options: o}), srv.URL, "id", "secret", time.Minute)

	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	for range 2 { // two callers share the fetch
		go func() { _, err := c.get(ctx); errs <- err }()
	}
	<-arrived
	cancel()
	for range 2 {
		if err := <-errs; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	}
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the token request went on after every caller had gone")
	}
	hang.Store(false)
	if got, err := c.get(context.Background()); err != nil || got != "tok-after" {
		t.Errorf("next caller: %q, %v; want a fresh fetch", got, err)
	}
}

// TestWaiterGetsItsFetchsToken: a caller waiting on a token fetch gets the
// token that fetch obtained, even when another caller invalidated it (its
// request met a 401) before this one woke up. Reading the cache's slot
// instead made every such waiter fail with "already expired"; 128
// goroutines sharing one client, with the fake's tokens revoked mid-run,
// met it under load.
func TestWaiterGetsItsFetchsToken(t *testing.T) {
	t.Parallel()
	o, err := usermgmt.NewOptions()
	if err != nil {
		t.Fatal(err)
	}
	c := newTokenCache(transport.New(transport.Config{Provider: provider, Options: o}), "http://127.0.0.1:1/token", "id", "secret", time.Second)
	// A fetch in flight, as token would start it; the test plays its end.
	f := &fetch{done: make(chan struct{}), cancel: func() {}}
	c.inflight = f
	type result struct {
		tok string
		err error
	}
	got := make(chan result, 1)
	go func() {
		tok, err := c.get(context.Background())
		got <- result{tok, err}
	}()
	c.mu.Lock()
	f.tok = &oauth2.Token{AccessToken: "tok-1"}
	f.expiry = c.now().Add(time.Hour)
	// c.tok stays nil: the token was handed out and invalidated at once.
	// c.inflight stays f, so that the waiter joins this fetch whether it
	// starts before or after the fetch ends.
	c.mu.Unlock()
	close(f.done)
	r := <-got
	if r.err != nil || r.tok != "tok-1" {
		t.Fatalf("waiter got %q, %v; want the fetch's token tok-1", r.tok, r.err)
	}
}

// TestRefreshAfter401DoesNotJoinAnOlderFetch: a caller whose token met a
// 401 must not take its second token from a fetch started before that 401,
// which may bring a token revoked with the first. Here a routine refresh
// is in flight (the server has issued its token and holds the answer) when
// every token is revoked; the caller's refresh must start its own fetch,
// and succeed while the old one is still held.
func TestRefreshAfter401DoesNotJoinAnOlderFetch(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	valid := map[string]bool{"T0": true}
	var issued int
	apiHeld, releaseAPI := make(chan struct{}), make(chan struct{})
	oldIssued, releaseOld := make(chan struct{}), make(chan struct{})
	var apiCalls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			mu.Lock()
			issued++
			n, tok := issued, fmt.Sprintf("T%d", issued)
			valid[tok] = true
			mu.Unlock()
			if n == 1 { // the routine refresh: issued, then held
				close(oldIssued)
				<-releaseOld
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, tok)
			return
		}
		if apiCalls.Add(1) == 1 {
			close(apiHeld)
			<-releaseAPI
		}
		mu.Lock()
		ok := valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(releaseOld) }) // before srv.Close, which waits for it
	o, err := usermgmt.NewOptions()
	if err != nil {
		t.Fatal(err)
	}
	tc := transport.New(transport.Config{Provider: provider, Options: o})
	c := newTokenCache(tc, srv.URL+"/token", "id", "secret", time.Minute)
	var clock sync.Mutex
	now := time.Now()
	c.now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
	c.tok, c.fresh = &oauth2.Token{AccessToken: "T0"}, now.Add(time.Minute)
	a := &authDoer{next: tc, tokens: c}

	status := make(chan int, 1)
	go func() { // the caller sends with T0; the server holds its request
		req, _ := http.NewRequestWithContext(transport.WithCall(context.Background(), "probe", transport.Idempotent), "GET", srv.URL+"/api", nil)
		resp, err := a.Do(req)
		if err != nil {
			t.Error(err)
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-apiHeld
	clock.Lock() // T0 is due for its routine refresh: another caller starts it
	now = now.Add(2 * time.Minute)
	clock.Unlock()
	go func() { _, _ = c.get(context.Background()) }()
	<-oldIssued
	mu.Lock() // every token is revoked, T1 too, before its answer arrives
	clear(valid)
	mu.Unlock()
	close(releaseAPI) // the caller meets the 401 and refreshes
	select {
	case got := <-status:
		if got != http.StatusOK {
			t.Errorf("the caller met one revocation and ended with %d", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the caller's refresh waited for the fetch started before its 401")
	}
}
