package facadetest

import (
	"testing"

	"github.com/usermgmt-go/sdk/internal/testflags"
)

// TestMain runs more parallel tests at once than -parallel's default: they
// mostly wait on the fakes' delays, client timeouts and settle windows.
func TestMain(m *testing.M) {
	testflags.DefaultParallel(8)
	m.Run()
}
