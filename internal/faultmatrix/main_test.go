package faultmatrix

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the matrix if any goroutine outlives it: no fault may leave
// a request, a retry or a token fetch running.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
