package usermgmttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

const spec = `
openapi: 3.0.3
info: {title: items, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object}
      responses:
        "201": {description: created}
  /items/{id}:
    delete:
      operationId: deleteItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: deleted}
`

// store is the handler of the test fake: it counts the items created and
// deleted.
type store struct {
	mu               sync.Mutex
	created, deleted int
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodDelete {
		s.deleted++
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.created++
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"id":"%d","name":"an item with a name long enough to cut in half"}`, s.created)
}

func (s *store) counts() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created, s.deleted
}

func start(t *testing.T) (*usermgmttest.FakeServer, *store) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	st := &store{}
	srv, err := usermgmttest.StartFake(usermgmttest.FakeConfig{
		Spec:    doc,
		Handler: st,
		ErrorBody: func(w http.ResponseWriter, status int, message string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": message})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, st
}

type answer struct {
	status      int
	contentType string
	body        string
	err         error // from sending or from reading the body
}

func send(t *testing.T, srv *usermgmttest.FakeServer, ctx context.Context, method, path string) answer {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"name":"x"}`)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: string(b), err: err}
}

func last(t *testing.T, srv *usermgmttest.FakeServer) usermgmttest.Request {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("the journal is empty")
	}
	return reqs[len(reqs)-1]
}

func TestFaultsBeforeHandlingStoreNothing(t *testing.T) {
	t.Parallel()
	srv, st := start(t)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createItem", Status: 502, ContentType: "text/html",
		Body: []byte("<html>bad gateway</html>"), RetryAfter: "7"})
	a := send(t, srv, context.Background(), http.MethodPost, "/items")
	if a.err != nil || a.status != 502 || a.contentType != "text/html" || a.body != "<html>bad gateway</html>" {
		t.Errorf("answer = %+v, want the injected page", a)
	}
	if r := last(t, srv); r.Handled || r.Status != 502 || r.Fault == "" {
		t.Errorf("journal entry = %+v, want a fault that was not handled", r)
	}
	if c, _ := st.counts(); c != 0 {
		t.Errorf("created = %d, want 0", c)
	}
	if usermgmttest.Fail.AfterHandling() || usermgmttest.DropBefore.AfterHandling() || usermgmttest.Delay.AfterHandling() {
		t.Error("a fault before handling reports AfterHandling")
	}
}

func TestFaultsAfterHandlingStoreTheChange(t *testing.T) {
	t.Parallel()
	const original = `{"id":"1","name":"an item with a name long enough to cut in half"}`
	for _, tc := range []struct {
		fault usermgmttest.Fault
		check func(a answer) error
	}{
		{usermgmttest.Fault{Kind: usermgmttest.DropAfter}, func(a answer) error {
			if a.err == nil {
				return errors.New("no error from a dropped connection")
			}
			return nil
		}},
		{usermgmttest.Fault{Kind: usermgmttest.FailAfter, Status: 503, RetryAfter: "1"}, func(a answer) error {
			if a.status != 503 {
				return fmt.Errorf("status %d, want 503", a.status)
			}
			return nil
		}},
		{usermgmttest.Fault{Kind: usermgmttest.Truncate}, func(a answer) error {
			if !errors.Is(a.err, io.ErrUnexpectedEOF) || a.status != 201 || a.body != original[:len(original)/2] {
				return fmt.Errorf("got %+v, want half the body and an unexpected EOF", a)
			}
			return nil
		}},
		{usermgmttest.Fault{Kind: usermgmttest.Replace, ContentType: "application/json", Body: []byte(`{"id": [`)}, func(a answer) error {
			if a.err != nil || a.status != 201 || a.body != `{"id": [` {
				return fmt.Errorf("got %+v, want the replaced body with the handler's status", a)
			}
			return nil
		}},
		{usermgmttest.Fault{Kind: usermgmttest.Replace, ContentType: "text/plain"}, func(a answer) error {
			if a.err != nil || a.contentType != "text/plain" || a.body != original {
				return fmt.Errorf("got %+v, want the handler's body as text/plain", a)
			}
			return nil
		}},
		{usermgmttest.Fault{Kind: usermgmttest.Pad, Padding: 1000}, func(a answer) error {
			var v map[string]string
			if a.err != nil || len(a.body) != len(original)+1000 || json.Unmarshal([]byte(a.body), &v) != nil {
				return fmt.Errorf("got %d bytes (%v), want valid JSON padded by 1000", len(a.body), a.err)
			}
			return nil
		}},
	} {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			t.Parallel()
			srv, st := start(t)
			f := tc.fault
			f.Operation = "createItem"
			srv.Inject(f)
			if !f.Kind.AfterHandling() {
				t.Errorf("%v.AfterHandling() = false", f.Kind)
			}
			a := send(t, srv, context.Background(), http.MethodPost, "/items")
			if err := tc.check(a); err != nil {
				t.Error(err)
			}
			// No Idle: the entry is recorded before the answer goes out.
			if r := last(t, srv); !r.Handled || !strings.Contains(r.Fault, "after handling") {
				t.Errorf("journal entry = %+v, want a fault after handling", r)
			}
			if c, _ := st.counts(); c != 1 {
				t.Errorf("created = %d, want 1", c)
			}
		})
	}
}

func TestFaultsThatSendABodyReplaceANoContentStatus(t *testing.T) {
	t.Parallel()
	srv, st := start(t)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Truncate, Operation: "deleteItem"})
	a := send(t, srv, context.Background(), http.MethodDelete, "/items/1")
	if a.status != 200 || !errors.Is(a.err, io.ErrUnexpectedEOF) {
		t.Errorf("answer = %+v, want 200 with a body cut short", a)
	}
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Pad, Operation: "deleteItem", Padding: 10})
	if a := send(t, srv, context.Background(), http.MethodDelete, "/items/1"); a.status != 200 || len(a.body) != 10 {
		t.Errorf("answer = %+v, want 200 with 10 bytes", a)
	}
	if _, d := st.counts(); d != 2 {
		t.Errorf("deleted = %d, want 2", d)
	}
}

func TestIdleWaitsForARequestTheClientGaveUpOn(t *testing.T) {
	t.Parallel()
	for _, kind := range []usermgmttest.FaultKind{usermgmttest.Delay, usermgmttest.DelayAfter} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv, st := start(t)
			srv.Inject(usermgmttest.Fault{Kind: kind, Operation: "createItem", Delay: time.Minute})
			// Idle sees a request once the fake has begun serving it: the
			// client's second is the margin for that on a loaded machine.
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if a := send(t, srv, ctx, http.MethodPost, "/items"); !errors.Is(a.err, context.DeadlineExceeded) {
				t.Fatalf("answer = %+v, want the client's deadline", a)
			}
			idle, stop := context.WithTimeout(context.Background(), 10*time.Second)
			defer stop()
			if err := srv.Idle(idle); err != nil {
				t.Fatalf("Idle: %v", err)
			}
			r := last(t, srv)
			c, _ := st.counts()
			if after := kind == usermgmttest.DelayAfter; r.Handled != after || (c == 1) != after || r.Status != 0 {
				t.Errorf("entry = %+v, created %d; want handled and stored only for DelayAfter, status 0", r, c)
			}
		})
	}
}

// TestStoreLateStoresAfterTheClientGaveUp: the handler runs, and stores,
// once the delay has passed, although the client left long before.
func TestStoreLateStoresAfterTheClientGaveUp(t *testing.T) {
	t.Parallel()
	srv, st := start(t)
	// The client gives up after a second (the margin for the request to
	// reach the fake, which Idle needs to see it); the store comes 3s
	// after the request arrived, 2s after the client gave up: the check that
	// nothing is stored yet keeps that margin on a loaded machine.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.StoreLate, Operation: "createItem", Delay: 3 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if a := send(t, srv, ctx, http.MethodPost, "/items"); !errors.Is(a.err, context.DeadlineExceeded) {
		t.Fatalf("answer = %+v, want the client's deadline", a)
	}
	if c, _ := st.counts(); c != 0 {
		t.Fatalf("created = %d as the client gave up, want 0: the store must come later", c)
	}
	idle, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if err := srv.Idle(idle); err != nil {
		t.Fatalf("Idle: %v", err)
	}
	if c, _ := st.counts(); c != 1 || !last(t, srv).Handled {
		t.Errorf("created = %d, entry %+v; want the item stored once by the handler", c, last(t, srv))
	}
}

func TestFaultKindNames(t *testing.T) {
	t.Parallel()
	for k, want := range map[usermgmttest.FaultKind]string{usermgmttest.Fail: "Fail", usermgmttest.Pad: "Pad", usermgmttest.StoreLate: "StoreLate", usermgmttest.FaultKind(99): "FaultKind(99)"} {
		if got := k.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
