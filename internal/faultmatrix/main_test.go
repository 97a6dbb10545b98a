package faultmatrix

import (
	"testing"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
)

// TestMain fails the matrix if any goroutine outlives it: no fault may leave
// a request, a retry or a token fetch running.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }
