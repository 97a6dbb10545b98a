package syncari

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/usermgmt-go/sdk/internal/keylock"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/syncari/internal/wire"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// DefaultBaseURL is the Syncari API's host.
const DefaultBaseURL = "https://api.syncari.com"

// Config says where the API is and how to authenticate. Set either
// ClientID and ClientSecret (OAuth2 client credentials, the documented way)
// or Token (a bearer token obtained elsewhere).
type Config struct {
	// BaseURL is the API's scheme and host; empty means DefaultBaseURL.
	BaseURL string
	// ClientID and ClientSecret are an API user's credentials, exchanged for
	// a bearer token at TokenURL. The token is fetched once for any number
	// of concurrent calls, cached, refreshed before it expires, and
	// refreshed once more if a call answers 401.
	ClientID     string
	ClientSecret usermgmt.Secret
	// Token is a static bearer token, for callers that manage tokens
	// themselves. It is not refreshed.
	Token usermgmt.Secret
	// TokenURL is the OAuth2 token endpoint; empty means
	// BaseURL + "/api/v1/oauth/token".
	TokenURL string
	// InstanceID is sent as the syncariId header on every call: the
	// instance the calls run against. Required. Client.WithInstanceID
	// overrides it.
	InstanceID string
}

// Client calls the Syncari API. It is safe for concurrent use; create one
// per set of credentials and share it.
type Client struct {
	api        *wire.Client
	t          *transport.Client
	auth       *authDoer
	instanceID string
	// roleLocks serialises, per user, the read-then-write of the user's
	// role map (Directory.SetRoles) among the clients of every instance
	// WithInstanceID derives from one New.
	roleLocks *keylock.Set
}

// New returns a client for cfg. opts set the HTTP client, retry policy,
// logger and the other settings shared by every provider.
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
	oauth := cfg.ClientID != "" || !cfg.ClientSecret.IsZero()
	switch {
	case oauth && !cfg.Token.IsZero():
		return nil, inputError("New", "Config", "set either ClientID and ClientSecret or Token, not both")
	case oauth && (cfg.ClientID == "" || cfg.ClientSecret.IsZero()):
		return nil, inputError("New", "Config", "ClientID and ClientSecret go together")
	case !oauth && cfg.Token.IsZero():
		return nil, inputError("New", "Config", "no credentials: set ClientID and ClientSecret, or Token")
	}
	if strings.TrimSpace(cfg.InstanceID) == "" {
		return nil, inputError("New", "InstanceID", "must not be empty: every call runs against an instance (the syncariId header)")
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = base + "/api/v1/oauth/token"
	} else if tokenURL, err = transport.ParseBaseURL(provider, tokenURL, o.AllowInsecureHTTP); err != nil {
		return nil, err
	}
	t := transport.New(transport.Config{
		Provider:   provider,
		Options:    o,
		LogHeaders: []string{"syncariId", "clientRequestId"},
		Secrets:    []string{cfg.ClientSecret.Reveal(), cfg.Token.Reveal()},
	})
	static := cfg.Token.Reveal()
	a := &authDoer{next: t, static: &static}
	if oauth {
		a.tokens = newTokenCache(t, tokenURL, cfg.ClientID, cfg.ClientSecret.Reveal(), o.Timeout)
	}
	api, err := wire.NewClient(base, wire.WithHTTPClient(a))
	if err != nil {
		return nil, err
	}
	return &Client{api: api, t: t, auth: a, instanceID: cfg.InstanceID, roleLocks: new(keylock.Set)}, nil
}

const provider = "syncari"

// WithInstanceID returns a client that sends id as the syncariId header
// instead of Config.InstanceID. It shares everything else, the token cache
// included, with c; Directories over c and over the clients it derives
// change one user's roles one at a time. Every call of a client with an empty id fails with an
// *usermgmt.InputError.
func (c *Client) WithInstanceID(id string) *Client {
	cp := *c
	cp.instanceID = id
	return &cp
}

// InstanceID returns the instance id sent as the syncariId header.
func (c *Client) InstanceID() string { return c.instanceID }

// call prepares one logical call: the operation name and retry class idem
// in the context, and the headers every Syncari call carries. Every call is
// resent on a failure worth a retry: reads, the writes that set a state, and
// creates, which carry a clientRequestId. That is the caller's idempotency
// key when set, otherwise a fresh UUID; every attempt of the call sends the
// same one, so the server can recognise a retried create.
func (c *Client) call(ctx context.Context, op string, idem transport.Idempotency) (context.Context, *string, *string) {
	key, ok := usermgmt.IdempotencyKey(ctx)
	if !ok {
		key = uuid.NewString()
	}
	var inst *string
	if c.instanceID != "" {
		inst = &c.instanceID
	}
	return transport.WithCall(ctx, op, idem), inst, &key
}

// check refuses a call that cannot be sent: a nil ctx, or no instance
// (WithInstanceID with an empty id).
func (c *Client) check(ctx context.Context, op string) error {
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return err
	}
	if strings.TrimSpace(c.instanceID) == "" {
		return inputError(op, "InstanceID", "must not be empty: every call runs against an instance (the syncariId header)")
	}
	return nil
}

func inputError(op, field, reason string) error {
	return &usermgmt.InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
}

// readError reads Syncari's error envelope.
func readError(_ *http.Response, body []byte) transport.Failure {
	return failureFromEnvelope(body)
}

// Format prints the client as syncari.Client{<base URL>} with every verb,
// so that printing it can never reveal the credentials it holds.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "syncari.Client{%s}", strings.TrimRight(c.api.Server, "/"))
}
