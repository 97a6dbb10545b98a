package bss_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// token fetch, a retry wait or a connection the client should have let go.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
