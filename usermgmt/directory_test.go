package usermgmt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// script is a driver whose answers a test sets: the creates answer in
// turn from creates (then succeed), FindUser finds the user after
// foundAfter look-ups, and pages come from pages.
type script struct {
	traits driver.Traits

	mu         sync.Mutex
	creates    []error
	created    int // creates received
	stored     bool
	finds      int
	foundAfter int // look-ups that find nothing before the user appears; -1: never
	pages      map[string]*driver.Page
	pageReqs   []driver.PageRequest
}

func (s *script) Provider() string      { return "script" }
func (s *script) Traits() driver.Traits { return s.traits }

func (s *script) CreateUser(_ context.Context, in *driver.CreateInput) (*driver.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.created++
	if len(s.creates) > 0 {
		err := s.creates[0]
		s.creates = s.creates[1:]
		return nil, err
	}
	s.stored = true
	return &driver.User{ID: "1", Email: in.Email, Username: in.Username, Active: !in.Inactive}, nil
}

func (s *script) GetUser(context.Context, string) (*driver.User, error) {
	return nil, driver.ErrNotFound
}

func (s *script) FindUser(_ context.Context, key string) (*driver.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finds++
	if s.stored || s.foundAfter >= 0 && s.finds > s.foundAfter {
		return &driver.User{ID: "1", Email: key, Username: key, Active: true}, nil
	}
	return nil, driver.ErrNotFound
}

func (s *script) ListPage(_ context.Context, req driver.PageRequest) (*driver.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageReqs = append(s.pageReqs, req)
	if p, ok := s.pages[req.Token]; ok {
		return p, nil
	}
	return &driver.Page{}, nil
}

func newScript(t *testing.T, s *script, opts ...usermgmt.DirectoryOption) *usermgmt.Directory {
	t.Helper()
	if s.traits.NaturalKey == "" {
		s.traits.NaturalKey = driver.KeyEmail
	}
	d, err := usermgmt.NewDirectory(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	noAnswer = &usermgmt.OutcomeUnknownError{Provider: "script", Operation: "createUser", Err: context.DeadlineExceeded}
	answered = &usermgmt.OutcomeUnknownError{Provider: "script", Operation: "createUser",
		Err: &usermgmt.APIError{Provider: "script", Operation: "createUser", StatusCode: 503}}
	gateway = &usermgmt.OutcomeUnknownError{Provider: "script", Operation: "createUser",
		Err: &usermgmt.APIError{Provider: "script", Operation: "createUser", StatusCode: 504}}
	conflict = &usermgmt.APIError{Provider: "script", Operation: "createUser", StatusCode: 409, Kind: usermgmt.ErrConflict}
)

// TestCreateSettlingRule walks the settling rule of an unknown outcome:
// resend only after the server itself answered and the user is not there;
// otherwise keep looking for the settle window and never resend.
func TestCreateSettlingRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		creates     []error
		foundAfter  int
		keyed       bool
		wantCreates int
		wantErr     error
		window      time.Duration // the settle window; 2s when zero
	}{
		{"the server answered 503, not applied: resent", []error{answered}, -1, false, 2, nil, 0},
		{"the server answered 503 three times: given up", []error{answered, answered, answered}, -1, false, 3, usermgmt.ErrOutcomeUnknown, 0},
		// Found by the fourth look-up (at 700ms); a long window, which the
		// look-up ends at once, keeps a loaded machine from missing it.
		{"no answer, applied late: found within the window", []error{noAnswer}, 3, false, 1, nil, time.Minute},
		{"no answer, never applied: unknown, not resent", []error{noAnswer}, -1, false, 1, usermgmt.ErrOutcomeUnknown, 0},
		{"a gateway's 504: may be in flight, not resent", []error{gateway}, -1, false, 1, usermgmt.ErrOutcomeUnknown, 0},
		{"keyed: resent at once with its key", []error{noAnswer}, -1, true, 2, nil, 0},
		{"a conflict after an unknown attempt: our own create", []error{answered, conflict}, 1, false, 2, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &script{creates: tt.creates, foundAfter: tt.foundAfter}
			s.traits.IdempotentCreate = tt.keyed
			window := tt.window
			if window == 0 {
				window = 2 * time.Second
			}
			d := newScript(t, s, usermgmt.WithSettleWindow(window))
			u, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "ada@example.com"})
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Fatalf("CreateUser = %v, %v; want error %v", u, err, tt.wantErr)
			}
			if s.created != tt.wantCreates {
				t.Errorf("%d creates sent, want %d", s.created, tt.wantCreates)
			}
			if err != nil && strings.Count(err.Error(), "outcome unknown: the request was sent") > 1 {
				t.Errorf("the error repeats itself: %v", err)
			}
		})
	}
}

func TestCreateOfAnExistingUserIsAConflictCarryingIt(t *testing.T) {
	t.Parallel()
	s := &script{creates: []error{conflict}, foundAfter: 0}
	d := newScript(t, s)
	_, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "ada@example.com"})
	var ce *usermgmt.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, usermgmt.ErrConflict) || ce.Existing == nil || ce.Existing.ID != "1" {
		t.Fatalf("err = %v; want a *ConflictError with the existing user", err)
	}
	if !errors.Is(err, conflict) {
		t.Error("the provider's own answer is not reachable from the error")
	}
	if want := `script: CreateUser: a user with email "ada@example.com" already exists (id "1")`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

// TestCreateLogsItsSettlingDecisions: the decisions of the settling rule
// leave debug records.
func TestCreateLogsItsSettlingDecisions(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := &script{creates: []error{answered}, foundAfter: -1}
	d := newScript(t, s, usermgmt.WithDirectoryLogger(log))
	if _, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{Email: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`msg="usermgmt: create outcome unknown; looking the user up by email" provider=script email=ada@example.com attempt=1`,
		`msg="usermgmt: create not applied; sending it again" provider=script email=ada@example.com attempt=1`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, buf.String())
		}
	}
}

// TestInputIsCheckedBeforeAnythingIsSent: every refusal comes from the
// Directory, before the driver is called.
func TestInputIsCheckedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	s := &script{traits: driver.Traits{Requires: []string{"Email", "Password"}}}
	d := newScript(t, s)
	ctx := context.Background()
	ok := usermgmt.CreateUserInput{Email: "ada@example.com", Password: "pw"}
	for name, tc := range map[string]struct {
		in   usermgmt.CreateUserInput
		want error
	}{
		"not an email":       {usermgmt.CreateUserInput{Email: "not-an-email", Password: "pw"}, usermgmt.ErrInvalidInput},
		"spaces round email": {usermgmt.CreateUserInput{Email: " sp@example.com ", Password: "pw"}, usermgmt.ErrInvalidInput},
		"display name":       {usermgmt.CreateUserInput{Email: "Ada <ada@example.com>", Password: "pw"}, usermgmt.ErrInvalidInput},
		"no password":        {usermgmt.CreateUserInput{Email: "ada@example.com"}, usermgmt.ErrInvalidInput},
		"no key":             {usermgmt.CreateUserInput{Password: "pw"}, usermgmt.ErrInvalidInput},
		"name with newline":  {usermgmt.CreateUserInput{Email: "ada@example.com", Password: "pw", Name: "Ada\nLovelace"}, usermgmt.ErrInvalidInput},
		"roles without them": {usermgmt.CreateUserInput{Email: "ada@example.com", Password: "pw", Roles: []string{"r"}}, errors.ErrUnsupported},
		"inactive without":   {usermgmt.CreateUserInput{Email: "ada@example.com", Password: "pw", Inactive: true}, errors.ErrUnsupported},
	} {
		if _, err := d.CreateUser(ctx, tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
	//lint:ignore SA1012 a nil context is what is being tested
	if _, err := d.CreateUser(nil, ok); !errors.Is(err, usermgmt.ErrInvalidInput) { //nolint:staticcheck
		t.Errorf("nil context: err = %v, want ErrInvalidInput", err)
	}
	name := "New"
	var unsup *usermgmt.UnsupportedError
	if _, err := d.UpdateUser(ctx, "1", usermgmt.UpdateUserInput{Name: &name}); !errors.As(err, &unsup) || unsup.Provider != "script" || unsup.Operation != "UpdateUser" {
		t.Errorf("UpdateUser on a driver without Updater: err = %v", err)
	}
	if s.created != 0 {
		t.Errorf("%d creates reached the driver", s.created)
	}
}

// TestNotFoundIsSpelledOnce: a driver's own finding of absence becomes one
// *NotFoundError naming the provider, the Directory method and the id.
func TestNotFoundIsSpelledOnce(t *testing.T) {
	t.Parallel()
	d := newScript(t, &script{})
	_, err := d.GetUser(context.Background(), "42")
	var nf *usermgmt.NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, usermgmt.ErrNotFound) {
		t.Fatalf("err = %v, want a *NotFoundError", err)
	}
	if want := `script: GetUser: no user with id "42"`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestCapabilitiesFollowTheDriversAbilities(t *testing.T) {
	t.Parallel()
	bare := newScript(t, &script{}).Capabilities()
	if !bare.Create || !bare.Get || !bare.List || bare.Update || bare.Activate || bare.Delete || bare.Roles || bare.CreateInactive {
		t.Errorf("a bare driver: %+v", bare)
	}
	full := usermgmttest.NewMemory().Capabilities()
	if !full.Update || !full.Activate || !full.Deactivate || !full.Delete || !full.Roles || !full.CanUpdate("Email") {
		t.Errorf("the memory driver: %+v", full)
	}
}

func TestPagingGuards(t *testing.T) {
	t.Parallel()
	u := func(ids ...string) []driver.User {
		var out []driver.User
		for _, id := range ids {
			out = append(out, driver.User{ID: id, Email: id + "@example.com"})
		}
		return out
	}
	for name, pages := range map[string]map[string]*driver.Page{
		"a repeated token":            {"": {Users: u("1"), Next: "a"}, "a": {Users: u("2"), Next: "b"}, "b": {Users: u("3"), Next: "a"}},
		"a token naming itself":       {"": {Users: u("1"), Next: "a"}, "a": {Users: u("2"), Next: "a"}},
		"the same page again":         {"": {Users: u("1", "2"), Next: "a"}, "a": {Users: u("1", "2"), Next: "b"}},
		"an empty page, more to come": {"": {Users: u("1"), Next: "a"}, "a": {Next: "b"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := &script{pages: pages}
			n := 0
			var last error
			for _, err := range newScript(t, s).ListUsers(context.Background(), nil) {
				n++
				last = err
				if n > 20 {
					t.Fatal("the listing did not stop")
				}
			}
			if !errors.Is(last, usermgmt.ErrPagingLoop) {
				t.Errorf("the listing ended with %v, want ErrPagingLoop", last)
			}
		})
	}
}

func TestPageSizeIsClampedIntoTheAPIsBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ asked, sent int }{{0, 0}, {1, 5}, {7, 7}, {1 << 30, 50}} {
		s := &script{traits: driver.Traits{MinPageSize: 5, MaxPageSize: 50}}
		if _, err := usermgmt.Collect(newScript(t, s).ListUsers(context.Background(), &usermgmt.ListOptions{PageSize: tc.asked})); err != nil {
			t.Fatal(err)
		}
		if got := s.pageReqs[0].Size; got != tc.sent {
			t.Errorf("PageSize %d: the driver was asked for %d, want %d", tc.asked, got, tc.sent)
		}
	}
	s := &script{}
	_, err := usermgmt.Collect(newScript(t, s).ListUsers(context.Background(), &usermgmt.ListOptions{PageSize: -1}))
	if !errors.Is(err, usermgmt.ErrInvalidInput) || len(s.pageReqs) != 0 {
		t.Errorf("PageSize -1: err = %v after %d requests, want ErrInvalidInput before any", err, len(s.pageReqs))
	}
}

// TestProvisionReportsRepeatedRowsAsExisted: three identical rows make one
// user, reported created once and existed twice.
func TestProvisionReportsRepeatedRowsAsExisted(t *testing.T) {
	t.Parallel()
	d := usermgmttest.NewMemory()
	row := usermgmt.CreateUserInput{Username: "ada", Email: "ada@example.com", Name: "Ada Lovelace"}
	rs, err := usermgmt.Provision(context.Background(), d, []usermgmt.CreateUserInput{row, row, row}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []usermgmt.Outcome{rs[0].Outcome, rs[1].Outcome, rs[2].Outcome}
	want := []usermgmt.Outcome{usermgmt.OutcomeCreated, usermgmt.OutcomeExisted, usermgmt.OutcomeExisted}
	if fmt.Sprint(got) != fmt.Sprint(want) || rs[1].User == nil || rs[1].User.ID != rs[0].User.ID {
		t.Errorf("outcomes = %v (users %+v, %+v), want %v with the first row's user", got, rs[0].User, rs[1].User, want)
	}
	if n := count(t, d); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
}

// TestProvisionSpendsNoRateLimitOnExistingUsers: at one write a second,
// twenty users that exist already and need no write finish at once; were a
// token spent on each, they would take nineteen seconds and the context,
// ending after five, would cut the run short.
func TestProvisionSpendsNoRateLimitOnExistingUsers(t *testing.T) {
	t.Parallel()
	d := usermgmttest.NewMemory()
	in := inputs(20)
	if _, err := usermgmt.Provision(context.Background(), d, in, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rs, err := usermgmt.Provision(ctx, d, in, &usermgmt.ProvisionOptions{RateLimit: 1, UpdateExisting: true})
	if err != nil {
		t.Fatalf("re-run at 1/s: %v", err)
	}
	for _, r := range rs {
		if r.Outcome != usermgmt.OutcomeExisted {
			t.Fatalf("result %+v, want existed", r)
		}
	}
}

func TestProvisionNumbersUsersFromOne(t *testing.T) {
	t.Parallel()
	rs, _ := usermgmt.Provision(context.Background(), usermgmttest.NewMemory(), []usermgmt.CreateUserInput{{Name: "no key"}}, nil)
	if err := rs[0].Err; err == nil || !strings.Contains(err.Error(), "user 1 has neither") {
		t.Errorf("err = %v, want it to name user 1", err)
	}
}

func TestProvisionCancelledMatchesContextCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := usermgmt.Provision(ctx, usermgmttest.NewMemory(), inputs(3), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want one matching context.Canceled", err)
	}
}

func TestNewDirectoryRefusesBadDrivers(t *testing.T) {
	t.Parallel()
	if _, err := usermgmt.NewDirectory(nil); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("nil driver: %v", err)
	}
	if _, err := usermgmt.NewDirectory(&script{traits: driver.Traits{NaturalKey: "id"}}); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("a natural key of %q: %v", "id", err)
	}
	if _, err := usermgmt.NewDirectory(&script{traits: driver.Traits{NaturalKey: "email"}}, usermgmt.WithSettleWindow(-1)); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("a negative settle window: %v", err)
	}
	d := usermgmttest.NewMemory()
	for _, v := range []string{fmt.Sprint(d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d)} {
		if v != "usermgmt.Directory{memory}" {
			t.Errorf("printed as %q", v)
		}
	}
}

// TestZeroDirectoryIsAnError: a Directory not built by NewDirectory fails
// clearly instead of panicking.
func TestZeroDirectoryIsAnError(t *testing.T) {
	t.Parallel()
	var d usermgmt.Directory
	ctx := context.Background()
	if _, err := d.CreateUser(ctx, usermgmt.CreateUserInput{Email: "ada@example.com"}); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("CreateUser = %v", err)
	}
	if _, err := d.GetUser(ctx, "1"); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("GetUser = %v", err)
	}
	if _, err := d.FindUser(ctx, "ada"); !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("FindUser = %v", err)
	}
	for _, err := range d.ListUsers(ctx, nil) {
		if !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("ListUsers = %v", err)
		}
	}
}
