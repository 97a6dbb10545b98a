package syncari

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

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
	c := newTokenCache(transport.New(transport.Config{Provider: provider, Options: o}), srv.URL, "id", "secret", time.Second)
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
