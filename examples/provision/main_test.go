package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
)

func TestProvisionTheSampleIntoEveryProvider(t *testing.T) {
	for _, p := range providers.List() {
		t.Run(p.Name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"-provider", p.Name, "-concurrency", "16"}, &out, &errOut, func(string) string { return "" }, false)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), "created 120, updated 0, existing 0, failed 0, skipped 0") {
				t.Errorf("summary:\n%s", out.String())
			}
			if !strings.Contains(errOut.String(), "120/120") {
				t.Errorf("no final progress line:\n%s", errOut.String())
			}
		})
	}
}

// TestProvisionOtel: with -otel the run prints its spans (one trace: the
// Provision span, a span per user, the calls inside) and its metrics.
func TestProvisionOtel(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-provider", "bss", "-otel"}, &out, &errOut, func(string) string { return "" }, false)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut.String())
	}
	for _, want := range []string{`"Name":"bss Provision"`, `"Name":"bss Provision.user"`, `"Name":"bss Directory.CreateUser"`, `"Name":"bss createUser attempt"`,
		`"Name":"usermgmt.provision.items"`, `"Name":"usermgmt.client.call.duration"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the -otel output has no %s", want)
		}
	}
	var plain bytes.Buffer
	if code := run(context.Background(), []string{"-provider", "bss"}, &plain, &errOut, func(string) string { return "" }, false); code != 0 || strings.Contains(plain.String(), `"Name"`) {
		t.Errorf("exit %d; without -otel the output has spans: %s", code, plain.String())
	}
}

func TestReadCSV(t *testing.T) {
	users, err := readCSV(strings.NewReader("email, name\n a@x.io , Ada Lovelace\nb@x.io,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Email != "a@x.io" || users[0].Name != "Ada Lovelace" || users[1].NaturalKey() != "b@x.io" {
		t.Errorf("users = %+v", users)
	}
	if users[0].Password.IsZero() {
		t.Error("a missing password was not filled in")
	}
	if _, err := readCSV(strings.NewReader("first_name\nAda\n")); err == nil {
		t.Error("a CSV without username or email was accepted")
	}
}
