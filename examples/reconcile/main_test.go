package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func noEnv(string) string { return "" }

// persistent opens the provider's seeded fake once, and returns an opener
// that hands out that same directory to every run.
func persistent(t *testing.T, name string) opener {
	t.Helper()
	for _, p := range providers.List() {
		if p.Name != name {
			continue
		}
		dir, _, closeFn, err := openSeeded(p, noEnv)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeFn)
		return func(providers.Provider, func(string) string) (*usermgmt.Directory, bool, func(), error) {
			return dir, false, func() {}, nil
		}
	}
	t.Fatalf("no provider %q", name)
	return nil
}

func runOK(t *testing.T, open opener, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), args, &out, &errOut, noEnv, false, open); code != 0 {
		t.Fatalf("reconcile %v: exit %d\n%s\n%s", args, code, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// TestApplyThenPlanIsEmpty runs the example twice against one fake on
// every provider: the first run plans every kind of change and applies
// it, the second finds nothing left to do.
func TestApplyThenPlanIsEmpty(t *testing.T) {
	for _, p := range providers.List() {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			open := persistent(t, p.Name)
			out, errOut := runOK(t, open, "-provider", p.Name, "-prune", "-apply")
			for _, want := range []string{"\n+ tony.hoare@example.com\n", "\n- ken.thompson@example.com", "Plan: 4 to create", "failed 0, skipped 0"} {
				if !strings.Contains(out, want) {
					t.Errorf("first run lacks %q:\n%s", want, out)
				}
			}
			if p.Name == "bss" {
				for _, want := range []string{"\n~ ada.lovelace@example.com", `name: "Ada Byron" → "Ada Lovelace"`, "active: true → false", "! roles: \"Supervisor\" not representable"} {
					if !strings.Contains(out, want) {
						t.Errorf("first run lacks %q:\n%s", want, out)
					}
				}
			}
			if !regexp.MustCompile(`(?m)^(\d+)/(\d+)  created 4 .* failed 0$`).MatchString(errOut) {
				t.Errorf("no progress line:\n%s", errOut)
			}
			out, _ = runOK(t, open, "-provider", p.Name, "-prune")
			if !strings.Contains(out, "No changes.") || strings.Contains(out, "\n+ ") || strings.Contains(out, "\n~ ") || strings.Contains(out, "\n- ") {
				t.Errorf("second run's plan is not empty:\n%s", out)
			}
		})
	}
}

// TestSavedPlanApplies writes the plan as JSON, applies the saved plan,
// and plans again.
func TestSavedPlanApplies(t *testing.T) {
	open := persistent(t, "vendorusers")
	path := filepath.Join(t.TempDir(), "plan.json")
	out, _ := runOK(t, open, "-provider", "vendorusers", "-json", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"format": "usermgmt.plan/v1"`)) || bytes.Contains(b, []byte("Reconciled-")) {
		t.Errorf("saved plan:\n%s", b)
	}
	if strings.Contains(out, "applied") {
		t.Errorf("a run without -apply applied:\n%s", out)
	}
	out, _ = runOK(t, open, "-provider", "vendorusers", "-plan-file", path)
	if !strings.Contains(out, "applied 8, stale 0, failed 0") {
		t.Errorf("applying the saved plan:\n%s", out)
	}
	out, _ = runOK(t, open, "-provider", "vendorusers")
	if !strings.Contains(out, "No changes.") {
		t.Errorf("not converged:\n%s", out)
	}
}

// TestEmptyRosterIsRefused prunes with a CSV that lists nobody: the guard
// refuses, and nothing is removed.
func TestEmptyRosterIsRefused(t *testing.T) {
	open := persistent(t, "bss")
	path := filepath.Join(t.TempDir(), "empty.csv")
	if err := os.WriteFile(path, []byte("username,email\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-provider", "bss", "-desired", path, "-prune", "-apply"}, &out, &errOut, noEnv, false, open)
	if code != 1 || !strings.Contains(errOut.String(), "nothing was applied") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	out2, _ := runOK(t, open, "-provider", "bss", "-desired", path, "-prune")
	if !strings.Contains(out2, "Plan: 0 to create, 0 to update, 20 to remove.") {
		t.Errorf("the directory changed after a refused apply:\n%s", out2)
	}
}

func TestReadCSV(t *testing.T) {
	users, err := readCSV(strings.NewReader("email,name,active,roles\n a@x.io , Ada Lovelace,false, admin; viewer\nb@x.io,,,Org Admin|x\nc@x.io,,TRUE,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 {
		t.Fatalf("users = %+v", users)
	}
	a, b, c := users[0], users[1], users[2]
	if a.Email != "a@x.io" || a.Name != "Ada Lovelace" || a.Active == nil || *a.Active || !slices.Equal(a.Roles, []string{"admin", "viewer"}) {
		t.Errorf("a = %+v", a)
	}
	if b.Active != nil || !slices.Equal(b.Roles, []string{"Org Admin", "x"}) {
		t.Errorf("b = %+v", b)
	}
	if c.Active == nil || !*c.Active || c.Roles != nil || c.Password.IsZero() {
		t.Errorf("c = %+v", c)
	}
	for _, bad := range []string{"first_name\nAda\n", "email,active\na@x.io,maybe\n"} {
		if _, err := readCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("readCSV(%q) accepted it", bad)
		}
	}
}

func TestUnknownProvider(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-provider", "nope"}, &out, &errOut, noEnv, false, openSeeded); code != 2 {
		t.Errorf("exit %d", code)
	}
}

// TestJSONToStandardOutput writes the plan as JSON to standard output,
// which then carries nothing else.
func TestJSONToStandardOutput(t *testing.T) {
	out, errOut := runOK(t, persistent(t, "syncari"), "-provider", "syncari", "-json", "-")
	var p usermgmt.DirectoryPlan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("standard output is not a plan: %v\n%s", err, out)
	}
	if p.Provider != "syncari" || p.Empty() || !strings.Contains(errOut, "Plan: 4 to create") {
		t.Errorf("plan %+v; stderr:\n%s", p, errOut)
	}
}
