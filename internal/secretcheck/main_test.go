package secretcheck

import (
	"testing"

	"github.com/usermgmt-go/sdk/internal/leakcheck"
)

// TestMain fails the tests if any goroutine outlives them.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }
