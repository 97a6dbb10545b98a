package scim_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/scim"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestMux serves two directories under their own prefixes and tokens.
func TestMux(t *testing.T) {
	acme, globex := open(t, "bss"), open(t, "syncari")
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h, err := scim.NewMux(
		scim.Tenant{Prefix: "/acme/scim/v2", Directory: acme.dir, Tokens: []usermgmt.Secret{"acme-token-0123456789abcdef"}, Logger: log},
		scim.Tenant{Prefix: "/globex/scim/v2/", Directory: globex.dir, Tokens: []usermgmt.Secret{"globex-token-0123456789abcd", "globex-next-0123456789abcd"}, Logger: log},
	)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	defer hs.Close()
	get := func(path, tok string) (int, string) {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, c := range []struct {
		path, tok string
		status    int
		contains  string
	}{
		{"/acme/scim/v2/ResourceTypes", "acme-token-0123456789abcdef", 200, `"endpoint":"/Users"`},
		{"/acme/scim/v2/Groups", "acme-token-0123456789abcdef", 404, "no such resource"},
		{"/globex/scim/v2/Groups", "globex-token-0123456789abcd", 200, "ListResponse"},
		{"/globex/scim/v2/Groups", "globex-next-0123456789abcd", 200, "ListResponse"},
		{"/globex/scim/v2/Users", "acme-token-0123456789abcdef", 401, "bearer token"},
		{"/acme/scim/v2/Users", "globex-token-0123456789abcd", 401, "bearer token"},
		{"/initech/scim/v2/Users", "acme-token-0123456789abcdef", 404, "no SCIM service"},
		{"/acme/scim/v2x/Users", "acme-token-0123456789abcdef", 404, "no SCIM service"},
		{"/acme/scim/v2/ServiceProviderConfig", "acme-token-0123456789abcdef", 200, hs.URL + "/acme/scim/v2/ServiceProviderConfig"},
	} {
		if status, body := get(c.path, c.tok); status != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("%s: %d %s", c.path, status, body)
		}
	}
	for _, bad := range [][]scim.Tenant{
		nil,
		{{Prefix: "/a", Directory: acme.dir}},
		{{Prefix: "/a", Directory: acme.dir, Tokens: []usermgmt.Secret{"short"}}},
		{{Prefix: "/", Directory: acme.dir, Tokens: []usermgmt.Secret{"acme-token-0123456789abcdef"}}},
		{{Prefix: "/a", Directory: acme.dir, Tokens: []usermgmt.Secret{"acme-token-0123456789abcdef"}}, {Prefix: "/a/", Directory: globex.dir, Tokens: []usermgmt.Secret{"acme-token-0123456789abcdef"}}},
		{{Prefix: "/a", Tokens: []usermgmt.Secret{"acme-token-0123456789abcdef"}}},
	} {
		if _, err := scim.NewMux(bad...); err == nil {
			t.Errorf("NewMux(%v) accepted", len(bad))
		}
	}
	if strings.Contains(logs.String(), "token-0123") {
		t.Errorf("a token is in the logs: %s", logs.String())
	}
}

// TestCanary: the bridge's logs and error bodies never contain a token or
// a password, whatever the request and whatever fails.
func TestCanary(t *testing.T) {
	const (
		tokCanary = "CANARY-TOKEN-7f3a9c1e5b"
		pwCanary  = "CANARY-PASSWORD-2d8e4f6a"
	)
	eachProvider(t, func(t *testing.T, b *bridge) {
		var answers bytes.Buffer
		keep := func(r resp) {
			answers.Write(r.raw)
			answers.WriteString(strings.Join(r.header.Values("WWW-Authenticate"), " "))
		}
		keep(b.doAuth("Bearer "+tokCanary, "GET", "/Users", nil))
		keep(b.doAuth("Bearer "+tokCanary, "POST", "/Users", map[string]any{"userName": "x@example.com", "password": pwCanary}))
		keep(b.doAuth(tokCanary, "GET", "/Users", nil))
		user := newUser("canary")
		user["password"] = pwCanary
		keep(b.do("POST", "/Users", user))
		keep(b.do("POST", "/Users", user))                                                     // 409
		keep(b.do("POST", "/Users", `{"userName":"y@example.com","password":"`+pwCanary+`",`)) // malformed
		keep(b.do("POST", "/Users", `{"userName":"y@example.com","password":"`+pwCanary+`","pad":"`+strings.Repeat("x", 2<<20)+`"}`))
		keep(b.do("POST", "/Users", map[string]any{"userName": "", "password": pwCanary}))
		keep(b.do("POST", "/Users", map[string]any{"userName": "z@example.com", "password": pwCanary, "active": "perhaps"}))
		id := b.do("GET", "/Users?filter=userName%20eq%20%22canary@example.com%22", nil).resources()[0]["id"].(string)
		keep(b.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "replace", "path": "password", "value": pwCanary})))
		keep(b.do("PUT", "/Users/"+id, user))
		// A failing API.
		b.env.srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: 500, Times: 50})
		keep(b.do("POST", "/Users", newUser("canary2")))
		keep(b.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "replace", "path": "password", "value": pwCanary})))
		b.env.srv.ClearFaults()
		for what, s := range map[string]string{"logs": b.logs.String(), "answers": answers.String()} {
			for _, secret := range []string{tokCanary, pwCanary, token} {
				if strings.Contains(s, secret) {
					t.Errorf("the %s contain %q: %s", what, secret, s)
				}
			}
		}
		if !strings.Contains(b.logs.String(), `"status":401`) || !strings.Contains(b.logs.String(), `"path":"/scim/v2/Users"`) {
			t.Errorf("the logs lack the requests: %s", b.logs.String())
		}
	})
}
