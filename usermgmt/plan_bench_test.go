package usermgmt_test

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// paged is a read-only directory of n generated users, listed the way the
// providers list: one page of pageSize users built at a time, and only
// that page held. It stands for a provider's listing without its HTTP
// cost, which makes Plan's own cost stand out.
type paged struct {
	usermgmttest.Memory // the methods Plan does not call
	n                   int
}

const pageSize = 500

func (p *paged) Provider() string { return "paged" }

func (p *paged) Capabilities() usermgmt.Capabilities {
	return usermgmt.Capabilities{Get: true, List: true, Update: true, Activate: true, Deactivate: true, Delete: true, NaturalKey: "email"}
}

func benchEmail(i int) string { return "user" + strconv.Itoa(i) + "@example.com" }

func (p *paged) ListUsers(ctx context.Context, _ *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	return func(yield func(usermgmt.User, error) bool) {
		page := make([]usermgmt.User, 0, pageSize)
		for start := 0; start < p.n; start += pageSize {
			if err := ctx.Err(); err != nil {
				yield(usermgmt.User{}, err)
				return
			}
			page = page[:0]
			for i := start; i < min(start+pageSize, p.n); i++ {
				page = append(page, usermgmt.User{ID: strconv.Itoa(i + 1), Email: benchEmail(i),
					Name: fmt.Sprintf("User %d", i), Active: true, Provider: "paged"})
			}
			for _, u := range page {
				if !yield(u, nil) {
					return
				}
			}
		}
	}
}

// roster returns n desired users for a directory of n: the same users,
// except that one in a hundred has another name, one in a hundred is to
// be deactivated, and one in a hundred is new (in place of one the
// directory holds).
func roster(n int) []usermgmt.DesiredUser {
	off := false
	out := make([]usermgmt.DesiredUser, n)
	for i := range out {
		d := usermgmt.DesiredUser{Email: benchEmail(i), Name: fmt.Sprintf("User %d", i)}
		switch i % 100 {
		case 1:
			d.Name = "Renamed " + strconv.Itoa(i)
		case 2:
			d.Active = &off
		case 3:
			d.Email = "new" + strconv.Itoa(i) + "@example.com"
		}
		out[i] = d
	}
	return out
}

// BenchmarkPlan compares planning n desired users against a directory of
// n with the listing alone: Plan's cost should be at most 1.2 times the
// listing's, and its memory grow with the desired users only.
func BenchmarkPlan(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		dir := &paged{n: n}
		b.Run(fmt.Sprintf("list/n=%d", n), func(b *testing.B) {
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
		desired := roster(n)
		b.Run(fmt.Sprintf("plan/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := usermgmt.Plan(ctx, dir, desired, nil)
				if err != nil {
					b.Fatal(err)
				}
				if c := p.Counts(); c.Create != n/100 || c.Update != 2*n/100 {
					b.Fatalf("counts %+v", c)
				}
			}
		})
	}
}
