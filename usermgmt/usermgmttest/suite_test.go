package usermgmttest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/driver"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

func TestMemoryPassesTheSuite(t *testing.T) {
	usermgmttest.Run(t, usermgmttest.Harness{
		Open:  func(*testing.T) *usermgmt.Directory { return usermgmttest.NewMemory() },
		Roles: []string{"admin", "viewer"},
	})
}

// losesUpdates is a deliberately broken driver: it acknowledges updates
// without applying them.
type losesUpdates struct{ *usermgmttest.Memory }

func (l losesUpdates) UpdateUser(ctx context.Context, id string, _ *driver.UpdateInput) (*driver.User, error) {
	u, err := l.GetUser(ctx, id)
	if err == nil {
		u.Name = "Grace Hopper" // claims success, stores nothing
	}
	return u, err
}

// duplicates is broken another way: a repeated create makes a second user.
type duplicates struct{ *usermgmttest.Memory }

func (d duplicates) CreateUser(ctx context.Context, in *driver.CreateInput) (*driver.User, error) {
	if _, err := d.FindUser(ctx, in.Username); err == nil {
		again := *in
		again.Username += "-again" // same person, a second account
		in = &again
	}
	return d.Memory.CreateUser(ctx, in)
}

// unsupportedLies implements Deleter, and so claims Delete, but cannot.
type unsupportedLies struct{ *usermgmttest.Memory }

func (unsupportedLies) DeleteUser(context.Context, string) error {
	return &usermgmt.UnsupportedError{Provider: "memory", Operation: "DeleteUser"}
}

func over(drv driver.Driver) usermgmttest.Harness {
	return usermgmttest.Harness{
		Open: func(t *testing.T) *usermgmt.Directory {
			d, err := usermgmt.NewDirectory(drv)
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		Roles: []string{"admin", "viewer"},
	}
}

var broken = map[string]func() usermgmttest.Harness{
	"loses-updates":    func() usermgmttest.Harness { return over(losesUpdates{usermgmttest.NewMemoryDriver()}) },
	"duplicates":       func() usermgmttest.Harness { return over(duplicates{usermgmttest.NewMemoryDriver()}) },
	"unsupported-lies": func() usermgmttest.Harness { return over(unsupportedLies{usermgmttest.NewMemoryDriver()}) },
}

// TestBrokenDirectoriesFailTheSuite runs the suite on each broken directory
// in a child process and expects it to fail, naming the broken behaviour.
func TestBrokenDirectoriesFailTheSuite(t *testing.T) {
	if name := os.Getenv("USERMGMTTEST_BROKEN"); name != "" {
		usermgmttest.Run(t, broken[name]())
		return
	}
	want := map[string]string{
		"loses-updates":    "the update was lost",
		"duplicates":       "made two users",
		"unsupported-lies": "Capabilities says supported",
	}
	for name, msg := range want {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenDirectoriesFailTheSuite$", "-test.count=1")
			cmd.Env = append(os.Environ(), "USERMGMTTEST_BROKEN="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed a directory that is broken (%s); err = %v\n%s", name, err, out)
			}
			if !strings.Contains(string(out), msg) {
				t.Errorf("the failure does not say %q:\n%s", msg, out)
			}
		})
	}
}

// TestFaultVocabularyMatchesTheFakes keeps the public names of the fault
// kinds in step with the fakes' own.
func TestFaultVocabularyMatchesTheFakes(t *testing.T) {
	kinds := map[usermgmttest.FaultKind]string{
		usermgmttest.Fail: "Fail", usermgmttest.DropBefore: "DropBefore", usermgmttest.DropAfter: "DropAfter",
		usermgmttest.FailAfter: "FailAfter", usermgmttest.Delay: "Delay", usermgmttest.DelayAfter: "DelayAfter",
		usermgmttest.Truncate: "Truncate", usermgmttest.Replace: "Replace", usermgmttest.Pad: "Pad",
		usermgmttest.StoreLate: "StoreLate",
	}
	for k, name := range kinds {
		if k.String() != name {
			t.Errorf("%d is %s, want %s", int(k), k, name)
		}
	}
	if usermgmttest.Fail.AfterHandling() || !usermgmttest.DropAfter.AfterHandling() {
		t.Error("AfterHandling is wrong")
	}
}
