// Package safetycheck holds no code, only tests that hold every provider to
// the SDK's transport and concurrency guarantees: ids, emails and query
// values never leave their path segment or parameter; no credential
// reaches another host through a redirect, whether the SDK's own
// *http.Client or the caller's sends the requests; one client serves 128
// goroutines at once under the race detector, creating each user exactly
// once; and cancelling a listing or a provisioning run leaves no goroutine
// behind (go.uber.org/goleak, through internal/leakcheck, which gives
// goroutines on their way out up to 10 s on a loaded machine).
package safetycheck
