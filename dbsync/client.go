package dbsync

import (
	"context"
	"fmt"
	"strings"

	"github.com/usermgmt-go/sdk/dbsync/internal/wire"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The DBSync environments, for Config.Environment. There is no default: a
// Config names one (or gives BaseURL), so that a client never talks to an
// environment its user did not choose.
const (
	// Staging is DBSync's staging (pre-release) environment, meant for
	// development, as the vendor's documentation names it.
	Staging = "staging"
	// Production is DBSync's production environment. Assumed: DBSync does
	// not publish its name (the account manager gives access to it); "www"
	// is the host of DBSync's cloud application, www.mydbsync.com. If your
	// account manager names another environment, set Environment to that
	// name, or BaseURL to the endpoint you were given.
	Production = "www"
)

// DefaultVersion is the application-center release used when
// Config.Version is empty: the one the vendor's documentation names.
const DefaultVersion = "appcenter-2-2"

const provider = "dbsync"

// Config says where the Partner API is and which partner application calls
// it. Set either BaseURL, or Environment (Staging, Production or the name
// DBSync gave you) and optionally Version; New refuses a Config with
// neither.
type Config struct {
	// BaseURL is the whole REST endpoint, e.g.
	// "https://staging.mydbsync.com/appcenter-2-2/appcode/v2/partner".
	// When set, Environment and Version must be empty.
	BaseURL string
	// Environment is the DBSync environment, the first label of the host:
	// Staging, Production, or another name DBSync gave you. Required unless
	// BaseURL is set.
	Environment string
	// Version is the DBSync application-center release in the path (e.g.
	// "appcenter-2-2"). Empty means DefaultVersion.
	Version string
	// PartnerAppKey and PartnerAppToken are the partner application's
	// credentials, both required. The client adds them to every request
	// body; they never appear in logs, errors or printed values.
	PartnerAppKey   usermgmt.Secret
	PartnerAppToken usermgmt.Secret
}

// EndpointURL returns the REST endpoint of the Partner API v2 for a DBSync
// environment and version:
// https://{env}.mydbsync.com/{version}/appcode/v2/partner.
func EndpointURL(env, version string) string {
	return "https://" + env + ".mydbsync.com/" + version + "/appcode/v2/partner"
}

// Client calls the DBSync Partner API v2 for one partner application. It is
// safe for concurrent use; create one per partner application and share it.
type Client struct {
	api     *wire.Client
	t       *transport.Client
	baseURL string
	// cred holds the credentials added to every request body. A pointer, so
	// that printing a Client (fmt does not call the methods of unexported
	// fields) shows an address, not the values.
	cred *credentials
}

type credentials struct{ key, token usermgmt.Secret }

// New returns a client for cfg. opts set the HTTP client, retry policy,
// logger and the other settings shared by every provider. New checks
// everything and returns an error matching usermgmt.ErrInvalidInput for a
// bad Config; it sends nothing.
func New(cfg Config, opts ...usermgmt.Option) (*Client, error) {
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.PartnerAppKey.IsZero():
		return nil, inputError("New", "PartnerAppKey", "must not be empty")
	case cfg.PartnerAppToken.IsZero():
		return nil, inputError("New", "PartnerAppToken", "must not be empty")
	}
	raw := cfg.BaseURL
	switch {
	case raw != "" && (cfg.Environment != "" || cfg.Version != ""):
		return nil, inputError("New", "Config", "set either BaseURL or Environment and Version, not both")
	case raw == "":
		env, version := cfg.Environment, cfg.Version
		if env == "" {
			return nil, inputError("New", "Environment", "must be set (dbsync.Staging, dbsync.Production or the name DBSync gave you), or BaseURL instead")
		}
		if version == "" {
			version = DefaultVersion
		}
		if !validLabel(env) {
			return nil, inputError("New", "Environment", "must be a host name label: letters, digits and inner hyphens, at most 63")
		}
		if !validSegment(version) {
			return nil, inputError("New", "Version", "must be one path segment of letters, digits, '.', '_' or '-'")
		}
		raw = EndpointURL(env, version)
	}
	base, err := transport.ParseBaseURL(provider, raw, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	t := transport.New(transport.Config{
		Provider: provider,
		Options:  o,
		Secrets:  []string{cfg.PartnerAppKey.Reveal(), cfg.PartnerAppToken.Reveal()},
	})
	api, err := wire.NewClient(base, wire.WithHTTPClient(t))
	if err != nil {
		return nil, err
	}
	return &Client{api: api, t: t, baseURL: base, cred: &credentials{cfg.PartnerAppKey, cfg.PartnerAppToken}}, nil
}

// Format prints the client as dbsync.Client{<base URL>} whatever the verb:
// never its credentials or its internals.
func (c Client) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "dbsync.Client{%s}", c.baseURL)
}

// BaseURL returns the endpoint the client calls, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

// begin names the call and its retry class, after checking the context: a
// call whose context is already done sends nothing and says so, rather
// than reporting an unknown outcome.
func begin(ctx context.Context, op string, idem transport.Idempotency) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", provider, op, err)
	}
	return transport.WithCall(ctx, op, idem), nil
}

func inputError(op, field, reason string) error {
	return &usermgmt.InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
}

// validLabel reports whether s is a DNS label (RFC 1123).
func validLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// validSegment reports whether s is a plain path segment: no characters
// that need escaping, and not a dot segment.
func validSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return false
		}
	}
	return true
}
