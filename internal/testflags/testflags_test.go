package testflags

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// What the command line left of -test.parallel: its value, and whether it
// was given.
var (
	before    string
	givenByCL bool
)

func TestMain(m *testing.M) {
	flag.Parse()
	before = flag.Lookup("test.parallel").Value.String()
	flag.Visit(func(f *flag.Flag) { givenByCL = givenByCL || f.Name == "test.parallel" })
	DefaultParallel(runtime.GOMAXPROCS(0) + 5)
	os.Exit(m.Run())
}

// TestDefaultParallel: without -parallel on the command line, the value
// TestMain asked for is in force; with it, the command line's. (CI runs
// this package both ways: go test ./... and go test -parallel 3.)
func TestDefaultParallel(t *testing.T) {
	got := flag.Lookup("test.parallel").Value.String()
	want := strconv.Itoa(runtime.GOMAXPROCS(0) + 5)
	if givenByCL {
		want = before
	}
	if got != want {
		t.Errorf("-test.parallel = %s, want %s (given on the command line: %t)", got, want, givenByCL)
	}
}
