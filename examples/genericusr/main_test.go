package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
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
		"client": "text/javascript",
		"create": "jane.doe (Jane Doe): user id",
		"modify": `sent {"contactName":"Jane Q. Doe"}: now "Jane Q. Doe", email jane.doe@example.com unchanged`,
		"list":   "2 users in account 1",
		"delete": "getting it now fails with ErrNotFound",
	}
	for step, text := range want {
		if l := stepLine(out, step); !strings.Contains(l, text) {
			t.Errorf("step %q: want %q in %q", step, text, l)
		}
	}
	if !strings.Contains(out, "Jane Q. Doe          active true") {
		t.Errorf("the listing does not show the renamed user:\n%s", out)
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
	for _, want := range []string{"usermgmt: request", "operation=addUser", "operation=modifyUser", "Authorization=[REDACTED]"} {
		if !strings.Contains(all, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	for _, secret := range []string{genericusrtest.Password, "Authorization=Basic", "Initial-"} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

// TestEnvironmentPointsAtAnotherServer runs the program the way it runs
// against a real installation, with the environment set, here pointing at a
// fake the test owns, so that the test can check what was sent.
func TestEnvironmentPointsAtAnotherServer(t *testing.T) {
	srv := genericusrtest.NewServer(genericusrtest.WithAccounts(7))
	defer srv.Close()
	env := map[string]string{
		"REVIVE_BASE_URL":   srv.URL,
		"REVIVE_USERNAME":   genericusrtest.Username,
		"REVIVE_PASSWORD":   genericusrtest.Password,
		"REVIVE_ACCOUNT_ID": "7",
	}
	code, out, errOut := runMain(t, env, "-json")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if users := srv.Users(); len(users) != 0 {
		t.Errorf("users left behind: %+v", users)
	}
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
		if ct := r.Header.Get("Content-Type"); len(r.Body) > 0 && ct != genericusr.ContentTypeJSON {
			t.Errorf("%s sent as %q with -json", r.Operation, ct)
		}
		switch r.Operation {
		case "addUser":
			var in genericusr.AddUserInput
			if err := json.Unmarshal(r.Body, &in); err != nil || in.DefaultAccountID != 7 || !strings.HasPrefix(in.Username, "jane.doe-") {
				t.Errorf("addUser body %s (%v)", r.Body, err)
			}
		case "modifyUser":
			var fields map[string]any
			if err := json.Unmarshal(r.Body, &fields); err != nil || len(fields) != 1 || fields["contactName"] != "Jane Q. Doe" {
				t.Errorf("modifyUser sent %s, want the name alone", r.Body)
			}
		}
	}
	want := []string{"addUser", "modifyUser", "getUserListByAccountId", "deleteUser", "getUser"}
	if !slices.Equal(ops, want) {
		t.Errorf("operations %v, want %v", ops, want)
	}

	env["REVIVE_PASSWORD"] = "wrong-password"
	code, out, errOut = runMain(t, env)
	if code != 1 || strings.Contains(out+errOut, "wrong-password") || !strings.Contains(errOut, "hint: check REVIVE_USERNAME") {
		t.Errorf("bad credentials: exit %d, stderr %q", code, errOut)
	}
}

func TestHelpDocumentsTheEnvironment(t *testing.T) {
	code, _, errOut := runMain(t, nil, "-help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		if p.Name != "genericusr" {
			continue
		}
		for _, v := range p.Env {
			if !strings.Contains(errOut, v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
		return
	}
	t.Fatal("providers.List() has no genericusr")
}
