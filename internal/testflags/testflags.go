// Package testflags adjusts the go test flags of a package's test binary
// from its TestMain.
package testflags

import (
	"flag"
	"runtime"
	"strconv"
)

// DefaultParallel raises -test.parallel to n (never below GOMAXPROCS, its
// own default) unless the command line set it. It suits a package whose
// parallel tests mostly wait (on timeouts, settle windows, a fake's
// latency) rather than compute: -parallel's default of GOMAXPROCS would
// queue them by twos on a 2-core machine although the CPU is idle. Call it
// first in TestMain, before m.Run.
func DefaultParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if set {
		return
	}
	_ = flag.Set("test.parallel", strconv.Itoa(max(n, runtime.GOMAXPROCS(0))))
}
