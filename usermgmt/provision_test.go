package usermgmt_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

func inputs(n int) []usermgmt.CreateUserInput {
	out := make([]usermgmt.CreateUserInput, n)
	for i := range out {
		out[i] = usermgmt.CreateUserInput{Username: fmt.Sprintf("user%03d", i), Email: fmt.Sprintf("user%03d@example.com", i), Name: "Some One"}
	}
	return out
}

func outcomes(rs []usermgmt.ProvisionResult) map[usermgmt.Outcome]int {
	m := map[usermgmt.Outcome]int{}
	for _, r := range rs {
		m[r.Outcome]++
	}
	return m
}

// over returns a Directory over drv.
func over(t *testing.T, drv driver.Driver) *usermgmt.Directory {
	t.Helper()
	d, err := usermgmt.NewDirectory(drv)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func count(t *testing.T, d *usermgmt.Directory) int {
	t.Helper()
	all, err := usermgmt.Collect(d.ListUsers(context.Background(), nil))
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func TestProvisionCreatesThenReRunFindsEveryone(t *testing.T) {
	t.Parallel()
	d := usermgmttest.NewMemory()
	in := inputs(50)
	rs, err := usermgmt.Provision(context.Background(), d, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.Index != i || r.Key != in[i].Username || r.Outcome != usermgmt.OutcomeCreated || r.User == nil || r.Err != nil {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	rs, err = usermgmt.Provision(context.Background(), d, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[usermgmt.Outcome]int{usermgmt.OutcomeExisted: 50}, outcomes(rs)); diff != "" {
		t.Errorf("re-run outcomes (-want +got):\n%s", diff)
	}
	if n := count(t, d); n != 50 {
		t.Errorf("users = %d, want 50", n)
	}
}

func TestProvisionUpdatesExistingWhenAsked(t *testing.T) {
	t.Parallel()
	d := usermgmttest.NewMemory()
	in := inputs(3)
	if _, err := usermgmt.Provision(context.Background(), d, in, nil); err != nil {
		t.Fatal(err)
	}
	in[1].Name = "Renamed Person"
	rs, err := usermgmt.Provision(context.Background(), d, in, &usermgmt.ProvisionOptions{UpdateExisting: true})
	if err != nil {
		t.Fatal(err)
	}
	if rs[1].Outcome != usermgmt.OutcomeUpdated || rs[1].User.Name != "Renamed Person" {
		t.Errorf("result = %+v", rs[1])
	}
	// Users whose fields already match are not updated at all.
	if rs[0].Outcome != usermgmt.OutcomeExisted || rs[2].Outcome != usermgmt.OutcomeExisted {
		t.Errorf("unchanged users: %v, %v; want existing", rs[0].Outcome, rs[2].Outcome)
	}
}

// gate is a Directory whose creates wait until limit of them are in flight,
// recording the most seen at once; a failing key fails.
type gate struct {
	*usermgmttest.Memory
	limit    int
	inflight atomic.Int32
	max      atomic.Int32
	mu       sync.Mutex
	open     chan struct{}
	fail     map[string]bool
}

func (g *gate) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	n := g.inflight.Add(1)
	defer g.inflight.Add(-1)
	for {
		m := g.max.Load()
		if n <= m || g.max.CompareAndSwap(m, n) {
			break
		}
	}
	if g.open != nil {
		g.mu.Lock()
		if int(n) >= g.limit {
			select {
			case <-g.open:
			default:
				close(g.open)
			}
		}
		g.mu.Unlock()
		select {
		case <-g.open:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if g.fail[in.Username] {
		return nil, errors.New("injected failure")
	}
	return g.Memory.CreateUser(ctx, in)
}

func TestProvisionConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	g := &gate{Memory: usermgmttest.NewMemoryDriver(), limit: 5, open: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := usermgmt.Provision(ctx, over(t, g), inputs(40), &usermgmt.ProvisionOptions{Concurrency: 5}); err != nil {
		t.Fatal(err)
	}
	if m := g.max.Load(); m != 5 {
		t.Errorf("at most %d creates ran at once, want exactly 5", m)
	}
}

func TestProvisionCollectsErrorsAndGoesOn(t *testing.T) {
	t.Parallel()
	g := &gate{Memory: usermgmttest.NewMemoryDriver(), fail: map[string]bool{"user002": true, "user007": true}}
	in := inputs(10)
	in = append(in, usermgmt.CreateUserInput{Name: "no key"})
	var last usermgmt.Progress
	rs, err := usermgmt.Provision(context.Background(), over(t, g), in, &usermgmt.ProvisionOptions{Progress: func(p usermgmt.Progress) { last = p }})
	if err == nil {
		t.Fatal("want an error reporting the failures")
	}
	if diff := cmp.Diff(map[usermgmt.Outcome]int{usermgmt.OutcomeCreated: 8, usermgmt.OutcomeFailed: 3}, outcomes(rs)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if rs[2].Err == nil || rs[7].Err == nil || !errors.Is(rs[10].Err, usermgmt.ErrInvalidInput) {
		t.Errorf("failed results lack their errors: %+v %+v %+v", rs[2], rs[7], rs[10])
	}
	want := usermgmt.Progress{Total: 11, Done: 11, Created: 8, Failed: 3}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("last progress (-want +got):\n%s", diff)
	}
}

func TestProvisionStopOnError(t *testing.T) {
	t.Parallel()
	g := &gate{Memory: usermgmttest.NewMemoryDriver(), fail: map[string]bool{"user003": true}}
	rs, err := usermgmt.Provision(context.Background(), over(t, g), inputs(10), &usermgmt.ProvisionOptions{Concurrency: 1, StopOnError: true})
	if err == nil {
		t.Fatal("want an error")
	}
	want := map[usermgmt.Outcome]int{usermgmt.OutcomeCreated: 3, usermgmt.OutcomeFailed: 1, usermgmt.OutcomeSkipped: 6}
	if diff := cmp.Diff(want, outcomes(rs)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if n := count(t, over(t, g)); n != 3 {
		t.Errorf("users = %d, want 3", n)
	}
}

func TestProvisionCancelledHalfwayThenReRun(t *testing.T) {
	t.Parallel()
	drv := &cancelAfter{Memory: usermgmttest.NewMemoryDriver(), after: 20}
	d := over(t, drv)
	ctx, cancel := context.WithCancel(context.Background())
	drv.cancel = cancel
	in := inputs(60)
	rs, err := usermgmt.Provision(ctx, d, in, &usermgmt.ProvisionOptions{Concurrency: 4})
	if err == nil {
		t.Fatal("want an error for the cancelled run")
	}
	created := outcomes(rs)[usermgmt.OutcomeCreated]
	if created < 20 || created >= 60 || count(t, d) != created {
		t.Fatalf("cancelled run created %d (directory holds %d)", created, count(t, d))
	}
	drv.after = 0
	rs, err = usermgmt.Provision(context.Background(), d, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[usermgmt.Outcome]int{usermgmt.OutcomeExisted: created, usermgmt.OutcomeCreated: 60 - created}
	if diff := cmp.Diff(want, outcomes(rs)); diff != "" {
		t.Errorf("re-run outcomes (-want +got):\n%s", diff)
	}
	if n := count(t, d); n != 60 {
		t.Errorf("users = %d, want 60", n)
	}
}

// cancelAfter cancels the run once it has created after users.
type cancelAfter struct {
	*usermgmttest.Memory
	after   int
	created atomic.Int32
	cancel  context.CancelFunc
}

func (c *cancelAfter) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	u, err := c.Memory.CreateUser(ctx, in)
	if err == nil && c.after > 0 && int(c.created.Add(1)) == c.after {
		c.cancel()
	}
	return u, err
}

func TestProvisionRateLimit(t *testing.T) {
	t.Parallel()
	d := usermgmttest.NewMemory()
	start := time.Now()
	if _, err := usermgmt.Provision(context.Background(), d, inputs(11), &usermgmt.ProvisionOptions{RateLimit: 100, Concurrency: 8}); err != nil {
		t.Fatal(err)
	}
	// 11 starts spaced 10ms apart take at least 100ms whatever the machine.
	if d := time.Since(start); d < 95*time.Millisecond {
		t.Errorf("11 users at 100/s took %v, less than the 100ms the limit imposes", d)
	}
}

func TestProvisionRejectsBadOptions(t *testing.T) {
	t.Parallel()
	_, err := usermgmt.Provision(context.Background(), usermgmttest.NewMemory(), inputs(1), &usermgmt.ProvisionOptions{Concurrency: -1})
	if !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("err = %v", err)
	}
}
