package vendorusers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/internal/wire"
)

// The benchmarks compare, against the same loopback server in the same
// run, a hand-written baseline (net/http and encoding/json), the generated
// wire client, the hand-written Client and the Directory facade. See
// BENCHMARKS.md at the repository root.

const benchToken = "bench-token-0123456789"

// baseUser is the user element as a hand-written client would declare it.
type baseUser struct {
	ID        int64  `json:"_id"`
	Confirmed bool   `json:"confirmed"`
	Email     string `json:"email"`
	Status    bool   `json:"status"`
	Details   struct {
		ID         int64  `json:"_id"`
		FirstName  string `json:"firstname"`
		LastName   string `json:"lastname"`
		LastVisit  int64  `json:"lastvisitdate"`
		Archived   bool   `json:"archived"`
		ArchivedAt int64  `json:"archivationdate"`
		Role       struct {
			ID                int64  `json:"_id"`
			CreateOrders      bool   `json:"createorders"`
			CreateProducts    bool   `json:"createproducts"`
			CreateUsers       bool   `json:"createusers"`
			ManageProtect     bool   `json:"manageprotect"`
			Name              string `json:"nameeng"`
			ReadVendorBalance *bool  `json:"readvendorbalance,omitempty"`
		} `json:"role"`
		Settings struct {
			Language int `json:"language"`
		} `json:"settings"`
	} `json:"userdetails"`
}

// baseline is the hand-written client the SDK is measured against: the
// same requests, written with net/http and encoding/json only.
type baseline struct {
	hc   *http.Client
	base string
}

func (c *baseline) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+benchToken)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *baseline) listPage(ctx context.Context, offset, limit int) ([]baseUser, error) {
	url := c.base + "/v1.0/users?sortby=name&direction=asc&offset=" + strconv.Itoa(offset) +
		"&limit=" + strconv.Itoa(limit) + "&archived=false"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		Users []baseUser `json:"users"`
	}
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	return out.Users, nil
}

type baseCreate struct {
	Username        string `json:"username"`
	RoleID          int64  `json:"roleId"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"passwordConfirm"`
	FirstName       string `json:"firstName,omitempty"`
	LastName        string `json:"lastName,omitempty"`
}

func (c *baseline) createRequest(ctx context.Context, in baseCreate) (*http.Request, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/v1.0/users", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

func (c *baseline) create(ctx context.Context, in baseCreate) (*baseUser, error) {
	req, err := c.createRequest(ctx, in)
	if err != nil {
		return nil, err
	}
	var out struct {
		User *baseUser `json:"user"`
	}
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	if out.User == nil {
		return nil, fmt.Errorf("no user element")
	}
	return out.User, nil
}

func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// benchClients returns the four ways of calling srv.
func benchClients(b *testing.B, srv *httptest.Server, opts ...usermgmt.Option) (*baseline, *wire.ClientWithResponses, *vendorusers.Client, *usermgmt.Directory) {
	b.Helper()
	base := &baseline{hc: benchkit.HTTPClient(b), base: srv.URL}
	api, err := wire.NewClientWithResponses(srv.URL, wire.WithHTTPClient(benchkit.HTTPClient(b)),
		wire.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+benchToken)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	c, err := vendorusers.New(vendorusers.Config{BaseURL: srv.URL, Token: benchToken}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	dir, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
	if err != nil {
		b.Fatal(err)
	}
	return base, api, c, dir
}

// BenchmarkCreate measures one createUser call.
func BenchmarkCreate(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: "/v1.0/users", Body: readSample(b, "user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	in := baseCreate{Username: "1111@gmail.com", RoleID: 5, Password: "Eklmn63158515Eklmn",
		PasswordConfirm: "Eklmn63158515Eklmn", FirstName: "My", LastName: "Name"}
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			_, err := base.create(ctx, in)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			first, last := in.FirstName, in.LastName
			resp, err := api.CreateUserWithResponse(ctx, wire.CreateUserRequest{Username: in.Username, RoleID: in.RoleID,
				Password: in.Password, PasswordConfirm: in.PasswordConfirm, FirstName: &first, LastName: &last})
			if err == nil && resp.JSON200 == nil {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.CreateUser(ctx, vendorusers.CreateUserInput{Username: in.Username, RoleID: in.RoleID,
				Password: usermgmt.Secret(in.Password), FirstName: in.FirstName, LastName: in.LastName})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: in.Username,
				Password: usermgmt.Secret(in.Password), FirstName: in.FirstName, LastName: in.LastName})
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.createRequest(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		benchkit.ServerOnly(b, srv, req)
	})
}

// BenchmarkGet measures reading one user: a getUsers page for the
// baseline, the generated and the hand-written clients, and GetUser (which
// walks getUsers) for the facade.
func BenchmarkGet(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodGet, Path: "/v1.0/users", Body: readSample(b, "list_users_response.json")})
	base, api, c, dir := benchClients(b, srv)
	const limit = vendorusers.MaxPageSize
	archived := false
	opts := &vendorusers.ListUsersOptions{Archived: &archived}
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			users, err := base.listPage(ctx, 0, limit)
			if err == nil && len(users) != 1 {
				err = fmt.Errorf("%d users", len(users))
			}
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			sortBy, dir, offset, lim, archived := wire.UserSortFieldName, wire.SortDirectionAsc, 0, limit, false
			resp, err := api.GetUsersWithResponse(ctx, &wire.GetUsersParams{SortBy: &sortBy, Direction: &dir,
				Offset: &offset, Limit: &lim, Archived: &archived})
			if err == nil && (resp.JSON200 == nil || len(resp.JSON200.Users) != 1) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			users, err := c.ListUsersPage(ctx, 0, limit, opts)
			if err == nil && len(users) != 1 {
				err = fmt.Errorf("%d users", len(users))
			}
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.GetUser(ctx, "10026")
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1.0/users?sortby=name&direction=asc&offset=0&limit=100&archived=false", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		benchkit.ServerOnly(b, srv, req)
	})
}

// pageServer is a vendorusers getUsers endpoint over n users that it
// generates page by page as they are asked for: nothing but the page being
// written is held in memory, on the server side too. Before it writes a
// page it calls the hook set with onPage, if any.
type pageServer struct {
	*httptest.Server
	n    int
	hook atomic.Pointer[func()]

	mu  sync.Mutex
	buf []byte
}

func newPageServer(tb testing.TB, n int) *pageServer {
	s := &pageServer{n: n}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// onPage sets the hook called before each page is written (nil for none).
func (s *pageServer) onPage(f func()) {
	if f == nil {
		s.hook.Store(nil)
		return
	}
	s.hook.Store(&f)
}

// queryInt returns the value of the integer parameter name in q, or def.
func queryInt(q, name string, def int) int {
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return def
}

func (s *pageServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/v1.0/users" {
		http.NotFound(w, r)
		return
	}
	if f := s.hook.Load(); f != nil {
		(*f)()
	}
	offset := queryInt(r.URL.RawQuery, "offset", 0)
	limit := queryInt(r.URL.RawQuery, "limit", 100)
	s.mu.Lock()
	defer s.mu.Unlock()
	b := append(s.buf[:0], `{"users":[`...)
	for id := offset; id < min(offset+limit, s.n); id++ {
		if id > offset {
			b = append(b, ',')
		}
		b = appendUser(b, int64(id+1))
	}
	b = append(b, "]}"...)
	s.buf = b
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	_, _ = w.Write(b)
}

// appendUser appends the JSON of user id, in the shape of the documented
// sample.
func appendUser(b []byte, id int64) []byte {
	b = append(b, `{"_id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"confirmed":true,"email":"user`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `@example.com","status":true,"userdetails":{"_id":`...)
	b = strconv.AppendInt(b, 1_000_000+id, 10)
	b = append(b, `,"firstname":"First","lastname":"Last`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `","lastvisitdate":0,"archived":false,"archivationdate":0,"role":{"_id":5,"createorders":false,`+
		`"createproducts":false,"createusers":false,"manageprotect":true,"nameeng":"Developer"},"settings":{"language":0}}}`...)
	return b
}

// BenchmarkIterate walks every user of a listing of 10,000 and of 100,000
// users, in pages of 100. It reports the time per user and, from one more
// untimed walk that forces a collection before each page is served, the
// largest heap (peak-heap-B: live plus everything allocated during one
// page) and the largest live heap (peak-live-B) at any page boundary.
func BenchmarkIterate(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if testing.Short() { // CI runs each benchmark once to keep it working: smaller listings do
		sizes = []int{1_000, 10_000}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			srv := newPageServer(b, n)
			base, _, c, dir := benchClients(b, srv.Server)
			const limit = vendorusers.MaxPageSize
			walks := map[string]func(ctx context.Context) (int, error){
				"baseline": func(ctx context.Context) (int, error) {
					seen := 0
					for offset := 0; ; offset += limit {
						users, err := base.listPage(ctx, offset, limit)
						if err != nil {
							return seen, err
						}
						seen += len(users)
						if len(users) < limit {
							return seen, nil
						}
					}
				},
				"transfer": func(ctx context.Context) (int, error) {
					// Pages fetched and read but not decoded: the floor
					// that the server and net/http set.
					seen := 0
					for offset := 0; ; offset += limit {
						url := srv.URL + "/v1.0/users?offset=" + strconv.Itoa(offset) + "&limit=" + strconv.Itoa(limit)
						req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
						if err != nil {
							return seen, err
						}
						resp, err := base.hc.Do(req)
						if err != nil {
							return seen, err
						}
						k, err := io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if err != nil {
							return seen, err
						}
						if k <= int64(len(`{"users":[]}`)) {
							return seen, nil
						}
						seen += limit
					}
				},
				"client": func(ctx context.Context) (int, error) {
					archived := false
					seen := 0
					for _, err := range c.ListUsers(ctx, &vendorusers.ListUsersOptions{Archived: &archived, PageSize: limit}) {
						if err != nil {
							return seen, err
						}
						seen++
					}
					return seen, nil
				},
				"facade": func(ctx context.Context) (int, error) {
					seen := 0
					for _, err := range dir.ListUsers(ctx, &usermgmt.ListOptions{PageSize: limit}) {
						if err != nil {
							return seen, err
						}
						seen++
					}
					return seen, nil
				},
			}
			for _, name := range []string{"baseline", "transfer", "client", "facade"} {
				walk := walks[name]
				b.Run(name, func(b *testing.B) {
					ctx := context.Background()
					check := func() {
						seen, err := walk(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if name != "transfer" && seen != n {
							b.Fatalf("saw %d users, want %d", seen, n)
						}
					}
					check() // warm up
					b.ReportAllocs()
					for b.Loop() {
						check()
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/user")
					var heap benchkit.HeapSampler
					heap.Begin()
					srv.onPage(heap.Sample)
					check()
					srv.onPage(nil)
					heap.Sample() // after the last page
					heap.Report(b)
				})
			}
			// The walks in turn, for steadier time ratios (see
			// benchkit.Paired); a walk is n users.
			var paired []benchkit.Variant
			for _, name := range []string{"baseline", "client", "facade"} {
				walk := walks[name]
				paired = append(paired, benchkit.Variant{Name: name, Op: func(ctx context.Context) error {
					seen, err := walk(ctx)
					if err == nil && seen != n {
						err = fmt.Errorf("saw %d users, want %d", seen, n)
					}
					return err
				}})
			}
			b.Run("paired", func(b *testing.B) { benchkit.Paired(b, paired) })
		})
	}
}

// slowServer answers createUser with the sample user and getUsers with an
// empty page, each after a fixed latency. It counts the creates, the time
// they were held (a timer fires a little late), and the connections opened
// to it.
type slowServer struct {
	*httptest.Server
	creates, conns, held atomic.Int64

	mu     sync.Mutex
	starts []time.Time // when each create arrived
}

func newSlowServer(tb testing.TB, latency time.Duration) *slowServer {
	user := readSample(tb, "user_response.json")
	s := &slowServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		start := time.Now()
		if r.Method == http.MethodPost {
			s.mu.Lock()
			s.starts = append(s.starts, start)
			s.mu.Unlock()
		}
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1.0/users":
			s.held.Add(int64(time.Since(start)))
			s.creates.Add(1)
			_, _ = w.Write(user)
		case r.Method == http.MethodGet && r.URL.Path == "/v1.0/users":
			_, _ = w.Write([]byte(`{"users":[]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// reset zeroes the counts.
func (s *slowServer) reset() {
	s.mu.Lock()
	s.starts = nil
	s.mu.Unlock()
	s.creates.Store(0)
	s.conns.Store(0)
	s.held.Store(0)
}

// report adds the rate, its fraction of the bound, the mean time the
// server held a create (the latency it really applied), and the
// connections opened.
func (s *slowServer) report(b *testing.B, elapsed time.Duration, bound float64) {
	n := s.creates.Load()
	if n != int64(bulkUsers()) {
		b.Fatalf("%d creates, want %d", n, bulkUsers())
	}
	rate := float64(bulkUsers()) / elapsed.Seconds()
	b.ReportMetric(rate, "users/s")
	b.ReportMetric(rate/bound, "of-bound")
	b.ReportMetric(float64(s.held.Load())/float64(n)/1e6, "held-ms")
	b.ReportMetric(float64(s.conns.Load()), "conns")
}

func provisionInputs(n int) []usermgmt.CreateUserInput {
	in := make([]usermgmt.CreateUserInput, n)
	for i := range in {
		in[i] = usermgmt.CreateUserInput{Username: "user" + strconv.Itoa(i) + "@example.com", Name: "Some One", Password: "Eklmn63158515Eklmn"}
	}
	return in
}

// Bulk provisioning: 2,000 users (200 with -short, as CI runs it to keep it
// working) against a server that takes 20 ms per request. Run with
// -benchtime=1x: one op provisions every user.
func bulkUsers() int {
	if testing.Short() {
		return 200
	}
	return 2000
}

const (
	bulkLatency     = 20 * time.Millisecond
	bulkConcurrency = 32
	bulkRate        = 200
)

// BenchmarkProvision measures usermgmt.Provision through the vendorusers
// facade: at concurrency 32 without a rate limit, where the bound is
// 32 / 20 ms = 1,600 users/s, against a hand-written pool of 32 goroutines
// sending the same creates; and with a rate limit of 200 users/s, where it
// reports the achieved rate and the most starts in any one-second window.
func BenchmarkProvision(b *testing.B) {
	bound := float64(bulkConcurrency) / bulkLatency.Seconds()
	b.Run("concurrency=32/baseline", func(b *testing.B) {
		srv := newSlowServer(b, bulkLatency)
		hc := benchkit.HTTPClient(b)
		base := &baseline{hc: hc, base: srv.URL}
		in := provisionInputs(bulkUsers())
		for b.Loop() {
			srv.reset()
			start := time.Now()
			work := make(chan int)
			errs := make(chan error, bulkConcurrency)
			var wg sync.WaitGroup
			for range bulkConcurrency {
				wg.Go(func() {
					for i := range work {
						if _, err := base.create(context.Background(), baseCreate{Username: in[i].Username, RoleID: 5,
							Password: in[i].Password.Reveal(), PasswordConfirm: in[i].Password.Reveal(), FirstName: "Some", LastName: "One"}); err != nil {
							select {
							case errs <- err:
							default:
							}
						}
					}
				})
			}
			for i := range in {
				work <- i
			}
			close(work)
			wg.Wait()
			elapsed := time.Since(start)
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			srv.report(b, elapsed, bound)
		}
	})
	b.Run("concurrency=32/facade", func(b *testing.B) {
		srv := newSlowServer(b, bulkLatency)
		_, _, _, dir := benchClients(b, srv.Server)
		in := provisionInputs(bulkUsers())
		for b.Loop() {
			srv.reset()
			start := time.Now()
			_, err := usermgmt.Provision(context.Background(), dir, in, &usermgmt.ProvisionOptions{Concurrency: bulkConcurrency})
			elapsed := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			srv.report(b, elapsed, bound)
		}
	})
	b.Run("rate=200/facade", func(b *testing.B) {
		srv := newSlowServer(b, bulkLatency)
		rec := &sendLog{next: benchkit.HTTPClient(b).Transport}
		_, _, _, dir := benchClients(b, srv.Server, usermgmt.WithHTTPClient(&http.Client{Transport: rec}))
		in := provisionInputs(bulkUsers())
		for b.Loop() {
			srv.reset()
			rec.reset()
			start := time.Now()
			_, err := usermgmt.Provision(context.Background(), dir, in, &usermgmt.ProvisionOptions{Concurrency: bulkConcurrency, RateLimit: bulkRate})
			elapsed := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			if n := srv.creates.Load(); n != int64(bulkUsers()) {
				b.Fatalf("%d creates, want %d", n, bulkUsers())
			}
			starts := rec.sent() // when each create was sent
			first, last := starts[0], starts[0]
			for _, t := range starts {
				first, last = minTime(first, t), maxTime(last, t)
			}
			// The first start needs no token: n starts span n-1 intervals.
			b.ReportMetric(float64(len(starts)-1)/last.Sub(first).Seconds(), "starts/s")
			b.ReportMetric(float64(benchkit.MaxInWindow(starts, time.Second)), "max-starts-in-1s")
			b.ReportMetric(float64(bulkUsers())/elapsed.Seconds(), "users/s")
			b.ReportMetric(float64(srv.conns.Load()), "conns")
		}
	})
}

// sendLog records when each create is handed to the network: what the
// rate limit spaces (the arrival at the server adds the network's jitter).
type sendLog struct {
	next  http.RoundTripper
	mu    sync.Mutex
	times []time.Time
}

func (s *sendLog) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost {
		s.mu.Lock()
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
	}
	return s.next.RoundTrip(req)
}

func (s *sendLog) reset() {
	s.mu.Lock()
	s.times = nil
	s.mu.Unlock()
}

func (s *sendLog) sent() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.times)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// BenchmarkRetry compares a getUsers call that succeeds at once with one
// that meets a 503 first and succeeds on its retry (retries without
// delay), and measures the 503 round trip on its own with net/http: the
// difference between retry and once, less that round trip, is what the
// retry machinery itself costs.
func BenchmarkRetry(b *testing.B) {
	page := readSample(b, "list_users_response.json")
	unavailable := []byte(`{"code":1503,"message":"Service Unavailable"}`)
	var hits atomic.Int64
	var flaky atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		if r.URL.Path == "/503" || flaky.Load() && hits.Add(1)%2 == 1 {
			h["Content-Length"] = []string{strconv.Itoa(len(unavailable))}
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write(unavailable)
			return
		}
		h["Content-Length"] = []string{strconv.Itoa(len(page))}
		_, _ = w.Write(page)
	}))
	b.Cleanup(srv.Close)
	_, _, c, _ := benchClients(b, srv, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Nanosecond, MaxDelay: time.Nanosecond}))
	archived := false
	opts := &vendorusers.ListUsersOptions{Archived: &archived}
	list := func(ctx context.Context) error {
		users, err := c.ListUsersPage(ctx, 0, vendorusers.MaxPageSize, opts)
		if err == nil && len(users) != 1 {
			err = fmt.Errorf("%d users", len(users))
		}
		return err
	}
	b.Run("once", func(b *testing.B) {
		flaky.Store(false)
		benchkit.Loop(b, list)
	})
	b.Run("retry", func(b *testing.B) {
		flaky.Store(true)
		hits.Store(0)
		benchkit.Loop(b, list)
		flaky.Store(false)
	})
	b.Run("roundtrip-503", func(b *testing.B) {
		hc := benchkit.HTTPClient(b)
		benchkit.Loop(b, func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/503", nil)
			if err != nil {
				return err
			}
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		})
	})
}

// BenchmarkBuildRequest measures building the getUsers request alone, no
// network: by hand, and with the generated builder that the wire client
// (and so every layer above it) uses. It shows what the generated code
// adds to each call.
func BenchmarkBuildRequest(b *testing.B) {
	const server = "http://127.0.0.1:8080"
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			_, err := http.NewRequestWithContext(ctx, http.MethodGet, server+"/v1.0/users?sortby=name&direction=asc&offset="+
				strconv.Itoa(200)+"&limit="+strconv.Itoa(100)+"&archived=false", nil)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			sortBy, dir, offset, limit, archived := wire.UserSortFieldName, wire.SortDirectionAsc, 200, 100, false
			req, err := wire.NewGetUsersRequest(server, &wire.GetUsersParams{SortBy: &sortBy, Direction: &dir,
				Offset: &offset, Limit: &limit, Archived: &archived})
			if err == nil {
				_ = req.WithContext(ctx)
			}
			return err
		}},
	})
}
