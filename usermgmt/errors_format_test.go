package usermgmt_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

const unknownPhrase = "outcome unknown: the request was sent"

// TestOutcomeUnknownExplainedOnce: a chain that holds an unknown outcome
// inside another (a create whose settling look-up failed) explains it once,
// and does not repeat the provider and operation of an identical prefix.
func TestOutcomeUnknownExplainedOnce(t *testing.T) {
	t.Parallel()
	api := &usermgmt.APIError{Provider: "syncari", Operation: "createUser", StatusCode: 503}
	inner := &usermgmt.OutcomeUnknownError{Provider: "syncari", Operation: "createUser", Err: api}
	lookup := &usermgmt.APIError{Provider: "syncari", Operation: "getUsers", StatusCode: 500}
	outer := &usermgmt.OutcomeUnknownError{Provider: "syncari", Operation: "CreateUser",
		Err: fmt.Errorf("%w; looking the user up to settle it failed too: %w", inner, lookup)}
	for name, err := range map[string]error{"inner": inner, "outer": outer, "wrapped": fmt.Errorf("provision: %w", outer)} {
		msg := err.Error()
		if n := strings.Count(msg, unknownPhrase); n != 1 {
			t.Errorf("%s: %q explains the unknown outcome %d times, want once", name, msg, n)
		}
		if strings.Count(msg, "syncari: createUser: ") != 1 {
			t.Errorf("%s: %q repeats its prefix", name, msg)
		}
		if !errors.Is(err, usermgmt.ErrOutcomeUnknown) {
			t.Errorf("%s: does not match ErrOutcomeUnknown", name)
		}
	}
	if got, want := inner.Error(), "syncari: createUser: "+unknownPhrase+" but no answer proves whether it was applied: HTTP 503"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestAPIErrorSaysAttempts: an answer that ended a call after retries says
// how many attempts were made.
func TestAPIErrorSaysAttempts(t *testing.T) {
	t.Parallel()
	e := &usermgmt.APIError{Provider: "bss", Operation: "getUser", StatusCode: 503, Attempts: 3}
	if got, want := e.Error(), "bss: getUser: HTTP 503 (after 3 attempts)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestWithUserAgentRefusesControlCharacters: CR, LF, other C0 characters
// and DEL would split or corrupt the header; they are refused as bad input.
func TestWithUserAgentRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	for _, ua := range []string{"app\r\nX-Injected: 1", "app\n", "app\r", "a\x00b", "tab\there", "del\x7f", "esc\x1b[0m"} {
		_, err := usermgmt.NewOptions(usermgmt.WithUserAgent(ua))
		var in *usermgmt.InputError
		if !errors.As(err, &in) || !errors.Is(err, usermgmt.ErrInvalidInput) {
			t.Errorf("WithUserAgent(%q): err = %v, want an InputError", ua, err)
		}
	}
	o, err := usermgmt.NewOptions(usermgmt.WithUserAgent("my-app/1.2 (+https://example.com; ünïcode)"))
	if err != nil || o.UserAgent != "my-app/1.2 (+https://example.com; ünïcode)" {
		t.Errorf("a printable user agent: %v, %q", err, o.UserAgent)
	}
}
