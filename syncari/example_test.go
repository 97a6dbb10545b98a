package syncari_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
)

func Example() {
	// The fake stands in for https://api.syncari.com; a real client passes
	// syncari.Config{ClientID: ..., ClientSecret: ..., InstanceID: ...}.
	srv := syncaritest.NewServer()
	defer srv.Close()

	client, err := syncari.New(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	u, err := client.CreateUser(ctx, syncari.CreateUserInput{
		Email:     "newuser@syncari.com",
		FirstName: "New",
		LastName:  "User",
		APIUser:   true,
		Roles:     syncari.Roles{"YUBV99": {"Viewer"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", u.Email, u.Status, "secret:", u.ClientSecret)

	if _, err := client.DeactivateUser(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
	for u, err := range client.ListUsers(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed", u.Email, u.Status)
	}
	// Output:
	// created newuser@syncari.com ACTIVE secret: [REDACTED]
	// listed newuser@syncari.com INACTIVE
}
