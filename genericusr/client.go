package genericusr

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/usermgmt-go/sdk/genericusr/internal/wire"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

const provider = "genericusr"

// The request media types the API accepts. The vendor's documentation sends
// text/javascript; its demo client sends application/json.
const (
	ContentTypeJavaScript = "text/javascript"
	ContentTypeJSON       = "application/json"
)

// Config says where the installation is and how to authenticate.
type Config struct {
	// BaseURL is the base of the installation's REST API: scheme, host and
	// any path prefix, e.g. "https://ads.example.com/api". It is required:
	// every Revive Adserver installation serves its own API, so there is no
	// default.
	BaseURL string
	// Username and Password are the credentials of a Revive Adserver user,
	// sent with HTTP Basic authentication on every call. Both are required;
	// the username must not contain ':'. The password never prints and never
	// appears in logs or errors.
	Username string
	Password usermgmt.Secret
	// ContentType is the media type of request bodies: ContentTypeJavaScript
	// (the default when empty, as the vendor's documentation shows) or
	// ContentTypeJSON. The body is the same JSON document either way.
	ContentType string
	// UsePUT sends creates and modifies with PUT (the addUserPut and
	// modifyUserPut operations) instead of POST (addUser and modifyUser).
	// The vendor documents both methods for both calls.
	UsePUT bool
}

// Client calls the user-management part of a Revive Adserver REST API. It
// is safe for concurrent use; create one per installation and credentials
// and share it.
type Client struct {
	api         *wire.Client
	t           *transport.Client
	contentType string
	usePUT      bool
}

// New returns a client for cfg. opts set the HTTP client, retry policy,
// logger and the other settings shared by every provider. Every problem
// with cfg or opts is reported as an error matching
// usermgmt.ErrInvalidInput (or the options' own error); New never panics.
func New(cfg Config, opts ...usermgmt.Option) (*Client, error) {
	o, err := usermgmt.NewOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := transport.ParseBaseURL(provider, cfg.BaseURL, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(cfg.Username) == "":
		return nil, inputError("New", "Username", "must not be empty")
	case strings.Contains(cfg.Username, ":"):
		return nil, inputError("New", "Username", "must not contain ':' (HTTP Basic authentication cannot carry it)")
	case strings.ContainsFunc(cfg.Username, isControl) || strings.ContainsFunc(cfg.Password.Reveal(), isControl):
		return nil, inputError("New", "Username or Password", "must not contain control characters")
	case cfg.Password.IsZero():
		return nil, inputError("New", "Password", "must not be empty")
	}
	ct := cfg.ContentType
	switch ct {
	case "":
		ct = ContentTypeJavaScript
	case ContentTypeJavaScript, ContentTypeJSON:
	default:
		return nil, inputError("New", "ContentType", "must be "+ContentTypeJavaScript+" or "+ContentTypeJSON)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password.Reveal()))
	t := transport.New(transport.Config{
		Provider: provider,
		Options:  o,
		Secrets:  []string{cfg.Password.Reveal(), basic[len("Basic "):]},
	})
	c := &Client{t: t, contentType: ct, usePUT: cfg.UsePUT}
	c.api, err = wire.NewClient(base, wire.WithHTTPClient(t), wire.WithRequestEditorFn(
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", basic)
			if req.Header.Get("Content-Type") != "" {
				// the generated client sets application/json on every body
				req.Header.Set("Content-Type", c.contentType)
			}
			return nil
		}))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Format prints the client as genericusr.Client{<base URL>} with every
// verb, so that printing it can never reveal the credentials it holds.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "genericusr.Client{%s}", strings.TrimRight(c.api.Server, "/"))
}

// ContentType returns the media type the client sends request bodies as.
func (c *Client) ContentType() string { return c.contentType }

func inputError(op, field, reason string) error {
	return &usermgmt.InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
