package usermgmt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// paged is a read-only directory of n users, listed the way the
// providers list: one page of pageSize users at a time, and only that page
// held. It stands for a provider's fake without the HTTP round trips,
// which makes Plan's own cost stand out. With decode set, each page is
// decoded from JSON and converted, as a provider's client and adapter do;
// without it, the users are generated, the cheapest listing there is.
type paged struct {
	*usermgmttest.Memory // the methods Plan does not call
	n                    int
	decode               bool
	pages                [][]byte // the JSON pages, when decode is set
}

const pageSize = 500

// wireUser is a user as an API would send it.
type wireUser struct {
	ID     string `json:"id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

func newPaged(n int, decode bool) *usermgmt.Directory {
	p := &paged{Memory: usermgmttest.NewMemoryDriver(), n: n, decode: decode}
	if decode {
		for start := 0; start < n; start += pageSize {
			var page []wireUser
			for i := start; i < min(start+pageSize, n); i++ {
				page = append(page, benchUser(i))
			}
			b, err := json.Marshal(page)
			if err != nil {
				panic(err)
			}
			p.pages = append(p.pages, b)
		}
	}
	d, err := usermgmt.NewDirectory(p)
	if err != nil {
		panic(err)
	}
	return d
}

func benchUser(i int) wireUser {
	return wireUser{ID: strconv.Itoa(i + 1), Email: benchEmail(i), Name: fmt.Sprintf("User %d", i), Active: true}
}

func (p *paged) Provider() string { return "paged" }

func (p *paged) Traits() driver.Traits {
	t := p.Memory.Traits()
	t.NaturalKey, t.MaxPageSize, t.DefaultPageSize = driver.KeyEmail, pageSize, pageSize
	return t
}

func benchEmail(i int) string { return "user" + strconv.Itoa(i) + "@example.com" }

// ListPage returns the page the token numbers, decoded or generated.
func (p *paged) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pi, err := driver.ParseOffset(req.Token)
	if err != nil {
		return nil, err
	}
	start := pi * pageSize
	var page []wireUser
	if p.decode {
		if err := json.Unmarshal(p.pages[pi], &page); err != nil {
			return nil, err
		}
	} else {
		for i := start; i < min(start+pageSize, p.n); i++ {
			page = append(page, benchUser(i))
		}
	}
	out := &driver.Page{Users: make([]driver.User, len(page))}
	for i, w := range page {
		out.Users[i] = driver.User{ID: w.ID, Email: w.Email, Name: w.Name, Active: w.Active}
	}
	if start+pageSize < p.n {
		out.Next = driver.Offset(pi + 1)
	}
	return out, nil
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
	sizes := []int{10_000, 100_000}
	if testing.Short() { // CI runs each benchmark once to keep it working: smaller sizes do
		sizes = []int{1_000, 10_000}
	}
	for _, n := range sizes {
		desired := roster(n)
		for _, decode := range []bool{false, true} {
			dir := newPaged(n, decode)
			kind := "generated"
			if decode {
				kind = "decoded"
			}
			b.Run(fmt.Sprintf("%s/n=%d/list", kind, n), func(b *testing.B) {
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
			b.Run(fmt.Sprintf("%s/n=%d/plan", kind, n), func(b *testing.B) {
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
}
