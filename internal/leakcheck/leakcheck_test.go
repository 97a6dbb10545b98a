package leakcheck

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The tests are not parallel: goleak looks at every goroutine of the
// process.

func TestMain(m *testing.M) { VerifyTestMain(m) }

// parkUntil blocks until release is closed; tests look for its name in
// goleak's report.
func parkUntil(release <-chan struct{}) { <-release }

// sleepAfter waits for start to be closed, then sleeps for d.
func sleepAfter(start <-chan struct{}, d time.Duration) {
	<-start
	time.Sleep(d) // the goroutine's remaining life, not a synchronisation
}

// TestVerifyWaitsLongerThanGoleak starts a goroutine that ends 700 ms after
// goleak has been seen to report it: longer than goleak's own window of
// about 0.43 s, well within Verify's.
func TestVerifyWaitsLongerThanGoleak(t *testing.T) {
	const life = 700 * time.Millisecond
	ignore := goleak.IgnoreCurrent()
	start := make(chan struct{})
	go sleepAfter(start, life)
	// The goroutine cannot end before start is closed, so a report here
	// is certain: it shows that goleak sees the goroutine.
	if err := goleak.Find(ignore); err == nil || !strings.Contains(err.Error(), "leakcheck.sleepAfter") {
		t.Fatalf("goleak.Find = %v, want a report of leakcheck.sleepAfter", err)
	}
	begin := time.Now()
	close(start)
	Verify(t, ignore)
	if d := time.Since(begin); d < life {
		t.Errorf("Verify returned after %v, before the goroutine could end (%v)", d, life)
	}
}

// TestFindReportsBlockedGoroutine blocks a goroutine until the test has
// ended: find must report it once its deadline has passed.
func TestFindReportsBlockedGoroutine(t *testing.T) {
	const wait = 200 * time.Millisecond
	ignore := goleak.IgnoreCurrent()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	go parkUntil(release)
	begin := time.Now()
	err := find(wait, ignore)
	if err == nil || !strings.Contains(err.Error(), "leakcheck.parkUntil") {
		t.Fatalf("find = %v, want a report of leakcheck.parkUntil", err)
	}
	if d := time.Since(begin); d < wait {
		t.Errorf("find gave up after %v, before its deadline of %v", d, wait)
	}
}

// fakeM is a testing.M whose Run calls run and returns code.
type fakeM struct {
	code int
	run  func()
}

func (m fakeM) Run() int {
	if m.run != nil {
		m.run()
	}
	return m.code
}

// TestVerifyMain checks the exit status and the report of VerifyTestMain:
// a failed run keeps its status and is not checked; a passing run with a
// goroutine left fails with a report; one without passes silently.
func TestVerifyMain(t *testing.T) {
	const wait = 100 * time.Millisecond
	leak := func(t *testing.T) func() {
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		return func() { go parkUntil(release) }
	}
	tests := []struct {
		name   string
		code   int
		leak   bool
		want   int
		report string
	}{
		{name: "passed", code: 0, want: 0},
		{name: "passed, leaked", code: 0, leak: true, want: 1, report: "leakcheck.parkUntil"},
		{name: "failed", code: 3, want: 3},
		{name: "failed, leaked", code: 2, leak: true, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			m := fakeM{code: tt.code}
			if tt.leak {
				m.run = leak(t)
			}
			var out bytes.Buffer
			if got := verifyMain(m, &out, wait, ignore); got != tt.want {
				t.Errorf("exit status %d, want %d", got, tt.want)
			}
			switch {
			case tt.report == "" && out.Len() != 0:
				t.Errorf("unexpected report: %s", out.String())
			case tt.report != "" && !strings.Contains(out.String(), tt.report):
				t.Errorf("report %q does not name %s", out.String(), tt.report)
			}
		})
	}
}
