package bss_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// setup starts a fake and a client for it with fast retries.
func setup(t *testing.T, fakeOpts []bsstest.Option, opts ...usermgmt.Option) (*bsstest.Server, *bss.Client) {
	t.Helper()
	srv := bsstest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	c, err := bss.New(srv.Config(), opts...)
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

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// jsonValue decodes b into a generic value, for comparing JSON documents.
func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}

// only returns the journal entries of one operation.
func only(srv *bsstest.Server, op string) []usermgmttest.Request {
	var out []usermgmttest.Request
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// one returns the single journal entry of op, failing the test otherwise.
func one(t *testing.T, srv *bsstest.Server, op string) usermgmttest.Request {
	t.Helper()
	reqs := only(srv, op)
	if len(reqs) != 1 {
		t.Fatalf("%s requests = %d, want 1 (journal: %+v)", op, len(reqs), srv.Requests())
	}
	return reqs[0]
}

// checkRequest checks the method, the decoded and raw path, the headers
// every BSS call carries, and the body (nil: none; otherwise equal JSON).
func checkRequest(t *testing.T, r usermgmttest.Request, method, path, rawPath string, body []byte) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawPath != rawPath {
		t.Errorf("%s: sent %s %s (raw %s), want %s %s (raw %s)", r.Operation, r.Method, r.Path, r.RawPath, method, path, rawPath)
	}
	if got := r.Header.Get("Authorization"); got != "Apikey "+bsstest.APIKey {
		t.Errorf("%s: Authorization = %q, want the Apikey scheme with the fake's key", r.Operation, got)
	}
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "usermgmt-go/") {
		t.Errorf("%s: User-Agent = %q", r.Operation, got)
	}
	if body == nil {
		if len(r.Body) != 0 {
			t.Errorf("%s: sent a body %s, want none", r.Operation, r.Body)
		}
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type = %q, want application/json", r.Operation, ct)
	}
	if diff := cmp.Diff(jsonValue(t, body), jsonValue(t, r.Body)); diff != "" {
		t.Errorf("%s: body (-want +sent):\n%s", r.Operation, diff)
	}
}

// cmpUsers compares users with times by instant.
var cmpUsers = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
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
