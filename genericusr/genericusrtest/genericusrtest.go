// Package genericusrtest runs an in-memory fake of the user-management part
// of a Revive Adserver REST API, for tests and examples, as
// net/http/httptest runs a server.
//
// The fake is built on the server that oapi-codegen generates from
// specs/genericusr.yaml and validates every request against that document
// (text/javascript bodies are validated as the JSON they are): a request the
// real API would not understand is answered 400 with a message that names
// the violation. It checks HTTP Basic credentials, keeps accounts and users
// (each user belongs to its default account, and listing is by account),
// answers in the vendor's style (numbers as JSON strings, "password": null,
// errors as {"error":{"type":"Exception","message":"Unknown userId Error"}}),
// injects faults, and records a journal of every request.
//
//	srv := genericusrtest.NewServer()
//	defer srv.Close()
//	client, err := genericusr.New(srv.Config())
package genericusrtest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest/internal/api"
	"github.com/usermgmt-go/sdk/internal/fold"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The credentials and account the fake has unless options say otherwise.
const (
	Username = "genericusrtest-admin"
	Password = "genericusrtest-password"
	// AccountID is the account that exists from the start.
	AccountID int64 = 1
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:34567.
	URL string

	core *usermgmttest.FakeServer

	username, password string
	errorStatus        int

	mu        sync.Mutex
	accounts  map[int64]bool
	users     map[int64]*record
	usernames fold.Index[int64] // the ids of the users, by username
	nextID    int64
}

// record is a stored user, password included.
type record struct {
	id          int64
	contactName string
	email       string
	username    string
	account     int64
	active      bool
	password    string
}

// Option configures a fake.
type Option func(*Server)

// WithCredentials sets the username and password that HTTP Basic
// authentication accepts.
func WithCredentials(username, password string) Option {
	return func(s *Server) { s.username, s.password = username, password }
}

// WithAccounts adds accounts that exist from the start, beside AccountID.
func WithAccounts(ids ...int64) Option {
	return func(s *Server) {
		for _, id := range ids {
			s.accounts[id] = true
		}
	}
}

// WithErrorStatus makes the fake answer the errors it reports itself
// (unknown ids, a username that is taken, bad values) with status instead
// of 404, 409 or 400, as an installation whose errors all come back as 200
// or 500 would. The body is the vendor's error object either way. Spec
// violations (400) and bad credentials (401) keep their status.
func WithErrorStatus(status int) Option {
	return func(s *Server) { s.errorStatus = status }
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		username: Username,
		password: Password,
		accounts: map[int64]bool{AccountID: true},
		users:    map[int64]*record{},
	}
	for _, o := range opts {
		o(s)
	}
	reqErr, respErr := usermgmttest.StrictErrors(writeError)
	h := api.Handler(api.NewStrictHandlerWithOptions(&handler{s}, nil, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: reqErr, ResponseErrorHandlerFunc: respErr,
	}))
	spec, err := api.GetSpec()
	if err != nil {
		panic("genericusrtest: embedded spec: " + err.Error())
	}
	s.core = usermgmttest.NewFakeServer(usermgmttest.FakeConfig{
		Spec:         spec,
		Handler:      h,
		Authenticate: s.authenticate,
		ErrorBody:    writeError,
		ValidateAs:   map[string]string{genericusr.ContentTypeJavaScript: genericusr.ContentTypeJSON},
	})
	s.URL = s.core.URL
	return s
}

// Config returns a genericusr.Config that points at the fake with its
// credentials.
func (s *Server) Config() genericusr.Config {
	return genericusr.Config{
		BaseURL:  s.URL,
		Username: s.username,
		Password: usermgmt.Secret(s.password),
	}
}

// AddAccount makes an account with the given id exist.
func (s *Server) AddAccount(id int64) {
	s.mu.Lock()
	s.accounts[id] = true
	s.mu.Unlock()
}

// Accounts returns the ids of the accounts, in increasing order.
func (s *Server) Accounts() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.accounts))
	for id := range s.accounts {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Users returns the stored users in id order (the order of creation).
func (s *Server) Users() []genericusr.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]genericusr.User, 0, len(s.users))
	for _, id := range s.ids() {
		out = append(out, s.users[id].sdk())
	}
	return out
}

// AddUser stores u as if it had been created, without a password (see
// SetPassword). It keeps u.ID when set, puts the user in AccountID when
// u.DefaultAccountID is zero, and creates the account when it does not
// exist. It returns the user as stored.
func (s *Server) AddUser(u genericusr.User) genericusr.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.DefaultAccountID == 0 {
		u.DefaultAccountID = AccountID
	}
	s.accounts[u.DefaultAccountID] = true
	r := &record{id: u.ID, contactName: u.ContactName, email: u.EmailAddress, username: u.Username,
		account: u.DefaultAccountID, active: u.Active}
	s.store(r)
	return r.sdk()
}

// Password returns the password stored for the user, so that a test can
// check what was sent; the API itself never returns it.
func (s *Server) Password(userID int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[userID]
	if !ok {
		return "", false
	}
	return r.password, true
}

// SetPassword sets the password stored for the user with the given id, as
// a test that seeds a user with AddUser may want, and reports whether the
// user exists.
func (s *Server) SetPassword(userID int64, password string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[userID]
	if ok {
		r.password = password
	}
	return ok
}

// store saves r, assigning the next id when r.id is zero. Callers hold mu.
func (s *Server) store(r *record) {
	if r.id == 0 {
		s.nextID++
		for s.users[s.nextID] != nil {
			s.nextID++
		}
		r.id = s.nextID
	}
	if old, ok := s.users[r.id]; ok {
		s.usernames.Remove(old.username, old.id)
	}
	s.users[r.id] = r
	s.usernames.Add(r.username, r.id)
}

// ids returns the user ids in increasing order. Callers hold mu.
func (s *Server) ids() []int64 {
	ids := make([]int64, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (r *record) sdk() genericusr.User {
	return genericusr.User{ID: r.id, ContactName: r.contactName, EmailAddress: r.email, Username: r.username,
		DefaultAccountID: r.account, Active: r.active}
}

// wire renders r in the vendor's style: numbers as strings, password null.
// The result shares nothing with the store.
func (r *record) wire() api.User {
	name, email, username := r.contactName, r.email, r.username
	active := "0"
	if r.active {
		active = "1"
	}
	return api.User{
		UserID:           numeric(strconv.FormatInt(r.id, 10)),
		ContactName:      &name,
		EmailAddress:     &email,
		Username:         &username,
		DefaultAccountID: numeric(strconv.FormatInt(r.account, 10)),
		Active:           numeric(active),
		Password:         nil, // written as "password": null
	}
}

func numeric(s string) *api.IntegerOrString {
	var v api.IntegerOrString
	_ = v.FromNumericString(s) // marshalling a string cannot fail
	return &v
}

func (s *Server) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	user, pass, ok := in.RequestValidationInput.Request.BasicAuth()
	if !ok {
		return in.NewError(errors.New("missing HTTP Basic credentials"))
	}
	if subtle.ConstantTimeCompare([]byte(user), []byte(s.username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.password)) != 1 {
		return in.NewError(errors.New("invalid username or password"))
	}
	return nil
}

func errBody(message string) api.ErrorResponse {
	typ := "Exception"
	return api.ErrorResponse{Error: &api.ErrorDetail{Type: &typ, Message: &message}}
}

// writeError writes an error in the vendor's style.
func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Revive Adserver REST API"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errBody(message))
}
