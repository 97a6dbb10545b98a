// Package vendoruserstest runs an in-memory fake of the Guardant licensing
// service's vendor users API for tests and examples, as net/http/httptest
// runs a server.
//
// The fake is built on the server that oapi-codegen generates from
// specs/vendorusers.yaml, and validates every request against that
// document: a request the real service would not understand (a limit of
// 101, a userIsActive of "yes", a missing passwordConfirm) is answered 400
// with a message that names the violation. It checks the bearer token,
// keeps users in memory, pages and sorts them by last name then first name,
// filters archived users, injects faults, and records a journal of every
// request (see Server.Inject and Server.Requests).
//
// The roles of the documentation are preloaded: 2 Supervisor, 3 Product
// manager, 4 Sales manager and 5 Developer, which getRoles lists, and 1
// Administrator, which getRoles leaves out as the documentation does but
// which users may hold and calls may set.
//
// Errors are answered as {"code": <number>, "message": "..."}, with these
// codes (the real service's are not published): 1400 a request that does
// not match the spec or is refused, 1401 a missing or wrong token, 1404 no
// such user, 1409 the username is taken, and 1000 plus the status for any
// other failure (1503 for an injected 503).
//
//	srv := vendoruserstest.NewServer()
//	defer srv.Close()
//	client, err := vendorusers.New(srv.Config())
package vendoruserstest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/usermgmt-go/sdk/internal/fold"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest/internal/api"
)

// Token is the bearer token the fake accepts unless WithCredentials says
// otherwise.
const Token = "vendoruserstest-token"

// The preloaded role ids.
const (
	RoleAdministrator  int64 = 1
	RoleSupervisor     int64 = 2
	RoleProductManager int64 = 3
	RoleSalesManager   int64 = 4
	RoleDeveloper      int64 = 5
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:34567.
	URL string

	core *usermgmttest.FakeServer

	token    string
	now      func() time.Time
	pageSize int

	mu     sync.Mutex
	users  map[int64]*record
	emails fold.Index[int64] // the ids of the users, by email (the username they were created with)
	roles  []api.Role        // every known role, listed or not
	listed map[int64]bool
	nextID int64
}

// record is a stored user with the fields the service keeps but never
// returns.
type record struct {
	user        api.User
	companyName string
	phone       string
}

// Option configures a fake.
type Option func(*Server)

// WithCredentials sets the bearer token the fake accepts (default Token).
func WithCredentials(token string) Option {
	return func(s *Server) { s.token = token }
}

// WithPageSize sets how many users a listing answers when the client sends
// no limit (default 100, as the real service).
func WithPageSize(n int) Option {
	return func(s *Server) { s.pageSize = n }
}

// WithClock sets the clock that stamps archivationdate (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		token:    Token,
		now:      time.Now,
		pageSize: 100,
		users:    map[int64]*record{},
		listed:   map[int64]bool{},
		nextID:   10026,
	}
	for _, o := range opts {
		o(s)
	}
	t, f := true, false
	s.roles = []api.Role{
		{ID: RoleAdministrator, CreateOrders: true, CreateProducts: true, CreateUsers: true, ManageProtect: true, NameEng: "Administrator", ReadVendorBalance: &t},
		{ID: RoleSupervisor, CreateOrders: true, CreateProducts: true, ManageProtect: true, NameEng: "Supervisor", ReadVendorBalance: &t},
		{ID: RoleProductManager, CreateProducts: true, NameEng: "Product manager", ReadVendorBalance: &f},
		{ID: RoleSalesManager, CreateOrders: true, NameEng: "Sales manager", ReadVendorBalance: &f},
		{ID: RoleDeveloper, ManageProtect: true, NameEng: "Developer", ReadVendorBalance: &f},
	}
	for _, id := range []int64{RoleSupervisor, RoleProductManager, RoleSalesManager, RoleDeveloper} {
		s.listed[id] = true
	}
	reqErr, respErr := usermgmttest.StrictErrors(writeError)
	h := api.Handler(api.NewStrictHandlerWithOptions(&handler{s}, nil, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: reqErr, ResponseErrorHandlerFunc: respErr,
	}))
	spec, err := api.GetSpec()
	if err != nil {
		panic("vendoruserstest: embedded spec: " + err.Error())
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

// Config returns a vendorusers.Config that points at the fake with its
// token.
func (s *Server) Config() vendorusers.Config {
	return vendorusers.Config{BaseURL: s.URL, Token: usermgmt.Secret(s.token)}
}

// Users returns the stored users, archived ones included, by id.
func (s *Server) Users() []vendorusers.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]vendorusers.User, len(ids))
	for i, id := range ids {
		out[i] = toSDK(&s.users[id].user)
	}
	return out
}

// User returns the stored user with id.
func (s *Server) User(id int64) (vendorusers.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok {
		return vendorusers.User{}, false
	}
	return toSDK(&r.user), true
}

// Roles returns every role the fake knows, Administrator included, by id.
func (s *Server) Roles() []vendorusers.Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]vendorusers.Role, len(s.roles))
	for i := range s.roles {
		b, err := json.Marshal(s.roles[i])
		if err != nil {
			panic(err)
		}
		if err := json.Unmarshal(b, &out[i]); err != nil {
			panic(err)
		}
	}
	return out
}

// AddUser stores u as if it had been created and returns it as stored. A
// zero ID or Details.ID is assigned; the role is looked up by
// u.Details.Role.ID (Developer when zero), so only its id matters.
func (s *Server) AddUser(u vendorusers.User) vendorusers.User {
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
	roleID := w.UserDetails.Role.ID
	if roleID == 0 {
		roleID = RoleDeveloper
	}
	role, ok := s.role(roleID)
	if !ok {
		panic("vendoruserstest: AddUser: unknown role id")
	}
	w.UserDetails.Role = role
	if w.UserDetails.Settings.Language == nil {
		zero := 0
		w.UserDetails.Settings.Language = &zero
	}
	r := s.store(&record{user: w})
	return toSDK(&r.user)
}

// store assigns ids where missing and stores r.
func (s *Server) store(r *record) *record {
	u := &r.user
	if u.ID == 0 {
		for s.users[s.nextID] != nil || s.users[s.nextID+1] != nil {
			s.nextID += 2
		}
		u.ID = s.nextID
		s.nextID += 2
	}
	if u.UserDetails.ID == 0 {
		u.UserDetails.ID = u.ID + 1
	}
	if old, ok := s.users[u.ID]; ok {
		s.emails.Remove(old.user.Email, u.ID)
	}
	s.users[u.ID] = r
	s.emails.Add(u.Email, u.ID)
	return r
}

// role returns the known role with id as embedded in a user: without
// readvendorbalance, as the documentation shows it.
func (s *Server) role(id int64) (api.Role, bool) {
	for _, r := range s.roles {
		if r.ID == id {
			r.ReadVendorBalance = nil
			return r, true
		}
	}
	return api.Role{}, false
}

func toSDK(w *api.User) vendorusers.User {
	b, err := json.Marshal(w)
	if err != nil {
		panic(err)
	}
	var u vendorusers.User
	if err := json.Unmarshal(b, &u); err != nil {
		panic(err)
	}
	return u
}

func (s *Server) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if h != "Bearer "+s.token {
		return in.NewError(errors.New("missing or invalid bearer token"))
	}
	return nil
}

// codes are the fake's numeric application error codes by HTTP status.
var codes = map[int]int{
	http.StatusBadRequest:   1400,
	http.StatusUnauthorized: 1401,
	http.StatusNotFound:     1404,
	http.StatusConflict:     1409,
}

func errBody(status int, message string) api.Error {
	code, ok := codes[status]
	if !ok {
		code = 1000 + status
	}
	return api.Error{Code: &code, Message: &message}
}

func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errBody(status, message))
}

// clone deep-copies u, so that an answer encoded after the lock is released
// shares nothing with the store.
func clone(u *api.User) api.User {
	c := *u
	if l := u.UserDetails.Settings.Language; l != nil {
		v := *l
		c.UserDetails.Settings.Language = &v
	}
	if r := u.UserDetails.Role.ReadVendorBalance; r != nil {
		v := *r
		c.UserDetails.Role.ReadVendorBalance = &v
	}
	return c
}
