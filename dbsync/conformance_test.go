package dbsync_test

import (
	"testing"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestConformance runs the usermgmt.Directory conformance suite against the
// adapter over a fresh fake for each subtest.
func TestConformance(t *testing.T) {
	t.Parallel()
	usermgmttest.Run(t, func(t *testing.T) usermgmt.Directory {
		_, c := setup(t, nil)
		d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: "Conformance Corp"})
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
