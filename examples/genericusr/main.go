// Command genericusr shows the Revive Adserver user client on its own,
// without the usermgmt facade: an ad operations team adds a trafficker,
// renames her, lists the account's users and removes her again.
//
//   - Every installation serves its own API: the base URL is always yours,
//     and calls authenticate with HTTP Basic.
//   - Creates and modifies are POSTs (Config.UsePUT sends PUTs instead).
//   - ModifyUser sends only the fields set in its input; the others are left
//     out of the request and kept as they are.
//   - Users are listed by account, in one answer (no paging).
//   - Bodies are sent as text/javascript, as the vendor documents; -json
//     sends application/json, as the vendor's demo client does.
//
// With no flags and no environment it runs against the in-process fake
// (genericusrtest). Set REVIVE_BASE_URL and the variables listed by -help to
// run it against a real installation; -v logs every request with secrets
// redacted.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("genericusr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response at debug level (secrets are redacted)")
	asJSON := fs.Bool("json", false, "send request bodies as application/json instead of text/javascript")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: genericusr [-v] [-json]

Adds, modifies, lists and deletes a user with the Revive Adserver client.
Runs against an in-process fake unless REVIVE_BASE_URL is set:

  REVIVE_BASE_URL    base URL of the Revive Adserver REST API (required)
  REVIVE_USERNAME    HTTP Basic user name (required)
  REVIVE_PASSWORD    HTTP Basic password (required)
  REVIVE_ACCOUNT_ID  account the user is created in and listed from (required)

Against a real installation it creates jane.doe-<time> and deletes it at the end.

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
	// the Authorization header (HTTP Basic) is written as [REDACTED].
	var opts []usermgmt.Option
	if *verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, usermgmt.WithLogger(logger))
	}

	cfg := genericusr.Config{
		BaseURL:  getenv("REVIVE_BASE_URL"),
		Username: getenv("REVIVE_USERNAME"),
		Password: usermgmt.Secret(getenv("REVIVE_PASSWORD")),
	}
	account, suffix := int64(0), "-"+time.Now().UTC().Format("20060102150405")
	if cfg.BaseURL == "" {
		srv := genericusrtest.NewServer()
		defer srv.Close()
		admin := srv.AddUser(genericusr.User{Username: "admin", ContactName: "Site Admin", EmailAddress: "admin@example.com", Active: true})
		srv.SetPassword(admin.ID, rand.Text())
		cfg, account, suffix = srv.Config(), genericusrtest.AccountID, ""
	} else {
		id, err := strconv.ParseInt(getenv("REVIVE_ACCOUNT_ID"), 10, 64)
		if err != nil {
			fmt.Fprintln(stderr, "error: REVIVE_ACCOUNT_ID:", err)
			return 1
		}
		account = id
	}
	if *asJSON {
		cfg.ContentType = genericusr.ContentTypeJSON
	}
	client, err := genericusr.New(cfg, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Revive Adserver API at %s, account %d\n", cfg.BaseURL, account)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := story(ctx, stdout, client, account, suffix); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		// Errors match the usermgmt sentinels with errors.Is.
		if errors.Is(err, usermgmt.ErrUnauthorized) {
			fmt.Fprintln(stderr, "hint: check REVIVE_USERNAME and REVIVE_PASSWORD")
		}
		return 1
	}
	return 0
}

func story(ctx context.Context, w io.Writer, client *genericusr.Client, account int64, suffix string) error {
	// A client prints its URL and the media type of its request bodies
	// (client.ContentType()), never its credentials, whatever the verb.
	say(w, "client", "%v, bodies as %s", client, client.ContentType())

	// AddUser is a POST to /usr/new. The API has no idempotency key, so a
	// create whose outcome is unknown is never resent: the error matches
	// usermgmt.ErrOutcomeUnknown (genericusr.NewDirectory settles it by
	// looking the username up). The password is a Secret and never prints.
	u, err := client.AddUser(ctx, genericusr.AddUserInput{
		ContactName:      "Jane Doe",
		EmailAddress:     "jane.doe" + suffix + "@example.com",
		DefaultAccountID: account,
		Username:         "jane.doe" + suffix,
		Password:         usermgmt.Secret("Initial-" + rand.Text()),
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	say(w, "create", "%s (%s): user id %d, active %t", u.Username, u.ContactName, u.ID, u.Active)

	// Only the fields set (non-nil) are sent: here the name alone. The
	// email, username and password stay as they are.
	name := "Jane Q. Doe"
	change := genericusr.ModifyUserInput{ContactName: &name}
	body, err := json.Marshal(change) // the body ModifyUser sends
	if err != nil {
		return err
	}
	if u, err = client.ModifyUser(ctx, u.ID, change); err != nil {
		return fmt.Errorf("modify: %w", err)
	}
	say(w, "modify", "sent %s: now %q, email %s unchanged", body, u.ContactName, u.EmailAddress)

	// The API lists the users of one account, all in one answer.
	users, err := usermgmt.Collect(client.ListUsers(ctx, account))
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	say(w, "list", "%d users in account %d:", len(users), account)
	for _, lu := range users {
		say(w, "", "%5d  %-30s %-20s active %t", lu.ID, lu.Username, lu.ContactName, lu.Active)
	}

	if err := client.DeleteUser(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	// A user that does not exist is an error matching usermgmt.ErrNotFound.
	if _, err := client.GetUser(ctx, u.ID); !errors.Is(err, usermgmt.ErrNotFound) {
		return fmt.Errorf("delete: user %d still there (%v)", u.ID, err)
	}
	say(w, "delete", "user %d deleted; getting it now fails with ErrNotFound", u.ID)
	return nil
}

// say prints one step of the story: its name in a column, then what happened.
func say(w io.Writer, step, format string, args ...any) {
	fmt.Fprintf(w, "  %-8s %s\n", step, fmt.Sprintf(format, args...))
}
