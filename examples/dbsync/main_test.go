package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
)

// runMain runs the program as `go run` would, with args and the given
// environment, and returns its exit code, stdout and stderr.
func runMain(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// stepLines returns the output lines of step, in order.
func stepLines(out, step string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), step+" ") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}

func TestStoryOnTheFake(t *testing.T) {
	code, out, errOut := runMain(t, nil)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	want := map[string][]string{
		"register":     {"alice: user id", "bob: user id", "carol: user id", "dave: user id"},
		"conflict":     {"alice again: already registered"},
		"authenticate": {"bob holds a Partner license, Active"},
		"quota":        {"no seat for dave: ", "unregistered carol"},
		"licenses":     {"3 users of Acme Corp"},
		"unregister":   {"alice: seat freed", "bob: seat freed", "dave: seat freed"},
	}
	for step, texts := range want {
		lines := stepLines(out, step)
		if len(lines) != len(texts) {
			t.Errorf("step %q: %d lines, want %d:\n%s", step, len(lines), len(texts), out)
			continue
		}
		for i, text := range texts {
			if !strings.Contains(lines[i], text) {
				t.Errorf("step %q: want %q in %q", step, text, lines[i])
			}
		}
	}
	if !strings.Contains(out, "quota exceeded") {
		t.Errorf("the quota error is not shown:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr without -v:\n%s", errOut)
	}
}

func TestVerboseLogsWithoutSecrets(t *testing.T) {
	code, out, errOut := runMain(t, nil, "-v")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	all := out + errOut
	for _, want := range []string{"usermgmt: request", "operation=registerUser", "operation=unregisterUser", "operation=licenseDetails"} {
		if !strings.Contains(all, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	for _, secret := range []string{dbsynctest.PartnerAppKey, dbsynctest.PartnerAppToken} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

// The real API's host is fixed, so the environment cannot point the program
// at a loopback server; a bad configuration shows that a failure exits
// non-zero without printing the key.
func TestBadEnvironmentFails(t *testing.T) {
	env := map[string]string{"DBSYNC_PARTNER_APP_KEY": "some-partner-key", "DBSYNC_COMPANY": "Acme Corp"}
	code, out, errOut := runMain(t, env)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "PartnerAppToken") || strings.Contains(out+errOut, "some-partner-key") {
		t.Errorf("stderr: %q", errOut)
	}
}

func TestHelpDocumentsTheEnvironment(t *testing.T) {
	code, _, errOut := runMain(t, nil, "-help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		if p.Name != "dbsync" {
			continue
		}
		for _, v := range p.Env {
			if !strings.Contains(errOut, v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
		return
	}
	t.Fatal("providers.List() has no dbsync")
}
