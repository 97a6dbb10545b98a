package bss_test

import (
	"context"
	"fmt"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// Create a user, register it later with a PATCH of its registration state
// alone, list the users, and delete the user, against the in-memory fake.
func Example() {
	srv := bsstest.NewServer()
	defer srv.Close()
	client, err := bss.New(srv.Config()) // BaseURL and APIKey of the fake
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	u, err := client.CreateUser(ctx, bss.CreateUserInput{
		Name:       "Jane Doe",
		Email:      "jane.doe@example.com",
		ExternalID: "CID-000123",
		Password:   usermgmt.Secret("change-me"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", u.Name, u.RegistrationInformation.State)

	u, err = client.SetRegistrationState(ctx, u.ID, bss.Registered)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("registered:", u.Registered(), "since set:", !u.RegistrationInformation.Time.IsZero())

	for u, err := range client.ListUsers(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("listed:", u.ContactDetails.Email, u.ExternalID)
	}

	if err := client.DeleteUser(ctx, u.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("users left:", len(srv.Users()))
	// Output:
	// created: Jane Doe UNREGISTERED
	// registered: true since set: true
	// listed: jane.doe@example.com CID-000123
	// users left: 0
}
