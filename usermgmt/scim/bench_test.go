package scim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/scim"
)

// scimCall sends one request to the bridge and checks its status.
func scimCall(ctx context.Context, c *http.Client, method, url, body string, want int) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, url, res.StatusCode, data)
	}
	return nil
}

// inProcess calls the bridge's handler without a network hop between the
// identity provider and the bridge: what the bridge itself adds to the
// Directory call behind it. The request is put together by hand, as the
// server side of net/http would hand it over: no URL or request text is
// parsed on the way, a cost of the harness that the bridge does not have.
func inProcess(ctx context.Context, h http.Handler, method, target, body string, want int) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	req := &http.Request{Method: method, URL: u, Host: u.Host, RequestURI: u.RequestURI(), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Authorization": {"Bearer " + token}}, Body: http.NoBody, RemoteAddr: "192.0.2.1:1234"}
	if body != "" {
		req.Header["Content-Type"] = []string{"application/scim+json"}
		req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code != want {
		return fmt.Errorf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
	}
	return nil
}

// BenchmarkBridge compares GET /Users/{id} and POST /Users through the
// bridge with the same Directory calls made directly, on the same fake, in
// one run; "paired" alternates them and reports scim-inprocess/direct (the
// bridge's handler called in process: its own cost over the Directory
// call), "paired-http" scim/direct (the bridge over loopback HTTP: the
// identity provider's round trip to it on top) and hop/direct (that round
// trip alone: an empty answer from a loopback server through the same
// client).
// The bridge has no request log here, as the Directory has none; the
// sub-benchmark "logged" measures the JSON request log's cost.
func BenchmarkBridge(b *testing.B) {
	for _, name := range providers {
		b.Run(name, func(b *testing.B) {
			e := open(b, name)
			br, logged := newQuietBridge(b, e), newBridge(b, e)
			c := benchkit.HTTPClient(b)
			ctx := context.Background()
			seed := must(e.dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: "seed@example.com", Email: "seed@example.com",
				Name: "Seed User", FirstName: "Seed", LastName: "User", Password: "Seed-Pa55-word!"}))
			calls(b, e, br, logged, c, seed)
			// The same with the fake answering after 5 ms, closer to a
			// real API's latency (tens to hundreds of ms).
			e.srv.SetLatency(5 * time.Millisecond)
			b.Run("latency5ms", func(b *testing.B) { calls(b, e, br, logged, c, seed) })
		})
	}
}

// newQuietBridge is newBridge without a request log.
func newQuietBridge(b *testing.B, e env) *bridge {
	b.Helper()
	h, err := scim.NewHandler(e.dir, scim.Options{Prefix: "/scim/v2", Tokens: []usermgmt.Secret{token}})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(h)
	b.Cleanup(hs.Close)
	return &bridge{t: b, env: e, caps: e.dir.Capabilities(), url: hs.URL + "/scim/v2", c: hs.Client(), h: h}
}

// emptyHop starts a loopback server that answers every request with a
// short JSON body at once: what one HTTP round trip costs alone.
func emptyHop(b *testing.B) string {
	body := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1"}`)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/scim+json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(hs.Close)
	return hs.URL
}

func calls(b *testing.B, e env, br, logged *bridge, c *http.Client, seed *usermgmt.User) {
	hop := emptyHop(b)
	b.Run("get", func(b *testing.B) {
		bridgeCalls(b, []benchkit.Variant{
			{Name: "direct", Op: func(ctx context.Context) error { _, err := e.dir.GetUser(ctx, seed.ID); return err }},
			{Name: "hop", Op: func(ctx context.Context) error { return scimCall(ctx, c, "GET", hop+"/Users/"+seed.ID, "", 200) }},
			{Name: "scim", Op: func(ctx context.Context) error {
				return scimCall(ctx, c, "GET", br.url+"/Users/"+seed.ID, "", 200)
			}},
			{Name: "scim-inprocess", Op: func(ctx context.Context) error {
				return inProcess(ctx, br.h, "GET", br.url+"/Users/"+seed.ID, "", 200)
			}},
			{Name: "scim-inprocess-logged", Op: func(ctx context.Context) error {
				return inProcess(ctx, logged.h, "GET", logged.url+"/Users/"+seed.ID, "", 200)
			}},
		})
	})
	var n atomic.Int64
	prefix := strings.ReplaceAll(b.Name(), "/", "-")
	b.Run("create", func(b *testing.B) {
		bridgeCalls(b, []benchkit.Variant{
			{Name: "direct", Op: func(ctx context.Context) error {
				email := fmt.Sprintf("d%d-%s@example.com", n.Add(1), prefix)
				_, err := e.dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: email, Email: email, FirstName: "Bench", LastName: "User", Name: "Bench User", Password: "Bench-Pa55-word!"})
				return err
			}},
			{Name: "hop", Op: func(ctx context.Context) error {
				email := fmt.Sprintf("h%d-%s@example.com", n.Add(1), prefix)
				body := `{"userName":"` + email + `","name":{"givenName":"Bench","familyName":"User"},"emails":[{"value":"` + email + `","type":"work","primary":true}],"password":"Bench-Pa55-word!","active":true}`
				return scimCall(ctx, c, "POST", hop+"/Users", body, 200)
			}},
			{Name: "scim", Op: func(ctx context.Context) error {
				email := fmt.Sprintf("s%d-%s@example.com", n.Add(1), prefix)
				body := `{"userName":"` + email + `","name":{"givenName":"Bench","familyName":"User"},"emails":[{"value":"` + email + `","type":"work","primary":true}],"password":"Bench-Pa55-word!","active":true}`
				return scimCall(ctx, c, "POST", br.url+"/Users", body, 201)
			}},
			{Name: "scim-inprocess", Op: func(ctx context.Context) error {
				email := fmt.Sprintf("i%d-%s@example.com", n.Add(1), prefix)
				body := `{"userName":"` + email + `","name":{"givenName":"Bench","familyName":"User"},"emails":[{"value":"` + email + `","type":"work","primary":true}],"password":"Bench-Pa55-word!","active":true}`
				return inProcess(ctx, br.h, "POST", br.url+"/Users", body, 201)
			}},
		})
	})
}

// bridgeCalls runs each variant alone, then two paired runs: "paired"
// alternates the direct call with the bridge's handler in process (its own
// cost), "paired-http" the direct call with the loopback round trip alone
// and the bridge over HTTP. Apart, the in-process calls do not share
// their timings with the garbage the HTTP variants leave behind.
func bridgeCalls(b *testing.B, vs []benchkit.Variant) {
	var inproc, overHTTP []benchkit.Variant
	for _, v := range vs {
		b.Run(v.Name, func(b *testing.B) { benchkit.Loop(b, v.Op) })
		switch {
		case v.Name == "direct":
			inproc, overHTTP = append(inproc, v), append(overHTTP, v)
		case strings.HasPrefix(v.Name, "scim-inprocess"):
			inproc = append(inproc, v)
		default:
			overHTTP = append(overHTTP, v)
		}
	}
	b.Run("paired", func(b *testing.B) { benchkit.Paired(b, inproc) })
	b.Run("paired-http", func(b *testing.B) { benchkit.Paired(b, overHTTP) })
}

// BenchmarkConcurrentGet runs 200 clients at once, each reading a user by
// id, directly through the Directory and through one bridge, and reports
// the p50 and p99 latency of each.
func BenchmarkConcurrentGet(b *testing.B) {
	for _, name := range providers {
		b.Run(name, func(b *testing.B) {
			e := open(b, name)
			br := newBridge(b, e)
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = 200
			b.Cleanup(tr.CloseIdleConnections)
			c := &http.Client{Transport: tr}
			seed := must(e.dir.CreateUser(context.Background(), usermgmt.CreateUserInput{Username: "seed@example.com", Email: "seed@example.com",
				Name: "Seed User", Password: "Seed-Pa55-word!"}))
			b.Run("direct", func(b *testing.B) {
				concurrently(b, func(ctx context.Context) error { _, err := e.dir.GetUser(ctx, seed.ID); return err })
			})
			b.Run("scim", func(b *testing.B) {
				concurrently(b, func(ctx context.Context) error { return scimCall(ctx, c, "GET", br.url+"/Users/"+seed.ID, "", 200) })
			})
		})
	}
}

// concurrently makes b.N calls of op from 200 goroutines and reports the
// latencies' p50 and p99.
func concurrently(b *testing.B, op func(context.Context) error) {
	const clients = 200
	var mu sync.Mutex
	var lat []time.Duration
	var next atomic.Int64
	var failed atomic.Value
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for next.Add(1) <= int64(b.N) {
				start := time.Now()
				if err := op(context.Background()); err != nil {
					failed.Store(err)
					return
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}
