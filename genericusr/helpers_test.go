package genericusr_test

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// setup starts a fake and a client for it with fast retries. edit, when
// not nil, adjusts the client's Config.
func setup(t *testing.T, fakeOpts []genericusrtest.Option, edit func(*genericusr.Config), opts ...usermgmt.Option) (*genericusrtest.Server, *genericusr.Client) {
	t.Helper()
	srv := genericusrtest.NewServer(fakeOpts...)
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	if edit != nil {
		edit(&cfg)
	}
	opts = append([]usermgmt.Option{fastRetries()}, opts...)
	c, err := genericusr.New(cfg, opts...)
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
func only(srv *genericusrtest.Server, op string) []usermgmttest.Request {
	var out []usermgmttest.Request
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// one returns the single journal entry of op, failing the test otherwise.
func one(t *testing.T, srv *genericusrtest.Server, op string) usermgmttest.Request {
	t.Helper()
	reqs := only(srv, op)
	if len(reqs) != 1 {
		t.Fatalf("%s requests = %d, want 1 (journal: %+v)", op, len(reqs), srv.Requests())
	}
	return reqs[0]
}

var wantAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(genericusrtest.Username+":"+genericusrtest.Password))

// checkRequest checks the method, path, Basic credentials, User-Agent and
// content type of a journal entry; contentType "" means no body.
func checkRequest(t *testing.T, r usermgmttest.Request, method, path, contentType string) {
	t.Helper()
	if r.Method != method || r.RawPath != path {
		t.Errorf("%s: sent %s %s, want %s %s", r.Operation, r.Method, r.RawPath, method, path)
	}
	if got := r.Header.Get("Authorization"); got != wantAuth {
		t.Errorf("%s: Authorization = %q, want the fake's Basic credentials", r.Operation, got)
	}
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "usermgmt-go/") {
		t.Errorf("%s: User-Agent = %q", r.Operation, got)
	}
	if got := r.Header.Get("Content-Type"); got != contentType {
		t.Errorf("%s: Content-Type = %q, want %q", r.Operation, got, contentType)
	}
	if contentType == "" && len(r.Body) != 0 {
		t.Errorf("%s: sent a body %q, want none", r.Operation, r.Body)
	}
	if r.Status != 200 {
		t.Errorf("%s: the fake answered %d", r.Operation, r.Status)
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

func ptr[T any](v T) *T { return &v }
