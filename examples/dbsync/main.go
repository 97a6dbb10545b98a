// Command dbsync shows the DBSync Partner API client on its own, without the
// usermgmt facade: a partner application licenses the users of one customer
// company and manages its seats.
//
//   - Users are named by company and user name (dbsync.EndUser); there are
//     no other fields and no ids that any call accepts.
//   - RegisterUser takes a license seat; UnregisterUser gives it back.
//   - The API answers HTTP 200 even when a call fails; the client turns the
//     error messages into errors that match usermgmt.ErrConflict,
//     dbsync.ErrQuotaExceeded, usermgmt.ErrNotFound, ... with errors.Is.
//   - AuthenticateUser checks one user's license; LicenseDetails lists them.
//
// With no flags and no environment it runs against the in-process fake
// (dbsynctest) with a quota of three seats. Set DBSYNC_PARTNER_APP_KEY and the
// variables listed by -help to run it against the real API; -v logs every
// request with secrets redacted.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("dbsync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response at debug level (secrets are redacted)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: dbsync [-v]

Licenses users of one company with the DBSync client. Runs against an
in-process fake unless DBSYNC_PARTNER_APP_KEY is set:

  DBSYNC_PARTNER_APP_KEY    partner application key (required)
  DBSYNC_PARTNER_APP_TOKEN  partner application token (required)
  DBSYNC_COMPANY    end-user company the users belong to (required)
  DBSYNC_ENV        environment, e.g. `+dbsync.Staging+` (required with DBSYNC_APP_KEY)
  DBSYNC_VERSION    version (default `+dbsync.DefaultVersion+`)

Against the real API it registers alice-<time>, bob-<time>, ... and
unregisters them at the end.

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

	// Logging is off by default. The partner key and token travel in every
	// request body, and bodies are never logged.
	var opts []usermgmt.Option
	if *verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, usermgmt.WithLogger(logger))
	}

	cfg := dbsync.Config{
		Environment:     getenv("DBSYNC_ENV"),
		Version:         getenv("DBSYNC_VERSION"),
		PartnerAppKey:   usermgmt.Secret(getenv("DBSYNC_PARTNER_APP_KEY")),
		PartnerAppToken: usermgmt.Secret(getenv("DBSYNC_PARTNER_APP_TOKEN")),
	}
	company, suffix := getenv("DBSYNC_COMPANY"), "-"+time.Now().UTC().Format("20060102150405")
	if cfg.PartnerAppKey.IsZero() {
		srv := dbsynctest.NewServer(dbsynctest.WithQuota(3))
		defer srv.Close()
		cfg, company, suffix = srv.Config(), "Acme Corp", ""
	}
	client, err := dbsync.New(cfg, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	fmt.Fprintf(stdout, "DBSync Partner API at %s, company %q\n", client.BaseURL(), cmp.Or(company, "(none)"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := story(ctx, stdout, client, company, suffix); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		// Errors match the usermgmt sentinels with errors.Is.
		if errors.Is(err, usermgmt.ErrUnauthorized) {
			fmt.Fprintln(stderr, "hint: check DBSYNC_PARTNER_APP_KEY and DBSYNC_PARTNER_APP_TOKEN")
		}
		return 1
	}
	return 0
}

func story(ctx context.Context, w io.Writer, client *dbsync.Client, company, suffix string) (err error) {
	user := func(name string) dbsync.EndUser { return dbsync.EndUser{Company: company, UserName: name + suffix} }
	alice, bob, carol, dave := user("alice"), user("bob"), user("carol"), user("dave")

	// Seats are scarce: whatever happens below, give back the ones this
	// story took. Unregistering frees a seat (the annual quota is not given
	// back); a user already gone matches usermgmt.ErrNotFound.
	var seated []dbsync.EndUser
	defer func() {
		for _, u := range seated {
			if uerr := client.UnregisterUser(ctx, u); uerr != nil && !errors.Is(uerr, usermgmt.ErrNotFound) {
				err = errors.Join(err, fmt.Errorf("unregister %s: %w", u.UserName, uerr))
				continue
			}
			say(w, "unregister", "%s: seat freed", u.UserName)
		}
	}()

	// register takes a seat. RegisterUser is never resent when its outcome
	// is unknown (a dropped connection, a timeout): the error then matches
	// usermgmt.ErrOutcomeUnknown, and the caller looks the user up with
	// LicenseDetails before trying again (dbsync.NewDirectory does that).
	register := func(u dbsync.EndUser) error {
		r, err := client.RegisterUser(ctx, u)
		if err != nil {
			return err
		}
		seated = append(seated, u)
		say(w, "register", "%s: user id %s, company id %s", r.UserName, r.UserID, r.CompanyID)
		return nil
	}
	for _, u := range []dbsync.EndUser{alice, bob, carol} {
		if err := register(u); err != nil {
			return fmt.Errorf("register %s: %w", u.UserName, err)
		}
	}

	// Registering twice is an error matching usermgmt.ErrConflict; for a
	// sync job that means "nothing to do".
	switch _, err := client.RegisterUser(ctx, alice); {
	case errors.Is(err, usermgmt.ErrConflict):
		say(w, "conflict", "%s again: already registered, nothing to do (%v)", alice.UserName, err)
	case err != nil:
		return fmt.Errorf("register %s again: %w", alice.UserName, err)
	default:
		return fmt.Errorf("register %s again: accepted, want a conflict", alice.UserName)
	}

	lic, err := client.AuthenticateUser(ctx, bob)
	if err != nil {
		return fmt.Errorf("authenticate %s: %w", bob.UserName, err)
	}
	say(w, "authenticate", "%s holds a %s license, %s, expires %s", lic.UserName, lic.LicenseType, lic.LicenseStatus, lic.ExpiryDate)

	// A fourth user may not fit: a used-up quota matches
	// dbsync.ErrQuotaExceeded. Unregistering someone frees a seat.
	err = register(dave)
	if errors.Is(err, dbsync.ErrQuotaExceeded) {
		say(w, "quota", "no seat for %s: %v", dave.UserName, err)
		if err := client.UnregisterUser(ctx, carol); err != nil {
			return fmt.Errorf("unregister %s: %w", carol.UserName, err)
		}
		seated = slices.DeleteFunc(seated, func(u dbsync.EndUser) bool { return u == carol })
		say(w, "quota", "unregistered %s, who left the company, to free a seat", carol.UserName)
		err = register(dave)
	}
	if err != nil {
		return fmt.Errorf("register %s: %w", dave.UserName, err)
	}

	// LicenseDetails answers in one response: DBSync does not page.
	licenses, err := client.LicenseDetails(ctx, dbsync.LicenseFilter{Company: company})
	if err != nil {
		return fmt.Errorf("licenses: %w", err)
	}
	say(w, "licenses", "%d users of %s hold a license:", len(licenses), company)
	for _, l := range licenses {
		say(w, "", "%-20s %s %s, expires %s", l.UserName, l.LicenseStatus, l.LicenseType, l.ExpiryDate)
	}
	return nil
}

// say prints one step of the story: its name in a column, then what happened.
func say(w io.Writer, step, format string, args ...any) {
	fmt.Fprintf(w, "  %-12s %s\n", step, fmt.Sprintf(format, args...))
}
