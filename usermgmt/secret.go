package usermgmt

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential or other sensitive string: a password, an API
// key, a token, a client secret. It prints as "[REDACTED]" with every fmt
// verb (%v, %+v, %#v, %s, %q, %x, ...), in log/slog output and when encoded
// as JSON, so that a value holding a Secret can be printed, logged or dumped
// without leaking it. Decoding JSON reads the real value. Use Reveal to read
// it, and to store it deliberately.
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

// MarshalJSON encodes "[REDACTED]" (a non-empty secret) or "" (an empty
// one): a struct holding a Secret can go to a JSON log safely.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte(`""`), nil
	}
	return []byte(`"` + redacted + `"`), nil
}

// LogValue returns "[REDACTED]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
