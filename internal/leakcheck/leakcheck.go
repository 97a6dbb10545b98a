// Package leakcheck checks, as go.uber.org/goleak does, that no goroutine
// outlives a test or a package's tests, but gives goroutines that are on
// their way out far longer to finish.
//
// goleak v1.3.0 retries for only about 0.43 s in all (20 retries, sleeping
// from 1 µs doubling to 100 ms) and exports no option to lengthen that. On a
// loaded machine under -race, a goroutine that is already ending (the
// readLoop and writeLoop of a connection a closed fake has dropped, a token
// fetch whose caller has given up) can take longer, and goleak reports it as
// a leak. leakcheck calls goleak.Find again every 50 ms until it finds
// nothing or 10 s have passed.
//
// The polling is waiting, with a bound, for a condition the test cannot be
// told about (that goroutines of other code have returned), not a sleep
// used to order events: a check that passes passed because goleak found no
// goroutine, and a goroutine that is really leaked is still reported, only
// later.
package leakcheck

import (
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

const (
	// deadline bounds how long Verify and VerifyTestMain wait for
	// goroutines to end.
	deadline = 10 * time.Second
	// interval is the pause between two calls of goleak.Find.
	interval = 50 * time.Millisecond
)

// Verify marks t failed, with goleak's description of the goroutines, if
// goroutines other than those opts ignore are still running 10 s after it
// is called; it returns as soon as there are none. Like goleak.VerifyNone,
// it looks at every goroutine of the process, so it does not suit parallel
// tests. opts are goleak's options (IgnoreCurrent, IgnoreAnyFunction ...);
// goleak.Cleanup is not one of them (goleak.Find refuses it).
func Verify(t testing.TB, opts ...goleak.Option) {
	t.Helper()
	if err := find(deadline, opts...); err != nil {
		t.Error(err)
	}
}

// VerifyTestMain runs the package's tests, as a TestMain does with
// m.Run, and exits the process, as goleak.VerifyTestMain does. When the
// tests passed, it first waits up to 10 s for every goroutine other than
// those opts ignore to end; if some are left, it writes them to standard
// error and exits with status 1. Otherwise the exit status is m.Run's.
// goleak.Cleanup is not one of the options it takes.
func VerifyTestMain(m *testing.M, opts ...goleak.Option) {
	os.Exit(verifyMain(m, os.Stderr, deadline, opts...))
}

// runner is the part of *testing.M that verifyMain uses.
type runner interface{ Run() int }

// verifyMain is VerifyTestMain without the exit: it returns the exit status,
// after waiting up to wait for goroutines when the tests passed, and writes
// the leaked goroutines to w.
func verifyMain(m runner, w io.Writer, wait time.Duration, opts ...goleak.Option) int {
	code := m.Run()
	if code != 0 {
		return code
	}
	if err := find(wait, opts...); err != nil {
		fmt.Fprintf(w, "leakcheck: errors on successful test run (after waiting up to %v): %v\n", wait, err)
		return 1
	}
	return 0
}

// find calls goleak.Find until it finds no goroutine, every interval, and
// returns nil then; once wait has passed it returns Find's last error. A
// call of Find that finds goroutines retries for about 0.43 s itself, so
// find may return up to that much later than wait.
func find(wait time.Duration, opts ...goleak.Option) error {
	stop := time.Now().Add(wait)
	for {
		err := goleak.Find(opts...)
		if err == nil || !time.Now().Before(stop) {
			return err
		}
		time.Sleep(interval) // a poll's pause, bounded by stop, not a synchronisation
	}
}
