package dbsync_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// setup starts a fake and a client for it with fast retries.
func setup(t *testing.T, fakeOpts []dbsynctest.Option, opts ...usermgmt.Option) (*dbsynctest.Server, *dbsync.Client) {
	t.Helper()
	srv := dbsynctest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	c, err := dbsync.New(srv.Config(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func fastRetries() usermgmt.Option {
	return usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// only returns the journal entries of one operation.
func only(srv *dbsynctest.Server, op string) []usermgmttest.Request {
	var out []usermgmttest.Request
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// creds returns the credential fields every body carries, as the fake
// accepts them.
func creds() map[string]any {
	return map[string]any{"partnerAppKey": dbsynctest.PartnerAppKey, "partnerAppToken": dbsynctest.PartnerAppToken}
}

// body returns creds() with fields added.
func body(fields map[string]any) map[string]any {
	b := creds()
	for k, v := range fields {
		b[k] = v
	}
	return b
}

// checkWire checks the one request of op in the journal: POST to /op, JSON,
// the SDK's User-Agent, and exactly the body want.
func checkWire(t *testing.T, srv *dbsynctest.Server, op string, want map[string]any) {
	t.Helper()
	reqs := only(srv, op)
	if len(reqs) != 1 {
		t.Fatalf("%s requests = %d, want 1", op, len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/"+op || r.RawPath != "/"+op || len(r.Query) != 0 {
		t.Errorf("sent %s %s (raw %s, query %v), want POST /%s", r.Method, r.Path, r.RawPath, r.Query, op)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type = %q, want application/json", op, ct)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "usermgmt-go/") || !strings.Contains(ua, "dbsync") {
		t.Errorf("%s: User-Agent = %q", op, ua)
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("%s: an Authorization header was sent; the credentials belong in the body", op)
	}
	var got map[string]any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("%s: body is not JSON: %v", op, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: body (-want +got):\n%s", op, diff)
	}
	if r.Status != http.StatusOK {
		t.Errorf("%s: fake answered %d, want 200", op, r.Status)
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
