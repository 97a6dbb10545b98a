package dbsynctest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// A fake answers like the real API, fails on demand, and records what it
// received.
func ExampleNewServer() {
	srv := dbsynctest.NewServer()
	defer srv.Close()
	client, err := dbsync.New(srv.Config(), usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The next licenseDetails answers 503 with Retry-After: 120.
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "licenseDetails", Status: 503, RetryAfter: "120"})
	_, err = client.LicenseDetails(ctx, dbsync.LicenseFilter{})
	var apiErr *usermgmt.APIError
	fmt.Println(errors.As(err, &apiErr) && apiErr.StatusCode == 503, apiErr.RetryAfter)

	for _, r := range srv.Requests() {
		if r.Operation == "licenseDetails" {
			fmt.Println(r.Method, r.Status, r.Fault)
		}
	}
	// Output:
	// true 2m0s
	// POST 503 fail 503
}
