// Package secretcheck holds no code, only a test: the canary test that
// configures every provider client with unique credential values, runs
// every exported operation of every client, of the legacy BSS client, of
// every Directory adapter and usermgmt.Provision under success and failure
// (wrong credentials, injected faults, timeouts, and a hostile server that
// echoes each request back as it is, JSON-escaped, HTML-escaped,
// percent-encoded and in base64, in its error message, in response header
// values and in response header names), with debug logging on through
// slog's text and JSON handlers, and fails if any canary appears, in any of
// those encodings or in any letter case, in a log record, an error string,
// the printed form (%v, %+v, %#v, %s, %q) or JSON encoding of anything the
// SDK returned or was configured with, or a panic. The canaries hold a
// quote, angle brackets, an ampersand and a backslash (passwords a space
// too), so that every encoding of them differs from the raw value. Reflection
// lists the exported methods of each client type, so that an operation
// added without a case in the test fails it.
package secretcheck
