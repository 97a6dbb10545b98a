package transport

import (
	"context"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// CheckContext returns an error matching usermgmt.ErrInvalidInput when ctx
// is nil, so that a call fails clearly before anything is sent.
func CheckContext(ctx context.Context, provider, operation string) error {
	if ctx == nil {
		return &usermgmt.InputError{Provider: provider, Operation: operation, Field: "ctx", Reason: "must not be nil (use context.Background())"}
	}
	return nil
}
