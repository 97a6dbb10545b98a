// Command bss shows the Amino BSS user management client on its own, without
// the usermgmt facade: an operator signs up a subscriber who can log in only
// once registered, looks the subscriber up, lists the subscribers and
// removes the account again.
//
//   - A new user is UNREGISTERED (cannot log in) unless created otherwise.
//   - UpdateUser is a PATCH carrying only the fields set; SetRegistrationState
//     sends registration_state and nothing else.
//   - Users are fetched by id and listed lazily in offset/limit pages.
//   - The legacy endpoints, keyed by email, are still reachable through the
//     deprecated Client.Legacy; each of its methods names its V4 replacement.
//
// With no flags and no environment it runs against the in-process fake
// (bsstest). Set BSS_BASE_URL and BSS_API_KEY to run it against a real
// installation; -v logs every request with secrets redacted.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("bss", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response at debug level (secrets are redacted)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: bss [-v]

Creates, registers, gets, lists and deletes a user with the BSS client.
Runs against an in-process fake unless BSS_BASE_URL is set:

  BSS_BASE_URL  customer-specific base URL of the BSS API (required)
  BSS_API_KEY   API key, sent as Authorization: Apikey <key> (required)

Against a real installation it creates jane.doe-<time>@example.com and deletes
it at the end.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	// Logging is off by default. With -v every attempt and answer is logged;
	// the Authorization header (the API key) is written as [REDACTED].
	var opts []usermgmt.Option
	if *verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, usermgmt.WithLogger(logger))
	}

	cfg := bss.Config{BaseURL: getenv("BSS_BASE_URL"), APIKey: usermgmt.Secret(getenv("BSS_API_KEY"))}
	suffix := "-" + time.Now().UTC().Format("20060102150405")
	if cfg.BaseURL == "" {
		srv := bsstest.NewServer()
		defer srv.Close()
		srv.AddUser(bss.User{Name: "Alan Turing", ContactDetails: bss.ContactDetails{Email: "alan.turing@example.com"},
			RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
		srv.AddUser(bss.User{Name: "Hedy Lamarr", ContactDetails: bss.ContactDetails{Email: "hedy.lamarr@example.com"}})
		cfg, suffix = srv.Config(), ""
	}
	client, err := bss.New(cfg, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	fmt.Fprintf(stdout, "BSS user management API at %s\n", cfg.BaseURL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := story(ctx, stdout, client, suffix); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		// Errors match the usermgmt sentinels with errors.Is.
		if errors.Is(err, usermgmt.ErrUnauthorized) {
			fmt.Fprintln(stderr, "hint: check BSS_API_KEY")
		}
		return 1
	}
	return 0
}

func story(ctx context.Context, w io.Writer, client *bss.Client, suffix string) error {
	// A create has no idempotency key: when its outcome is unknown the error
	// matches usermgmt.ErrOutcomeUnknown and nothing is resent (look the
	// email up first; bss.NewDirectory does that for you). No
	// RegistrationState is sent, so the user starts UNREGISTERED.
	u, err := client.CreateUser(ctx, bss.CreateUserInput{
		Name:       "Jane Doe",
		Email:      "jane.doe" + suffix + "@example.com",
		ExternalID: "crm-4711" + suffix,
		Password:   usermgmt.Secret(rand.Text()), // write-only: never returned
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	say(w, "create", "%s <%s>: id %s, %s (cannot log in yet)", u.Name, u.ContactDetails.Email, u.ID, u.RegistrationInformation.State)

	// Later, once the subscriber confirmed the address: one PATCH whose body
	// is {"registration_information":{"registration_state":"REGISTERED"}}.
	// Nothing else is sent, so nothing else changes.
	reg, err := client.SetRegistrationState(ctx, u.ID, bss.Registered)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if reg.Name != u.Name || reg.ContactDetails != u.ContactDetails || reg.ExternalID != u.ExternalID || !slices.Equal(reg.UserFlags, u.UserFlags) {
		return fmt.Errorf("register: other fields changed: %+v", reg)
	}
	say(w, "register", "%s is %s since %s; name, email and external id unchanged",
		reg.ID, reg.RegistrationInformation.State, reg.RegistrationInformation.Time.Format(time.RFC3339))

	got, err := client.GetUser(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	say(w, "get", "%s: %s <%s>, external id %s, can log in: %t", got.ID, got.Name, got.ContactDetails.Email, got.ExternalID, got.Registered())

	// The iterator pages with offset and limit, one page in memory.
	say(w, "list", "users, in pages of 2 (at most 10 shown):")
	n := 0
	for lu, err := range client.ListUsers(ctx, &bss.ListUsersOptions{PageSize: 2}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		n++
		say(w, "", "%2d. %-12s %-26s %s", n, lu.Name, lu.ContactDetails.Email, lu.RegistrationInformation.State)
		if n == 10 {
			break
		}
	}

	// The legacy endpoints address users by email and see the same store.
	// Deprecated: the V4 replacement of Legacy().ListUsers is
	// client.ListUsers (above); new code should not call Legacy at all.
	//lint:ignore SA1019 the example shows the legacy client on purpose
	legacy, err := client.Legacy().ListUsers(ctx)
	if err != nil {
		return fmt.Errorf("legacy: %w", err)
	}
	i := slices.IndexFunc(legacy, func(l bss.LegacyUser) bool { return l.Email == u.ContactDetails.Email })
	if i < 0 {
		return fmt.Errorf("legacy: %s not in the legacy listing", u.ContactDetails.Email)
	}
	say(w, "legacy", "the deprecated legacy listing has %d users, %s among them with cid %s", len(legacy), legacy[i].Email, legacy[i].CID)

	if err := client.DeleteUser(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	// A user that does not exist is an error matching usermgmt.ErrNotFound.
	if _, err := client.GetUser(ctx, u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
		return fmt.Errorf("delete: user %s still there (%v)", u.ID, err)
	}
	say(w, "delete", "user %s deleted; getting it now fails with ErrNotFound", u.ID)
	return nil
}

// say prints one step of the story: its name in a column, then what happened.
func say(w io.Writer, step, format string, args ...any) {
	fmt.Fprintf(w, "  %-9s %s\n", step, fmt.Sprintf(format, args...))
}
