package genericusr_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func Example() {
	// The fake stands in for a Revive Adserver installation; a real client
	// passes genericusr.Config{BaseURL: "https://ads.example.com/api",
	// Username: ..., Password: ...}.
	srv := genericusrtest.NewServer(genericusrtest.WithAccounts(2))
	defer srv.Close()

	client, err := genericusr.New(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	u, err := client.AddUser(ctx, genericusr.AddUserInput{
		ContactName:      "John Doe",
		EmailAddress:     "john.doe@example.com",
		DefaultAccountID: 2,
		Username:         "jdoe",
		Password:         usermgmt.Secret("initial password"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created user %d (%s), active: %t\n", u.ID, u.Username, u.Active)

	// Only the fields that are set are sent.
	inactive := false
	if _, err := client.ModifyUser(ctx, u.ID, genericusr.ModifyUserInput{Active: &inactive}); err != nil {
		log.Fatal(err)
	}
	for u, err := range client.ListUsers(ctx, 2) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("account 2: %s <%s>, active: %t\n", u.ContactName, u.EmailAddress, u.Active)
	}

	if err := client.DeleteUser(ctx, u.ID); err != nil {
		log.Fatal(err)
	}
	_, err = client.GetUser(ctx, u.ID)
	fmt.Println("after delete:", err)
	// Output:
	// created user 1 (jdoe), active: true
	// account 2: John Doe <john.doe@example.com>, active: false
	// after delete: genericusr: getUser: HTTP 404 (Exception): Unknown userId Error
}

func ExampleNewDirectory() {
	srv := genericusrtest.NewServer()
	defer srv.Close()
	client, err := genericusr.New(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	dir, err := genericusr.NewDirectory(client, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	u, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{
		Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace", Password: "initial password",
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := dir.SetActive(ctx, u.ID, false); err != nil {
		log.Fatal(err)
	}
	for u, err := range dir.ListUsers(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Username, u.Name, "active:", u.Active)
	}
	// Output:
	// 1 ada Ada Lovelace active: false
}
