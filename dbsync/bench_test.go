package dbsync_test

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

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/internal/wire"
	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The benchmarks compare, against the same loopback server in the same
// run, a hand-written baseline (net/http and encoding/json), the generated
// wire client, the hand-written Client and the Directory facade. See
// BENCHMARKS.md at the repository root.

const (
	benchKey     = "bench-app-key-0123456789"
	benchToken   = "bench-app-token-0123456789"
	benchCompany = "Acme Corp"
	benchName    = "jdoe@acme.example"
)

// benchItem is a result item as a hand-written client would declare it.
type benchItem struct {
	CompanyID     string   `json:"companyId"`
	CompanyName   string   `json:"companyName"`
	UserID        string   `json:"userId"`
	UserName      string   `json:"userName"`
	LicenseStatus string   `json:"licenseStatus"`
	LicenseType   string   `json:"licenseType"`
	ExpiryDate    string   `json:"expiryDate"`
	ErrorMessage  []string `json:"errorMessage"`
}

type benchRequest struct {
	PartnerAppKey   string `json:"partnerAppKey"`
	PartnerAppToken string `json:"partnerAppToken"`
	EndUserCompany  string `json:"endUserCompany"`
	EndUserName     string `json:"endUserName"`
}

// benchBaseline is the hand-written client the SDK is measured against:
// the same requests, written with net/http and encoding/json only.
type benchBaseline struct {
	hc   *http.Client
	base string
}

func (c *benchBaseline) request(ctx context.Context, path string) (*http.Request, error) {
	body, err := json.Marshal(benchRequest{PartnerAppKey: benchKey, PartnerAppToken: benchToken, EndUserCompany: benchCompany, EndUserName: benchName})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// call sends one request and returns its items, failing on an item that
// carries error messages.
func (c *benchBaseline) call(ctx context.Context, path string) ([]benchItem, error) {
	req, err := c.request(ctx, path)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out struct {
		Value []benchItem `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	for _, it := range out.Value {
		if len(it.ErrorMessage) > 0 {
			return nil, fmt.Errorf("%v", it.ErrorMessage)
		}
	}
	return out.Value, nil
}

func benchSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchClients(b *testing.B, srv *httptest.Server) (*benchBaseline, *wire.ClientWithResponses, *dbsync.Client, *usermgmt.Directory) {
	b.Helper()
	base := &benchBaseline{hc: benchkit.HTTPClient(b), base: srv.URL}
	api, err := wire.NewClientWithResponses(srv.URL, wire.WithHTTPClient(benchkit.HTTPClient(b)))
	if err != nil {
		b.Fatal(err)
	}
	c, err := dbsync.New(dbsync.Config{BaseURL: srv.URL, PartnerAppKey: benchKey, PartnerAppToken: benchToken})
	if err != nil {
		b.Fatal(err)
	}
	dir, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: benchCompany})
	if err != nil {
		b.Fatal(err)
	}
	return base, api, c, dir
}

// BenchmarkCreate measures one registerUser call.
func BenchmarkCreate(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: "/registerUser", Body: benchSample(b, "register_response.json")})
	base, api, c, dir := benchClients(b, srv)
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			_, err := base.call(ctx, "/registerUser")
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			resp, err := api.RegisterUserWithResponse(ctx, wire.RegisterUserRequest{PartnerAppKey: benchKey,
				PartnerAppToken: benchToken, EndUserCompany: benchCompany, EndUserName: benchName})
			if err == nil && (resp.JSON200 == nil || len(resp.JSON200.Value) != 1) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.RegisterUser(ctx, dbsync.EndUser{Company: benchCompany, UserName: benchName})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: benchName})
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), "/registerUser")
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// BenchmarkGet measures reading one user: licenseDetails filtered by
// company and user name (GetUser for the facade).
func BenchmarkGet(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: "/licenseDetails", Body: benchSample(b, "license_details_response.json")})
	base, api, c, dir := benchClients(b, srv)
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			_, err := base.call(ctx, "/licenseDetails")
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			resp, err := api.LicenseDetailsWithResponse(ctx, wire.LicenseDetailsRequest{PartnerAppKey: benchKey,
				PartnerAppToken: benchToken, EndUserCompany: benchCompany, EndUserName: benchName})
			if err == nil && (resp.JSON200 == nil || len(resp.JSON200.Value) != 2) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.LicenseDetails(ctx, dbsync.LicenseFilter{Company: benchCompany, UserName: benchName})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.GetUser(ctx, benchName)
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), "/licenseDetails")
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// TestLicenseExtraMatchesTwoPassDecoding checks the single-pass decoding of
// License (which looks for unmodelled members by scanning names) against
// the decoding it replaces: into the struct, then into a map for Extra.
func TestLicenseExtraMatchesTwoPassDecoding(t *testing.T) {
	t.Parallel()
	known := []string{"companyId", "companyName", "userId", "userName", "licenseStatus", "licenseType", "expiryDate", "errorMessage"}
	reference := func(b []byte) (map[string]json.RawMessage, error) {
		var all map[string]json.RawMessage
		if err := json.Unmarshal(b, &all); err != nil {
			return nil, err
		}
		for _, k := range known {
			delete(all, k)
		}
		if len(all) == 0 {
			return nil, nil
		}
		return all, nil
	}
	for _, in := range []string{
		`{"companyId":"1","userName":"a","errorMessage":[]}`,
		` { "companyId" : "1" , "userName" : "a\"}," , "errorMessage" : [ "x", "]}" ] } `,
		"{\n\t\"companyId\":\"1\",\r\n\"more\":[[],{}],\"userId\":\"3\"}",
		`{}`,
		`{"companyId":"1","seats":3}`,
		`{"seats":{"a":[1,{"b":"}"}]},"userId":"2"}`,
		`{"UserName":"case differs"}`,
		`{"user\u004eame":"escaped name"}`,
		`{"userName":"a","userName":"b"}`,
		`{"expiryDate":null,"licenseStatus":"ok","licenseType":null,"n":12.5e3,"t":true}`,
		`{"companyName":"x","extra":null}`,
	} {
		var l dbsync.License
		if err := json.Unmarshal([]byte(in), &l); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		want, err := reference([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(l.Extra) != fmt.Sprint(want) {
			t.Errorf("%s: Extra = %s, want %s", in, l.Extra, want)
		}
	}
}
