package usermgmttest

import "github.com/usermgmt-go/sdk/internal/fake"

// Fault is a failure that a provider fake injects into the requests it
// receives: pass one to the Inject method of a syncaritest, dbsynctest,
// genericusrtest, vendoruserstest or bsstest Server.
//
//	srv := bsstest.NewServer()
//	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
//
// Operation (an operationId of the provider's spec) and Method, when set,
// restrict the fault to matching requests; Times is how many it affects (0
// means 1); Probability applies it at random instead. Every fake shares
// this one vocabulary.
type Fault = fake.Fault

// FaultKind says what a Fault does to a request: before the fake's handler
// runs (nothing is stored) or after it (the change is stored, but the
// answer is lost or spoiled); see FaultKind.AfterHandling.
type FaultKind = fake.FaultKind

// The kinds of Fault.
const (
	// Fail answers with Status (and RetryAfter) before handling.
	Fail = fake.Fail
	// DropBefore closes the connection before handling.
	DropBefore = fake.DropBefore
	// DropAfter stores the change, then closes the connection unanswered.
	DropAfter = fake.DropAfter
	// FailAfter stores the change, then answers with Status instead.
	FailAfter = fake.FailAfter
	// Delay holds the request for Delay before handling it.
	Delay = fake.Delay
	// DelayAfter stores the change, then holds the answer for Delay.
	DelayAfter = fake.DelayAfter
	// Truncate stores the change, then sends half of the answer's body.
	Truncate = fake.Truncate
	// Replace stores the change, then answers with Status, ContentType and
	// Body in place of the handler's.
	Replace = fake.Replace
	// Pad stores the change, then appends Padding bytes of white space to
	// the answer.
	Pad = fake.Pad
)

// Request is one entry of a fake's journal (its Requests method): the
// operationId, method, path as sent, query, headers and body of a request,
// the status answered and the fault injected, for assertions on what went
// over the wire.
type Request = fake.Request
