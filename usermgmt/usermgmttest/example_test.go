package usermgmttest_test

import (
	"context"
	"fmt"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// Memory stands in for any Directory in tests of code that takes one.
func ExampleNewMemory() {
	dir := usermgmttest.NewMemory()
	ctx := context.Background()
	u, _ := dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace"})
	_, _ = dir.SetActive(ctx, u.ID, false)
	for u, err := range dir.ListUsers(ctx, nil) {
		fmt.Println(u.Username, u.Name, u.Active, err)
	}
	// Output:
	// ada Ada Lovelace false <nil>
}
