package bss_test

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

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/internal/wire"
	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The benchmarks compare, against the same loopback server in the same
// run, a hand-written baseline (net/http and encoding/json), the generated
// wire client, the hand-written Client and the Directory facade. See
// BENCHMARKS.md at the repository root.

const (
	benchKey       = "bench-api-key-0123456789"
	benchID        = "5f1b2c3d4e5f6a7b8c9d0e1f"
	benchUsersPath = "/api/user/management/v4/users"
)

// benchUser is a user as a hand-written client would declare it.
type benchUser struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	UserFlags      []string `json:"user_flags"`
	ContactDetails struct {
		Email     string `json:"email"`
		Telephone string `json:"telephone_number_E123"`
	} `json:"contact_details"`
	Registration struct {
		State string `json:"registration_state"`
		Time  int64  `json:"registration_time"`
	} `json:"registration_information"`
	ExternalID     string `json:"external_id"`
	DefaultProfile struct {
		ID string `json:"id"`
	} `json:"default_user_profile"`
	Meta struct {
		Security map[string]any `json:"security"`
	} `json:"meta"`
}

type benchCreateBody struct {
	Name           string `json:"name"`
	ContactDetails struct {
		Email string `json:"email"`
	} `json:"contact_details"`
	Registration struct {
		State string `json:"registration_state"`
	} `json:"registration_information"`
	Meta struct {
		Security struct {
			Password string `json:"user_password"`
		} `json:"security"`
	} `json:"meta"`
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
	req.Header.Set("Authorization", "Apikey "+benchKey)
	return req, nil
}

func (c *benchBaseline) user(req *http.Request) (*benchUser, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var u benchUser
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil {
		return nil, err
	}
	return &u, nil
}

func benchSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchClients(b *testing.B, srv *httptest.Server) (*benchBaseline, *wire.ClientWithResponses, *bss.Client, *usermgmt.Directory) {
	b.Helper()
	base := &benchBaseline{hc: benchkit.HTTPClient(b), base: srv.URL}
	api, err := wire.NewClientWithResponses(srv.URL, wire.WithHTTPClient(benchkit.HTTPClient(b)),
		wire.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Apikey "+benchKey)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	c, err := bss.New(bss.Config{BaseURL: srv.URL, APIKey: benchKey})
	if err != nil {
		b.Fatal(err)
	}
	dir, err := bss.NewDirectory(c, bss.DirectoryConfig{})
	if err != nil {
		b.Fatal(err)
	}
	return base, api, c, dir
}

// BenchmarkCreate measures one createUser call.
func BenchmarkCreate(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: benchUsersPath, Status: http.StatusCreated, Body: benchSample(b, "create_user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	var in benchCreateBody
	in.Name, in.ContactDetails.Email, in.Registration.State, in.Meta.Security.Password = "Jane Doe", "jane.doe@example.com", "REGISTERED", "change-me"
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			req, err := base.request(ctx, http.MethodPost, benchUsersPath, in)
			if err != nil {
				return err
			}
			_, err = base.user(req)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			name, email, state, pw := in.Name, in.ContactDetails.Email, wire.RegistrationState(in.Registration.State), in.Meta.Security.Password
			resp, err := api.CreateUserWithResponse(ctx, wire.CreateUserRequest{Name: &name, ContactDetails: &wire.ContactDetails{Email: &email},
				RegistrationInformation: &wire.RegistrationInformationInput{RegistrationState: &state},
				Meta:                    &wire.UserMetaInput{Security: &wire.UserSecurityInput{UserPassword: &pw}}})
			if err == nil && resp.JSON201 == nil {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.CreateUser(ctx, bss.CreateUserInput{Name: in.Name, Email: in.ContactDetails.Email,
				RegistrationState: bss.Registered, Password: usermgmt.Secret(in.Meta.Security.Password)})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Name: in.Name, Email: in.ContactDetails.Email,
				Password: usermgmt.Secret(in.Meta.Security.Password)})
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodPost, benchUsersPath, in)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// BenchmarkGet measures one getUserById call.
func BenchmarkGet(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodGet, Path: benchUsersPath + "/" + benchID, Body: benchSample(b, "get_user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			req, err := base.request(ctx, http.MethodGet, benchUsersPath+"/"+benchID, nil)
			if err != nil {
				return err
			}
			_, err = base.user(req)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			resp, err := api.GetUserByIDWithResponse(ctx, benchID)
			if err == nil && resp.JSON200 == nil {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.GetUser(ctx, benchID)
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.GetUser(ctx, benchID)
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodGet, benchUsersPath+"/"+benchID, nil)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}
