package usermgmt_test

import (
	"context"
	"math"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
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
