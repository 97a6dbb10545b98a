package reconcilecheck

import (
	"context"
	"fmt"
	"testing"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// BenchmarkPlanGenericusrFake compares Plan with the listing alone on a
// provider fake over HTTP. Genericusr lists an account in one response (the
// API does not page), which for 100,000 users exceeds the default response
// size limit; the client raises it. Run it with -benchtime 3x: one listing
// of 100,000 users takes seconds.
func BenchmarkPlanGenericusrFake(b *testing.B) {
	ctx := context.Background()
	sizes := []int{10_000, 100_000}
	if testing.Short() { // CI runs each benchmark once to keep it working: smaller sizes do
		sizes = []int{1_000, 10_000}
	}
	for _, n := range sizes {
		srv := genericusrtest.NewServer()
		for i := range n {
			srv.AddUser(genericusr.User{Username: fmt.Sprintf("user%d@example.com", i), EmailAddress: fmt.Sprintf("user%d@example.com", i),
				ContactName: fmt.Sprintf("User %d", i), Active: true})
		}
		c, err := genericusr.New(srv.Config(), usermgmt.WithMaxResponseBytes(1<<30))
		if err != nil {
			b.Fatal(err)
		}
		dir, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d/list", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				count := 0
				for _, err := range dir.ListUsers(ctx, nil) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count != n {
					b.Fatalf("listed %d", count)
				}
			}
		})
		desired := make([]usermgmt.DesiredUser, n)
		for i := range desired {
			desired[i] = usermgmt.DesiredUser{Username: fmt.Sprintf("user%d@example.com", i), Name: fmt.Sprintf("User %d", i)}
			if i%100 == 1 {
				desired[i].Name = "Renamed"
			}
		}
		b.Run(fmt.Sprintf("n=%d/plan", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := usermgmt.Plan(ctx, dir, desired, nil)
				if err != nil {
					b.Fatal(err)
				}
				if c := p.Counts(); c.Update != n/100 {
					b.Fatalf("counts %+v", c)
				}
			}
		})
		srv.Close()
	}
}
