package usermgmt_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// Provision creates many users at once, and creates nothing twice when run
// again.
func ExampleProvision() {
	dir := usermgmttest.NewMemory() // any Directory: syncari.NewDirectory(client), ...
	users := []usermgmt.CreateUserInput{
		{Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace"},
		{Username: "grace", Email: "grace@example.com", Name: "Grace Hopper"},
	}
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		results, err := usermgmt.Provision(ctx, dir, users, &usermgmt.ProvisionOptions{Concurrency: 4, RateLimit: 100})
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range results {
			fmt.Printf("run %d: %s %s\n", run, r.Key, r.Outcome)
		}
	}
	// Output:
	// run 1: ada created
	// run 1: grace created
	// run 2: ada existed
	// run 2: grace existed
}

// Errors are matched by kind with errors.Is, and inspected with errors.As.
func ExampleAPIError() {
	dir := usermgmttest.NewMemory()
	_, err := dir.GetUser(context.Background(), "42")

	var apiErr *usermgmt.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, usermgmt.ErrNotFound))
	}
	// Output:
	// 404 true
}

// Capabilities says what a directory can do before you call it.
func ExampleDirectory_capabilities() {
	dir := usermgmttest.NewMemory()
	c := dir.Capabilities()
	fmt.Println(dir.Provider(), "delete:", c.Delete, "roles:", c.Roles)
	// Output:
	// memory delete: true roles: true
}
