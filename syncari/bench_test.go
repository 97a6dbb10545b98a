package syncari_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/internal/wire"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The benchmarks compare, against the same loopback server in the same
// run, a hand-written baseline (net/http and encoding/json), the generated
// wire client, the hand-written Client and the Directory facade. See
// BENCHMARKS.md at the repository root. The clients use a static bearer
// token, so no call fetches one.

const (
	benchToken    = "bench-token-0123456789"
	benchInstance = "YUBV99"
)

// benchUser is a user as a hand-written client would declare it.
type benchUser struct {
	ID           string              `json:"id"`
	Email        string              `json:"email"`
	FirstName    string              `json:"firstName"`
	LastName     string              `json:"lastName"`
	Status       string              `json:"status"`
	APIUser      bool                `json:"apiUser"`
	ClientID     string              `json:"clientId"`
	ClientSecret string              `json:"clientSecret"`
	Roles        map[string][]string `json:"userRoles"`
	CreatedBy    string              `json:"createdBy"`
	CreatedAt    string              `json:"createdAt"`
	UpdatedBy    string              `json:"updatedBy"`
	UpdatedAt    string              `json:"updatedAt"`
}

type benchCreateBody struct {
	Email     string `json:"email"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	IsAPIUser bool   `json:"isApiUser"`
}

// benchBaseline is the hand-written client the SDK is measured against:
// the same requests, written with net/http and encoding/json only.
type benchBaseline struct {
	hc   *http.Client
	base string
}

func (c *benchBaseline) request(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("syncariId", benchInstance)
	req.Header.Set("clientRequestId", uuid.NewString())
	return req, nil
}

func (c *benchBaseline) do(req *http.Request, out any) error {
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

func (c *benchBaseline) create(ctx context.Context, in benchCreateBody) (*benchUser, error) {
	req, err := c.request(ctx, http.MethodPost, "/api/v1/users", in)
	if err != nil {
		return nil, err
	}
	var out struct {
		Success bool      `json:"success"`
		Result  benchUser `json:"result"`
	}
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	if !out.Success {
		return nil, fmt.Errorf("success: false")
	}
	return &out.Result, nil
}

func (c *benchBaseline) list(ctx context.Context) ([]benchUser, error) {
	req, err := c.request(ctx, http.MethodGet, "/api/v1/users", nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		Success bool        `json:"success"`
		Result  []benchUser `json:"result"`
	}
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	if !out.Success {
		return nil, fmt.Errorf("success: false")
	}
	return out.Result, nil
}

func benchSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchClients(b *testing.B, srv *httptest.Server) (*benchBaseline, *wire.ClientWithResponses, *syncari.Client, *usermgmt.Directory) {
	b.Helper()
	base := &benchBaseline{hc: benchkit.HTTPClient(b), base: srv.URL}
	api, err := wire.NewClientWithResponses(srv.URL, wire.WithHTTPClient(benchkit.HTTPClient(b)),
		wire.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+benchToken)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	c, err := syncari.New(syncari.Config{BaseURL: srv.URL, Token: benchToken, InstanceID: benchInstance})
	if err != nil {
		b.Fatal(err)
	}
	dir, err := syncari.NewDirectory(c, syncari.DirectoryConfig{})
	if err != nil {
		b.Fatal(err)
	}
	return base, api, c, dir
}

// BenchmarkCreate measures one createUser call.
func BenchmarkCreate(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: "/api/v1/users", Body: benchSample(b, "create_user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	in := benchCreateBody{Email: "newuser@syncari.com", FirstName: "New", LastName: "User"}
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			_, err := base.create(ctx, in)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			inst, key, first, last, apiUser := benchInstance, uuid.NewString(), in.FirstName, in.LastName, false
			resp, err := api.CreateUserWithResponse(ctx, &wire.CreateUserParams{SyncariID: &inst, ClientRequestID: &key},
				wire.CreateUserRequest{Email: in.Email, FirstName: &first, LastName: &last, IsAPIUser: &apiUser})
			if err == nil && (resp.JSON200 == nil || !resp.JSON200.Success) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName})
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodPost, "/api/v1/users", in)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// BenchmarkGet measures reading one user: a getUsers page (the API has no
// get by id) for the baseline, the generated and the hand-written clients,
// and GetUser (which walks getUsers) for the facade.
func BenchmarkGet(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodGet, Path: "/api/v1/users", Body: benchSample(b, "list_users_response.json")})
	base, api, c, dir := benchClients(b, srv)
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			users, err := base.list(ctx)
			if err == nil && len(users) != 1 {
				err = fmt.Errorf("%d users", len(users))
			}
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			inst, key := benchInstance, uuid.NewString()
			resp, err := api.GetUsersWithResponse(ctx, &wire.GetUsersParams{SyncariID: &inst, ClientRequestID: &key})
			if err == nil && (resp.JSON200 == nil || len(resp.JSON200.Result) != 1) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			page, err := c.ListUsersPage(ctx, "", nil)
			if err == nil && len(page.Users) != 1 {
				err = fmt.Errorf("%d users", len(page.Users))
			}
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.GetUser(ctx, "62789f7daa9138df5bc688f5")
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodGet, "/api/v1/users", nil)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}
