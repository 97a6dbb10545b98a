// Package usermgmttest is the SDK's public test kit: Run, the conformance
// suite every driver of a *usermgmt.Directory passes, in the manner of
// gocloud's drivertest; Memory, an in-memory driver (NewMemory returns a
// Directory over one) for testing code that takes a Directory; and the
// fake-server kit on which this module's fakes of the
// provider APIs (syncaritest, dbsynctest, genericusrtest, vendoruserstest
// and bsstest) are built, and on which a fake of another API can be built.
//
// # Fake servers
//
// A FakeServer is an httptest server on a loopback port that serves an API
// described by an OpenAPI 3 document (FakeConfig.Spec). For each request it
//
//  1. routes it to an operation of the document by path and method,
//     answering 404 or 405 when none matches;
//  2. waits for the latency set with SetLatency;
//  3. applies the first pending Fault that matches it (see Inject): a Fault
//     whose FaultKind acts before handling answers, drops or holds the
//     request now;
//  4. validates the request against the document (parameters, body, and
//     credentials through FakeConfig.Authenticate), answering 400 or 401
//     with a message that names the violation;
//  5. hands it to FakeConfig.Handler, which holds the fake's state;
//  6. applies a Fault that acts after handling, which spoils or loses the
//     answer of a change that is stored.
//
// Every request, whichever step answered it, is recorded in the journal with
// the operation, the status answered and the fault injected (see Requests,
// Count and Idle). The errors the FakeServer answers itself are written by
// FakeConfig.ErrorBody, in the API's own style.
//
// # A fake of your own API
//
// Generate a strict server and an embedded spec from the API's document with
// oapi-codegen, implement the generated interface over an in-memory store,
// and start a FakeServer in front of it:
//
//	spec, err := api.GetSwagger()
//	if err != nil {
//		panic(err)
//	}
//	reqErr, respErr := usermgmttest.StrictErrors(writeError)
//	h := api.Handler(api.NewStrictHandlerWithOptions(store, nil, api.StrictHTTPServerOptions{
//		RequestErrorHandlerFunc: reqErr, ResponseErrorHandlerFunc: respErr,
//	}))
//	srv := usermgmttest.NewFakeServer(usermgmttest.FakeConfig{
//		Spec: spec, Handler: h, Authenticate: checkKey, ErrorBody: writeError,
//	})
//	defer srv.Close()
//
// Any http.Handler will do as the handler (see the example of
// NewFakeServer). Tests then inject faults and read the journal:
//
//	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
//	// ... call the client under test ...
//	if n := srv.Count("createUser"); n != 1 {
//		t.Errorf("createUser sent %d times", n)
//	}
//
// The provider fakes of this module wrap a FakeServer in a Server of their
// own with the same testing methods (Inject, ClearFaults, Requests, Count,
// ResetJournal, SetLatency, Idle, Client, Close, the URL field, and
// FakeServer for the core itself) and options named alike: WithCredentials,
// WithClock where the fake stamps times, WithPageSize where the API pages;
// each seeds a user with AddUser, which takes and returns the provider's
// user type. A fake of your own can follow the same pattern.
package usermgmttest
