package syncari_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// TestListUsersStopsOnACursorCycle: a server whose cursors go round in a
// circle (A, B, A, ...) must not make the iterator loop for ever.
func TestListUsersStopsOnACursorCycle(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	next := map[string]string{"": "A", "A": "B", "B": "A"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"success":true,"requestId":"r","timestamp":"2022-05-09T04:58:37Z","result":[{"id":"u%d","email":"u%d@x.io","status":"ACTIVE"}],"nextCursorToken":%q}`,
			n, n, next[r.URL.Query().Get("cursorToken")])
	}))
	t.Cleanup(srv.Close)
	c, err := syncari.New(syncari.Config{BaseURL: srv.URL, Token: "t0ken-value", InstanceID: "YUBV99"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := usermgmt.Collect(c.ListUsers(context.Background(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || hits.Load() != 3 {
		t.Errorf("got %d users in %d requests; want 3 in 3 (first page, A, B)", len(got), hits.Load())
	}
}
