package vendorusers_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// setup starts a fake and a client for it with fast retries.
func setup(t *testing.T, fakeOpts []vendoruserstest.Option, opts ...usermgmt.Option) (*vendoruserstest.Server, *vendorusers.Client) {
	t.Helper()
	srv := vendoruserstest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	c, err := vendorusers.New(srv.Config(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func fastRetries() usermgmt.Option {
	return usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})
}

// readFile reads a seed sample from testdata (see testdata/README.md: the
// broken `"archivationdate: 0` of the documentation is fixed there).
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// only returns the journal entries of one operation.
func only(srv *vendoruserstest.Server, op string) []usermgmttest.Request {
	var out []usermgmttest.Request
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// checkAuth checks the bearer token and User-Agent every call carries.
func checkAuth(t *testing.T, r usermgmttest.Request) {
	t.Helper()
	if got := r.Header.Get("Authorization"); got != "Bearer "+vendoruserstest.Token {
		t.Errorf("%s: Authorization = %q, want the fake's bearer token", r.Operation, got)
	}
	if got := r.Header.Get("User-Agent"); !bytes.HasPrefix([]byte(got), []byte("usermgmt-go/")) {
		t.Errorf("%s: User-Agent = %q", r.Operation, got)
	}
}

// bodyOf decodes a journal entry's JSON body into a generic map.
func bodyOf(t *testing.T, r usermgmttest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s body %q: %v", r.Operation, r.Body, err)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

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
