package syncaritest

import (
	"context"
	"net/http"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// The testing methods of Server: each delegates to the
// usermgmttest.FakeServer that serves the fake.

// FakeServer returns the usermgmttest.FakeServer that serves the fake, for
// code that drives the fakes of several APIs alike.
func (s *Server) FakeServer() *usermgmttest.FakeServer { return s.core }

// Close shuts the fake down, closing open connections.
func (s *Server) Close() { s.core.Close() }

// Client returns an *http.Client that talks to the fake.
func (s *Server) Client() *http.Client { return s.core.Client() }

// Inject adds a fault for the requests to come, such as
// usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"}.
// Faults apply in the order they were injected; the first that matches a
// request is used. Operation names are the operationIds of specs/syncari.yaml.
func (s *Server) Inject(f usermgmttest.Fault) { s.core.Inject(f) }

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() { s.core.ClearFaults() }

// Requests returns a copy of the journal: every request the fake received,
// in order, with the status it answered and the fault it injected.
func (s *Server) Requests() []usermgmttest.Request { return s.core.Requests() }

// Count returns how many requests were routed to operation, an operationId
// of specs/syncari.yaml such as "createUser".
func (s *Server) Count(operation string) int { return s.core.Count(operation) }

// ResetJournal empties the journal.
func (s *Server) ResetJournal() { s.core.ResetJournal() }

// SetLatency delays every later request by d before it is handled; a client
// that gives up stops the wait. Zero removes the delay.
func (s *Server) SetLatency(d time.Duration) { s.core.SetLatency(d) }

// Idle waits until the fake is serving no request, or ctx is done: call it
// before reading the journal when a client may have given up on a request
// the fake was still holding.
func (s *Server) Idle(ctx context.Context) error { return s.core.Idle(ctx) }
