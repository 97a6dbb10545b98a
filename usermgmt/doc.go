// Package usermgmt is the provider-neutral core of usermgmt-go: one
// concrete Directory type over the user accounts of five SaaS APIs, the errors
// every provider returns, the retry policy, idempotency keys, lazy
// pagination, bulk provisioning, and the options every provider client
// takes.
//
// # The shape
//
// Each API has its own package with a typed client (syncari, dbsync,
// genericusr, vendorusers, bss), generated from a hand-written OpenAPI spec
// and wrapped in an idiomatic layer. Each of those packages also has a
// driver (package usermgmt/driver) and a NewDirectory with one signature,
//
//	func NewDirectory(c *Client, cfg DirectoryConfig, opts ...usermgmt.DirectoryOption) (*usermgmt.Directory, error)
//
// that returns a *Directory over its client. Every rule that is the same for
// all APIs (validation, filters, paging guards, exactly-once creates,
// errors) lives once, in Directory; a driver does only what its API makes
// different, as with database/sql and its drivers. This package imports no
// provider: you import the providers you use and pay for nothing else, and
// nothing registers itself anywhere.
//
//	client, err := syncari.New(syncari.Config{ClientID: id, ClientSecret: secret, InstanceID: "YUBV99"},
//		usermgmt.WithLogger(logger), usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 5}))
//	if err != nil {
//		return err
//	}
//	dir, err := syncari.NewDirectory(client, syncari.DirectoryConfig{})
//	if err != nil {
//		return err
//	}
//
//	u, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Email: "ada@example.com", Name: "Ada Lovelace"})
//	for u, err := range dir.ListUsers(ctx, nil) { ... }
//
// # What each provider can do
//
// APIs differ; the drivers map each Directory method honestly and say so.
// Capabilities reports it at run time, derived from the abilities each
// driver implements (a test checks this table against them); an operation
// an API cannot do returns an *UnsupportedError, matching
// errors.ErrUnsupported, that names the provider and the operation, before
// anything is sent.
//
//	method      syncari             dbsync               genericusr          vendorusers            bss
//	CreateUser  createUser (keyed)  registerUser         addUser             createUser             createUser
//	GetUser     getUsers + filter   licenseDetails       getUser             getUsers + filter      getUserById
//	                                (company+user)
//	ListUsers   getUsers (cursor)   licenseDetails       getUserListBy-      getUsers (offset/      getAllUsers
//	                                (company)            AccountId           limit pages)           (offset/limit)
//	UpdateUser  unsupported         unsupported          modifyUser          updateUser (names)     updateUser (PATCH)
//	SetActive   activate/           unsupported          modifyUser          updateUser             updateUser
//	            deactivateUser                           (active 0/1)        (userIsActive)         (registration_state)
//	DeleteUser  deactivateUser      unregisterUser       deleteUser          updateUser             deleteUserById
//	            (no delete)         (frees a license)                        (archived: archives)
//	SetRoles    setUserRoles        unsupported          unsupported         updateUser (roleId,    unsupported
//	            (this instance)                                              one role)
//	natural key email               username (company)   username            username (email)       email
//
// # Exactly-once creates
//
// A create is never sent twice by accident. Syncari takes an idempotency
// key (clientRequestId): the Directory sends one per logical create, or the
// one set with WithIdempotencyKey, and reuses it on every retry, so retried
// creates are safe. The other four APIs have no key: a create is not
// resent when its outcome is unknown (a dropped connection, a timeout, a
// 5xx after the request was sent); the provider clients return an error
// matching ErrOutcomeUnknown, and the Directory settles it by looking the
// user up by its natural key before deciding to send again. When no answer
// came, the request may still be in flight on the server, so a look-up
// that finds nothing proves nothing: the Directory keeps looking for a
// settle window (WithSettleWindow) and then reports the outcome as unknown
// rather than resend. The user ends up created exactly once, or the error
// says plainly that the outcome is still unknown. A user that existed
// before the call is a *ConflictError (ErrConflict) carrying that user.
//
// # Retries
//
// RetryPolicy sets the attempts, the base delay and the cap of a full-jitter
// exponential backoff. Reads, updates, deletes and keyed creates are
// retried on 429, 5xx and transport errors; creates without a key only
// when the failure proves the server never saw them (connection refused,
// 429). Retry-After is honoured in both forms; a wait longer than the cap
// stops the call at once with an *APIError matching ErrRateLimited that
// carries RetryAfter. Cancelling the context stops a backoff at once.
//
// # Errors
//
// Every failure from a server is an *APIError (status, the provider's code
// and message, request id, operation, RetryAfter), matched with errors.Is
// against ErrNotFound, ErrConflict, ErrUnauthorized and ErrRateLimited.
// Bad input is refused before anything is sent with an *InputError
// (ErrInvalidInput). No error, log record or printed value ever contains a
// credential: credentials are Secret values, which print and encode as
// "[REDACTED]".
//
// # Paging and bulk work
//
// Listings are iter.Seq2 iterators that fetch pages lazily and hold one page
// in memory; breaking out of the loop stops fetching. Paginate builds one
// from any page function. Provision creates many users with bounded
// concurrency, an optional rate limit and a progress callback, reports an
// outcome per user, and is safe to re-run after a crash.
//
// # Observability
//
// WithTracerProvider and WithMeterProvider, given to a provider's New,
// record OpenTelemetry spans and metrics under the instrumentation scope
// "github.com/usermgmt-go/sdk"; without them nothing is recorded and
// nothing is spent on it. Each logical call is a client span named
// "<provider> <operationId>" (e.g. "bss getUserById") with the HTTP
// semantic conventions' attributes (http.request.method, server.address,
// server.port, http.response.status_code, error.type) and
// usermgmt.provider, usermgmt.operation and usermgmt.attempts; each
// attempt is a child span ("... attempt", with http.request.resend_count),
// inside which an instrumented *http.Client nests its own; each wait
// before a retry is a "retry" event with its reason (http_503, timeout,
// connection_reset, ...), wait and attempt. A provider's NewDirectory
// passes the providers on, so that each Directory method is a span
// ("<provider> Directory.CreateUser") above its calls, the look-up that
// settles a create of unknown outcome is a span of its own
// ("<provider> Directory.settle"), and a Provision or Apply run is one
// trace with a child span per user. Failures record only their kind
// (ErrorKind: not_found, outcome_unknown, 503, ...) as error.type and as
// the status description, never an error's text: no span, event or metric
// carries a credential, a password, a body or an id.
//
// Metrics: usermgmt.client.call.duration (s, by provider, operation and
// outcome), usermgmt.client.call.attempts, usermgmt.client.retries (by
// reason), usermgmt.client.rate_limit.wait (s, Retry-After waits honoured
// on 429 and 503), usermgmt.client.calls.active, and usermgmt.provision.items
// and usermgmt.apply.items by outcome.
//
// No trace context is sent to a provider's API unless asked for with
// WithTracePropagation(propagation.TraceContext{}), which adds traceparent
// (and whatever else the propagator injects) to each attempt's request.
//
// # Testing
//
// Each provider has a fake in a <provider>test package (syncaritest, ...),
// an in-process server that validates every request against the spec,
// keeps state, injects faults and records a journal. The usermgmttest
// package has the conformance suite every driver must pass and an
// in-memory driver (NewMemory) for tests of your own code.
package usermgmt
