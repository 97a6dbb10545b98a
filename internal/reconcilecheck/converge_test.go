package reconcilecheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

const (
	iterations = 30
	poolSize   = 14
)

var (
	firstNames = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken"}
	lastNames  = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", ""}
)

// roleChoices returns the role sets a provider's users can hold, or nil
// when it has no roles.
func roleChoices(name string) [][]string {
	switch name {
	case "syncari", "memory":
		return [][]string{{}, {"admin"}, {"viewer"}, {"admin", "editor"}, {"Editor", "viewer"}}
	case "vendorusers": // exactly one role, among those the fake knows
		return [][]string{{"Developer"}, {"supervisor"}, {"Sales manager"}, {"Product manager"}}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func key(k int) string { return fmt.Sprintf("user%02d@example.com", k) }

// seed creates a random current population in e.
func seed(t *testing.T, r *rand.Rand, e env) {
	t.Helper()
	caps := e.dir.Capabilities()
	roles := roleChoices(e.name)
	for k := range poolSize {
		if r.IntN(2) == 0 {
			continue
		}
		in := usermgmt.CreateUserInput{Username: key(k), Email: key(k),
			FirstName: firstNames[r.IntN(len(firstNames))], LastName: lastNames[r.IntN(len(lastNames))],
			Password: usermgmt.Secret(fmt.Sprintf("Seed-Pa55-%02d!", k))}
		if caps.Deactivate && e.name != "dbsync" && r.IntN(3) == 0 {
			in.Inactive = true
		}
		if roles != nil && r.IntN(2) == 0 {
			in.Roles = roles[r.IntN(len(roles))]
		}
		if _, err := e.dir.CreateUser(context.Background(), in); err != nil {
			t.Fatalf("seeding %s: %v", in.Username, err)
		}
	}
}

// roster draws a random desired roster for e, overlapping the pool the
// current users come from.
func roster(r *rand.Rand, e env) []usermgmt.DesiredUser {
	roles := roleChoices(e.name)
	var out []usermgmt.DesiredUser
	for k := range poolSize {
		if r.IntN(5) < 2 {
			continue
		}
		d := usermgmt.DesiredUser{Username: key(k), Email: key(k), Password: usermgmt.Secret(fmt.Sprintf("Want-Pa55-%02d!", k))}
		if r.IntN(4) == 0 { // the natural key matches without regard to case
			d.Username = strings.ToUpper(d.Username)
			d.Email = strings.ToUpper(d.Email)
		}
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		switch r.IntN(3) {
		case 0:
			d.Name = strings.TrimSpace(first + " " + last)
		default:
			d.FirstName, d.LastName = first, last
		}
		switch r.IntN(3) {
		case 0:
			d.Active = ptr(true)
		case 1:
			d.Active = ptr(false)
		}
		if roles != nil && r.IntN(2) == 0 {
			d.Roles = roles[r.IntN(len(roles))]
		}
		out = append(out, d)
	}
	return out
}

// TestApplyConvergesUnderFaults is the convergence property: for random
// current and desired users on every provider's fake and the in-memory
// directory, an Apply made while the fake fails requests at random (503s,
// connections dropped after the change was stored) and is sometimes
// cancelled halfway, followed by re-planning and applying without faults,
// leaves a directory whose plan is empty, that holds every desired user,
// and no natural key twice.
func TestApplyConvergesUnderFaults(t *testing.T) {
	for pi, name := range providerNames {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			disturbed, faults := 0, 0
			for it := range iterations {
				seedN := uint64(pi*1000 + it + 1)
				ok, firstFailed, n := converges(t, name, seedN)
				faults += n
				if !ok {
					t.Fatalf("iteration %d (seed %d) failed", it, seedN)
				}
				if firstFailed {
					disturbed++
				}
			}
			// The faults and cancellations must bite, or the test proves
			// little.
			if faults < iterations || disturbed == 0 {
				t.Errorf("only %d faults injected in %d iterations, %d first applies disturbed", faults, iterations, disturbed)
			}
			t.Logf("%s: %d faults injected; %d of %d first applies ended with failed or skipped items", name, faults, disturbed, iterations)
		})
	}
}

// converges runs one iteration; it reports whether it converged, whether
// the first Apply was disturbed (failed items, or cancelled), and how many
// faults were injected.
func converges(t *testing.T, name string, seedN uint64) (ok, firstFailed bool, faults int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seedN, 42))
	e := open(t, name)
	seed(t, r, e)
	desired := roster(r, e)
	popts := &usermgmt.PlanOptions{Prune: r.IntN(2) == 0, PruneDeactivates: r.IntN(4) == 0}
	first, err := usermgmt.Plan(ctx, e.dir, desired, popts)
	if err != nil {
		t.Errorf("Plan: %v", err)
		return false, firstFailed, faults
	}
	for _, item := range first.Items {
		for _, n := range item.NotRepresentable {
			if item.Action == usermgmt.ActionNone && n.Field == "" && item.ID == "" {
				t.Errorf("the roster asks for a user %s cannot create: %s", name, n.Reason)
				return false, firstFailed, faults
			}
		}
	}

	// The first Apply meets faults, and is cancelled halfway at times.
	e.inject(lockedRand(seedN))
	actx, cancel := context.WithCancel(ctx)
	stopAt := -1
	if r.IntN(3) == 0 && len(first.Items) > 1 {
		stopAt = 1 + r.IntN(len(first.Items)-1)
	}
	_, firstErr := usermgmt.Apply(actx, e.dir, first, &usermgmt.ApplyOptions{
		AllowMassRemoval: true, Concurrency: 1 + r.IntN(4),
		Progress: func(p usermgmt.ApplyProgress) {
			if p.Done == stopAt {
				cancel()
			}
		},
	})
	cancel()
	e.clear()
	// A cancelled Apply may leave requests in flight that the fake has yet
	// to store: let them land before planning again.
	e.idle(t)
	faults = e.faulted()
	firstFailed = firstErr != nil
	if errors.Is(firstErr, usermgmt.ErrMassRemoval) {
		t.Errorf("the guard refused with AllowMassRemoval: %v", firstErr)
		return false, firstFailed, faults
	}
	// Re-applying the old plan is safe: stale items are skipped, creates
	// are exactly-once.
	if r.IntN(2) == 0 {
		_, _ = usermgmt.Apply(ctx, e.dir, first, &usermgmt.ApplyOptions{AllowMassRemoval: true})
	}

	var p *usermgmt.DirectoryPlan
	for round := range 3 { // without faults, one plan and apply converge; the last round only plans
		p, err = usermgmt.Plan(ctx, e.dir, desired, popts)
		if err != nil {
			t.Errorf("Plan, round %d: %v", round, err)
			return false, firstFailed, faults
		}
		if p.Empty() || round == 2 {
			break
		}
		rs, err := usermgmt.Apply(ctx, e.dir, p, &usermgmt.ApplyOptions{AllowMassRemoval: true})
		if err != nil {
			t.Logf("%s seed %d round %d: %v", name, seedN, round, err)
			for _, r := range rs {
				if r.Outcome != usermgmt.ItemApplied && r.Outcome != usermgmt.ItemUnchanged {
					t.Logf("  %s %s: %v %s %v", r.Action, r.Key, r.Outcome, r.Reason, r.Err)
				}
			}
		}
	}
	ok = true
	if !p.Empty() {
		t.Errorf("%s seed %d: not converged; the plan is still\n%s\nfirst plan:\n%s", name, seedN, p, first)
		ok = false
	}
	if d := duplicates(e.keys()); len(d) > 0 {
		t.Errorf("%s seed %d: users stored twice: %v", name, seedN, d)
		ok = false
	}
	listed, err := usermgmt.Collect(e.dir.ListUsers(ctx, nil))
	if err != nil {
		t.Error(err)
		return false, firstFailed, faults
	}
	have := map[string]bool{}
	for _, u := range listed {
		have[strings.ToLower(u.Username)], have[strings.ToLower(u.Email)] = true, true
	}
	for _, d := range desired {
		if !have[strings.ToLower(d.Email)] && !have[strings.ToLower(d.Username)] {
			t.Errorf("%s seed %d: desired user %s is missing", name, seedN, d.Email)
			ok = false
		}
	}
	if popts.Prune {
		want := map[string]bool{}
		for _, d := range desired {
			want[strings.ToLower(d.Email)] = true
		}
		for _, u := range listed {
			k := strings.ToLower(u.Email)
			if k == "" {
				k = strings.ToLower(u.Username)
			}
			if !want[k] && u.Active {
				t.Errorf("%s seed %d: %s is not desired but still active after a pruning apply", name, seedN, k)
				ok = false
			}
		}
	}
	return ok, firstFailed, faults
}
