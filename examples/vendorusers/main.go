// Command vendorusers shows the Guardant vendor users client on its own,
// without the usermgmt facade: a software vendor's administrator onboards two
// developers, pages through the team, and archives a developer who left.
//
//   - Every user has exactly one role, by id; ListRoles names them.
//   - ListUsers is a lazy iterator over offset/limit pages, sorted by last
//     name then first name, ascending or descending, and filtered by archive
//     state.
//   - There is no delete: users are archived (and can be restored).
//
// With no flags and no environment it runs against the in-process fake
// (vendoruserstest). Set GUARDANT_TOKEN and the variables listed by -help to
// run it against the real service; -v logs every request with secrets
// redacted.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("vendorusers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response at debug level (secrets are redacted)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: vendorusers [-v]

Creates, lists and archives users with the Guardant vendor users client.
Runs against an in-process fake unless GUARDANT_TOKEN is set:

  GUARDANT_TOKEN     bearer token for the vendor users API (required)
  GUARDANT_ROLE_ID   role id given to the users created (e.g. 5, Developer) (required)
  GUARDANT_BASE_URL  API base URL (default `+vendorusers.DefaultBaseURL+`)

Against the real service it creates two users named <name>-<time>@example.com
and archives them (the API has no delete).

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
	// the Authorization header is written as [REDACTED].
	var opts []usermgmt.Option
	if *verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, usermgmt.WithLogger(logger))
	}

	cfg := vendorusers.Config{BaseURL: getenv("GUARDANT_BASE_URL"), Token: usermgmt.Secret(getenv("GUARDANT_TOKEN"))}
	suffix := "-" + time.Now().UTC().Format("20060102150405")
	role, _ := strconv.ParseInt(getenv("GUARDANT_ROLE_ID"), 10, 64)
	if cfg.Token.IsZero() {
		srv := vendoruserstest.NewServer()
		defer srv.Close()
		// A team that is already there, with various roles.
		for _, c := range []struct {
			first, last string
			role        int64
		}{
			{"Barbara", "Liskov", vendoruserstest.RoleSupervisor}, {"Edsger", "Dijkstra", vendoruserstest.RoleDeveloper},
			{"Donald", "Knuth", vendoruserstest.RoleProductManager}, {"Frances", "Allen", vendoruserstest.RoleSalesManager},
			{"Tony", "Hoare", vendoruserstest.RoleDeveloper},
		} {
			srv.AddUser(vendorusers.User{Email: strings.ToLower(c.first+"."+c.last) + "@example.com",
				Details: vendorusers.Details{FirstName: c.first, LastName: c.last, Role: vendorusers.Role{ID: c.role}}})
		}
		cfg, suffix, role = srv.Config(), "", vendoruserstest.RoleDeveloper
	} else if role <= 0 {
		fmt.Fprintln(stderr, "error: GUARDANT_ROLE_ID must be a role id, e.g. 5")
		return 1
	}
	client, err := vendorusers.New(cfg, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Guardant vendor users API at %s\n", cmp.Or(cfg.BaseURL, vendorusers.DefaultBaseURL))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := story(ctx, stdout, client, role, suffix); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		// Errors match the usermgmt sentinels with errors.Is.
		if errors.Is(err, usermgmt.ErrUnauthorized) {
			fmt.Fprintln(stderr, "hint: check GUARDANT_TOKEN")
		}
		return 1
	}
	return 0
}

func story(ctx context.Context, w io.Writer, client *vendorusers.Client, role int64, suffix string) error {
	roles, err := client.ListRoles(ctx)
	if err != nil {
		return fmt.Errorf("roles: %w", err)
	}
	say(w, "roles", "%d roles:", len(roles))
	for _, r := range roles {
		say(w, "", "%d %-16s may manage users %-5t products %-5t orders %t", r.ID, r.Name, r.CreateUsers, r.CreateProducts, r.CreateOrders)
	}

	// A create has no idempotency key: when its outcome is unknown the error
	// matches usermgmt.ErrOutcomeUnknown and nothing is resent (look the
	// username up first; vendorusers.NewDirectory does that for you).
	var team []*vendorusers.User
	for _, n := range [][2]string{{"Ada", "Lovelace"}, {"Grace", "Hopper"}} {
		u, err := client.CreateUser(ctx, vendorusers.CreateUserInput{
			Username:  strings.ToLower(n[0]+"."+n[1]) + suffix + "@example.com",
			RoleID:    role,
			Password:  usermgmt.Secret(rand.Text()), // sent as password and passwordConfirm
			FirstName: n[0],
			LastName:  n[1],
		})
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		team = append(team, u)
		say(w, "create", "%s %s <%s>: id %d, role %s", u.Details.FirstName, u.Details.LastName, u.Email, u.ID, u.Details.Role.Name)
	}

	// The iterator asks for pages of 3 and stops at the first short page
	// (the service reports no total). Users come sorted by last name.
	active := false
	say(w, "list", "users not archived, by last name, in pages of 3 (at most 10 shown):")
	if err := show(w, client.ListUsers(ctx, &vendorusers.ListUsersOptions{Archived: &active, PageSize: 3}), 10); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	say(w, "list", "descending, first 3 only (breaking out stops the paging):")
	if err := show(w, client.ListUsers(ctx, &vendorusers.ListUsersOptions{Archived: &active, Direction: vendorusers.Descending, PageSize: 3}), 3); err != nil {
		return fmt.Errorf("list: %w", err)
	}

	// Grace leaves: there is no delete, so she is archived. Archive(id,
	// false) would bring her back.
	grace, err := client.Archive(ctx, team[1].ID, true)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	say(w, "archive", "%s archived at %s", grace.Email, grace.Details.ArchivedAt.Format(time.RFC3339))
	archived := true
	say(w, "archived", "users archived:")
	if err := show(w, client.ListUsers(ctx, &vendorusers.ListUsersOptions{Archived: &archived}), 10); err != nil {
		return fmt.Errorf("list archived: %w", err)
	}

	// Leave nothing active behind: Ada is archived too.
	if _, err := client.Archive(ctx, team[0].ID, true); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	say(w, "archive", "%s archived as well (clean-up)", team[0].Email)
	return nil
}

// show prints at most limit users of a listing.
func show(w io.Writer, users iter.Seq2[vendorusers.User, error], limit int) error {
	n := 0
	for u, err := range users {
		if err != nil {
			return err
		}
		n++
		say(w, "", "%2d. %-10s %-9s %-36s %s", n, u.Details.LastName, u.Details.FirstName, u.Email, u.Details.Role.Name)
		if n == limit {
			break
		}
	}
	return nil
}

// say prints one step of the story: its name in a column, then what happened.
func say(w io.Writer, step, format string, args ...any) {
	fmt.Fprintf(w, "  %-9s %s\n", step, fmt.Sprintf(format, args...))
}
