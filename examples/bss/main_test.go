package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/bss/bsstest"
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
		"create":   "Jane Doe <jane.doe@example.com>: id ",
		"register": "is REGISTERED since",
		"get":      "Jane Doe <jane.doe@example.com>, external id crm-4711, can log in: true",
		"list":     "pages of 2",
		"legacy":   "legacy listing has 3 users, jane.doe@example.com among them with cid crm-4711",
		"delete":   "getting it now fails with ErrNotFound",
	}
	for step, text := range want {
		if l := stepLine(out, step); !strings.Contains(l, text) {
			t.Errorf("step %q: want %q in %q", step, text, l)
		}
	}
	if !strings.Contains(stepLine(out, "create"), "UNREGISTERED") {
		t.Errorf("the new user is not shown UNREGISTERED:\n%s", out)
	}
	if !strings.Contains(out, "3. Jane Doe") {
		t.Errorf("the listing does not reach the new user:\n%s", out)
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
	for _, want := range []string{"usermgmt: request", "operation=createUser", "operation=updateUser", "operation=getLegacyUsers", "Authorization=[REDACTED]"} {
		if !strings.Contains(all, want) {
			t.Errorf("debug log lacks %q", want)
		}
	}
	for _, secret := range []string{bsstest.APIKey, "Authorization=Apikey"} {
		if strings.Contains(all, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

// TestEnvironmentPointsAtAnotherServer runs the program the way it runs
// against a real installation, with the environment set, here pointing at a
// fake the test owns, so that the test can check what was sent.
func TestEnvironmentPointsAtAnotherServer(t *testing.T) {
	srv := bsstest.NewServer(bsstest.WithCredentials("another-key"))
	defer srv.Close()
	env := map[string]string{"BSS_BASE_URL": srv.URL, "BSS_API_KEY": "another-key"}
	code, out, errOut := runMain(t, env)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if users := srv.Users(); len(users) != 0 {
		t.Errorf("users left behind: %+v", users)
	}
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
		var body map[string]any
		switch r.Operation {
		case "createUser":
			if err := json.Unmarshal(r.Body, &body); err != nil || body["registration_information"] != nil {
				t.Errorf("createUser sent %s, want no registration state", r.Body)
			}
		case "updateUser":
			if r.Method != "PATCH" || string(compact(t, r.Body)) != `{"registration_information":{"registration_state":"REGISTERED"}}` {
				t.Errorf("%s %s, want a PATCH of the registration state alone", r.Method, r.Body)
			}
		}
	}
	want := []string{"createUser", "updateUser", "getUserById", "getAllUsers", "getLegacyUsers", "deleteUserById", "getUserById"}
	if !slices.Equal(ops, want) {
		t.Errorf("operations %v, want %v", ops, want)
	}

	env["BSS_API_KEY"] = "wrong-key"
	code, out, errOut = runMain(t, env)
	if code != 1 || strings.Contains(out+errOut, "wrong-key") || !strings.Contains(errOut, "hint: check BSS_API_KEY") {
		t.Errorf("bad key: exit %d, stderr %q", code, errOut)
	}
}

func compact(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Errorf("body %q: %v", b, err)
	}
	return buf.Bytes()
}

func TestHelpDocumentsTheEnvironment(t *testing.T) {
	code, _, errOut := runMain(t, nil, "-help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, p := range providers.List() {
		if p.Name != "bss" {
			continue
		}
		for _, v := range p.Env {
			if !strings.Contains(errOut, v.Name) {
				t.Errorf("-help does not document %s", v.Name)
			}
		}
		return
	}
	t.Fatal("providers.List() has no bss")
}
