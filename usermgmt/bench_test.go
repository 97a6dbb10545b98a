package usermgmt_test

import (
	"context"
	"math"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The provisioning benchmarks live in vendorusers/bench_test.go, where a
// real HTTP path is at hand; see BENCHMARKS.md.

// TestProvisionWithAHugeRateLimit checks that a rate limit too high to
// track every start of a second (the window guard keeps the last starts
// only up to 16,384 a second) still provisions everyone.
func TestProvisionWithAHugeRateLimit(t *testing.T) {
	t.Parallel()
	for _, limit := range []float64{1e12, math.Inf(1), 1 << 14} {
		d := usermgmttest.NewMemory()
		rs, err := usermgmt.Provision(context.Background(), d, inputs(20), &usermgmt.ProvisionOptions{RateLimit: limit})
		if err != nil {
			t.Fatalf("RateLimit %g: %v", limit, err)
		}
		for _, r := range rs {
			if r.Outcome != usermgmt.OutcomeCreated {
				t.Errorf("RateLimit %g: user %d: %v %v", limit, r.Index, r.Outcome, r.Err)
			}
		}
	}
}

// fixedDriver answers every call at once with a fixed user: what remains
// of a Directory call against it is the Directory's own work.
type fixedDriver struct{}

func (fixedDriver) Provider() string { return "fixed" }
func (fixedDriver) Traits() driver.Traits {
	return driver.Traits{NaturalKey: driver.KeyEmail, Requires: []string{"Email"}}
}
func (fixedDriver) CreateUser(_ context.Context, in *driver.CreateInput) (*driver.User, error) {
	return &driver.User{ID: "1", Email: in.Email, Name: in.Name, Active: true}, nil
}
func (fixedDriver) GetUser(_ context.Context, id string) (*driver.User, error) {
	return &driver.User{ID: id, Email: "ada@example.com", Active: true}, nil
}
func (fixedDriver) ListPage(context.Context, driver.PageRequest) (*driver.Page, error) {
	return &driver.Page{}, nil
}

// BenchmarkDirectoryOwnCost measures what the Directory adds to a driver's
// create and get (validation, the email check, the exactly-once create's
// bookkeeping, the copy into a usermgmt.User) over a driver that answers
// at once; see BENCHMARKS.md.
func BenchmarkDirectoryOwnCost(b *testing.B) {
	d, err := usermgmt.NewDirectory(fixedDriver{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Email: "ada@example.com", Name: "Ada Lovelace"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.GetUser(ctx, "1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
