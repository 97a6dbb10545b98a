package dbsync_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func Example() {
	// The fake stands in for https://staging.mydbsync.com/appcenter-2-2/...;
	// a real client passes dbsync.Config{Environment: ..., Version: ...,
	// PartnerAppKey: ..., PartnerAppToken: ...}.
	srv := dbsynctest.NewServer(dbsynctest.WithQuota(2))
	defer srv.Close()

	client, err := dbsync.New(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for _, name := range []string{"jdoe", "asmith", "gwhite"} {
		u, err := client.RegisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: name})
		switch {
		case errors.Is(err, dbsync.ErrQuotaExceeded):
			fmt.Println("quota used up:", err)
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println("registered", u.UserName, "as user", u.UserID, "of company", u.CompanyID)
		}
	}
	_, err = client.RegisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: "jdoe"})
	fmt.Println("again:", errors.Is(err, usermgmt.ErrConflict))

	if err := client.UnregisterUser(ctx, dbsync.EndUser{Company: "Acme Corp", UserName: "asmith"}); err != nil {
		log.Fatal(err)
	}
	for l, err := range client.Licenses(ctx, dbsync.LicenseFilter{Company: "Acme Corp"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("licensed:", l.UserName, l.LicenseStatus)
	}
	fmt.Printf("%v\n", srv.Config().PartnerAppToken)
	// Output:
	// registered jdoe as user 5773 of company 9877
	// registered asmith as user 5774 of company 9877
	// quota used up: dbsync: registerUser: HTTP 200: License quota exceeded: 2 of 2 licensed users are registered
	// again: true
	// licensed: jdoe Active
	// [REDACTED]
}
