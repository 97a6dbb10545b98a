// Package bsstest runs an in-memory fake of the Amino BSS user management
// API for tests and examples, as net/http/httptest runs a server.
//
// The fake serves User Management V4 and the deprecated legacy endpoints
// over one store: a user created through the legacy endpoint is visible
// through V4 (the legacy cid is V4's external_id) and the other way round.
// It is built on the server that oapi-codegen generates from specs/bss.yaml
// and validates every request against that document (without filling in
// schema defaults): a request the real API would not understand is answered
// 400 with a message naming the violation. It checks the
// "Authorization: Apikey <key>" header, pages the user index with offset and
// limit, filters it by email and external_id, keeps passwords write-only,
// injects faults, and records a journal of every request.
//
//	srv := bsstest.NewServer()
//	defer srv.Close()
//	client, err := bss.New(srv.Config())
package bsstest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest/internal/api"
	"github.com/usermgmt-go/sdk/internal/fold"
	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// APIKey is the key the fake accepts unless WithCredentials says otherwise.
const APIKey = "bsstest-api-key"

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:34567.
	URL string

	core *usermgmttest.FakeServer

	apiKey       string
	ignoreOffset bool
	ignoreLimit  bool
	pageSize     int

	mu     sync.Mutex
	users  map[string]*record
	order  []string
	emails fold.Index[string] // the ids of the users with a non-empty email, by email
	seq    int                // the seq of the last user added to order
	nextID int
	now    func() time.Time
}

// record is one stored user: the resource as the API answers it, and the
// write-only password beside it. seq orders the records as order does.
type record struct {
	user     api.User
	password string
	seq      int
}

// Option configures a fake.
type Option func(*Server)

// WithCredentials sets the API key the fake accepts (default APIKey).
func WithCredentials(apiKey string) Option {
	return func(s *Server) { s.apiKey = apiKey }
}

// WithPageSize makes the fake answer a user index that comes without a limit
// with at most n users from offset on. Zero (the default) answers all of
// them.
func WithPageSize(n int) Option {
	return func(s *Server) { s.pageSize = n }
}

// WithOffsetIgnored makes the fake ignore the offset parameter of the user
// index, as a server without paging would: every call starts at the first
// user.
func WithOffsetIgnored() Option {
	return func(s *Server) { s.ignoreOffset = true }
}

// WithLimitIgnored makes the fake ignore the limit parameter of the user
// index: every call returns all the users from offset on, or as many as
// WithPageSize says.
func WithLimitIgnored() Option {
	return func(s *Server) { s.ignoreLimit = true }
}

// WithClock sets the clock that stamps registration times (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{apiKey: APIKey, users: map[string]*record{}, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	reqErr, respErr := usermgmttest.StrictErrors(writeError)
	h := api.Handler(api.NewStrictHandlerWithOptions(&handler{s}, nil, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: reqErr, ResponseErrorHandlerFunc: respErr,
	}))
	spec, err := api.GetSpec()
	if err != nil {
		panic("bsstest: embedded spec: " + err.Error())
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

// Config returns a bss.Config that points at the fake with its API key.
func (s *Server) Config() bss.Config {
	return bss.Config{BaseURL: s.URL, APIKey: usermgmt.Secret(s.apiKey)}
}

// Users returns the stored users in creation order.
func (s *Server) Users() []bss.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bss.User, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, toSDK(&s.users[id].user))
	}
	return out
}

// User returns the stored user with the given id.
func (s *Server) User(id string) (bss.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return bss.User{}, false
	}
	return toSDK(&r.user), true
}

// Password returns the password stored for the user with the given id (the
// API never returns it), and whether the user exists.
func (s *Server) Password(id string) (usermgmt.Secret, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return "", false
	}
	return usermgmt.Secret(r.password), true
}

// AddUser stores u as if it had been created, keeping its ID when set (and
// replacing a stored user with that ID), and returns it as stored. A user
// without a registration state is UNREGISTERED, and a user without a default
// profile gets one.
func (s *Server) AddUser(u bss.User) bss.User {
	b, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	var w api.User
	if err := json.Unmarshal(b, &w); err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.store(&record{user: w})
	return toSDK(&r.user)
}

// store gives r an id, a registration state and a default profile where it
// has none, and stores it. The caller holds s.mu.
func (s *Server) store(r *record) *record {
	u := &r.user
	if u.ID == nil || *u.ID == "" {
		s.nextID++
		id := fmt.Sprintf("5f1b2c3d%016x", s.nextID)
		u.ID = &id
	}
	if u.RegistrationInformation == nil {
		u.RegistrationInformation = &api.RegistrationInformation{}
	}
	if u.RegistrationInformation.RegistrationState == nil {
		st := api.UNREGISTERED
		u.RegistrationInformation.RegistrationState = &st
	}
	if u.DefaultUserProfile == nil {
		pid := fmt.Sprintf("6a7b8c9d%016x", s.nextID)
		u.DefaultUserProfile = &api.DefaultUserProfile{ID: &pid}
	}
	if old, ok := s.users[*u.ID]; ok {
		s.unindex(old)
		r.seq = old.seq
	} else {
		s.order = append(s.order, *u.ID)
		s.seq++
		r.seq = s.seq
	}
	s.users[*u.ID] = r
	s.index(r)
	return r
}

// emailOf returns the email of u, or "".
func emailOf(u *api.User) string {
	if u.ContactDetails == nil {
		return ""
	}
	return ptr.Value(u.ContactDetails.Email)
}

// index records r's email in s.emails; unindex forgets it. Whatever
// changes a stored user's email unindexes it before and indexes it after.
// A user without an email is not indexed: no look-up asks for "". The
// caller holds s.mu.
func (s *Server) index(r *record) {
	if e := emailOf(&r.user); e != "" {
		s.emails.Add(e, *r.user.ID)
	}
}

func (s *Server) unindex(r *record) {
	if e := emailOf(&r.user); e != "" {
		s.emails.Remove(e, *r.user.ID)
	}
}

// setState sets the registration state, stamping the registration time when
// the user becomes REGISTERED. The caller holds s.mu.
func (s *Server) setState(u *api.User, st api.RegistrationState) {
	ri := u.RegistrationInformation
	if ri.RegistrationState != nil && *ri.RegistrationState == st {
		return
	}
	ri.RegistrationState = &st
	if st == api.REGISTERED {
		t := s.now().Unix()
		ri.RegistrationTime = &t
	} else {
		ri.RegistrationTime = nil
	}
}

// byEmail returns the id of the user with the given email (compared without
// case), or "". Of several (AddUser stores what it is given), it returns
// the first created. The caller holds s.mu.
func (s *Server) byEmail(email string) string {
	if email == "" {
		return ""
	}
	id := ""
	for _, c := range s.emails.Lookup(email) {
		if id == "" || s.users[c].seq < s.users[id].seq {
			id = c
		}
	}
	return id
}

// withEmail returns the ids of the users with the given non-empty email
// (compared without case), in creation order. The caller holds s.mu.
func (s *Server) withEmail(email string) []string {
	ids := slices.Clone(s.emails.Lookup(email))
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(s.users[a].seq, s.users[b].seq) })
	return ids
}

func toSDK(w *api.User) bss.User {
	b, err := json.Marshal(w)
	if err != nil {
		panic(err)
	}
	var u bss.User
	if err := json.Unmarshal(b, &u); err != nil {
		panic(err)
	}
	return u
}

// clone deep-copies u through JSON, so that an answer encoded after the lock
// is released shares nothing with the store.
func clone(u *api.User) api.User {
	b, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	var c api.User
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return c
}

func (s *Server) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, key, ok := strings.Cut(h, " ")
	switch {
	case !ok || !strings.EqualFold(scheme, "Apikey"):
		return in.NewError(errors.New(`missing "Authorization: Apikey <key>" header`))
	case key != s.apiKey:
		return in.NewError(errors.New("invalid API key"))
	}
	return nil
}

// errorCodes are the codes the fake answers with, per status.
var errorCodes = map[int]string{
	http.StatusBadRequest:            "BAD_REQUEST",
	http.StatusUnauthorized:          "UNAUTHORIZED",
	http.StatusForbidden:             "FORBIDDEN",
	http.StatusNotFound:              "NOT_FOUND",
	http.StatusMethodNotAllowed:      "METHOD_NOT_ALLOWED",
	http.StatusConflict:              "CONFLICT",
	http.StatusRequestEntityTooLarge: "REQUEST_TOO_LARGE",
	http.StatusTooManyRequests:       "TOO_MANY_REQUESTS",
	http.StatusInternalServerError:   "INTERNAL_ERROR",
	http.StatusBadGateway:            "BAD_GATEWAY",
	http.StatusServiceUnavailable:    "SERVICE_UNAVAILABLE",
	http.StatusGatewayTimeout:        "GATEWAY_TIMEOUT",
}

func errorCode(status int) string {
	if c, ok := errorCodes[status]; ok {
		return c
	}
	return fmt.Sprintf("HTTP_%d", status)
}

func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errBody(errorCode(status), message))
}

func errBody(code, message string) api.Error {
	return api.Error{Code: code, Message: &message}
}
