package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
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
		"roles":    {"4 roles"},
		"create":   {"Ada Lovelace <ada.lovelace@example.com>: id", "Grace Hopper <grace.hopper@example.com>: id"},
		"list":     {"by last name, in pages of 3", "descending, first 3 only"},
		"archive":  {"grace.hopper@example.com archived at", "ada.lovelace@example.com archived as well"},
		"archived": {"users archived"},
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
	// Both listings are sorted by last name: ascending from Allen to
	// Lovelace, then descending from Lovelace.
	rest := out
	for _, s := range []string{"1. Allen", "2. Dijkstra", "3. Hoare", "4. Hopper", "5. Knuth", "6. Liskov", "7. Lovelace", "1. Lovelace", "2. Liskov", "3. Knuth"} {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("%q missing or out of order:\n%s", s, out)
		}
		rest = rest[i+len(s):]
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
	for _, want := range []string{"usermgmt: request", "operation=createUser", "operation=getUsers", "Authorization=[REDACTED]"} {
		if !strings.Contains(all, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	for _, secret := range []string{vendoruserstest.Token, "Authorization=Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

// TestEnvironmentPointsAtAnotherServer runs the program the way it runs
// against the real service, with the environment set, here pointing at a
// fake the test owns, so that the test can check what was done there.
func TestEnvironmentPointsAtAnotherServer(t *testing.T) {
	srv := vendoruserstest.NewServer(vendoruserstest.WithCredentials("another-token"))
	defer srv.Close()
	for i := range 7 {
		srv.AddUser(vendorusers.User{Email: fmt.Sprintf("member%d@example.com", i), Details: vendorusers.Details{LastName: fmt.Sprintf("Member%d", i)}})
	}
	env := map[string]string{"GUARDANT_BASE_URL": srv.URL, "GUARDANT_TOKEN": "another-token", "GUARDANT_ROLE_ID": "3"}
	code, out, errOut := runMain(t, env)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	users := srv.Users()[7:]
	if len(users) != 2 {
		t.Fatalf("%d users created, want 2", len(users))
	}
	for _, u := range users {
		if !u.Details.Archived || u.Details.Role.ID != 3 {
			t.Errorf("%s: archived %t, role %d; want archived, role 3", u.Email, u.Details.Archived, u.Details.Role.ID)
		}
	}
	// Nine users in pages of three take four requests (the last one comes
	// back empty); the descending listing breaks after its first page.
	pages := map[string]int{}
	for _, r := range srv.Requests() {
		if r.Operation == "getUsers" {
			pages[r.Query.Get("direction")+" limit="+r.Query.Get("limit")]++
		}
	}
	if pages["asc limit=3"]+pages[" limit=3"] != 4 || pages["desc limit=3"] != 1 {
		t.Errorf("getUsers pages: %v", pages)
	}

	env["GUARDANT_TOKEN"] = "wrong-token"
	code, out, errOut = runMain(t, env)
	if code != 1 || strings.Contains(out+errOut, "wrong-token") || !strings.Contains(errOut, "hint: check GUARDANT_TOKEN") {
		t.Errorf("bad token: exit %d, stderr %q", code, errOut)
	}
}

func TestHelpDocumentsTheEnvironment(t *testing.T) {
	code, _, errOut := runMain(t, nil, "-help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		if p.Name != "vendorusers" {
			continue
		}
		for _, v := range p.Env {
			if !strings.Contains(errOut, v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
		return
	}
	t.Fatal("providers.List() has no vendorusers")
}
