package usermgmt_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

func TestErrorKind(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&usermgmt.NotFoundError{Provider: "p", Operation: "GetUser", Field: "id", Value: "1"}, "not_found"},
		{&usermgmt.APIError{Provider: "p", StatusCode: 409, Kind: usermgmt.ErrConflict}, "conflict"},
		{&usermgmt.APIError{Provider: "p", StatusCode: 403, Kind: usermgmt.ErrUnauthorized}, "unauthorized"},
		{&usermgmt.APIError{Provider: "p", StatusCode: 429, Kind: usermgmt.ErrRateLimited}, "rate_limited"},
		{&usermgmt.APIError{Provider: "p", StatusCode: 500}, "500"},
		{&usermgmt.OutcomeUnknownError{Provider: "p", Operation: "op", Err: context.DeadlineExceeded}, "outcome_unknown"},
		{&usermgmt.InputError{Provider: "p", Operation: "op", Field: "f", Reason: "r"}, "invalid_input"},
		{&usermgmt.UnsupportedError{Provider: "p", Operation: "SetRoles"}, "unsupported"},
		{fmt.Errorf("p: op: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("p: op: %w", context.Canceled), "canceled"},
		{fmt.Errorf("p: op: %w", timeoutErr{}), "timeout"},
		{fmt.Errorf("p: %w", usermgmt.ErrPagingLoop), "paging_loop"},
		{errors.New("anything else"), "_OTHER"},
	} {
		if got := usermgmt.ErrorKind(tt.err); got != tt.want {
			t.Errorf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
