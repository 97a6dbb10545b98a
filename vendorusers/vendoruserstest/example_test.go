package vendoruserstest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// A fake answers like the real API, fails on demand, and records what it
// received.
func ExampleNewServer() {
	srv := vendoruserstest.NewServer()
	defer srv.Close()
	client, err := vendorusers.New(srv.Config(), usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The next getRoles answers 503 with Retry-After: 120.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 503, RetryAfter: "120"})
	_, err = client.ListRoles(ctx)
	var apiErr *usermgmt.APIError
	fmt.Println(errors.As(err, &apiErr) && apiErr.StatusCode == 503, apiErr.RetryAfter)

	for _, r := range srv.Requests() {
		if r.Operation == "getRoles" {
			fmt.Println(r.Method, r.Status, r.Fault)
		}
	}
	// Output:
	// true 2m0s
	// GET 503 fail 503
}
