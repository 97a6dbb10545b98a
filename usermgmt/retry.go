package usermgmt

import (
	"fmt"
	"time"
)

// RetryPolicy says how often and how long a failed request is retried.
//
// Whether a request may be retried at all is decided per request, not here:
// reads, updates and deletes, and creates that carry an idempotency key, are
// retried on 429, 5xx (except 501) and transport errors; a create without a
// key is retried only when the failure proves the server never saw it
// (connection refused, 429). Waits use exponential backoff with full jitter,
// capped at MaxDelay; a Retry-After header (seconds or HTTP date) replaces
// the computed wait.
//
// When an answer the policy would retry (429, or any 5xx but 501) asks with
// Retry-After for a longer wait than MaxDelay, the call stops at once and
// returns that answer's *APIError, with RetryAfter set and matching
// ErrRateLimited whatever its status.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included.
	// Zero means 4; 1 disables retries. It bounds the requests put on the
	// wire too: net/http resends a read (or a request with an
	// Idempotency-Key header) on its own when a reused keep-alive
	// connection fails before answering, and such resends count as
	// attempts; one that would exceed MaxAttempts is stopped before it is
	// written. Redirects followed within an attempt are not counted.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry; it doubles with each
	// attempt, and the wait is drawn at random below it (full jitter).
	// Zero means 250ms.
	BaseDelay time.Duration
	// MaxDelay caps one wait, computed or asked for by the server.
	// Zero means 20s.
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns the policy used when none is set: 4 attempts,
// 250ms base delay, 20s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 20 * time.Second}
}

// NoRetries returns a policy that sends every request once.
func NoRetries() RetryPolicy {
	p := DefaultRetryPolicy()
	p.MaxAttempts = 1
	return p
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = d.MaxDelay
	}
	return p
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1:
		return fmt.Errorf("usermgmt: RetryPolicy.MaxAttempts is %d, must be at least 1", p.MaxAttempts)
	case p.BaseDelay < 0:
		return fmt.Errorf("usermgmt: RetryPolicy.BaseDelay is negative")
	case p.MaxDelay < p.BaseDelay:
		return fmt.Errorf("usermgmt: RetryPolicy.MaxDelay (%s) is below BaseDelay (%s)", p.MaxDelay, p.BaseDelay)
	}
	return nil
}
