// Package directory holds the machinery the providers' usermgmt.Directory
// adapters share: exactly-once creates for APIs without an idempotency key,
// and small conversions.
package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// MaxCreateAttempts bounds how often CreateOnce sends a create whose
// earlier attempts' outcomes were unknown and proven not applied.
const MaxCreateAttempts = 3

// CreateOnce makes a create exactly-once on an API without an idempotency
// key. It calls create; when the outcome is unknown (the request was sent,
// but a dropped connection, a timeout or a 5xx leaves open whether it was
// applied) it looks the user up by its natural key with find:
//
//   - found: the create was applied; the user is returned.
//   - not found: the create was not applied; it is sent again, up to
//     MaxCreateAttempts in all, unless the server asked for a longer wait
//     than the retry policy allows (ErrRateLimited): then the error is
//     returned, and nothing is resent.
//   - the look-up fails too: an *usermgmt.OutcomeUnknownError says so, and
//     nothing is resent.
//
// A create that fails with ErrConflict is settled the same way: the user
// already exists, so the look-up returns it, which makes re-running a batch
// of creates safe.
func CreateOnce(ctx context.Context, provider, key string,
	create func(context.Context) (*usermgmt.User, error),
	find func(context.Context, string) (*usermgmt.User, error),
) (*usermgmt.User, error) {
	var lastErr error
	for range MaxCreateAttempts {
		u, err := create(ctx)
		if err == nil {
			return u, nil
		}
		unknown := errors.Is(err, usermgmt.ErrOutcomeUnknown)
		if !unknown && !errors.Is(err, usermgmt.ErrConflict) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, err // no time left to settle it: report it as it is
		}
		found, ferr := find(ctx, key)
		switch {
		case ferr == nil:
			return found, nil
		case !errors.Is(ferr, usermgmt.ErrNotFound):
			return nil, &usermgmt.OutcomeUnknownError{Provider: provider, Operation: "CreateUser",
				Err: fmt.Errorf("%w; looking the user up by %q to settle it failed too: %w", err, key, ferr)}
		case !unknown:
			return nil, err // a conflict on something other than the natural key
		case errors.Is(err, usermgmt.ErrRateLimited):
			return nil, err // not applied, but the server asked to wait longer than the policy allows
		}
		lastErr = err
	}
	return nil, &usermgmt.OutcomeUnknownError{Provider: provider, Operation: "CreateUser",
		Err: fmt.Errorf("gave up after %d attempts, each with an unknown outcome and no user %q found afterwards: %w", MaxCreateAttempts, key, lastErr)}
}

// Unsupported returns the error for an operation the API cannot do.
func Unsupported(provider, op, hint string) error {
	return &usermgmt.UnsupportedError{Provider: provider, Operation: op, Hint: hint}
}
