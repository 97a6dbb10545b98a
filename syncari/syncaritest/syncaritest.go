// Package syncaritest runs an in-memory fake of the Syncari API for tests and
// examples, as net/http/httptest runs a server.
//
// The fake is built on the server that oapi-codegen generates from
// specs/syncari.yaml, and validates every request against that document: a
// request the real API would not understand is answered 400 with a message
// that names the violation. It issues OAuth2 client-credentials tokens and
// checks them, keeps users and roles, honours clientRequestId (a repeated
// key returns the first result and creates nothing), injects faults, and
// records a journal of every request.
//
//	srv := syncaritest.NewServer()
//	defer srv.Close()
//	client, err := syncari.New(srv.Config())
package syncaritest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/usermgmt-go/sdk/internal/fold"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest/internal/api"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The credentials the fake accepts unless WithCredentials says otherwise.
const (
	ClientID     = "syncaritest-client-id"
	ClientSecret = "syncaritest-client-secret"
	// InstanceID is the instance the fake's Config points at.
	InstanceID = "YUBV99"
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:34567.
	URL string

	core *usermgmttest.FakeServer

	clientID, clientSecret string
	tokenLife              time.Duration
	pageSize               int

	mu       sync.Mutex
	tokens   map[string]time.Time // access token -> expiry
	users    map[string]*api.User
	order    []string
	emails   fold.Index[string] // the ids of the users, by email
	keys     map[string]string  // clientRequestId of a create -> user id
	roles    []api.Role
	nextID   int
	issued   int
	now      func() time.Time
	requests int
}

// Option configures a fake.
type Option func(*Server)

// WithCredentials sets the client id and secret the token endpoint accepts.
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.clientID, s.clientSecret = id, secret }
}

// WithClock sets the clock that stamps creation and update times and
// decides when tokens expire (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithTokenLifetime sets the expires_in of issued tokens (default 10800s,
// as the real API).
func WithTokenLifetime(d time.Duration) Option {
	return func(s *Server) { s.tokenLife = d }
}

// WithPageSize makes the fake page user listings by n users, with a
// nextCursorToken, even when the client asks for no limit. Zero (the
// default) returns every user at once unless the client sends limit.
func WithPageSize(n int) Option {
	return func(s *Server) { s.pageSize = n }
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		clientID:     ClientID,
		clientSecret: ClientSecret,
		tokenLife:    10800 * time.Second,
		tokens:       map[string]time.Time{},
		users:        map[string]*api.User{},
		keys:         map[string]string{},
		now:          time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	for i, name := range []string{"Sync Manager", "Org Admin", "Instance Admin", "Viewer"} {
		id, desc, t := "role-"+strconv.Itoa(i+1), name+" role", true
		s.roles = append(s.roles, api.Role{ID: id, Name: name, Description: &desc, Active: &t, System: &t})
	}
	reqErr, respErr := usermgmttest.StrictErrors(writeError)
	h := api.Handler(api.NewStrictHandlerWithOptions(&handler{s}, nil, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: reqErr, ResponseErrorHandlerFunc: respErr,
	}))
	spec, err := api.GetSpec()
	if err != nil {
		panic("syncaritest: embedded spec: " + err.Error())
	}
	s.core = usermgmttest.NewFakeServer(usermgmttest.FakeConfig{
		Spec:         spec,
		Handler:      h,
		Authenticate: s.authenticate,
		ErrorBody:    writeError,
	})
	s.URL = s.core.URL
	return s
}

// Config returns a syncari.Config that points at the fake with its
// credentials and InstanceID.
func (s *Server) Config() syncari.Config {
	return syncari.Config{
		BaseURL:      s.URL,
		ClientID:     s.clientID,
		ClientSecret: usermgmt.Secret(s.clientSecret),
		InstanceID:   InstanceID,
	}
}

// ExpireTokens revokes every issued token: the next call with one gets 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// TokensIssued returns how many tokens the fake has issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// Users returns the stored users in creation order.
func (s *Server) Users() []syncari.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]syncari.User, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, toSDK(s.users[id]))
	}
	return out
}

// AddUser stores u as if it had been created, keeping its ID when set, and
// returns it as stored.
func (s *Server) AddUser(u syncari.User) syncari.User {
	b, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	var w api.User
	if err := json.Unmarshal(b, &w); err != nil {
		panic(err)
	}
	if !u.ClientSecret.IsZero() { // a Secret encodes redacted
		secret := u.ClientSecret.Reveal()
		w.ClientSecret = &secret
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(&w)
	return toSDK(&w)
}

func (s *Server) store(u *api.User) {
	if u.ID == "" {
		s.nextID++
		u.ID = fmt.Sprintf("62789f7daa9138df%08x", s.nextID)
	}
	if u.Status == "" {
		u.Status = api.UserStatus(syncari.StatusActive)
	}
	now := s.now().UTC()
	if u.CreatedAt == nil {
		u.CreatedAt = &now
	}
	if u.UpdatedAt == nil {
		u.UpdatedAt = &now
	}
	if old, ok := s.users[u.ID]; ok {
		s.emails.Remove(old.Email, u.ID)
	} else {
		s.order = append(s.order, u.ID)
	}
	s.users[u.ID] = u
	s.emails.Add(u.Email, u.ID)
}

func toSDK(w *api.User) syncari.User {
	b, err := json.Marshal(w)
	if err != nil {
		panic(err)
	}
	var u syncari.User
	if err := json.Unmarshal(b, &u); err != nil {
		panic(err)
	}
	return u // ClientSecret came through the wire type, which holds it plainly
}

func (s *Server) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return in.NewError(errors.New("missing bearer token"))
	}
	s.mu.Lock()
	exp, ok := s.tokens[h[len(prefix):]]
	s.mu.Unlock()
	if !ok || !s.now().Before(exp) {
		return in.NewError(errors.New("invalid or expired token"))
	}
	return nil
}

func (s *Server) issueToken() (string, int) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "tok_" + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.tokenLife)
	s.issued++
	s.mu.Unlock()
	return tok, int(s.tokenLife / time.Second)
}

func writeError(w http.ResponseWriter, status int, message string) {
	f := false
	body := api.ErrorEnvelope{Success: &f, Message: &message, Code: strconv.Itoa(status)}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// clone deep-copies u, so that an answer encoded after the lock is released
// shares nothing with the store.
func clone(u *api.User) api.User {
	c := *u
	if u.UserRoles != nil {
		m := make(api.UserRoles, len(*u.UserRoles))
		for k, v := range *u.UserRoles {
			m[k] = slices.Clone(v)
		}
		c.UserRoles = &m
	}
	return c
}
