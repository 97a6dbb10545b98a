package syncari_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// seedUser is the user of the seed's response samples, as the SDK decodes it.
func seedUser() syncari.User {
	roles := []string{"Sync Manager", "Org Admin", "Instance Admin", "Viewer"}
	return syncari.User{
		ID:           "62789f7daa9138df5bc688f5",
		Email:        "newuser@syncari.com",
		FirstName:    "New",
		LastName:     "User",
		Status:       syncari.StatusActive,
		APIUser:      true,
		ClientID:     "Scb_pimGAcN4CLOvmaSyBuH0Udw",
		ClientSecret: "LXBCd4PXLH_9Mp9tBRRjxPDz0aFCH8_SiEW8V6Ena-o",
		Roles:        syncari.Roles{"RR0VPW": roles, "YUBV99": roles},
		CreatedBy:    "61e2a0f134a0f06932046bab",
		CreatedAt:    time.Date(2022, 5, 9, 4, 58, 37, 259e6, time.UTC),
		UpdatedBy:    "61e2a0f134a0f06932046bab",
		UpdatedAt:    time.Date(2022, 5, 9, 4, 58, 37, 653e6, time.UTC),
	}
}

// cmpUsers compares users, times by instant and secrets by value.
var cmpUsers = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b usermgmt.Secret) bool { return a.Reveal() == b.Reveal() }),
}

// checkCommonHeaders checks what every Syncari call carries.
func checkCommonHeaders(t *testing.T, r usermgmttest.Request) {
	t.Helper()
	if got := r.Header.Get("Authorization"); !strings.HasPrefix(got, "Bearer tok_") {
		t.Errorf("%s: Authorization = %q, want a bearer token issued by the fake", r.Operation, got)
	}
	if got := r.Header.Get("syncariId"); got != syncaritest.InstanceID {
		t.Errorf("%s: syncariId = %q, want %q", r.Operation, got, syncaritest.InstanceID)
	}
	if got := r.Header.Get("clientRequestId"); !uuidRE.MatchString(got) {
		t.Errorf("%s: clientRequestId = %q, want a UUID", r.Operation, got)
	}
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "usermgmt-go/") {
		t.Errorf("%s: User-Agent = %q", r.Operation, got)
	}
}

// only returns the journal entries of one operation.
func only(srv *syncaritest.Server, op string) []usermgmttest.Request {
	var out []usermgmttest.Request
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

func TestCreateUserSendsTheSeedRequest(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	var seedReq map[string]any
	readJSON(t, "create_user_request.json", &seedReq)

	in := syncari.CreateUserInput{
		Email: "newuser@syncari.com", FirstName: "New", LastName: "User", APIUser: true,
		Roles: syncari.Roles{
			"YUBV99": {"Sync Manager", "Org Admin", "Instance Admin", "Viewer"},
			"RR0VPW": {"Sync Manager", "Org Admin", "Instance Admin", "Viewer"},
		},
	}
	before := fmt.Sprintf("%#v", in)
	got, err := c.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%#v", in); after != before {
		t.Errorf("CreateUser modified its input:\n%s\n%s", before, after)
	}

	reqs := only(srv, "createUser")
	if len(reqs) != 1 {
		t.Fatalf("createUser requests = %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/api/v1/users" {
		t.Errorf("sent %s %s, want POST /api/v1/users", r.Method, r.Path)
	}
	checkCommonHeaders(t, r)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var sent map[string]any
	if err := json.Unmarshal(r.Body, &sent); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(seedReq, sent); diff != "" {
		t.Errorf("body differs from the seed's request sample (-seed +sent):\n%s", diff)
	}

	want := srv.Users()[0]
	if diff := cmp.Diff(&want, got, cmpUsers); diff != "" {
		t.Errorf("result differs from the stored user (-want +got):\n%s", diff)
	}
	if got.Email != in.Email || !got.APIUser || got.ClientSecret.IsZero() || got.Status != syncari.StatusActive {
		t.Errorf("unexpected result %+v", got)
	}
}

func TestSeedResponseSamplesDecodeAndRoundTrip(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"create_user_response.json", "list_users_response.json"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			var env struct {
				Result json.RawMessage `json:"result"`
			}
			readJSON(t, file, &env)
			var users []syncari.User
			if file == "create_user_response.json" {
				var u syncari.User
				if err := json.Unmarshal(env.Result, &u); err != nil {
					t.Fatal(err)
				}
				users = []syncari.User{u}
			} else if err := json.Unmarshal(env.Result, &users); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]syncari.User{seedUser()}, users, cmpUsers); diff != "" {
				t.Fatalf("decoded sample differs (-want +got):\n%s", diff)
			}
			b, err := json.Marshal(users)
			if err != nil {
				t.Fatal(err)
			}
			var again []syncari.User
			if err := json.Unmarshal(b, &again); err != nil {
				t.Fatal(err)
			}
			// A Secret encodes as "[REDACTED]" by design; everything else
			// survives the round trip.
			if again[0].ClientSecret.Reveal() != "[REDACTED]" || strings.Contains(string(b), users[0].ClientSecret.Reveal()) {
				t.Errorf("clientSecret encoded as %q", again[0].ClientSecret.Reveal())
			}
			again[0].ClientSecret = users[0].ClientSecret
			if diff := cmp.Diff(users, again, cmpUsers); diff != "" {
				t.Errorf("round trip changed the users (-first +second):\n%s", diff)
			}
		})
	}
}

func TestListUsersReturnsTheSeedUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(seedUser())
	got, err := usermgmt.Collect(c.ListUsers(context.Background(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]syncari.User{seedUser()}, got, cmpUsers); diff != "" {
		t.Errorf("ListUsers (-want +got):\n%s", diff)
	}
	reqs := only(srv, "getUsers")
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/api/v1/users" || len(reqs[0].Body) != 0 {
		t.Fatalf("requests = %+v, want one GET /api/v1/users without body", reqs)
	}
	if got, ok := reqs[0].Query["limit"]; ok {
		t.Errorf("limit = %q; want none: the parameter is assumed, sent only when a page size is asked for", got)
	}
	checkCommonHeaders(t, reqs[0])
}

func TestListUsersFollowsCursors(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, []syncaritest.Option{syncaritest.WithPageSize(2)})
	for i := range 5 {
		srv.AddUser(syncari.User{Email: fmt.Sprintf("u%d@example.com", i)})
	}
	var emails []string
	for u, err := range c.ListUsers(context.Background(), &syncari.ListUsersOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, u.Email)
	}
	want := []string{"u0@example.com", "u1@example.com", "u2@example.com", "u3@example.com", "u4@example.com"}
	if diff := cmp.Diff(want, emails); diff != "" {
		t.Errorf("emails (-want +got):\n%s", diff)
	}
	reqs := only(srv, "getUsers")
	if got := reqs[0].Query.Get("limit"); got != "2" {
		t.Errorf("limit = %q, want 2", got)
	}
	var cursors []string
	for _, r := range reqs {
		cursors = append(cursors, r.Query.Get("cursorToken"))
	}
	if diff := cmp.Diff([]string{"", "c2", "c4"}, cursors); diff != "" {
		t.Errorf("cursors sent (-want +got):\n%s", diff)
	}

	// Breaking out early stops fetching.
	srv.ResetJournal()
	for range c.ListUsers(context.Background(), &syncari.ListUsersOptions{PageSize: 2}) {
		break
	}
	if n := srv.Count("getUsers"); n != 1 {
		t.Errorf("breaking after the first user made %d requests, want 1", n)
	}
	if got := srv.Requests()[0].Query.Get("limit"); got != "2" {
		t.Errorf("limit = %q, want 2", got)
	}
}

func TestDeactivateAndActivate(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	u := srv.AddUser(seedUser())
	ctx := context.Background()
	for _, step := range []struct {
		op   string
		call func(context.Context, string) (*syncari.User, error)
		want syncari.Status
	}{
		{"deactivateUser", c.DeactivateUser, syncari.StatusInactive},
		{"activateUser", c.ActivateUser, syncari.StatusActive},
	} {
		got, err := step.call(ctx, u.ID)
		if err != nil {
			t.Fatalf("%s: %v", step.op, err)
		}
		if got.Status != step.want || got.ID != u.ID || got.Email != u.Email {
			t.Errorf("%s: got %+v, want status %s", step.op, got, step.want)
		}
		if stored := srv.Users()[0]; stored.Status != step.want {
			t.Errorf("%s: stored status %s, want %s", step.op, stored.Status, step.want)
		}
		reqs := only(srv, step.op)
		if len(reqs) != 1 {
			t.Fatalf("%s: %d requests", step.op, len(reqs))
		}
		r := reqs[0]
		wantPath := "/api/v1/users/" + u.ID + "/" + strings.TrimSuffix(step.op, "User")
		if r.Method != http.MethodGet || r.Path != wantPath {
			t.Errorf("%s: sent %s %s, want GET %s", step.op, r.Method, r.Path, wantPath)
		}
		checkCommonHeaders(t, r)
	}
}

func TestUnknownUserIsErrNotFound(t *testing.T) {
	t.Parallel()
	_, c := setup(t, nil)
	_, err := c.DeactivateUser(context.Background(), "missing")
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrNotFound) || !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an APIError matching ErrNotFound", err)
	}
	if apiErr.StatusCode != 404 || apiErr.Operation != "deactivateUser" || apiErr.Provider != "syncari" || apiErr.Message == "" {
		t.Errorf("APIError = %+v", apiErr)
	}
}

func TestDuplicateEmailIsErrConflict(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(seedUser())
	_, err := c.CreateUser(context.Background(), syncari.CreateUserInput{Email: seedUser().Email})
	if !errors.Is(err, usermgmt.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if len(srv.Users()) != 1 {
		t.Errorf("users = %d, want 1", len(srv.Users()))
	}
}

func TestInvalidInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	calls := map[string]func() error{
		"empty email": func() error { _, err := c.CreateUser(ctx, syncari.CreateUserInput{}); return err },
		"malformed email": func() error {
			_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "Joe <joe@x.io>"})
			return err
		},
		"empty role name": func() error {
			_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "a@x.io", Roles: syncari.Roles{"I": {""}}})
			return err
		},
		"empty id":           func() error { _, err := c.DeactivateUser(ctx, ""); return err },
		"id with slash":      func() error { _, err := c.ActivateUser(ctx, "a/../b"); return err },
		"dot-dot id":         func() error { _, err := c.ActivateUser(ctx, ".."); return err },
		"id with query":      func() error { _, err := c.ActivateUser(ctx, "a?b=c"); return err },
		"nil roles":          func() error { _, err := c.SetUserRoles(ctx, "u1", nil); return err },
		"empty role id":      func() error { _, err := c.RemoveUserRole(ctx, "u1", ""); return err },
		"negative page size": func() error { _, err := c.ListUsersPage(ctx, "", &syncari.ListUsersOptions{PageSize: -1}); return err },
	}
	for name, call := range calls {
		err := call()
		var in *usermgmt.InputError
		if !errors.Is(err, usermgmt.ErrInvalidInput) || !errors.As(err, &in) || in.Field == "" {
			t.Errorf("%s: err = %v, want an InputError naming the field", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent for invalid input", n)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tests := map[string]syncari.Config{
		"no credentials":       {},
		"secret without id":    {ClientSecret: "s"},
		"id without secret":    {ClientID: "id"},
		"both kinds":           {ClientID: "id", ClientSecret: "s", Token: "t"},
		"insecure base URL":    {BaseURL: "http://api.syncari.com", Token: "t"},
		"credentials in URL":   {BaseURL: "https://u:p@api.syncari.com", Token: "t"},
		"unparseable base URL": {BaseURL: "://", Token: "t"},
		"no instance":          {Token: "t"},
	}
	for name, cfg := range tests {
		if _, err := syncari.New(cfg); !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := syncari.New(syncari.Config{Token: "t", InstanceID: "YUBV99"}); err != nil {
		t.Errorf("static token with the default base URL: %v", err)
	}
	if _, err := syncari.New(syncari.Config{Token: "t", InstanceID: "YUBV99"}, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: -1})); err == nil {
		t.Error("a negative MaxAttempts was accepted")
	}
}

func TestStaticToken(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	c, err := syncari.New(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	static, err := syncari.New(syncari.Config{BaseURL: srv.URL, Token: tok.AccessToken, InstanceID: "RR0VPW"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := static.ListRoles(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := only(srv, "getRoles")[0]
	if r.Header.Get("Authorization") != "Bearer "+tok.AccessToken.Reveal() || r.Header.Get("syncariId") != "RR0VPW" {
		t.Errorf("headers = %v", r.Header)
	}
	if n := srv.TokensIssued(); n != 1 {
		t.Errorf("tokens issued = %d, want 1", n)
	}
}

func TestWithInstanceIDOverridesPerClientView(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	other := c.WithInstanceID("RR0VPW")
	if _, err := other.ListRoles(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListRoles(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "getRoles")
	if reqs[0].Header.Get("syncariId") != "RR0VPW" || reqs[1].Header.Get("syncariId") != syncaritest.InstanceID {
		t.Errorf("syncariId = %q then %q", reqs[0].Header.Get("syncariId"), reqs[1].Header.Get("syncariId"))
	}
	if srv.TokensIssued() != 1 {
		t.Errorf("the two views fetched %d tokens, want 1 shared", srv.TokensIssued())
	}
}

func TestCreateRetriedWithOneKeyCreatesOneUser(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "createUser", Status: 503, Times: 2})
	u, err := c.CreateUser(context.Background(), syncari.CreateUserInput{Email: "a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "createUser")
	var statuses []int
	keys := map[string]bool{}
	for _, r := range reqs {
		statuses = append(statuses, r.Status)
		keys[r.Header.Get("clientRequestId")] = true
	}
	if diff := cmp.Diff([]int{503, 503, 201}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if len(keys) != 1 {
		t.Errorf("the three attempts sent %d different keys, want 1", len(keys))
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != u.ID {
		t.Errorf("stored users = %+v, want exactly the one returned", users)
	}
}

func TestKeysPerLogicalCall(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: "b@example.com"}); err != nil {
		t.Fatal(err)
	}
	keyed := usermgmt.WithIdempotencyKey(ctx, "caller-key-1")
	if _, err := c.CreateUser(keyed, syncari.CreateUserInput{Email: "c@example.com"}); err != nil {
		t.Fatal(err)
	}
	// The same caller key again is the same logical create: no new user.
	again, err := c.CreateUser(keyed, syncari.CreateUserInput{Email: "c@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "createUser")
	k := func(i int) string { return reqs[i].Header.Get("clientRequestId") }
	if k(0) == k(1) {
		t.Errorf("two logical calls sent the same key %q", k(0))
	}
	if k(2) != "caller-key-1" || k(3) != "caller-key-1" {
		t.Errorf("caller's key sent as %q and %q, want it verbatim", k(2), k(3))
	}
	if n := len(srv.Users()); n != 3 {
		t.Errorf("users = %d, want 3", n)
	}
	if again.Email != "c@example.com" {
		t.Errorf("repeated key returned %+v, want the first result", again)
	}
}

func TestCreateDroppedAfterStoreIsRetriedWithItsKey(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
	u, err := c.CreateUser(context.Background(), syncari.CreateUserInput{Email: "drop@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := only(srv, "createUser")
	if len(reqs) != 2 || reqs[0].Status != 0 || reqs[0].Header.Get("clientRequestId") != reqs[1].Header.Get("clientRequestId") {
		t.Fatalf("journal = %+v; want a dropped attempt then a retry with the same key", reqs)
	}
	if users := srv.Users(); len(users) != 1 || users[0].ID != u.ID {
		t.Errorf("stored users = %+v, want one", users)
	}
}

func TestRetryAfterAboveTheCapIsErrRateLimited(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 429, RetryAfter: "120"})
	start := time.Now()
	_, err := c.ListRoles(context.Background())
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter != 2*time.Minute {
		t.Fatalf("err = %#v, want ErrRateLimited with RetryAfter 2m", err)
	}
	// 10s tells an answer at once from a wait of the two minutes asked,
	// with a margin a loaded machine under -race keeps.
	if time.Since(start) > 10*time.Second || srv.Count("getRoles") != 1 {
		t.Errorf("made %d requests in %v; want one, at once", srv.Count("getRoles"), time.Since(start))
	}
}

// firstStatus is a RoundTripper that signals the first response with a
// given status; it also proves the caller's *http.Client is used.
type firstStatus struct {
	status int
	once   sync.Once
	seen   chan struct{}
}

func (f *firstStatus) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && resp.StatusCode == f.status {
		f.once.Do(func() { close(f.seen) })
	}
	return resp, err
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	rt := &firstStatus{status: 503, seen: make(chan struct{})}
	srv, c := setup(t, nil, usermgmt.WithRetry(usermgmt.RetryPolicy{MaxDelay: time.Minute}),
		usermgmt.WithHTTPClient(&http.Client{Transport: rt}))
	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getRoles", Status: 503, RetryAfter: "30"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListRoles(ctx)
		done <- err
	}()
	<-rt.seen // the first attempt failed; the client now waits 30s
	cancelled := time.Now()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// 10s tells a call that stopped waiting from one that slept the 30s
	// backoff out, with a margin a loaded machine under -race keeps.
	if d := time.Since(cancelled); d > 10*time.Second {
		t.Errorf("returned %v after cancel, want well before the 30s backoff ends", d)
	}
	if n := srv.Count("getRoles"); n != 1 {
		t.Errorf("getRoles requests = %d, want 1", n)
	}
}

func TestTokenFetchedOnceForConcurrentCalls(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListRoles(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Count("getToken"); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
	if n := srv.Count("getRoles"); n != 50 {
		t.Errorf("getRoles requests = %d, want 50", n)
	}
}

func TestExpiredTokenIsRefreshedOnce(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	ctx := context.Background()
	if _, err := c.ListRoles(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if _, err := c.ListRoles(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	var statuses []int
	for _, r := range only(srv, "getRoles") {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{200, 401, 200}, statuses); diff != "" {
		t.Errorf("getRoles statuses (-want +got):\n%s", diff)
	}
	if n := srv.Count("getToken"); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

func TestWrongCredentialsAreErrUnauthorized(t *testing.T) {
	t.Parallel()
	srv := syncaritest.NewServer()
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.ClientSecret = "wrong"
	c, err := syncari.New(cfg, fastRetries())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListRoles(context.Background())
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Operation != "getToken" {
		t.Fatalf("err = %v, want ErrUnauthorized from getToken", err)
	}
	if srv.Count("getRoles") != 0 {
		t.Error("the call was sent without a token")
	}
}
