package scim

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/internal/iox"

	"github.com/usermgmt-go/sdk/internal/keylock"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is
// zero.
const DefaultMaxBodyBytes = 1 << 20

// DefaultWriteTimeout bounds a change made for a request when
// Options.WriteTimeout is zero.
const DefaultWriteTimeout = 2 * time.Minute

// Options configure a handler over one directory.
type Options struct {
	// Prefix is the path the handler serves, e.g. "/scim/v2"; requests'
	// paths start with it. Empty means the root. (Mounted with
	// http.StripPrefix, meta.location would lack the prefix: set Prefix
	// instead, or BaseURL.)
	Prefix string
	// Tokens are the bearer tokens accepted, compared in constant time.
	// Several may be valid at once, to rotate them without downtime. At
	// least one is required.
	Tokens []usermgmt.Secret
	// Logger receives one record per request (method, path, status,
	// duration, scimType); nil logs nothing. Tokens, passwords and
	// request bodies are never logged.
	Logger *slog.Logger
	// MaxBodyBytes caps a request body; larger ones get 413. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// BaseURL is the public URL of the SCIM root (e.g.
	// "https://bridge.example.com/scim/v2"), used in meta.location. Empty
	// means the request's host, with the handler's prefix.
	BaseURL string
	// WriteTimeout bounds a change (create, update, delete) once started:
	// it runs to completion even when the client disconnects, so that a
	// create is settled before an identity provider's retry arrives. Zero
	// means DefaultWriteTimeout.
	WriteTimeout time.Duration
}

// Tenant is one directory served by NewMux under its own path prefix and
// tokens.
type Tenant struct {
	// Prefix is the path of the tenant's SCIM root, e.g. "/acme/scim/v2".
	Prefix string
	// Directory is the directory behind it.
	Directory *usermgmt.Directory
	// Tokens are the bearer tokens of this tenant; a token of another
	// tenant is refused.
	Tokens []usermgmt.Secret
	// Logger, MaxBodyBytes, BaseURL and WriteTimeout are as in Options.
	Logger       *slog.Logger
	MaxBodyBytes int64
	BaseURL      string
	WriteTimeout time.Duration
}

// NewHandler returns an http.Handler serving SCIM 2.0 over dir at its
// Options.Prefix: /Users, /Groups (for directories with roles),
// /ServiceProviderConfig, /ResourceTypes and /Schemas. NewMux serves
// several directories.
func NewHandler(dir *usermgmt.Directory, opts Options) (http.Handler, error) {
	return newTenant(Tenant{Prefix: opts.Prefix, Directory: dir, Tokens: opts.Tokens, Logger: opts.Logger,
		MaxBodyBytes: opts.MaxBodyBytes, BaseURL: opts.BaseURL, WriteTimeout: opts.WriteTimeout})
}

// NewMux returns an http.Handler serving each tenant under its prefix,
// each with its own tokens. A request under no tenant's prefix gets 404.
func NewMux(tenants ...Tenant) (http.Handler, error) {
	if len(tenants) == 0 {
		return nil, errors.New("scim: NewMux: no tenants")
	}
	m := &mux{}
	seen := map[string]bool{}
	for i, t := range tenants {
		p := "/" + strings.Trim(t.Prefix, "/")
		if p == "/" {
			return nil, fmt.Errorf("scim: NewMux: tenant %d: Prefix must name a path, e.g. /acme/scim/v2", i)
		}
		if seen[p] {
			return nil, fmt.Errorf("scim: NewMux: tenant %d: prefix %q is used twice", i, p)
		}
		seen[p] = true
		t.Prefix = p
		h, err := newTenant(t)
		if err != nil {
			return nil, fmt.Errorf("scim: NewMux: tenant %q: %w", p, err)
		}
		m.tenants = append(m.tenants, h)
	}
	return m, nil
}

type mux struct{ tenants []*tenant }

func (m *mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var best *tenant
	for _, t := range m.tenants {
		if (r.URL.Path == t.prefix || strings.HasPrefix(r.URL.Path, t.prefix+"/")) && (best == nil || len(t.prefix) > len(best.prefix)) {
			best = t
		}
	}
	if best == nil {
		writeJSON(w, http.StatusNotFound, errorBody(http.StatusNotFound, "", "no SCIM service at this path"), "")
		return
	}
	best.ServeHTTP(w, r)
}

// tenant serves one directory.
type tenant struct {
	dir          *usermgmt.Directory
	caps         usermgmt.Capabilities
	prefix       string
	tokens       [][sha256.Size]byte
	log          *slog.Logger
	maxBody      int64
	baseURL      string
	writeTimeout time.Duration
	// users serialises this bridge's read-then-write of one user (a
	// group's membership change, a PUT or PATCH with its If-Match check),
	// so that two requests at once cannot undo each other.
	users keylock.Set
}

func newTenant(t Tenant) (*tenant, error) {
	if t.Directory == nil {
		return nil, errors.New("scim: Directory must not be nil")
	}
	if len(t.Tokens) == 0 {
		return nil, errors.New("scim: at least one bearer token is required")
	}
	h := &tenant{dir: t.Directory, caps: t.Directory.Capabilities(), prefix: strings.TrimRight(t.Prefix, "/"),
		log: t.Logger, maxBody: t.MaxBodyBytes, baseURL: strings.TrimRight(t.BaseURL, "/"), writeTimeout: t.WriteTimeout}
	for i, tok := range t.Tokens {
		if len(tok.Reveal()) < 16 {
			return nil, fmt.Errorf("scim: token %d is shorter than 16 characters", i)
		}
		h.tokens = append(h.tokens, sha256.Sum256([]byte(tok.Reveal())))
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.writeTimeout <= 0 {
		h.writeTimeout = DefaultWriteTimeout
	}
	return h, nil
}

// authorized compares the request's bearer token with every token in
// constant time; the comparison does not stop at the first match.
func (t *tenant) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	match := 0
	for i := range t.tokens {
		match |= subtle.ConstantTimeCompare(sum[:], t.tokens[i][:])
	}
	return match == 1
}

// statusWriter records the status and scimType of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status   int
	scimType string
	detail   string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (t *tenant) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw}
	defer func() {
		if t.log == nil {
			return
		}
		attrs := []slog.Attr{slog.String("provider", t.dir.Provider()), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", w.status), slog.Duration("duration", time.Since(start))}
		if w.scimType != "" {
			attrs = append(attrs, slog.String("scimType", w.scimType))
		}
		level := slog.LevelInfo
		if w.status >= 500 {
			// The SDK's errors never hold a credential: the detail is
			// safe to log, and says what the API answered.
			level = slog.LevelError
			attrs = append(attrs, slog.String("detail", w.detail))
		}
		t.log.LogAttrs(r.Context(), level, "scim request", attrs...)
	}()
	if !t.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
		t.fail(w, &scimError{status: http.StatusUnauthorized, detail: "a valid bearer token is required"})
		return
	}
	// The path after the prefix, split on its escaped form so that an id
	// holding "%2F" stays one segment.
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), escapedPrefix(t.prefix))
	if !ok || rest != "" && rest[0] != '/' {
		t.fail(w, &scimError{status: http.StatusNotFound, detail: "no SCIM service at this path"})
		return
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			t.fail(w, &scimError{status: http.StatusNotFound, detail: "malformed path"})
			return
		}
		segs[i] = u
	}
	base := t.base(r)
	var err error
	switch {
	case len(segs) == 2 && segs[0] == "Users" && segs[1] == ".search" && r.Method == http.MethodPost:
		var q url.Values
		if q, err = t.searchQuery(w, r); err == nil {
			err = t.listUsers(w, r, base, q)
		}
	case len(segs) == 1 && segs[0] == "Users":
		switch r.Method {
		case http.MethodGet:
			err = t.listUsers(w, r, base, r.URL.Query())
		case http.MethodPost:
			err = t.createUser(w, r, base)
		default:
			err = errMethod
		}
	case len(segs) == 2 && segs[0] == "Users":
		id := segs[1]
		switch r.Method {
		case http.MethodGet:
			err = t.getUser(w, r, base, id)
		case http.MethodPut:
			err = t.replaceUser(w, r, base, id)
		case http.MethodPatch:
			err = t.patchUser(w, r, base, id)
		case http.MethodDelete:
			err = t.deleteUser(w, r, id)
		default:
			err = errMethod
		}
	case len(segs) >= 1 && segs[0] == "Groups" && t.caps.Roles && len(segs) <= 2:
		err = t.serveGroups(w, r, base, segs[1:])
	case len(segs) >= 1 && len(segs) <= 2 && (segs[0] == "ServiceProviderConfig" || segs[0] == "ResourceTypes" || segs[0] == "Schemas"):
		if r.Method != http.MethodGet {
			err = errMethod
			break
		}
		err = t.discovery(w, base, segs)
	default:
		err = &scimError{status: http.StatusNotFound, detail: "no such resource type or endpoint"}
	}
	if err != nil {
		t.fail(w, err)
	}
}

func escapedPrefix(p string) string { return (&url.URL{Path: p}).EscapedPath() }

// base is the URL of the SCIM root for meta.location.
func (t *tenant) base(r *http.Request) string {
	if t.baseURL != "" {
		return t.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + t.prefix
}

var errMethod = &scimError{status: http.StatusMethodNotAllowed, detail: "method not allowed on this endpoint"}

// writeCtx is the context of a change: it outlives a client that hangs up,
// so that a started create or update is finished and settled.
func (t *tenant) writeCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(r.Context()), t.writeTimeout)
}

// readBody decodes a JSON object from the request body, capped at
// maxBody.
func (t *tenant) readBody(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	data, err := t.readBytes(w, r)
	if err != nil {
		return nil, err
	}
	return decodeObject(data)
}

// readUser reads a User resource from the request body: in one decoding
// into a struct when it has the common shape (see fastUser), else through
// maps and parseUser, which also words the errors.
func (t *tenant) readUser(w http.ResponseWriter, r *http.Request) (*userState, error) {
	data, err := t.readBytes(w, r)
	if err != nil {
		return nil, err
	}
	if st, ok := fastUser(data); ok {
		return st, nil
	}
	m, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	return parseUser(m)
}

// readBytes reads the request body, capped at maxBody.
func (t *tenant) readBytes(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, t.maxBody)
	n := r.ContentLength
	if n > t.maxBody {
		n = -1 // refused below, on reading: no buffer that large
	}
	data, err := iox.ReadAll(body, n)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &scimError{status: http.StatusRequestEntityTooLarge, detail: fmt.Sprintf("the request body is larger than %d bytes", t.maxBody)}
		}
		return nil, &scimError{status: http.StatusBadRequest, scimType: "invalidSyntax", detail: "the request body could not be read"}
	}
	return data, nil
}

// decodeObject decodes data, which must be a JSON object.
func decodeObject(data []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, &scimError{status: http.StatusBadRequest, scimType: "invalidSyntax", detail: "the request body is not a JSON object"}
	}
	return m, nil
}

// writeJSON writes v as application/scim+json.
func writeJSON(w http.ResponseWriter, status int, v any, etag string) {
	h := w.Header()
	h.Set("Content-Type", "application/scim+json; charset=utf-8")
	if etag != "" {
		h.Set("ETag", etag)
	}
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"schemas":["`+errorSchema+`"],"status":"500","detail":"the response could not be encoded"}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
