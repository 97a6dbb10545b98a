package vendorusers

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers/internal/wire"
)

// DefaultBaseURL is the Guardant licensing service's host.
const DefaultBaseURL = "https://station.guardant.ru"

const provider = "vendorusers"

// Config says where the service is and how to authenticate. Set exactly
// one of Token and Auth.
//
// Assumed: the service says "Authorization is required" but does not
// publish how. Token sends "Authorization: Bearer <Token>", the SDK's
// default guess; Auth lets the caller supply the real scheme without
// waiting for a new SDK release. See specs/README.md.
type Config struct {
	// BaseURL is the service's scheme and host; empty means DefaultBaseURL.
	BaseURL string
	// Token is a bearer token, sent as "Authorization: Bearer <Token>" on
	// every call. It never appears in logs or errors.
	Token usermgmt.Secret
	// Auth, when set instead of Token, authenticates each request: it is
	// called once per logical call, before the first attempt, and every
	// retry of the call carries what it set. Headers it sets are redacted
	// from debug logs unless listed with usermgmt.WithLoggedHeaders.
	Auth Authenticator
}

// Authenticator sets the credentials of the caller's authorization scheme
// on a request, e.g. a session cookie or an API key header. It must be safe
// for concurrent use.
type Authenticator interface {
	Authenticate(req *http.Request) error
}

// AuthenticatorFunc turns a function into an Authenticator.
type AuthenticatorFunc func(req *http.Request) error

// Authenticate calls f(req).
func (f AuthenticatorFunc) Authenticate(req *http.Request) error { return f(req) }

// BearerToken returns the Authenticator that Config.Token stands for: it
// sets "Authorization: Bearer <token>".
func BearerToken(token usermgmt.Secret) Authenticator {
	value := "Bearer " + token.Reveal() // built once, not on every call
	return AuthenticatorFunc(func(req *http.Request) error {
		req.Header.Set("Authorization", value)
		return nil
	})
}

// Client calls the vendor users API of the Guardant licensing service. It
// is safe for concurrent use; create one per set of credentials and share
// it.
type Client struct {
	api *wire.Client
	t   *transport.Client
}

// New returns a client for cfg. opts set the HTTP client, retry policy,
// logger and the other settings shared by every provider. New checks cfg
// and opts and returns an error matching usermgmt.ErrInvalidInput when a
// field is missing or malformed; it sends nothing.
func New(cfg Config, opts ...usermgmt.Option) (*Client, error) {
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := transport.ParseBaseURL(provider, cfg.BaseURL, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	auth := cfg.Auth
	switch {
	case auth != nil && !cfg.Token.IsZero():
		return nil, inputError("New", "Config", "set either Token or Auth, not both")
	case auth == nil && cfg.Token.IsZero():
		return nil, inputError("New", "Config", "no credentials: set Token (a bearer token) or Auth")
	case auth == nil:
		if tok := cfg.Token.Reveal(); tok != strings.TrimSpace(tok) || strings.ContainsFunc(tok, isControl) {
			return nil, inputError("New", "Token", "must not contain control characters or leading or trailing spaces")
		}
		auth = BearerToken(cfg.Token)
	}
	t := transport.New(transport.Config{
		Provider: provider,
		Options:  o,
		Secrets:  []string{cfg.Token.Reveal()},
	})
	api, err := wire.NewClient(base, wire.WithHTTPClient(t), wire.WithRequestEditorFn(
		func(ctx context.Context, req *http.Request) error {
			if err := auth.Authenticate(req); err != nil {
				return fmt.Errorf("%s: %s: authenticating the request: %w", provider, transport.Operation(ctx), err)
			}
			return nil
		}))
	if err != nil {
		return nil, err
	}
	return &Client{api: api, t: t}, nil
}

// Format prints the client as vendorusers.Client{base URL} with every
// verb, so that printing it can never reveal the credentials it holds.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "vendorusers.Client{%s}", strings.TrimRight(c.api.Server, "/"))
}

func inputError(op, field, reason string) error {
	return &usermgmt.InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
}
