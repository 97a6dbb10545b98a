package directory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// unknown is the error of a create whose outcome is unknown, caused by err.
func unknown(err error) error {
	return &usermgmt.OutcomeUnknownError{Provider: "test", Operation: "create", Err: err}
}

var notFound = &usermgmt.APIError{Provider: "test", Operation: "find", Kind: usermgmt.ErrNotFound}

func TestCreateOnce(t *testing.T) {
	t.Parallel()
	rateLimited := &usermgmt.APIError{Provider: "test", Operation: "create", StatusCode: 503,
		RetryAfter: time.Hour, Kind: usermgmt.ErrRateLimited}
	server500 := &usermgmt.APIError{Provider: "test", Operation: "create", StatusCode: 500}
	for _, tc := range []struct {
		name    string
		creates []error // the result of each create; past the end, success
		found   bool    // whether the look-up finds the user
		want    error   // nil, or an error the result must match
		sent    int
	}{
		{"success", nil, false, nil, 1},
		{"unknown, found", []error{unknown(server500)}, true, nil, 1},
		{"unknown, not found: resent", []error{unknown(server500)}, false, nil, 2},
		{"unknown every time: gives up", []error{unknown(server500), unknown(server500), unknown(server500)}, false, usermgmt.ErrOutcomeUnknown, MaxCreateAttempts},
		{"rate limited above the policy, not found: not resent", []error{unknown(rateLimited)}, false, usermgmt.ErrRateLimited, 1},
		{"rate limited above the policy, found", []error{unknown(rateLimited)}, true, nil, 1},
		{"conflict, found", []error{&usermgmt.APIError{Kind: usermgmt.ErrConflict}}, true, nil, 1},
		{"definite failure: not settled", []error{server500}, true, server500, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sent := 0
			create := func(context.Context) (*usermgmt.User, error) {
				sent++
				if sent <= len(tc.creates) {
					return nil, tc.creates[sent-1]
				}
				return &usermgmt.User{ID: "created"}, nil
			}
			find := func(context.Context, string) (*usermgmt.User, error) {
				if tc.found {
					return &usermgmt.User{ID: "found"}, nil
				}
				return nil, notFound
			}
			u, err := CreateOnce(context.Background(), "test", "key", create, find)
			switch {
			case tc.want == nil && (err != nil || u == nil):
				t.Errorf("CreateOnce = %v, %v; want a user", u, err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("CreateOnce error = %v, want one matching %v", err, tc.want)
			}
			if sent != tc.sent {
				t.Errorf("creates sent = %d, want %d", sent, tc.sent)
			}
		})
	}
}
