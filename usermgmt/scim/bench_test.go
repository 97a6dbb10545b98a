package scim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
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
// Directory call behind it.
func inProcess(ctx context.Context, h http.Handler, method, url, body string, want int) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(ctx, method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		return fmt.Errorf("%s %s: %d %s", method, url, rec.Code, rec.Body.String())
	}
	return nil
}

// BenchmarkBridge compares GET /Users/{id} and POST /Users through the
// bridge with the same Directory calls made directly, on the same fake, in
// one run; "paired" alternates them and reports scim/direct (the bridge
// over loopback HTTP: one more network hop than the direct call) and
// scim-inprocess/direct (the bridge's handler called in process: its own
// cost over the Directory call).
func BenchmarkBridge(b *testing.B) {
	for _, name := range providers {
		b.Run(name, func(b *testing.B) {
			e := open(b, name)
			br := newBridge(b, e)
			c := benchkit.HTTPClient(b)
			ctx := context.Background()
			seed := must(e.dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: "seed@example.com", Email: "seed@example.com",
				Name: "Seed User", FirstName: "Seed", LastName: "User", Password: "Seed-Pa55-word!"}))
			calls(b, e, br, c, seed)
			// The same with the fake answering after 5 ms, closer to a
			// real API's latency (tens to hundreds of ms).
			e.srv.SetLatency(5 * time.Millisecond)
			b.Run("latency5ms", func(b *testing.B) { calls(b, e, br, c, seed) })
		})
	}
}

func calls(b *testing.B, e env, br *bridge, c *http.Client, seed *usermgmt.User) {
	b.Run("get", func(b *testing.B) {
		benchkit.Calls(b, []benchkit.Variant{
			{Name: "direct", Op: func(ctx context.Context) error { _, err := e.dir.GetUser(ctx, seed.ID); return err }},
			{Name: "scim", Op: func(ctx context.Context) error {
				return scimCall(ctx, c, "GET", br.url+"/Users/"+seed.ID, "", 200)
			}},
			{Name: "scim-inprocess", Op: func(ctx context.Context) error {
				return inProcess(ctx, br.h, "GET", br.url+"/Users/"+seed.ID, "", 200)
			}},
		})
	})
	var n atomic.Int64
	prefix := strings.ReplaceAll(b.Name(), "/", "-")
	b.Run("create", func(b *testing.B) {
		benchkit.Calls(b, []benchkit.Variant{
			{Name: "direct", Op: func(ctx context.Context) error {
				email := fmt.Sprintf("d%d-%s@example.com", n.Add(1), prefix)
				_, err := e.dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: email, Email: email, FirstName: "Bench", LastName: "User", Name: "Bench User", Password: "Bench-Pa55-word!"})
				return err
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
