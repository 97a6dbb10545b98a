package bss

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/bss/internal/wire"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

const provider = "bss"

// Config says where the customer's BSS installation is and how to
// authenticate. Both fields are required.
type Config struct {
	// BaseURL is the scheme and host of the customer's BSS installation,
	// e.g. "https://bss.example.com". It is customer-specific: there is no
	// default.
	BaseURL string
	// APIKey is the customer's API key, sent on every request as
	// "Authorization: Apikey <key>". It never appears in logs or errors.
	APIKey usermgmt.Secret
}

// Client calls the BSS User Management V4 API (and, through Legacy, the
// deprecated legacy user endpoints). It is safe for concurrent use; create
// one per installation and share it.
type Client struct {
	api *wire.Client
	t   *transport.Client
}

// New returns a client for cfg. opts set the HTTP client, retry policy,
// logger and the other settings shared by every provider. New checks cfg and
// opts and returns an error matching usermgmt.ErrInvalidInput when a field
// is missing or malformed; it sends nothing.
func New(cfg Config, opts ...usermgmt.Option) (*Client, error) {
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := transport.ParseBaseURL(provider, cfg.BaseURL, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	key := cfg.APIKey.Reveal()
	switch {
	case strings.TrimSpace(key) == "":
		return nil, inputError("New", "APIKey", "must not be empty")
	case key != strings.TrimSpace(key) || strings.ContainsFunc(key, isControl):
		return nil, inputError("New", "APIKey", "must not contain control characters or leading or trailing spaces")
	}
	t := transport.New(transport.Config{
		Provider: provider,
		Options:  o,
		Secrets:  []string{key},
	})
	auth := usermgmt.Secret("Apikey " + key)
	api, err := wire.NewClient(base, wire.WithHTTPClient(t), wire.WithRequestEditorFn(
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", auth.Reveal())
			return nil
		}))
	if err != nil {
		return nil, err
	}
	return &Client{api: api, t: t}, nil
}

// Format prints the client as bss.Client{base URL} with every verb, so that
// printing it can never reveal the API key it holds.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "bss.Client{%s}", strings.TrimRight(c.api.Server, "/"))
}

// call names one logical call and its retry class in the context.
func call(ctx context.Context, op string, idem transport.Idempotency) context.Context {
	return transport.WithCall(ctx, op, idem)
}

func inputError(op, field, reason string) error {
	return &usermgmt.InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// validatePathValue checks a value sent as one path segment (a user id or a
// legacy email). The generated client escapes it, so '/', '?' and '%' stay
// inside the segment; only values that cannot be a segment at all are
// refused: empty, surrounding spaces, control characters, "." and "..".
func validatePathValue(op, field, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return inputError(op, field, "must not be empty")
	case v != strings.TrimSpace(v):
		return inputError(op, field, "must not have leading or trailing spaces")
	case strings.ContainsFunc(v, isControl):
		return inputError(op, field, "must not contain control characters")
	case v == "." || v == "..":
		return inputError(op, field, "must not be a dot segment")
	}
	return nil
}
