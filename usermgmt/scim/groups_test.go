package scim_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestGroupsReplaceAndDelete: PUT sets a role's holders, DELETE takes the
// role from all of them, If-Match guards both.
func TestGroupsReplaceAndDelete(t *testing.T) {
	b := newBridge(t, open(t, "syncari"))
	a, c, d := b.create("ga"), b.create("gb"), b.create("gc")
	// Each keeps another role, which the syncari client needs (an empty
	// role list is sent as null).
	b.do("POST", "/Groups", map[string]any{"displayName": "Org Admin", "members": []any{
		map[string]any{"value": a}, map[string]any{"value": c}, map[string]any{"value": d}}}).expect(t, 201, "")
	r := b.do("POST", "/Groups", map[string]any{"displayName": "Viewer", "members": []any{map[string]any{"value": a}, map[string]any{"value": c}}}).expect(t, 201, "")
	members := func(r resp) []string {
		var ids []string
		for _, m := range r.body["members"].([]any) {
			ids = append(ids, m.(map[string]any)["value"].(string))
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{a, c}
	slices.Sort(want)
	if got := members(r); !slices.Equal(got, want) {
		t.Fatalf("members %v, want %v", got, want)
	}
	tag := r.header.Get("ETag")
	put := map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Viewer",
		"members": []any{map[string]any{"value": c}, map[string]any{"value": d}}}
	b.do("PUT", "/Groups/Viewer", put, "If-Match", `W/"stale"`).expect(t, 412, "")
	r = b.do("PUT", "/Groups/Viewer", put, "If-Match", tag).expect(t, 200, "")
	want = []string{c, d}
	slices.Sort(want)
	if got := members(r); !slices.Equal(got, want) {
		t.Fatalf("after PUT: members %v, want %v", got, want)
	}
	if u := b.do("GET", "/Users/"+a, nil); strings.Contains(string(u.raw), `"Viewer"`) {
		t.Errorf("user %s kept the role: %s", a, u.raw)
	}
	// Remove by a value list: only the users listed leave.
	r = b.do("PATCH", "/Groups/Viewer", patchOp(map[string]any{"op": "remove", "path": "members", "value": []any{map[string]any{"value": c}}})).expect(t, 200, "")
	if got := members(r); !slices.Equal(got, []string{d}) {
		t.Fatalf("after removing %s: members %v, want [%s]", c, got, d)
	}
	r = b.do("PATCH", "/Groups/Viewer", patchOp(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": c}}})).expect(t, 200, "")
	if got := members(r); !slices.Equal(got, want) {
		t.Fatalf("after adding %s back: members %v, want %v", c, got, want)
	}
	put["displayName"] = "Viewers"
	b.do("PUT", "/Groups/Viewer", put).expect(t, 400, "mutability")
	b.do("PATCH", "/Groups/Viewer", patchOp(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "no-such-user"}}})).expect(t, 400, "invalidValue")
	list := b.do("GET", "/Groups?excludedAttributes=members", nil).expect(t, 200, "")
	if list.body["totalResults"] != 2.0 || list.resources()[0]["members"] != nil {
		t.Errorf("groups: %s", list.raw)
	}
	b.do("DELETE", "/Groups/Viewer", nil).expect(t, 204, "")
	if r := b.do("GET", "/Groups/Viewer", nil).expect(t, 200, ""); len(r.body["members"].([]any)) != 0 {
		t.Errorf("after DELETE: %s", r.raw)
	}
	if r := b.do("GET", "/Groups?filter=displayName%20eq%20%22Viewer%22", nil); r.body["totalResults"] != 0.0 {
		t.Errorf("after DELETE, listed: %s", r.raw)
	}
	b.do("GET", "/Groups?filter=userName%20eq%20%22x%22", nil).expect(t, 400, "invalidFilter")
}

// TestDirectoryInputErrors: what the directory refuses as invalid input is
// 400 invalidValue; where it needs a password, a create without one.
func TestDirectoryInputErrors(t *testing.T) {
	eachProvider(t, func(t *testing.T, b *bridge) {
		u := newUser("nopass")
		delete(u, "password")
		r := b.do("POST", "/Users", u)
		if slices.Contains(b.caps.Requires, "Password") {
			r.expect(t, 400, "invalidValue")
		} else {
			r.expect(t, 201, "")
		}
		if b.caps.NaturalKey == "email" {
			u := newUser("twoaddr")
			u["emails"] = []any{map[string]any{"value": "other@example.com", "type": "work"}}
			b.do("POST", "/Users", u).expect(t, 400, "invalidValue")
		}
		b.do("GET", "/Users?filter="+strings.Repeat("x", 5000), nil).expect(t, 400, "invalidFilter")
	})
}

// TestConcurrentGroupChangesKeepEveryRole: an identity provider pushes a
// user's group memberships in parallel. Each change reads the user's roles
// and writes them back with one role more or less; the bridge must not let
// one request's write undo another's. The user starts in g0..g3; at once,
// it leaves g0 and g1 (PATCH remove) and joins g4..g9 (PATCH add).
func TestConcurrentGroupChangesKeepEveryRole(t *testing.T) {
	b := newBridge(t, env{name: "memory", dir: usermgmttest.NewMemory()})
	id := b.create("crowd")
	for g := range 4 {
		b.do("PATCH", fmt.Sprintf("/Groups/g%d", g), patchOp(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": id}}})).expect(t, 200, "")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for g := range 10 {
		if g == 2 || g == 3 {
			continue
		}
		op := "add"
		if g < 2 {
			op = "remove"
		}
		wg.Go(func() {
			c := *b
			c.t = &collect{TB: t, errs: errs}
			if r := c.do("PATCH", fmt.Sprintf("/Groups/g%d", g), patchOp(map[string]any{"op": op, "path": "members", "value": []any{map[string]any{"value": id}}})); r.status != 200 {
				errs <- fmt.Errorf("%s g%d: %d %s", op, g, r.status, r.raw)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	u := b.do("GET", "/Users/"+id, nil).expect(t, 200, "")
	var got []string
	for _, g := range u.body["groups"].([]any) {
		got = append(got, g.(map[string]any)["value"].(string))
	}
	slices.Sort(got)
	if want := []string{"g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9"}; !slices.Equal(got, want) {
		t.Errorf("the user is in %v; want %v", got, want)
	}
}
