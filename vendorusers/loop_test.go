package vendorusers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
)

// TestListUsersStopsWhenTheServerIgnoresOffset: a server that answers
// every page with the first one must not make the iterator loop for ever.
func TestListUsersStopsWhenTheServerIgnoresOffset(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		var users []string
		for i := range 3 {
			users = append(users, fmt.Sprintf(`{"_id":%d,"confirmed":true,"email":"u%d@x.io","status":true,"userdetails":{"_id":%d,`+
				`"firstname":"A","lastname":"B","lastvisitdate":0,"archived":false,"archivationdate":0,`+
				`"role":{"_id":5,"createorders":false,"createproducts":false,"createusers":false,"manageprotect":true,"nameeng":"Developer"},`+
				`"settings":{"language":0}}}`, 100+i, i, 200+i))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"users":[%s]}`, strings.Join(users, ","))
	}))
	t.Cleanup(srv.Close)
	c, err := vendorusers.New(vendorusers.Config{BaseURL: srv.URL, Token: "t0ken-value"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := usermgmt.Collect(c.ListUsers(context.Background(), &vendorusers.ListUsersOptions{PageSize: 3}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || hits.Load() != 2 {
		t.Errorf("got %d users in %d requests; want 3 in 2", len(got), hits.Load())
	}
}
