package usermgmt

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential or other sensitive string: a password, an API
// key, a token, a client secret. It prints as "[REDACTED]" with every fmt
// verb (%v, %+v, %#v, %s, %q, %x, ...) and in log/slog output, so that a
// value holding a Secret can be printed or logged without leaking it. Use
// Reveal to read it. JSON encoding carries the real value, since sending it
// is what a Secret is for.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]".
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns "[REDACTED]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
