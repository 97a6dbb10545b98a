// Package syncari is a client for the Syncari API v1: the users of a
// Syncari subscription's instances, and their roles.
//
//	client, err := syncari.New(syncari.Config{
//		ClientID:     id,                      // an API user's client id
//		ClientSecret: usermgmt.Secret(secret), // and secret
//		InstanceID:   "YUBV99",                // sent as the syncariId header
//	})
//	u, err := client.CreateUser(ctx, syncari.CreateUserInput{Email: "new@example.com"})
//
// # Authentication
//
// Calls carry an OAuth2 bearer token obtained with the client-credentials
// grant (golang.org/x/oauth2). The token is fetched once for any number of
// concurrent calls, cached, refreshed a minute before it expires, and
// refreshed once more when a call answers 401. Config.Token sets a static
// token instead.
//
// # Idempotency and retries
//
// Every call sends a clientRequestId header: the context's key from
// usermgmt.WithIdempotencyKey, or a fresh UUID per logical call. Every
// retry of the call sends the same one, which makes every operation, create
// included, safe to retry on 429, 5xx and transport errors. A repeated key
// returns the first result.
//
// # What is assumed
//
// The vendor documents the operations but not their error bodies, paging,
// the body of setUserRoles, or which headers are required; what the spec
// assumes is listed in specs/README.md. Deactivate and activate are GET
// requests, as documented.
//
// # Testing
//
// Package syncaritest runs a fake of this API that validates requests
// against the spec; NewDirectory adapts a Client to usermgmt.Directory.
package syncari
