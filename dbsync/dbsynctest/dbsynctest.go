// Package dbsynctest runs an in-memory fake of the DBSync Partner API v2 for
// tests and examples, as net/http/httptest runs a server.
//
// The fake is built on the server that oapi-codegen generates from
// specs/dbsync.yaml and validates every request against that document. It
// answers in the API's own style: HTTP 200 always, with failures reported
// as a non-empty errorMessage list inside the {"value":[...]} wrapper. It
// keeps users per company, enforces a license quota when one is set (see
// WithQuota), checks the partner key and token carried in every body,
// injects faults and records a journal of every request (see Server.Inject
// and Server.Requests).
//
//	srv := dbsynctest.NewServer()
//	defer srv.Close()
//	client, err := dbsync.New(srv.Config())
//
// The messages the fake sends are its own wording (the vendor publishes
// none); the dbsync client maps them as it maps the real API's:
//
//   - wrong partnerAppKey or partnerAppToken: "Invalid partnerAppKey or
//     partnerAppToken" (usermgmt.ErrUnauthorized)
//   - registering a user that is registered: "User already exists"
//     (usermgmt.ErrConflict)
//   - registering past the quota: "License quota exceeded: N of N licensed
//     users are registered" (dbsync.ErrQuotaExceeded)
//   - unregistering a user that is not registered: "User is not registered"
//     (usermgmt.ErrNotFound)
//   - authenticating an unknown user: "User not found" (usermgmt.ErrNotFound)
//   - an empty company or user name: "endUserCompany is required" /
//     "endUserName is required"
//
// licenseDetails answers an empty value list when nothing matches. A request
// that does not match the spec (a missing credential field, a body that is
// not JSON) is answered 400 with the same wrapper: how the real API answers
// those is not documented.
package dbsynctest

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest/internal/api"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The credentials the fake accepts unless WithCredentials says otherwise.
const (
	PartnerAppKey   = "dbsynctest-partner-app-key"
	PartnerAppToken = "dbsynctest-partner-app-token"
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:34567.
	URL string

	core *usermgmttest.FakeServer

	key, token string
	quota      int

	mu            sync.Mutex
	companies     map[string]string // company name -> companyId
	users         map[userKey]*user
	order         []userKey
	registrations int
	nextCompany   int
	nextUser      int
	now           func() time.Time
}

type userKey struct{ company, name string }

type user struct {
	companyID, userID string
	company, name     string
	registered        time.Time
}

// Option configures a fake.
type Option func(*Server)

// WithCredentials sets the partnerAppKey and partnerAppToken the fake
// accepts.
func WithCredentials(key, token string) Option {
	return func(s *Server) { s.key, s.token = key, token }
}

// WithClock sets the clock that stamps registrations, from which the
// licenses' expiry dates follow (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithQuota caps the number of users registered at the same time: a
// registerUser past it fails, as the real API's would, with HTTP 200 and an
// errorMessage. Unregistering a user frees its seat. Zero (the default)
// means no cap.
//
// Assumed reading of the vendor's "counts against the license quota" and
// "does not change the annual quota": the quota is a number of licensed
// users, and unregistering lowers the count of active users but leaves the
// quota itself as it is. Registrations reports the other count, every
// registration ever made.
func WithQuota(n int) Option {
	return func(s *Server) { s.quota = n }
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		key:       PartnerAppKey,
		token:     PartnerAppToken,
		companies: map[string]string{},
		users:     map[userKey]*user{},
		now:       time.Now,
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
		panic("dbsynctest: embedded spec: " + err.Error())
	}
	s.core = usermgmttest.NewFakeServer(usermgmttest.FakeConfig{
		Spec:      spec,
		Handler:   h,
		ErrorBody: writeError,
	})
	s.URL = s.core.URL
	return s
}

// Config returns a dbsync.Config that points at the fake with its
// credentials.
func (s *Server) Config() dbsync.Config {
	return dbsync.Config{
		BaseURL:         s.URL,
		PartnerAppKey:   usermgmt.Secret(s.key),
		PartnerAppToken: usermgmt.Secret(s.token),
	}
}

// Users returns the registered users of every company, in registration
// order, as licenseDetails would answer them.
func (s *Server) Users() []dbsync.License {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]dbsync.License, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, toSDK(s.users[k].license()))
	}
	return out
}

// Registrations returns how many registrations succeeded since the fake
// started, seeds included; unregistering does not lower it.
func (s *Server) Registrations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.registrations
}

// AddUser registers the user named u.UserName in the company named
// u.CompanyName as if registerUser had been called, ignoring the quota, and
// returns the user as licenseDetails answers it; the other fields of u are
// the fake's to fill in. A user that is registered already is returned
// unchanged.
func (s *Server) AddUser(u dbsync.License) dbsync.License {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[userKey{u.CompanyName, u.UserName}]
	if !ok {
		r = s.register(u.CompanyName, u.UserName)
	}
	return toSDK(r.license())
}

// register stores a new user; the caller holds the lock.
func (s *Server) register(company, name string) *user {
	cid, ok := s.companies[company]
	if !ok {
		cid = itoa(9877 + s.nextCompany)
		s.nextCompany++
		s.companies[company] = cid
	}
	u := &user{companyID: cid, userID: itoa(5773 + s.nextUser), company: company, name: name, registered: s.now().UTC()}
	s.nextUser++
	k := userKey{company, name}
	s.users[k] = u
	s.order = append(s.order, k)
	s.registrations++
	return u
}

// unregister removes a user; the caller holds the lock.
func (s *Server) unregister(k userKey) {
	delete(s.users, k)
	for i, o := range s.order {
		if o == k {
			s.order = append(s.order[:i:i], s.order[i+1:]...)
			break
		}
	}
}

// license returns a fresh answer item for u, sharing nothing with the store.
func (u *user) license() api.LicenseDetail {
	return api.LicenseDetail{
		CompanyID:     u.companyID,
		CompanyName:   u.company,
		UserID:        u.userID,
		UserName:      u.name,
		LicenseStatus: "Active",
		LicenseType:   "Partner",
		ExpiryDate:    u.registered.AddDate(1, 0, 0).Format(time.DateOnly),
		ErrorMessage:  []string{},
	}
}

func toSDK(l api.LicenseDetail) dbsync.License {
	b, err := json.Marshal(l)
	if err != nil {
		panic(err)
	}
	var out dbsync.License
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// writeError answers with status and the API's wrapper carrying message.
func writeError(w http.ResponseWriter, status int, message string) {
	body := api.UserResultList{Value: []api.UserResult{{ErrorMessage: []string{message}}}}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
