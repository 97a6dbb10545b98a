package scim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/scim"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The local harness opening the five providers on their fakes.

type env struct {
	name string
	dir  *usermgmt.Directory
	srv  *usermgmttest.FakeServer
}

// providers returns the names of the five providers, in a fixed order.
var providers = providertest.Names

// open starts the named provider's fake and a Directory over it.
func open(t testing.TB, name string, opts ...usermgmt.Option) env {
	t.Helper()
	e := providertest.Open(t, name, providertest.Options{Client: opts})
	return env{e.Name, e.Dir, e.Fake}
}

const token = "test-token-0123456789abcdef"

// bridge is a SCIM bridge over one directory, served on a loopback port.
type bridge struct {
	t    testing.TB
	env  env
	caps usermgmt.Capabilities
	url  string // the SCIM root
	c    *http.Client
	logs *syncBuffer
	h    http.Handler // the bridge itself, for calls without a network hop
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newBridge(t testing.TB, e env) *bridge {
	t.Helper()
	logs := &syncBuffer{}
	h, err := scim.NewHandler(e.dir, scim.Options{Prefix: "/scim/v2", Tokens: []usermgmt.Secret{"old-token-0123456789abcdef", token},
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &bridge{t: t, env: e, caps: e.dir.Capabilities(), url: hs.URL + "/scim/v2", c: hs.Client(), logs: logs, h: h}
}

// resp is an answer of the bridge.
type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// do sends a request with the test token; body is JSON-encoded unless it
// is a string. hdr holds extra headers as name, value pairs.
func (b *bridge) do(method, path string, body any, hdr ...string) resp {
	b.t.Helper()
	return b.doAuth("Bearer "+token, method, path, body, hdr...)
}

func (b *bridge) doAuth(auth, method, path string, body any, hdr ...string) resp {
	b.t.Helper()
	var rd io.Reader
	switch x := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(x)
	default:
		rd = bytes.NewReader(must(json.Marshal(x)))
	}
	req, err := http.NewRequest(method, b.url+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	r := resp{status: res.StatusCode, header: res.Header, raw: must(io.ReadAll(res.Body))}
	if len(r.raw) > 0 {
		if err := json.Unmarshal(r.raw, &r.body); err != nil {
			b.t.Fatalf("%s %s: answer is not JSON: %v: %s", method, path, err, r.raw)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
			b.t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return r
}

// expect fails the test unless the answer has the status (and, for an
// error, the scimType).
func (r resp) expect(t testing.TB, status int, scimType string) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if status >= 400 || scimType != "" {
		if got, _ := r.body["scimType"].(string); got != scimType {
			t.Fatalf("scimType %q, want %q: %s", got, scimType, r.raw)
		}
		if s, _ := r.body["schemas"].([]any); len(s) != 1 || s[0] != "urn:ietf:params:scim:api:messages:2.0:Error" {
			t.Fatalf("error body without the Error schema: %s", r.raw)
		}
		if r.body["status"] != fmt.Sprint(status) {
			t.Fatalf("error body status %v, want %q", r.body["status"], fmt.Sprint(status))
		}
	}
	return r
}

// str returns a string at a dotted path of the body ("name.givenName",
// "emails.0.value", "meta.version").
func (r resp) str(path string) string {
	var v any = r.body
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			fmt.Sscan(p, &i)
			if i >= len(x) {
				return ""
			}
			v = x[i]
		default:
			return ""
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func (r resp) resources() []map[string]any {
	var out []map[string]any
	for _, x := range r.body["Resources"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// newUser is the SCIM body of a user every provider can create.
func newUser(tag string) map[string]any {
	email := tag + "@example.com"
	return map[string]any{
		"schemas":    []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName":   email,
		"externalId": "ext-" + tag,
		"name":       map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
		"emails":     []any{map[string]any{"value": email, "type": "work", "primary": true}},
		"password":   "Pa55-" + tag + "-secret!",
		"active":     true,
	}
}

// create creates a user and returns its id.
func (b *bridge) create(tag string) string {
	b.t.Helper()
	r := b.do("POST", "/Users", newUser(tag)).expect(b.t, 201, "")
	id := r.str("id")
	if id == "" {
		b.t.Fatalf("created user without id: %s", r.raw)
	}
	return id
}

func eachProvider(t *testing.T, f func(t *testing.T, b *bridge)) {
	for _, name := range providers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t, newBridge(t, open(t, name, fastRetries)))
		})
	}
}

// fastRetries keeps the retries of a failing fake to milliseconds.
var fastRetries = usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})

func (b *bridge) name() string { return b.env.name }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
