// Package usermgmt is the provider-neutral core of usermgmt-go: one
// Directory interface over the user accounts of five SaaS APIs, the errors
// every provider returns, the retry policy, idempotency keys, lazy
// pagination, bulk provisioning, and the options every provider client
// takes.
//
// # The shape
//
// Each API has its own package with a typed client (syncari, dbsync,
// genericusr, vendorusers, bss), generated from a hand-written OpenAPI spec
// and wrapped in an idiomatic layer. Each of those packages also has an
// adapter, NewDirectory, that turns its client into a Directory. This
// package imports none of them: like database/sql and its drivers, you import
// the providers you use and pay for nothing else, and nothing registers
// itself anywhere.
//
//	client, err := syncari.New(syncari.Config{ClientID: id, ClientSecret: secret, InstanceID: "YUBV99"},
//		usermgmt.WithLogger(logger), usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 5}))
//	if err != nil {
//		return err
//	}
//	var dir usermgmt.Directory = syncari.NewDirectory(client)
//
//	u, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Email: "ada@example.com", Name: "Ada Lovelace"})
//	for u, err := range dir.ListUsers(ctx, nil) { ... }
//
// # What each provider can do
//
// APIs differ; the adapters map each Directory method honestly and say so.
// Capabilities reports it at run time; an operation an API cannot do
// returns an error matching errors.ErrUnsupported that names the provider
// and the operation.
//
//	method      syncari             dbsync               genericusr          vendorusers            bss
//	CreateUser  createUser (keyed)  registerUser         addUser             createUser             createUser
//	GetUser     getUsers + filter   licenseDetails       getUser             getUsers + filter      getUserById
//	                                (company+user)
//	ListUsers   getUsers (cursor)   licenseDetails       getUserListBy-      getUsers (offset/      getAllUsers
//	                                (company)            AccountId           limit pages)           (offset/limit)
//	UpdateUser  unsupported         unsupported          modifyUser          updateUser (PUT)       updateUser (PATCH)
//	SetActive   activate/           unsupported          modifyUser          updateUser             updateUser
//	            deactivateUser                           (active 0/1)        (userIsActive)         (registration_state)
//	DeleteUser  deactivateUser      unregisterUser       deleteUser          updateUser             deleteUserById
//	            (no delete)         (frees a license)                        (archived: archives)
//	SetRoles    setUserRoles        unsupported          unsupported         updateUser (roleId,    unsupported
//	            (this instance)                                              one role)
//	natural key email               company + user name  username            username (email)       email
//
// # Exactly-once creates
//
// A create is never sent twice by accident. Syncari takes an idempotency
// key (clientRequestId): the client sends one per logical call, or the one
// set with WithIdempotencyKey, and reuses it on every retry, so retried
// creates are safe. The other four APIs have no key: a create is not
// resent when its outcome is unknown (a dropped connection, a timeout, a
// 5xx after the request was sent); the provider clients return an error
// matching ErrOutcomeUnknown, and the Directory adapters settle it by
// looking the user up by its natural key before deciding to send again. The
// user ends up created exactly once, or the error says plainly that the
// outcome is still unknown.
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
// # Testing
//
// Each provider has a fake in a <provider>test package (syncaritest, ...),
// an in-process server that validates every request against the spec,
// keeps state, injects faults and records a journal. The usermgmttest
// package has the conformance suite every Directory must pass and an
// in-memory Directory for tests of your own code.
package usermgmt
