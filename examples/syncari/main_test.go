package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
)

// runMain runs the program as `go run` would, with args and the given
// environment, and returns its exit code, stdout and stderr.
func runMain(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// stepLine returns the output line of step, or "".
func stepLine(out, step string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), step+" ") {
			return l
		}
	}
	return ""
}

func TestStoryOnTheFake(t *testing.T) {
	code, out, errOut := runMain(t, nil)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	want := map[string]string{
		"client":      "syncari.Client{",
		"token":       "Bearer token [REDACTED]",
		"roles":       "4 roles",
		"create":      "API user nightly-sync-",
		"retry":       "no duplicate",
		"set roles":   "map[STAGE01:[Viewer] YUBV99:[Sync Manager Viewer]]",
		"remove role": "Viewer in STAGE01: map[STAGE01:[] YUBV99:[Sync Manager Viewer]]",
		"list":        "the first 3 users",
		"deactivate":  "INACTIVE",
	}
	for step, text := range want {
		if l := stepLine(out, step); !strings.Contains(l, text) {
			t.Errorf("step %q: want %q in %q", step, text, l)
		}
	}
	if !strings.Contains(out, "client secret [REDACTED]") {
		t.Errorf("the new API user's secret is not shown redacted:\n%s", out)
	}
	if !strings.Contains(out, "in-process fake") {
		t.Errorf("output does not say it ran on the fake:\n%s", out)
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
	for _, want := range []string{"usermgmt: request", "operation=getToken", "operation=createUser", "Authorization=[REDACTED]"} {
		if !strings.Contains(all, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	// The fake's client secret, and the tokens it issues (tok_...), must
	// never show.
	for _, secret := range []string{syncaritest.ClientSecret, "tok_", "Authorization=Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

// TestEnvironmentPointsAtAnotherServer runs the program the way it runs
// against the real API, with the environment set, here pointing at a fake
// the test owns, so that the test can see what the program did there.
func TestEnvironmentPointsAtAnotherServer(t *testing.T) {
	srv := syncaritest.NewServer()
	defer srv.Close()
	env := map[string]string{
		"SYNCARI_BASE_URL":      srv.URL,
		"SYNCARI_CLIENT_ID":     syncaritest.ClientID,
		"SYNCARI_CLIENT_SECRET": syncaritest.ClientSecret,
		"SYNCARI_INSTANCE_ID":   "PROD42",
	}
	for i := range 10 {
		srv.AddUser(syncari.User{Email: fmt.Sprintf("colleague%d@example.com", i)})
	}
	code, out, errOut := runMain(t, env)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// Three users in pages of two: the break stops the listing after the
	// second page.
	if n := srv.Count("getUsers"); n != 2 {
		t.Errorf("getUsers sent %d times, want 2", n)
	}
	users := srv.Users()[10:]
	if len(users) != 1 || !strings.HasPrefix(users[0].Email, "nightly-sync-") || users[0].Status != syncari.StatusInactive {
		t.Fatalf("users on the server: %+v", users)
	}
	if got := users[0].Roles; len(got) != 1 || strings.Join(got["PROD42"], ",") != "Sync Manager" {
		t.Errorf("roles = %v, want Sync Manager in PROD42 alone", got)
	}
	if n := srv.Count("createUser"); n != 2 {
		t.Errorf("createUser sent %d times, want 2 (the create and its retry)", n)
	}

	env["SYNCARI_CLIENT_SECRET"] = "wrong-secret"
	code, out, errOut = runMain(t, env)
	if code == 0 {
		t.Fatalf("bad credentials: exit 0\n%s", out)
	}
	if !strings.Contains(errOut, "check SYNCARI_CLIENT_ID") || strings.Contains(out+errOut, "wrong-secret") {
		t.Errorf("bad credentials: stderr %q", errOut)
	}
}

func TestHelpDocumentsTheEnvironment(t *testing.T) {
	code, _, errOut := runMain(t, nil, "-help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		if p.Name != "syncari" {
			continue
		}
		for _, v := range p.Env {
			if !strings.Contains(errOut, v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
		return
	}
	t.Fatal("providers.List() has no syncari")
}
