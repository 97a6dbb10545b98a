package faultmatrix

import (
	"testing"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
	"github.com/usermgmt-go/sdk/internal/testflags"
)

// TestMain fails the matrix if any goroutine outlives it: no fault may leave
// a request, a retry or a token fetch running. The cells mostly wait (on
// client timeouts and settle windows), so more of them run at once than
// -parallel's default would allow.
func TestMain(m *testing.M) {
	testflags.DefaultParallel(8)
	leakcheck.VerifyTestMain(m)
}
