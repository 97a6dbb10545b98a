// Package facadetest holds the tests that run the usermgmt facade over all
// five providers at once, against their fakes: bulk provisioning under
// random faults, and re-running a provisioning that was cancelled halfway.
// It has no code of its own.
package facadetest
