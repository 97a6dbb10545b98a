package scim_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// createOp is each provider's create operation.
var createOp = map[string]string{"syncari": "createUser", "dbsync": "registerUser", "genericusr": "addUser", "vendorusers": "createUser", "bss": "createUser"}

// TestRetriedCreateMakesOneUser: an identity provider that times out on a
// slow create and sends it again gets a 409 (or the same user), never a
// second user, and finds the one user by filter.
func TestRetriedCreateMakesOneUser(t *testing.T) {
	eachProvider(t, func(t *testing.T, b *bridge) {
		b.env.srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DelayAfter, Operation: createOp[b.name()], Delay: 300 * time.Millisecond})
		body := newUser("retried")
		impatient := *b
		impatient.c = &http.Client{Timeout: 50 * time.Millisecond}
		req, _ := http.NewRequest("POST", b.url+"/Users", strings.NewReader(string(must(jsonMarshal(body)))))
		req.Header.Set("Authorization", "Bearer "+token)
		if res, err := impatient.c.Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("the first create answered %d before the client's timeout", res.StatusCode)
		}
		// The bridge finishes the create although the client hung up.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := b.env.srv.Idle(ctx); err != nil {
			t.Fatal(err)
		}
		r := b.do("POST", "/Users", body)
		f := b.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "retried@example.com"`)+"&startIndex=1&count=100", nil).expect(t, 200, "")
		if f.body["totalResults"] != 1.0 {
			t.Fatalf("after the retry: %s", f.raw)
		}
		switch r.status {
		case 409:
			r.expect(t, 409, "uniqueness")
		case 201:
			if r.str("id") != f.resources()[0]["id"] {
				t.Fatalf("the retry created %s, the filter finds %v", r.str("id"), f.resources()[0]["id"])
			}
		default:
			t.Fatalf("retry: %d %s", r.status, r.raw)
		}
		n := 0
		for u, err := range b.env.dir.ListUsers(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
			if strings.EqualFold(u.Email, "retried@example.com") || strings.EqualFold(u.Username, "retried@example.com") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d users retried@example.com in the directory", n)
		}
		// The retried POST may reach the API, which refuses the duplicate
		// (the directory above holds the user once); nothing else is sent.
		if c := b.env.srv.Count(createOp[b.name()]); c > 2 {
			t.Errorf("%d creates sent to the API for two POSTs", c)
		}
	})
}

// TestHostileIDsAndFilters: ids and filter values that try to leave their
// parameter reach the API only as that parameter, or not at all.
func TestHostileIDsAndFilters(t *testing.T) {
	eachProvider(t, func(t *testing.T, b *bridge) {
		b.create("victim")
		b.env.srv.ResetJournal()
		for _, id := range []string{"..%2F..%2Fadmin", "%2E%2E", "..", "a%22b", `1%20or%201%3D1`, "%2Fusers", "1%3Fall%3Dtrue", "%252F", "x%00y"} {
			for _, m := range []string{"GET", "PUT", "PATCH", "DELETE"} {
				var body any
				switch m {
				case "PUT":
					body = newUser("victim")
				case "PATCH":
					body = patchOp(map[string]any{"op": "replace", "path": "active", "value": false})
				}
				r := b.do(m, "/Users/"+id, body)
				if r.status != 404 && r.status != 400 {
					t.Errorf("%s /Users/%s: %d %s", m, id, r.status, r.raw)
				}
			}
		}
		r := b.do("GET", "/Users/../ServiceProviderConfig", nil)
		if r.status != 404 {
			t.Errorf("/Users/../ServiceProviderConfig: %d", r.status)
		}
		for _, f := range []string{`userName eq "victim@example.com\" or \"1\"=\"1"`, `id eq "../../admin"`, `userName eq "../victim@example.com"`, `externalId eq "%2F..%2F"`} {
			r := b.do("GET", "/Users?filter="+url.QueryEscape(f), nil).expect(t, 200, "")
			if r.body["totalResults"] != 0.0 {
				t.Errorf("%s matched: %s", f, r.raw)
			}
		}
		for _, req := range b.env.srv.Requests() {
			// An id may reach the API, escaped, as the id parameter of a
			// user operation; nothing else.
			raw := req.RawPath
			if raw == "" {
				raw = req.Path
			}
			if req.Operation == "" || strings.Contains(raw, "/admin") || strings.Contains(raw, "/../") || strings.Contains(raw, "ServiceProviderConfig") || strings.Contains(raw, "?") {
				t.Errorf("the API received %s %s (operation %q)", req.Method, req.RawPath, req.Operation)
			}
		}
	})
}

// TestConcurrentClients runs 200 SCIM clients at once against one bridge;
// run it with -race.
func TestConcurrentClients(t *testing.T) {
	b := newBridge(t, open(t, "bss"))
	const n = 200
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			tag := fmt.Sprintf("conc%03d", i)
			c := *b
			c.t = &collect{TB: t, errs: errs}
			r := c.do("POST", "/Users", newUser(tag))
			if r.status != 201 {
				errs <- fmt.Errorf("%s: create %d %s", tag, r.status, r.raw)
				return
			}
			ids[i] = r.str("id")
			if g := c.do("GET", "/Users/"+ids[i], nil); g.str("userName") != tag+"@example.com" {
				errs <- fmt.Errorf("%s: get %d %s", tag, g.status, g.raw)
			}
			f := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "`+tag+`@example.com"`), nil)
			if f.status != 200 || f.body["totalResults"] != 1.0 {
				errs <- fmt.Errorf("%s: filter %d %s", tag, f.status, f.raw)
			}
			if p := c.do("PATCH", "/Users/"+ids[i], patchOp(map[string]any{"op": "replace", "path": "active", "value": false})); p.str("active") != "false" {
				errs <- fmt.Errorf("%s: patch %d %s", tag, p.status, p.raw)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Fatalf("ids %v", ids)
		}
		seen[id] = true
	}
	r := b.do("GET", "/Users?count=0&filter="+url.QueryEscape("active eq false"), nil).expect(t, 200, "")
	if r.body["totalResults"] != float64(n) {
		t.Errorf("%v inactive users, want %d", r.body["totalResults"], n)
	}
}

// collect turns a goroutine's fatal failures into errors for the test.
type collect struct {
	testing.TB
	errs chan<- error
}

func (c *collect) Fatalf(format string, args ...any) {
	c.errs <- fmt.Errorf(format, args...)
	panic("collect: failed") // never reached in a passing run
}

// TestAPIErrorsMapToSCIM: the API's rate limit answers 429 with
// Retry-After; a change whose outcome is unknown 503 with a hint.
func TestAPIErrorsMapToSCIM(t *testing.T) {
	e := open(t, "bss", usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	b := newBridge(t, e)
	id := b.create("limited")
	e.srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getUserById", Status: 429, RetryAfter: "120"})
	r := b.do("GET", "/Users/"+id, nil).expect(t, 429, "")
	if ra := r.header.Get("Retry-After"); ra != "120" {
		t.Errorf("Retry-After %q", ra)
	}
	e.srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "updateUser", Times: 5})
	r = b.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "replace", "path": "active", "value": false})).expect(t, 503, "")
	if r.header.Get("Retry-After") == "" || !strings.Contains(r.str("detail"), "look the resource up") {
		t.Errorf("503: %v %s", r.header, r.raw)
	}
}

// TestIfMatchHoldsUnderConcurrentWrites: several PATCHes at once, each with
// the ETag all of them read, change the user's name to different values.
// If-Match makes a write conditional on the version it read: exactly one
// may succeed, the others must get 412, and the user keeps the winner's
// name.
func TestIfMatchHoldsUnderConcurrentWrites(t *testing.T) {
	b := newBridge(t, env{name: "memory", dir: usermgmttest.NewMemory()})
	id := b.create("etagrace")
	tag := b.do("GET", "/Users/"+id, nil).expect(t, 200, "").header.Get("ETag")
	const writers = 6
	statuses := make([]int, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			c := *b
			c.t = &collect{TB: t, errs: errs}
			op := patchOp(map[string]any{"op": "replace", "path": "name.givenName", "value": fmt.Sprintf("Writer%d", i)})
			statuses[i] = c.do("PATCH", "/Users/"+id, op, "If-Match", tag).status
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	winner := -1
	for i, s := range statuses {
		switch {
		case s == 200 && winner < 0:
			winner = i
		case s != 412:
			t.Errorf("writers answered %v; want one 200 and 412 for the others", statuses)
		}
	}
	if winner < 0 {
		t.Fatalf("writers answered %v; want one 200", statuses)
	}
	u := b.do("GET", "/Users/"+id, nil).expect(t, 200, "")
	if got := u.body["name"].(map[string]any)["givenName"]; got != fmt.Sprintf("Writer%d", winner) {
		t.Errorf("givenName %v; want the winner's, Writer%d", got, winner)
	}
}
