package providertest_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/internal/providertest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// TestConformance runs the conformance suite on every provider's driver
// against its fake.
func TestConformance(t *testing.T) {
	for _, op := range providertest.Openers() {
		t.Run(op.Name, func(t *testing.T) {
			t.Parallel()
			open, roles := providertest.Conformance(op, providertest.Options{})
			usermgmttest.Run(t, usermgmttest.Harness{Open: open, Roles: roles})
		})
	}
}

// TestPackageDocTableMatchesDrivers checks the operation × provider table in
// the usermgmt package documentation against what each driver implements:
// a cell says "unsupported" exactly where the capability is false.
func TestPackageDocTableMatchesDrivers(t *testing.T) {
	f, err := os.Open("../../usermgmt/doc.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var header []string
	rows := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "//\t")
		fields := splitColumns(line)
		if rest, ok := strings.CutPrefix(line, "natural key "); ok {
			fields = append([]string{"natural key"}, splitColumns(rest)...)
		}
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "method" {
			header = fields[1:]
			continue
		}
		if header != nil && len(fields) == len(header)+1 && rows[fields[0]] == nil {
			rows[fields[0]] = fields[1:]
		}
	}
	if want := providertest.Names; strings.Join(header, " ") != strings.Join(want, " ") {
		t.Fatalf("table header = %q, want %q", header, want)
	}
	caps := map[string]func(usermgmt.Capabilities) bool{
		"CreateUser": func(c usermgmt.Capabilities) bool { return c.Create },
		"GetUser":    func(c usermgmt.Capabilities) bool { return c.Get },
		"ListUsers":  func(c usermgmt.Capabilities) bool { return c.List },
		"UpdateUser": func(c usermgmt.Capabilities) bool { return c.Update },
		"SetActive":  func(c usermgmt.Capabilities) bool { return c.Activate && c.Deactivate },
		"DeleteUser": func(c usermgmt.Capabilities) bool { return c.Delete },
		"SetRoles":   func(c usermgmt.Capabilities) bool { return c.Roles },
	}
	envs := providertest.OpenAll(t, providertest.Options{})
	for method, capable := range caps {
		row, ok := rows[method]
		if !ok {
			t.Errorf("the table has no row for %s", method)
			continue
		}
		for i, e := range envs {
			cell := row[i]
			if got, want := cell != "unsupported", capable(e.Dir.Capabilities()); got != want {
				t.Errorf("%s × %s: the table says %q, the driver's capability is %v", method, e.Name, cell, want)
			}
		}
	}
	for i, e := range envs {
		if got, want := rows["natural key"], e.Dir.Capabilities().NaturalKey; got == nil || !strings.Contains(got[i], want) {
			t.Errorf("natural key × %s: the table says %q, the driver's is %q", e.Name, got, want)
		}
	}
}

// splitColumns splits a table line at runs of two or more spaces.
func splitColumns(line string) []string {
	var out []string
	for _, f := range strings.Split(line, "  ") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
