// Package dbsync is a client for the DBSync Partner API v2, with which a
// partner application registers its end users with the DBSync license
// manager.
//
// The API has four operations, each a POST with a JSON body:
//
//   - registerUser (Client.RegisterUser): registers a user of a company; the
//     user counts against the partner application's license quota.
//   - unregisterUser (Client.UnregisterUser): unregisters a user, lowering
//     the count of active users (the annual quota is not given back).
//   - authenticateUser (Client.AuthenticateUser): checks that a user holds a
//     valid license, and returns its license detail.
//   - licenseDetails (Client.LicenseDetails, Client.Licenses): lists the
//     license details of every user, of one company, or of one user.
//
// A user is named by its company and user name (EndUser); DBSync assigns
// numeric ids (strings of digits) that no call accepts.
//
// # Creating a client
//
// The endpoint is https://{env}.mydbsync.com/{version}/appcode/v2/partner.
// Give the environment (Staging, Production, or the name DBSync gave you;
// there is no default) and optionally the version (DefaultVersion,
// "appcenter-2-2", when empty), or the whole URL in Config.BaseURL. The partner application's key and token are set once in
// the Config; the client adds them to every request body. They are
// usermgmt.Secret values: they print as "[REDACTED]", are never logged, and
// are scrubbed from error messages even when a server echoes them.
//
//	client, err := dbsync.New(dbsync.Config{
//		Environment:     dbsync.Staging,
//		Version:         "appcenter-2-2",
//		PartnerAppKey:   usermgmt.Secret(os.Getenv("DBSYNC_PARTNER_APP_KEY")),
//		PartnerAppToken: usermgmt.Secret(os.Getenv("DBSYNC_PARTNER_APP_TOKEN")),
//	}, usermgmt.WithLogger(slog.Default()))
//	if err != nil {
//		return err
//	}
//	acme := dbsync.EndUser{Company: "Acme Corp", UserName: "jdoe"}
//	if _, err := client.RegisterUser(ctx, acme); errors.Is(err, usermgmt.ErrConflict) {
//		// registered already
//	}
//	licenses, err := client.LicenseDetails(ctx, dbsync.LicenseFilter{Company: "Acme Corp"})
//
// The dbsynctest package runs a fake of the API for tests and examples.
//
// # Errors
//
// The API answers HTTP 200 even when a call fails, and lists the failure in
// an errorMessage array. The client returns such an answer as an
// *usermgmt.APIError whose Messages hold every message, verbatim. The
// vendor does not publish its messages, so the client recognises them by
// their words (see the rules below); an unrecognised message still is an
// error, with no Kind. The rules, tried in this order, case-insensitively:
//
//   - naming the partner credentials or refusing them ("partnerAppKey",
//     "application token", "unauthorized", "access denied"):
//     usermgmt.ErrUnauthorized;
//   - the license quota ("quota", "license limit", "limit exceeded",
//     "no licenses available"): ErrQuotaExceeded;
//   - an unknown user or company ("not found", "does not exist",
//     "not registered", "unknown user"): usermgmt.ErrNotFound;
//   - a user that exists ("already exists", "already registered",
//     "duplicate"): usermgmt.ErrConflict.
//
// Any other status (from a proxy, a gateway or an outage) is an
// *usermgmt.APIError with that status, matched as usermgmt.KindForStatus
// says. Arguments are checked before anything is sent: an empty or
// space-padded company or user name gives an *usermgmt.InputError.
//
// # Retries and idempotency
//
// Every call is retried on 429, 5xx and transport errors, with the policy of
// usermgmt.WithRetry, unless its retry class forbids it:
//
//   - authenticateUser and licenseDetails are reads, though they are POSTs:
//     always retried, and their errors never report an unknown outcome.
//   - registerUser consumes license quota and is not idempotent: it is resent
//     only when the failure proves the server never saw it. When its outcome
//     is unknown the error matches usermgmt.ErrOutcomeUnknown; look the user
//     up (LicenseDetails with the company and user name) before registering
//     again. The Directory adapter's CreateUser does exactly that.
//   - unregisterUser is idempotent in effect and retried. When a retry
//     answers "not registered" after an earlier attempt of the same call may
//     have been applied (a dropped connection or a 5xx), the call succeeds;
//     otherwise "not registered" is an error matching usermgmt.ErrNotFound.
//     When every attempt fails without an answer, the error matches
//     usermgmt.ErrOutcomeUnknown; calling it again is safe.
//
// A call whose context is already done sends nothing and returns the
// context's error.
//
// # The usermgmt.Directory adapter
//
// NewDirectory adapts a Client to usermgmt.Directory for the users of one
// company: create registers, delete unregisters (DeleteMeans "unregister"),
// get and list use licenseDetails; update, activation and roles are
// unsupported. A user's ID is its end-user name.
//
// # Assumptions
//
// Only the registerUser answer is published (in the API's v1
// documentation). The answers of the other three calls are assumed to use
// the same {"value":[...]} wrapper; the license fields (LicenseStatus,
// LicenseType, ExpiryDate) and CompanyName are guesses, and License keeps
// any field it does not model in Extra. How a repeated unregisterUser
// answers is not documented either. specs/dbsync.yaml marks each assumption
// "Assumed:", and specs/README.md lists them.
package dbsync
