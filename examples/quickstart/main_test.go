package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
)

// TestQuickstartRunsOnTheFakes runs the quickstart as `go run` would, with an
// empty environment, and checks that every provider ran its story.
func TestQuickstartRunsOnTheFakes(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(nil, &out, &errOut, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1+len(providers.List()) {
		t.Fatalf("want a header and one row per provider:\n%s", out.String())
	}
	for i, p := range providers.List() {
		row := lines[i+1]
		if !strings.HasPrefix(row, p.Name) || !strings.Contains(row, "fake") || !strings.Contains(row, "2 created") {
			t.Errorf("row for %s: %q", p.Name, row)
		}
		if strings.Contains(row, "error") {
			t.Errorf("%s failed: %q", p.Name, row)
		}
	}
}

func TestQuickstartHelpListsTheEnvironment(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-help"}, &out, &errOut, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		for _, v := range p.Env {
			if !strings.Contains(errOut.String(), v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
	}
}

func TestQuickstartOnly(t *testing.T) {
	var out, errOut bytes.Buffer
	name := providers.List()[0].Name
	if code := run([]string{"-only", name}, &out, &errOut, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if n := strings.Count(strings.TrimSpace(out.String()), "\n"); n != 1 {
		t.Errorf("-only %s printed %d rows:\n%s", name, n, out.String())
	}
}

func TestQuickstartOnlyRefusesAnUnknownProvider(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-only", "bogus"}, &out, &errOut, func(string) string { return "" }); code != 2 {
		t.Fatalf("exit %d, want 2\nstdout:\n%s", code, out.String())
	}
	if !strings.Contains(errOut.String(), `no provider "bogus"`) || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want only the refusal", out.String(), errOut.String())
	}
}

// TestQuickstartLeavesNothingBehind points the bss provider at a fake as if
// it were the real API: once the story is done, the fake holds no user.
func TestQuickstartLeavesNothingBehind(t *testing.T) {
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	env := map[string]string{"BSS_BASE_URL": srv.URL, "BSS_API_KEY": bsstest.APIKey}
	var out, errOut bytes.Buffer
	if code := run([]string{"-only", "bss"}, &out, &errOut, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "real") {
		t.Fatalf("the story did not run as against a real API:\n%s", out.String())
	}
	if users := srv.Users(); len(users) != 0 {
		t.Errorf("the story left %d users behind: %+v", len(users), users)
	}
}
