package bss_test

import (
	"testing"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// token fetch, a retry wait or a connection the client should have let go.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }
