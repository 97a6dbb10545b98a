package usermgmttest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Harness opens the directories the conformance suite checks, in the
// manner of gocloud's drivertest: one harness per driver.
type Harness struct {
	// Open returns a fresh, empty Directory for one subtest. It should
	// register its own cleanup with t.Cleanup.
	Open func(t *testing.T) *usermgmt.Directory
	// Roles names two roles the directory accepts, for directories with
	// roles (Capabilities.Roles).
	Roles []string
}

var seq atomic.Int64

// NewUser returns a CreateUserInput with every common field set and a unique
// natural key, acceptable to every provider of this module.
func NewUser(label string) usermgmt.CreateUserInput {
	n := seq.Add(1)
	email := fmt.Sprintf("%s-%d@example.com", label, n)
	return usermgmt.CreateUserInput{
		Username:  email,
		Email:     email,
		Name:      "Ada Lovelace",
		FirstName: "Ada",
		LastName:  "Lovelace",
		Password:  usermgmt.Secret(fmt.Sprintf("Conformance-Pa55-%d!", n)),
	}
}

// Run runs the conformance suite against the directories h opens.
func Run(t *testing.T, h Harness) {
	open := h.Open
	t.Run("Identity", func(t *testing.T) { testIdentity(t, open(t)) })
	t.Run("CreateGetList", func(t *testing.T) { testCreateGetList(t, open(t)) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, open(t)) })
	t.Run("SetActive", func(t *testing.T) { testSetActive(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("Unsupported", func(t *testing.T) { testUnsupported(t, open(t)) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, open(t)) })
	t.Run("CreateTwice", func(t *testing.T) { testCreateTwice(t, open(t)) })
	t.Run("InvalidInput", func(t *testing.T) { testInvalidInput(t, open(t)) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open(t)) })
	t.Run("Cancellation", func(t *testing.T) { testCancellation(t, open(t)) })
	t.Run("Roles", func(t *testing.T) { testRoles(t, open(t), h.Roles) })
	t.Run("PageSize", func(t *testing.T) { testPageSize(t, open(t)) })
}

func testIdentity(t *testing.T, d *usermgmt.Directory) {
	if d.Provider() == "" {
		t.Error("Provider() is empty")
	}
	c := d.Capabilities()
	if !c.Create || !c.List {
		t.Errorf("Capabilities %+v: every directory must at least create and list", c)
	}
	if !c.IdempotentCreate && c.NaturalKey == "" {
		t.Error("Capabilities: neither IdempotentCreate nor NaturalKey: creates cannot be made exactly-once")
	}
}

func create(t *testing.T, d *usermgmt.Directory, in usermgmt.CreateUserInput) *usermgmt.User {
	t.Helper()
	u, err := d.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", in.NaturalKey(), err)
	}
	if u == nil || u.ID == "" {
		t.Fatalf("CreateUser returned %+v without an ID", u)
	}
	if u.Provider != d.Provider() {
		t.Errorf("created user's Provider = %q, want %q", u.Provider, d.Provider())
	}
	if u.Raw == nil {
		t.Error("created user has no Raw provider value")
	}
	return u
}

func list(t *testing.T, d *usermgmt.Directory, opts *usermgmt.ListOptions) map[string]usermgmt.User {
	t.Helper()
	out := map[string]usermgmt.User{}
	for u, err := range d.ListUsers(context.Background(), opts) {
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		if _, dup := out[u.ID]; dup {
			t.Errorf("ListUsers yielded %s twice", u.ID)
		}
		out[u.ID] = u
	}
	return out
}

// matches reports whether got describes the user created from in.
func matches(t *testing.T, what string, in usermgmt.CreateUserInput, got usermgmt.User) {
	t.Helper()
	if got.Email != "" && !strings.EqualFold(got.Email, in.Email) {
		t.Errorf("%s: Email = %q, want %q", what, got.Email, in.Email)
	}
	if got.Username != "" && got.Username != in.Username {
		t.Errorf("%s: Username = %q, want %q", what, got.Username, in.Username)
	}
	if got.Email == "" && got.Username == "" {
		t.Errorf("%s: neither Email nor Username set: %+v", what, got)
	}
}

func testCreateGetList(t *testing.T, d *usermgmt.Directory) {
	in := NewUser("create")
	before := fmt.Sprintf("%#v", in)
	u := create(t, d, in)
	if after := fmt.Sprintf("%#v", in); after != before {
		t.Errorf("CreateUser modified its input")
	}
	matches(t, "created", in, *u)
	if !u.Active {
		t.Errorf("created user is not active: %+v", u)
	}
	if d.Capabilities().Get {
		got, err := d.GetUser(context.Background(), u.ID)
		if err != nil {
			t.Fatalf("GetUser(%s): %v", u.ID, err)
		}
		if got.ID != u.ID {
			t.Errorf("GetUser returned ID %q, want %q", got.ID, u.ID)
		}
		matches(t, "got", in, *got)
	}
	all := list(t, d, nil)
	got, ok := all[u.ID]
	if !ok {
		t.Fatalf("ListUsers does not contain the created user %s (has %d users)", u.ID, len(all))
	}
	matches(t, "listed", in, got)
}

func testUpdate(t *testing.T, d *usermgmt.Directory) {
	if !d.Capabilities().Update {
		return // covered by Unsupported
	}
	u := create(t, d, NewUser("update"))
	name, first, last := "Grace Hopper", "Grace", "Hopper"
	in := usermgmt.UpdateUserInput{Name: &name, FirstName: &first, LastName: &last}
	updated, err := d.UpdateUser(context.Background(), u.ID, in)
	if err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	if updated.Name != name {
		t.Errorf("UpdateUser returned Name %q, want %q", updated.Name, name)
	}
	for what, got := range readBack(t, d, u.ID) {
		if got.Name != name {
			t.Errorf("%s after update: Name = %q, want %q (the update was lost)", what, got.Name, name)
		}
	}
}

// readBack returns the user as GetUser (where supported) and ListUsers see it.
func readBack(t *testing.T, d *usermgmt.Directory, id string) map[string]usermgmt.User {
	t.Helper()
	out := map[string]usermgmt.User{}
	if d.Capabilities().Get {
		got, err := d.GetUser(context.Background(), id)
		if err != nil {
			t.Fatalf("GetUser(%s): %v", id, err)
		}
		out["GetUser"] = *got
	}
	listed, ok := list(t, d, nil)[id]
	if !ok {
		t.Fatalf("ListUsers lost user %s", id)
	}
	out["ListUsers"] = listed
	return out
}

func testSetActive(t *testing.T, d *usermgmt.Directory) {
	c := d.Capabilities()
	if !c.Activate || !c.Deactivate {
		return
	}
	u := create(t, d, NewUser("active"))
	other := create(t, d, NewUser("other"))
	got, err := d.SetActive(context.Background(), u.ID, false)
	if err != nil {
		t.Fatalf("SetActive(false): %v", err)
	}
	if got.Active {
		t.Errorf("SetActive(false) returned an active user")
	}
	for what, got := range readBack(t, d, u.ID) {
		if got.Active {
			t.Errorf("%s after deactivation: still active", what)
		}
	}
	inactive, active := false, true
	if l := list(t, d, &usermgmt.ListOptions{Active: &inactive}); len(l) != 1 || l[u.ID].ID == "" {
		t.Errorf("ListUsers(Active=false) = %d users, want only %s", len(l), u.ID)
	}
	if l := list(t, d, &usermgmt.ListOptions{Active: &active}); l[u.ID].ID != "" || l[other.ID].ID == "" {
		t.Errorf("ListUsers(Active=true) is wrong: %v", keys(l))
	}
	if got, err = d.SetActive(context.Background(), u.ID, true); err != nil || !got.Active {
		t.Fatalf("SetActive(true) = %+v, %v", got, err)
	}
}

func keys(m map[string]usermgmt.User) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func testDelete(t *testing.T, d *usermgmt.Directory) {
	c := d.Capabilities()
	if !c.Delete {
		return
	}
	u := create(t, d, NewUser("delete"))
	keep := create(t, d, NewUser("keep"))
	if err := d.DeleteUser(context.Background(), u.ID); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	all := list(t, d, nil)
	if _, ok := all[keep.ID]; !ok {
		t.Error("DeleteUser removed another user")
	}
	if err := d.DeleteUser(context.Background(), u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("a second DeleteUser of one user: err = %v, want ErrNotFound", err)
	}
	if err := d.DeleteUser(context.Background(), "9999999"); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("DeleteUser of a user that never existed: err = %v, want ErrNotFound", err)
	}
	if c.DeleteMeans != "" {
		return // archive, unregister...: what stays visible is the provider's to document
	}
	if _, ok := all[u.ID]; ok {
		t.Error("a deleted user is still listed")
	}
	if c.Get {
		if _, err := d.GetUser(context.Background(), u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
			t.Errorf("GetUser after delete: err = %v, want ErrNotFound", err)
		}
	}
}

func testUnsupported(t *testing.T, d *usermgmt.Directory) {
	c := d.Capabilities()
	ctx := context.Background()
	id := "unsupported-check"
	empty := ""
	calls := []struct {
		name      string
		supported bool
		call      func() error
	}{
		{"GetUser", c.Get, func() error { _, err := d.GetUser(ctx, id); return err }},
		{"UpdateUser", c.Update, func() error { _, err := d.UpdateUser(ctx, id, usermgmt.UpdateUserInput{Name: &empty}); return err }},
		{"Deactivate", c.Deactivate, func() error { _, err := d.SetActive(ctx, id, false); return err }},
		{"Activate", c.Activate, func() error { _, err := d.SetActive(ctx, id, true); return err }},
		{"DeleteUser", c.Delete, func() error { return d.DeleteUser(ctx, id) }},
		{"SetRoles", c.Roles, func() error { _, err := d.SetRoles(ctx, id, []string{"r"}); return err }},
	}
	for _, call := range calls {
		err := call.call()
		if call.supported {
			if errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("%s: Capabilities says supported, but it returned %v", call.name, err)
			}
			continue
		}
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("%s: Capabilities says unsupported; err = %v, want errors.ErrUnsupported", call.name, err)
			continue
		}
		if !strings.Contains(err.Error(), d.Provider()) {
			t.Errorf("%s: the error %q does not name the provider", call.name, err)
		}
	}
}

func testNotFound(t *testing.T, d *usermgmt.Directory) {
	if !d.Capabilities().Get {
		return
	}
	_, err := d.GetUser(context.Background(), "9999999")
	if !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("GetUser of a missing user: err = %v, want ErrNotFound", err)
	}
}

func testCreateTwice(t *testing.T, d *usermgmt.Directory) {
	in := NewUser("twice")
	first := create(t, d, in)
	second, err := d.CreateUser(context.Background(), in)
	var ce *usermgmt.ConflictError
	switch {
	case err == nil && second.ID != first.ID:
		t.Errorf("creating the same user twice made two users: %s and %s", first.ID, second.ID)
	case err == nil:
		t.Errorf("creating an existing user returned it as created; want ErrConflict with the existing user")
	case !errors.Is(err, usermgmt.ErrConflict) || !errors.As(err, &ce):
		t.Errorf("creating the same user twice: err = %v, want a *usermgmt.ConflictError matching ErrConflict", err)
	case ce.Existing == nil || ce.Existing.ID != first.ID:
		t.Errorf("ConflictError.Existing = %+v, want the user created first (%s)", ce.Existing, first.ID)
	}
	n := 0
	for _, u := range list(t, d, nil) {
		if strings.EqualFold(u.Email, in.Email) || u.Username == in.Username {
			n++
		}
	}
	if n != 1 {
		t.Errorf("after two creates of one user, %d are listed", n)
	}
}

func testInvalidInput(t *testing.T, d *usermgmt.Directory) {
	_, err := d.CreateUser(context.Background(), usermgmt.CreateUserInput{})
	if !errors.Is(err, usermgmt.ErrInvalidInput) {
		t.Errorf("CreateUser with nothing set: err = %v, want ErrInvalidInput", err)
	}
	if d.Capabilities().Get {
		if _, err := d.GetUser(context.Background(), ""); !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("GetUser(\"\"): err = %v, want ErrInvalidInput", err)
		}
	}
}

func testConcurrency(t *testing.T, d *usermgmt.Directory) {
	const n = 16
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := d.CreateUser(context.Background(), NewUser("conc"))
			errs[i] = err
			if err == nil {
				ids[i] = u.ID
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent creates: %v", err)
	}
	all := list(t, d, nil)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("two concurrent creates returned the same ID %s", id)
		}
		seen[id] = true
		if _, ok := all[id]; !ok {
			t.Errorf("user %s created concurrently is not listed", id)
		}
	}
}

func testCancellation(t *testing.T, d *usermgmt.Directory) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := NewUser("cancelled")
	if _, err := d.CreateUser(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateUser with a cancelled context: err = %v, want context.Canceled", err)
	}
	for _, err := range d.ListUsers(ctx, nil) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ListUsers with a cancelled context yielded err = %v, want context.Canceled", err)
		}
		break
	}
	for _, u := range list(t, d, nil) {
		if reflect.DeepEqual(u.Email, in.Email) {
			t.Error("a create with a cancelled context created the user")
		}
	}
}

func testRoles(t *testing.T, d *usermgmt.Directory, roles []string) {
	c := d.Capabilities()
	if !c.Roles {
		return
	}
	if len(roles) < 2 {
		t.Fatal("the harness names fewer than two roles for a directory with roles")
	}
	u := create(t, d, NewUser("roles"))
	got, err := d.SetRoles(context.Background(), u.ID, roles[1:2])
	if err != nil {
		t.Fatalf("SetRoles(%q): %v", roles[1:2], err)
	}
	if !slices.Equal(got.Roles, roles[1:2]) {
		t.Errorf("SetRoles(%q) returned roles %q", roles[1:2], got.Roles)
	}
	for what, got := range readBack(t, d, u.ID) {
		if !slices.Equal(got.Roles, roles[1:2]) {
			t.Errorf("%s after SetRoles: roles %q, want %q", what, got.Roles, roles[1:2])
		}
	}
	for _, clear := range [][]string{nil, {}} {
		got, err := d.SetRoles(context.Background(), u.ID, clear)
		switch {
		case c.MinRoles > 0 && !errors.Is(err, usermgmt.ErrInvalidInput):
			t.Errorf("SetRoles(%#v) where a user holds at least %d: err = %v, want ErrInvalidInput", clear, c.MinRoles, err)
		case c.MinRoles > 0:
		case err != nil:
			t.Errorf("SetRoles(%#v) to clear the roles: %v", clear, err)
		case len(got.Roles) != 0:
			t.Errorf("SetRoles(%#v) left roles %q", clear, got.Roles)
		default:
			for what, got := range readBack(t, d, u.ID) {
				if len(got.Roles) != 0 {
					t.Errorf("%s after clearing: roles %q", what, got.Roles)
				}
			}
		}
	}
}

func testPageSize(t *testing.T, d *usermgmt.Directory) {
	ids := map[string]bool{}
	for range 3 {
		ids[create(t, d, NewUser("page")).ID] = true
	}
	max := d.Capabilities().MaxPageSize
	for _, size := range []int{1, 2, max + 1, 1 << 30} {
		got := list(t, d, &usermgmt.ListOptions{PageSize: size})
		for id := range ids {
			if _, ok := got[id]; !ok {
				t.Errorf("ListUsers(PageSize %d) lost user %s; a size outside the API's bounds must be clamped, not refused", size, id)
			}
		}
	}
	for _, err := range d.ListUsers(context.Background(), &usermgmt.ListOptions{PageSize: -1}) {
		if !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("ListUsers(PageSize -1): err = %v, want ErrInvalidInput", err)
		}
		break
	}
}
