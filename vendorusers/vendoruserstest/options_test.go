package vendoruserstest_test

import (
	"net/http"
	"testing"

	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func TestWithPageSizeAppliesWhenTheClientSendsNoLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		opts  []vendoruserstest.Option
		query string
		want  int
	}{
		{"default", nil, "", 5},
		{"page size", []vendoruserstest.Option{vendoruserstest.WithPageSize(2)}, "", 2},
		{"page size from offset", []vendoruserstest.Option{vendoruserstest.WithPageSize(2)}, "?offset=4", 1},
		{"the client's limit wins", []vendoruserstest.Option{vendoruserstest.WithPageSize(2)}, "?limit=3", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := vendoruserstest.NewServer(append(tc.opts, vendoruserstest.WithCredentials("tok"))...)
			t.Cleanup(srv.Close)
			for range 5 {
				srv.AddUser(vendorusers.User{})
			}
			code, body := send(t, srv, http.MethodGet, "/v1.0/users"+tc.query, "tok", "")
			users, _ := body["users"].([]any)
			if code != http.StatusOK || len(users) != tc.want {
				t.Errorf("status %d, %d users; want 200 and %d", code, len(users), tc.want)
			}
		})
	}
}
