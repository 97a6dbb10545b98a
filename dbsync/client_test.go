package dbsync_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestNewBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  dbsync.Config
		opts []usermgmt.Option
		want string
	}{
		{"staging", dbsync.Config{Environment: dbsync.Staging}, nil, "https://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner"},
		{"environment and version", dbsync.Config{Environment: "prod1", Version: "appcenter-3-1"}, nil,
			"https://prod1.mydbsync.com/appcenter-3-1/appcode/v2/partner"},
		{"environment only", dbsync.Config{Environment: "qa"}, nil, "https://qa.mydbsync.com/appcenter-2-2/appcode/v2/partner"},
		{"whole URL", dbsync.Config{BaseURL: "https://dbsync.example/x/appcode/v2/partner/"}, nil,
			"https://dbsync.example/x/appcode/v2/partner"},
		{"loopback http", dbsync.Config{BaseURL: "http://127.0.0.1:8080/p"}, nil, "http://127.0.0.1:8080/p"},
		{"insecure allowed", dbsync.Config{BaseURL: "http://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner"},
			[]usermgmt.Option{usermgmt.WithInsecureHTTP()}, "http://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.PartnerAppKey, tt.cfg.PartnerAppToken = "k", "t"
			c, err := dbsync.New(tt.cfg, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL = %q, want %q", got, tt.want)
			}
		})
	}
	if got := dbsync.EndpointURL(dbsync.Staging, dbsync.DefaultVersion); got != "https://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner" {
		t.Errorf("EndpointURL = %q", got)
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	ok := dbsync.Config{Environment: dbsync.Staging, PartnerAppKey: "k", PartnerAppToken: "t"}
	with := func(f func(*dbsync.Config)) dbsync.Config { c := ok; f(&c); return c }
	tests := map[string]dbsync.Config{
		"no key":               with(func(c *dbsync.Config) { c.PartnerAppKey = "" }),
		"no token":             with(func(c *dbsync.Config) { c.PartnerAppToken = "" }),
		"URL and environment":  with(func(c *dbsync.Config) { c.BaseURL, c.Environment = "https://x.example", "staging" }),
		"URL and version":      with(func(c *dbsync.Config) { c.BaseURL, c.Environment, c.Version = "https://x.example", "", "v" }),
		"no environment":       with(func(c *dbsync.Config) { c.Environment = "" }),
		"environment with dot": with(func(c *dbsync.Config) { c.Environment = "evil.example/x" }),
		"environment hyphen":   with(func(c *dbsync.Config) { c.Environment = "-staging" }),
		"version with slash":   with(func(c *dbsync.Config) { c.Version = "a/b" }),
		"version dot segment":  with(func(c *dbsync.Config) { c.Version = ".." }),
		"plain http":           with(func(c *dbsync.Config) { c.BaseURL, c.Environment = "http://staging.mydbsync.com/p", "" }),
		"credentials in URL":   with(func(c *dbsync.Config) { c.BaseURL, c.Environment = "https://u:p@x.example/p", "" }),
		"query":                with(func(c *dbsync.Config) { c.BaseURL, c.Environment = "https://x.example/p?a=1", "" }),
		"ftp":                  with(func(c *dbsync.Config) { c.BaseURL, c.Environment = "ftp://x.example/p", "" }),
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := dbsync.New(cfg)
			if c != nil || !errors.Is(err, usermgmt.ErrInvalidInput) {
				t.Errorf("New = %v, %v; want an error matching ErrInvalidInput", c, err)
			}
		})
	}
	if _, err := dbsync.New(ok, usermgmt.WithHTTPClient(nil)); err == nil {
		t.Error("New accepted a nil HTTP client")
	}
}

// TestNewKeepsCallerClient checks that a caller's *http.Client is used but
// not modified.
func TestNewKeepsCallerClient(t *testing.T) {
	t.Parallel()
	srv, _ := setup(t, nil)
	var used int
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used++
		return http.DefaultTransport.RoundTrip(r)
	})
	hc := &http.Client{Transport: rt}
	c, err := dbsync.New(srv.Config(), usermgmt.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := hc.Transport.(roundTripFunc); !ok {
		t.Errorf("New replaced the caller's Transport with %T", hc.Transport)
	}
	if _, err := c.LicenseDetails(t.Context(), dbsync.LicenseFilter{}); err != nil {
		t.Fatal(err)
	}
	if used != 1 {
		t.Errorf("the caller's transport carried %d requests, want 1", used)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
