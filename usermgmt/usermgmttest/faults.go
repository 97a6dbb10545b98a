package usermgmttest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Request is one entry of a fake's journal (see FakeServer.Requests): a
// request as the fake received it, the status it answered and the fault it
// injected, for assertions on what went over the wire.
type Request struct {
	// Operation is the operationId the request was routed to, "" if none.
	Operation string
	// Method is the HTTP method, e.g. "POST".
	Method string
	// Path is the decoded path; RawPath the path as sent, still escaped.
	Path    string
	RawPath string
	// Query is the parsed query string.
	Query url.Values
	// Header holds the request's headers, credentials included: a test
	// that prints an entry should not print these.
	Header http.Header
	// Body is the request body as sent; of a body over 1 MiB, answered
	// 413, only its first MiB and a byte.
	Body []byte
	// Status is the status answered, 0 when the connection was dropped or
	// the client gave up before the answer.
	Status int
	// Fault names the fault injected into this request, if any.
	Fault string
	// Handled reports that the request reached the handler, which may have
	// stored a change: false for a request refused by validation or
	// answered by a fault before handling (Fail, DropBefore, a Delay the
	// client gave up on). A fault whose kind is AfterHandling leaves it true.
	Handled bool
}

// FaultKind is what a Fault does to a request: before the fake's handler
// runs, so that nothing is stored (Fail, DropBefore, Delay), or after it, so
// that the change is stored but the answer is lost or spoiled (the others;
// see AfterHandling).
type FaultKind int

const (
	// Fail answers with Status (and Retry-After, when set) without
	// reaching the handler: nothing is stored.
	Fail FaultKind = iota + 1
	// DropBefore closes the connection without an answer and without
	// reaching the handler: nothing is stored.
	DropBefore
	// DropAfter lets the handler store the change, then closes the
	// connection without sending its answer.
	DropAfter
	// FailAfter lets the handler store the change, then answers with Status
	// instead of its answer (a 5xx after the write).
	FailAfter
	// Delay holds the request for Delay before handling it, as a server
	// that is too slow would.
	Delay
	// DelayAfter lets the handler store the change, then holds its answer
	// for Delay: a server that is slow to answer a write it has applied.
	DelayAfter
	// Truncate lets the handler store the change, then sends its status
	// and headers with a Content-Length larger than the body, sends half
	// the body and closes the connection.
	Truncate
	// Replace lets the handler store the change, then answers with Status,
	// ContentType and Body in place of the handler's own (each zero value
	// keeps the handler's): malformed JSON, a wrong content type.
	Replace
	// Pad lets the handler store the change, then sends its answer followed
	// by Padding bytes of white space: still valid JSON, but larger than a
	// client's response cap.
	Pad
	// StoreLate holds the request for Delay, then lets the handler store
	// the change even when the client has given up meanwhile: a server
	// slower than its client, whose work goes on after the client's
	// timeout. A client still waiting gets the handler's answer.
	StoreLate
)

// AfterHandling reports whether a fault of kind k lets the handler run, and
// store the change, before it acts.
func (k FaultKind) AfterHandling() bool {
	switch k {
	case DropAfter, FailAfter, DelayAfter, Truncate, Replace, Pad:
		return true
	}
	return false
}

// String returns the kind's name, e.g. "DropAfter".
func (k FaultKind) String() string {
	switch k {
	case Fail:
		return "Fail"
	case DropBefore:
		return "DropBefore"
	case DropAfter:
		return "DropAfter"
	case FailAfter:
		return "FailAfter"
	case Delay:
		return "Delay"
	case DelayAfter:
		return "DelayAfter"
	case Truncate:
		return "Truncate"
	case Replace:
		return "Replace"
	case Pad:
		return "Pad"
	case StoreLate:
		return "StoreLate"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a failure that a fake injects into the requests it receives:
// pass one to the Inject method of a FakeServer, or of a syncaritest,
// dbsynctest, genericusrtest, vendoruserstest or bsstest Server, which all
// share this vocabulary.
//
//	srv := bsstest.NewServer()
//	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createUser"})
//
// Operation and Method, when set, restrict it to matching requests; Times is
// how many matching requests it affects (0 means 1); Probability applies it
// at random instead.
type Fault struct {
	// Kind is what the fault does.
	Kind FaultKind
	// Operation, when set, restricts the fault to requests routed to this
	// operationId of the spec.
	Operation string
	// Method, when set, restricts the fault to requests with this HTTP
	// method.
	Method string
	// Status is the status of a Fail, FailAfter or Replace answer.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header of a Fail or
	// FailAfter answer: delay-seconds or an HTTP date.
	RetryAfter string
	// ContentType and Body, when Body is not nil, replace the provider's
	// error body in a Fail or FailAfter answer (an HTML page from a proxy),
	// and the handler's body in a Replace answer. An empty ContentType
	// keeps the handler's (Replace) or means text/plain.
	ContentType string
	Body        []byte
	// Delay is how long a Delay, DelayAfter or StoreLate fault holds the
	// request.
	Delay time.Duration
	// Padding is how many bytes of white space a Pad fault appends.
	Padding int
	// Times is how many matching requests the fault affects before it is
	// removed; 0 means 1.
	Times int
	// Probability, when in (0,1), applies the fault to that share of the
	// matching requests at random (Times is then ignored and the fault stays
	// until cleared).
	Probability float64
	// Rand draws the random number for Probability; nil means math/rand/v2.
	Rand func() float64
}

func (f *Fault) name() string {
	switch f.Kind {
	case Fail:
		return fmt.Sprintf("fail %d", f.Status)
	case DropBefore:
		return "drop before handling"
	case DropAfter:
		return "drop after handling"
	case FailAfter:
		return fmt.Sprintf("fail %d after handling", f.Status)
	case Delay:
		return "delay " + f.Delay.String()
	case DelayAfter:
		return "delay " + f.Delay.String() + " after handling"
	case StoreLate:
		return "store after " + f.Delay.String() + ", whether the client waits or not"
	case Truncate:
		return "truncate after handling"
	case Replace:
		return "replace after handling"
	case Pad:
		return fmt.Sprintf("pad %d bytes after handling", f.Padding)
	}
	return "fault"
}

// draw returns the random number that decides whether a fault with a
// Probability applies.
func draw(f *Fault) float64 {
	if f.Rand != nil {
		return f.Rand()
	}
	return rand.Float64()
}
