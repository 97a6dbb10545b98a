// Package scim serves SCIM 2.0 (RFC 7643, RFC 7644) over a
// usermgmt.Directory, so that an identity provider such as Okta or
// Microsoft Entra ID can provision users into any of the SDK's APIs.
//
//	h, err := scim.NewHandler(dir, scim.Options{Prefix: "/scim/v2", Tokens: []usermgmt.Secret{token}})
//	if err != nil {
//		return err
//	}
//	http.ListenAndServeTLS(":8443", cert, key, h)
//
// NewMux serves several directories, each under its own path prefix and
// with its own tokens (one per customer account, say).
//
// # Endpoints
//
//   - /Users: POST, GET (filter, startIndex, count, attributes,
//     excludedAttributes), GET/PUT/PATCH/DELETE /Users/{id}, and the same
//     search by POST to /Users/.search (and /Groups/.search), its
//     SearchRequest body read as the query. Sorting is not supported
//     (sortBy is refused with 400 invalidValue, and ServiceProviderConfig
//     says so), nor is bulk.
//   - /Groups, for directories with roles (Capabilities.Roles): a group is
//     a role, its id and displayName the role's name, its members the users
//     holding it. Adding a member gives the user the role (SetRoles);
//     removing one takes it away. Where the API gives every user exactly
//     one role (Guardant), adding a member moves the user from its group,
//     and removing a user from its only group is refused (400 mutability).
//     A role no user holds is not listed, but can be read and filled. A
//     group cannot be renamed.
//   - /ServiceProviderConfig, /ResourceTypes and /Schemas describe what the
//     directory can do: no Group resource type without roles, attributes
//     "immutable" where the API cannot change them.
//
// # Mapping
//
// userName is the directory's natural key (Capabilities.NaturalKey: the
// username, or the email address). name.givenName and name.familyName
// map to FirstName and LastName (or to the one Name, split at its first
// space), emails to the one Email (type work, primary), active to
// SetActive, password to the create's Password (write-only). The APIs keep
// no external id: externalId is the userName, and a value sent is
// ignored. Attributes the bridge does not map (the enterprise extension,
// phone numbers, ...) are ignored in POST, PUT and PATCH.
//
// Filters accept eq, ne, co, sw, ew, gt, ge, lt, le, pr, and, or, not and
// value paths on the attributes above, with Entra's
// emails[type eq "work"].value eq "…" form. A filter whose "and" pins down
// id, userName or externalId (or the email, where it is the key) is
// answered with one look-up (GetUser, FindUser); any other filter walks
// the listing. Filters naming other attributes get 400 invalidFilter.
//
// PUT and PATCH send only what differs from the user as it is, and check
// every change against the capabilities before sending anything: a change
// the API cannot make is refused with 400 mutability, a value repeated
// unchanged is accepted. A name or address is never cleared. A password
// cannot be compared: in a PUT (Okta repeats it) one the API cannot change
// is ignored, in a PATCH it is refused. Booleans written as strings
// ("False") and ops in any case ("Replace") are read as Entra sends them.
//
// DELETE does what DeleteUser does (Capabilities.DeleteMeans): where that
// is a deactivation (Syncari), the user stays visible, inactive.
//
// # Errors
//
// Errors are SCIM errors (urn:ietf:params:scim:api:messages:2.0:Error)
// with RFC 7644's status and scimType: a userName that exists is 409
// uniqueness; a filter the bridge cannot evaluate 400 invalidFilter; a
// change the API cannot make 400 mutability; bad values 400 invalidValue;
// malformed JSON 400 invalidSyntax; a body over Options.MaxBodyBytes 413;
// an unknown id 404; an If-Match naming another version 412. The API's
// rate limit (usermgmt.ErrRateLimited) is 429 with its Retry-After; a
// change whose outcome is unknown (usermgmt.ErrOutcomeUnknown) is 503
// with a Retry-After hint, and the identity provider's retry then finds
// the user (a create answers 409). Resources carry meta.version, a weak
// ETag computed from the user's fields.
//
// # Concurrent changes
//
// The APIs change a user's roles by replacing them all, so joining or
// leaving a group is a read of the user and a write of its roles with one
// more or one less. Identity providers push memberships in parallel; the
// bridge serialises its own read-then-write of each user (group
// membership changes, PUT and PATCH with their If-Match check, DELETE), so
// that one request never undoes another's and an If-Match holds: of two
// writes naming the same version, one gets 412. Other users' requests go
// on meanwhile. Writers outside the process (another replica, the vendor's
// console) are not serialised: see State and replicas.
//
// # Exactly-once creates
//
// Before a create the bridge looks the userName up: a user that exists is
// answered 409 uniqueness, and is found by a filter on userName. The
// directory's own creates are exactly-once, so an identity provider that
// times out and retries never makes a second user. A change runs to its
// end (bounded by Options.WriteTimeout) even when the client hangs up, so
// the retry finds it settled.
//
// # Security
//
// Every request needs a bearer token, compared in constant time with each
// of the tokens configured; several can be valid at once, for rotation.
// Tokens, passwords and request bodies are never logged nor echoed in an
// error. An id from a URL or a filter is passed to the directory as a
// value, which validates it and sends it to the API escaped, as the
// parameter it is.
//
// # State and replicas
//
// The bridge keeps no state of its own: every answer is computed from the
// directory, per request. Several replicas can run behind a load balancer
// without sticky sessions or shared storage, and a request can go to any
// of them. Two things are per replica, though: a replica cannot see a
// create still in flight on another replica (the directory's exactly-once
// create and the API's uniqueness of the natural key still prevent a
// duplicate: the second POST gets 409), concurrent changes to one user
// are serialised within a replica only, and the retry policy's view of an
// API's rate limit is per process: N replicas can together send N times the rate one would. An
// API account with a strict quota needs a rate limit shared between the
// replicas (a token bucket in Redis, say) or a single replica per vendor
// account.
package scim
