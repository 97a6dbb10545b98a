package usermgmt_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

// noRolesDriver is the Memory driver without the roles ability, so that a
// plan has a value it cannot represent.
type noRolesDriver struct {
	driver.Driver
	driver.Updater
	driver.Activator
	driver.Deleter
	driver.Finder
}

// noRoles returns a Directory over a Memory driver without roles.
func noRoles() *usermgmt.Directory {
	m := usermgmttest.NewMemoryDriver()
	d, err := usermgmt.NewDirectory(noRolesDriver{m, m, m, m, m})
	if err != nil {
		panic(err)
	}
	return d
}

// dirOver returns a Directory over drv.
func dirOver(drv driver.Driver) *usermgmt.Directory {
	d, err := usermgmt.NewDirectory(drv)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }

func mustCreate(t testing.TB, d *usermgmt.Directory, in usermgmt.CreateUserInput) *usermgmt.User {
	t.Helper()
	u, err := d.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// seeded returns a directory of five users and a roster that changes
// every kind of thing about it.
func seeded(t testing.TB) (*usermgmt.Directory, []usermgmt.DesiredUser) {
	d := noRoles()
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace"})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "grace", Email: "grace@example.com", Name: "Grace Hopper"})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "alan", Email: "alan@example.com", Name: "Alan Turing", Inactive: true})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "edsger", Email: "edsger@example.com", Name: "Edsger Dijkstra"})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "Barbara", Email: "barbara@example.com", Name: "Barbara Liskov"})
	desired := []usermgmt.DesiredUser{
		{Username: "ada", Email: "ada@example.com", FirstName: "Ada", LastName: "King"},                       // name change
		{Username: "GRACE", Email: "grace@example.org", Name: "Grace Hopper", Active: ptr(false)},             // email, deactivation
		{Username: "alan", Email: "alan@example.com", Active: ptr(true)},                                      // activation
		{Username: "barbara", Email: "barbara@example.com", Name: "Barbara Liskov", Roles: []string{"admin"}}, // not representable
		{Username: "linus", Email: "linus@example.com", Name: "Linus Torvalds", Active: ptr(false), Password: "Initial-Pa55!"},
	}
	return d, desired
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestPlanGolden(t *testing.T) {
	d, desired := seeded(t)
	p, err := usermgmt.Plan(context.Background(), d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.golden", []byte(p.String()))
	js, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.json.golden", append(js, '\n'))
	if strings.Contains(p.String(), "Initial-Pa55!") || bytes.Contains(js, []byte("Initial-Pa55!")) {
		t.Error("the password of a create was printed or encoded")
	}
}

func TestPlanCountsEveryKind(t *testing.T) {
	d, desired := seeded(t)
	p, err := usermgmt.Plan(context.Background(), d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	want := usermgmt.PlanCounts{Create: 1, Update: 3, Remove: 1, Deactivate: 1, NotRepresentable: 1}
	if got := p.Counts(); got != want {
		t.Errorf("Counts = %+v, want %+v\n%s", got, want, p)
	}
	if p.Listed != 5 || p.Desired != 5 {
		t.Errorf("Listed, Desired = %d, %d", p.Listed, p.Desired)
	}
	// Without Prune nobody is removed.
	p, err = usermgmt.Plan(context.Background(), d, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Counts(); c.Remove != 0 {
		t.Errorf("a plan without Prune removes %d users", c.Remove)
	}
}

// TestPlanJSONRoundTripApplies saves a plan as JSON, reads it back and
// applies it; planning again finds nothing to do.
func TestPlanJSONRoundTripApplies(t *testing.T) {
	ctx := context.Background()
	d, desired := seeded(t)
	p, err := usermgmt.Plan(ctx, d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back usermgmt.DirectoryPlan
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.String(), back.String()); diff != "" {
		t.Errorf("the plan read back prints differently:\n%s", diff)
	}
	var asked []string
	rs, err := usermgmt.Apply(ctx, d, &back, &usermgmt.ApplyOptions{AllowMassRemoval: true,
		Password: func(key string) (usermgmt.Secret, error) { asked = append(asked, key); return "From-Vault-1!", nil }})
	if err != nil {
		t.Fatalf("Apply: %v\n%+v", err, rs)
	}
	if !slices.Equal(asked, []string{"linus"}) {
		t.Errorf("passwords asked for %v, want [linus]", asked)
	}
	again, err := usermgmt.Plan(ctx, d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("the plan after Apply is not empty:\n%s", again)
	}
	if c := again.Counts(); c.NotRepresentable != 1 {
		t.Errorf("the roles barbara cannot have are no longer reported:\n%s", again)
	}
	u, err := d.FindUser(ctx, "grace")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "grace@example.org" || u.Active {
		t.Errorf("grace = %+v", u)
	}
	if _, err := d.FindUser(ctx, "edsger"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("edsger, not desired, was not pruned: %v", err)
	}

	var bad usermgmt.DirectoryPlan
	if err := json.Unmarshal([]byte(`{"format":"usermgmt.plan/v0","items":[]}`), &bad); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("a plan of another format was read: %v", err)
	}
}

// TestApplyGuardRefusesAnEmptyRoster plans an empty desired list with
// Prune: applying it would wipe the directory, and is refused.
func TestApplyGuardRefusesAnEmptyRoster(t *testing.T) {
	ctx := context.Background()
	d := usermgmttest.NewMemory()
	for _, in := range inputs(30) {
		mustCreate(t, d, in)
	}
	p, err := usermgmt.Plan(ctx, d, nil, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Counts(); c.Remove != 30 {
		t.Fatalf("the plan removes %d users, want 30", c.Remove)
	}
	rs, err := usermgmt.Apply(ctx, d, p, nil)
	var me *usermgmt.MassRemovalError
	if !errors.Is(err, usermgmt.ErrMassRemoval) || !errors.As(err, &me) || me.Removals != 30 || me.Listed != 30 || rs != nil {
		t.Fatalf("Apply = %v, %v; want a refusal", rs, err)
	}
	if n := count(t, d); n != 30 {
		t.Errorf("the directory holds %d users after a refused Apply, want 30", n)
	}
	// Three of thirty is the default share; four is too many.
	keep := make([]usermgmt.DesiredUser, 0, 30)
	for _, in := range inputs(30)[4:] {
		keep = append(keep, usermgmt.DesiredUser{Username: in.Username})
	}
	p, err = usermgmt.Plan(ctx, d, keep, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := usermgmt.Apply(ctx, d, p, nil); !errors.Is(err, usermgmt.ErrMassRemoval) {
		t.Errorf("removing 4 of 30: %v, want a refusal", err)
	}
	if _, err := usermgmt.Apply(ctx, d, p, &usermgmt.ApplyOptions{MaxRemovalShare: 0.2}); err != nil {
		t.Errorf("removing 4 of 30 with a share of 20%%: %v", err)
	}
	if n := count(t, d); n != 26 {
		t.Errorf("the directory holds %d users, want 26", n)
	}
}

// TestApplySkipsAUserChangedSincePlanned changes a user between Plan and
// Apply: the item is stale, and the change is not overwritten.
func TestApplySkipsAUserChangedSincePlanned(t *testing.T) {
	ctx := context.Background()
	d := usermgmttest.NewMemory()
	u := mustCreate(t, d, usermgmt.CreateUserInput{Username: "ada", Name: "Ada Lovelace"})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "grace", Name: "Grace Hopper"})
	desired := []usermgmt.DesiredUser{{Username: "ada", Name: "Ada King"}, {Username: "grace", Name: "Grace M. Hopper"}}
	p, err := usermgmt.Plan(ctx, d, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.UpdateUser(ctx, u.ID, usermgmt.UpdateUserInput{Name: ptr("Augusta Ada King")}); err != nil {
		t.Fatal(err)
	}
	rs, err := usermgmt.Apply(ctx, d, p, nil)
	if err == nil {
		t.Error("Apply with a stale item reported no error")
	}
	got := map[string]usermgmt.ItemOutcome{}
	for _, r := range rs {
		got[r.Key] = r.Outcome
		if r.Outcome == usermgmt.ItemStale && r.Reason == "" {
			t.Error("a stale item has no reason")
		}
	}
	if got["ada"] != usermgmt.ItemStale || got["grace"] != usermgmt.ItemApplied {
		t.Errorf("outcomes = %v", got)
	}
	cur, _ := d.GetUser(ctx, u.ID)
	if cur.Name != "Augusta Ada King" {
		t.Errorf("the concurrent change was overwritten: %q", cur.Name)
	}
}

func TestApplyDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	d, desired := seeded(t)
	before, _ := usermgmt.Collect(d.ListUsers(ctx, nil))
	p, err := usermgmt.Plan(ctx, d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	var last usermgmt.ApplyProgress
	rs, err := usermgmt.Apply(ctx, d, p, &usermgmt.ApplyOptions{DryRun: true, AllowMassRemoval: true, Progress: func(p usermgmt.ApplyProgress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Outcome != usermgmt.ItemDryRun && r.Outcome != usermgmt.ItemUnchanged {
			t.Errorf("%s: %v", r.Key, r.Outcome)
		}
	}
	if last.Done != len(p.Items)-1 || last.DryRun != len(p.Items)-1 || last.Total != len(p.Items)-1 {
		t.Errorf("progress = %+v", last)
	}
	after, _ := usermgmt.Collect(d.ListUsers(ctx, nil))
	if diff := cmp.Diff(before, after, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Raw" }, cmp.Ignore())); diff != "" {
		t.Errorf("a dry run changed the directory:\n%s", diff)
	}
}

func TestPlanRejectsBadDesiredUsers(t *testing.T) {
	d := usermgmttest.NewMemory()
	for _, desired := range [][]usermgmt.DesiredUser{
		{{Name: "No Key"}},
		{{Username: "ada"}, {Username: " ADA "}},
		{{Username: "a", ExternalID: "x"}, {Username: "b", ExternalID: "x"}},
	} {
		if _, err := usermgmt.Plan(context.Background(), d, desired, nil); !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("Plan(%+v) = %v, want an input error", desired, err)
		}
	}
}

func TestApplyRefusesAPlanForAnotherProvider(t *testing.T) {
	p := &usermgmt.DirectoryPlan{Format: usermgmt.PlanFormat, Provider: "bss"}
	if _, err := usermgmt.Apply(context.Background(), usermgmttest.NewMemory(), p, nil); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("Apply = %v", err)
	}
}

// listCounter counts the listings of a directory: the first pages asked
// for.
type listCounter struct {
	*usermgmttest.Memory
	lists atomic.Int32
}

func (l *listCounter) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	if req.Token == "" {
		l.lists.Add(1)
	}
	return l.Memory.ListPage(ctx, req)
}

func TestPlanAllAndApplyAll(t *testing.T) {
	ctx := context.Background()
	counter := &listCounter{Memory: usermgmttest.NewMemoryDriver()}
	a, b := dirOver(counter), noRoles()
	mustCreate(t, a, usermgmt.CreateUserInput{Username: "ada", Name: "Ada"})
	mustCreate(t, b, usermgmt.CreateUserInput{Username: "grace", Name: "Grace"})
	targets := []usermgmt.Target{{Name: "primary", Dir: a}, {Name: "secondary", Dir: b}}
	desired := []usermgmt.DesiredUser{{Username: "ada", Name: "Ada Lovelace", Roles: []string{"admin"}}, {Username: "grace", Name: "Grace"}}
	m, err := usermgmt.PlanAll(ctx, targets, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if counter.lists.Load() != 1 {
		t.Errorf("PlanAll listed the first directory %d times", counter.lists.Load())
	}
	golden(t, "multiplan.golden", []byte(m.String()))
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back usermgmt.MultiPlan
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	res, err := usermgmt.ApplyAll(ctx, targets, &back, nil)
	if err != nil || len(res) != 2 {
		t.Fatalf("ApplyAll = %+v, %v", res, err)
	}
	again, err := usermgmt.PlanAll(ctx, targets, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("not converged:\n%s", again)
	}
	for _, bad := range [][]usermgmt.Target{{{Name: "x", Dir: a}, {Name: "x", Dir: b}}, {{Name: "", Dir: a}}} {
		if _, err := usermgmt.PlanAll(ctx, bad, desired, nil); !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("PlanAll(%v) = %v", bad, err)
		}
	}
}

// TestApplyAllGuardsEverySectionFirst refuses a multi-directory plan whose
// second section wipes its directory, before touching the first.
func TestApplyAllGuardsEverySectionFirst(t *testing.T) {
	ctx := context.Background()
	a, b := usermgmttest.NewMemory(), usermgmttest.NewMemory()
	for i := range 10 {
		mustCreate(t, b, usermgmt.CreateUserInput{Username: fmt.Sprintf("u%d", i)})
	}
	targets := []usermgmt.Target{{Name: "a", Dir: a}, {Name: "b", Dir: b}}
	m, err := usermgmt.PlanAll(ctx, targets, []usermgmt.DesiredUser{{Username: "new"}}, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := usermgmt.ApplyAll(ctx, targets, m, nil); !errors.Is(err, usermgmt.ErrMassRemoval) {
		t.Fatalf("ApplyAll = %v", err)
	}
	if count(t, a) != 0 || count(t, b) != 10 {
		t.Error("a refused plan was partly applied")
	}
}

func TestPlanSeqIsPlan(t *testing.T) {
	d, desired := seeded(t)
	a, err := usermgmt.Plan(context.Background(), d, desired, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := usermgmt.PlanSeq(context.Background(), d, slices.Values(desired), &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("PlanSeq differs from Plan:\n%s", diff)
	}
}

// conflicting stores every create and answers it with a 409, as an API
// does when someone else created the user meanwhile: the Directory reports
// a ConflictError carrying the user.
type conflicting struct{ *usermgmttest.Memory }

func (c conflicting) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	if _, err := c.Memory.CreateUser(ctx, in); err != nil {
		return nil, err
	}
	return nil, &usermgmt.APIError{Provider: "memory", Operation: "createUser", StatusCode: 409, Kind: usermgmt.ErrConflict}
}

func TestApplyReportsACreateThatConflictsAsStale(t *testing.T) {
	ctx := context.Background()
	d := dirOver(conflicting{usermgmttest.NewMemoryDriver()})
	p, err := usermgmt.Plan(ctx, d, []usermgmt.DesiredUser{{Username: "ada"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := usermgmt.Apply(ctx, d, p, nil)
	if err == nil || len(rs) != 1 || rs[0].Outcome != usermgmt.ItemStale || rs[0].User == nil || rs[0].User.Username != "ada" || rs[0].Reason == "" {
		t.Fatalf("Apply = %+v, %v", rs, err)
	}
	again, err := usermgmt.Plan(ctx, d, []usermgmt.DesiredUser{{Username: "ada"}}, nil)
	if err != nil || !again.Empty() {
		t.Errorf("plan after = %v, %v", again, err)
	}
}

func TestApplyRejectsBadOptions(t *testing.T) {
	ctx := context.Background()
	d := usermgmttest.NewMemory()
	p, err := usermgmt.Plan(ctx, d, []usermgmt.DesiredUser{{Username: "ada"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []usermgmt.ApplyOptions{{Concurrency: -1}, {RateLimit: -1}, {MaxRemovalShare: -0.5}} {
		if _, err := usermgmt.Apply(ctx, d, p, &o); !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("Apply(%+v) = %v", o, err)
		}
	}
	if _, err := usermgmt.Apply(ctx, d, nil, nil); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("Apply(nil plan) = %v", err)
	}
	if n := count(t, d); n != 0 {
		t.Errorf("a refused Apply created %d users", n)
	}
	// A rate-limited Apply still applies everything.
	rs, err := usermgmt.Apply(ctx, d, p, &usermgmt.ApplyOptions{RateLimit: 1000, Concurrency: 2})
	if err != nil || len(rs) != 1 || rs[0].Outcome != usermgmt.ItemApplied {
		t.Errorf("Apply = %+v, %v", rs, err)
	}
}

// twins lists every user of a Memory twice, as a directory holding two
// accounts with one natural key would.
type twins struct{ *usermgmttest.Memory }

func (d twins) ListPage(ctx context.Context, req driver.PageRequest) (*driver.Page, error) {
	p, err := d.Memory.ListPage(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &driver.Page{Next: p.Next}
	for _, u := range p.Users {
		twin := u
		twin.ID += "-twin"
		out.Users = append(out.Users, u, twin)
	}
	return out, nil
}

func TestPlanReportsTwoUsersWithOneKey(t *testing.T) {
	d := dirOver(twins{usermgmttest.NewMemoryDriver()})
	mustCreate(t, d, usermgmt.CreateUserInput{Username: "ada"})
	p, err := usermgmt.Plan(context.Background(), d, []usermgmt.DesiredUser{{Username: "ada"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].ID != "1-twin" || p.Items[0].Action != usermgmt.ActionNone || len(p.Items[0].NotRepresentable) != 1 {
		t.Errorf("plan:\n%s", p)
	}
	p, err = usermgmt.Plan(context.Background(), d, []usermgmt.DesiredUser{{Username: "ada"}}, &usermgmt.PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].ID != "1-twin" || p.Items[0].Action != usermgmt.ActionRemove {
		t.Errorf("plan with Prune:\n%s", p)
	}
}
