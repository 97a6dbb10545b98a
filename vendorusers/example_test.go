package vendorusers_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func Example() {
	// The fake stands in for https://station.guardant.ru; a real client
	// passes vendorusers.Config{Token: ...} (or Auth for another scheme).
	srv := vendoruserstest.NewServer()
	defer srv.Close()

	client, err := vendorusers.New(srv.Config())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	roles, err := client.ListRoles(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range roles {
		fmt.Println("role", r.ID, r.Name)
	}

	for _, name := range [][2]string{{"Ada", "Lovelace"}, {"Alan", "Turing"}, {"Grace", "Hopper"}} {
		u, err := client.CreateUser(ctx, vendorusers.CreateUserInput{
			Username:  name[0] + "@example.com",
			RoleID:    5, // Developer
			Password:  usermgmt.Secret("Eklmn63158515Eklmn"),
			FirstName: name[0],
			LastName:  name[1],
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created", u.ID, u.Email, u.Details.Role.Name, "active:", u.Active)
	}

	if _, err := client.SetActive(ctx, 10028, false); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Archive(ctx, 10030, true); err != nil {
		log.Fatal(err)
	}

	notArchived := false
	for u, err := range client.ListUsers(ctx, &vendorusers.ListUsersOptions{Archived: &notArchived}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed", u.Details.LastName, u.Details.FirstName, "active:", u.Active)
	}
	// Output:
	// role 2 Supervisor
	// role 3 Product manager
	// role 4 Sales manager
	// role 5 Developer
	// created 10026 Ada@example.com Developer active: true
	// created 10028 Alan@example.com Developer active: true
	// created 10030 Grace@example.com Developer active: true
	// listed Lovelace Ada active: true
	// listed Turing Alan active: false
}
