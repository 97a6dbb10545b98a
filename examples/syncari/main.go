// Command syncari shows the Syncari client on its own, without the usermgmt
// facade: it onboards an API user for a nightly sync job and shows what is
// special about this API.
//
//   - OAuth2 client credentials: the client fetches a token once, caches it
//     and refreshes it by itself.
//   - Every call names an instance (the syncariId header); WithInstanceID
//     makes a view of the same client for another instance.
//   - Creates carry an idempotency key (clientRequestId): sending the same
//     create again with usermgmt.WithIdempotencyKey returns the first user
//     instead of making a second one.
//   - Roles are granted per instance, replaced as a whole or removed one by one.
//   - ListUsers is a lazy iterator: pages are fetched as the loop needs them.
//
// With no flags and no environment it runs against the in-process fake
// (syncaritest). Set SYNCARI_CLIENT_ID and the variables listed by -help to
// run it against the real API; -v logs every request with secrets redacted.
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
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("syncari", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response at debug level (secrets are redacted)")
	second := fs.String("instance2", "", "a second instance to grant a role in (default: STAGE01 on the fake, none on the real API)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: syncari [-v] [-instance2 ID]

Onboards an API user with the Syncari client. Runs against an in-process fake
unless SYNCARI_CLIENT_ID is set:

  SYNCARI_CLIENT_ID      client id of an API user (required)
  SYNCARI_CLIENT_SECRET  its client secret (required)
  SYNCARI_INSTANCE_ID    instance to run against, sent as syncariId (required)
  SYNCARI_BASE_URL       API base URL (default `+syncari.DefaultBaseURL+`)

Against the real API it creates nightly-sync-<time>@example.com and deactivates
it at the end (Syncari has no delete).

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

	// Logging is off by default. With -v every attempt and answer is logged
	// through log/slog; header values outside an allow-list (Authorization
	// among them) are written as [REDACTED], and bodies are never logged.
	var opts []usermgmt.Option
	if *verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, usermgmt.WithLogger(logger))
	}

	cfg := syncari.Config{
		BaseURL:      getenv("SYNCARI_BASE_URL"),
		ClientID:     getenv("SYNCARI_CLIENT_ID"),
		ClientSecret: usermgmt.Secret(getenv("SYNCARI_CLIENT_SECRET")),
		InstanceID:   getenv("SYNCARI_INSTANCE_ID"),
	}
	where := "the API at " + cmp.Or(cfg.BaseURL, syncari.DefaultBaseURL)
	if cfg.ClientID == "" {
		srv := syncaritest.NewServer()
		defer srv.Close()
		for _, name := range []string{"grace", "alan", "barbara", "edsger", "donald"} {
			srv.AddUser(syncari.User{Email: name + "@example.com", Roles: syncari.Roles{syncaritest.InstanceID: {"Viewer"}}})
		}
		cfg, where = srv.Config(), "the in-process fake at "+srv.URL
		if *second == "" {
			*second = "STAGE01"
		}
	}
	client, err := syncari.New(cfg, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Syncari on %s\n", where)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := story(ctx, stdout, client, *second); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		// Errors match the usermgmt sentinels with errors.Is.
		if errors.Is(err, usermgmt.ErrUnauthorized) {
			fmt.Fprintln(stderr, "hint: check SYNCARI_CLIENT_ID and SYNCARI_CLIENT_SECRET")
		}
		return 1
	}
	return 0
}

func story(ctx context.Context, w io.Writer, client *syncari.Client, second string) error {
	// A client prints without its credentials, whatever the verb.
	say(w, "client", "%+v", client)

	// The first call fetches a token with the client-credentials grant; every
	// later call, concurrent ones included, reuses it until shortly before it
	// expires. The token is a usermgmt.Secret: it prints as [REDACTED].
	tok, err := client.Token(ctx)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	say(w, "token", "%s token %v, valid until %s", tok.Type, tok.AccessToken, tok.Expiry.Format(time.RFC3339))

	roles, err := client.ListRoles(ctx)
	if err != nil {
		return fmt.Errorf("roles: %w", err)
	}
	roleID := map[string]string{} // role name -> role id
	var names []string
	for _, r := range roles {
		roleID[r.Name], names = r.ID, append(names, r.Name)
	}
	say(w, "roles", "%d roles: %s", len(roles), strings.Join(names, ", "))
	if roleID["Viewer"] == "" || roleID["Sync Manager"] == "" {
		return errors.New("roles: this instance has no Viewer or Sync Manager role")
	}

	// One key per logical create. Deriving it from what the create is for
	// means a job that crashes and runs again sends the same key, and the
	// server answers with the user it already made.
	email := "nightly-sync-" + time.Now().UTC().Format("20060102-150405") + "@example.com"
	key := "onboard-" + email
	in := syncari.CreateUserInput{Email: email, FirstName: "Nightly", LastName: "Sync", APIUser: true}
	u, err := client.CreateUser(usermgmt.WithIdempotencyKey(ctx, key), in)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	// An API user comes with credentials of its own; the secret never prints
	// (use u.ClientSecret.Reveal() to store it somewhere safe).
	say(w, "create", "API user %s: id %s, %s", u.Email, u.ID, u.Status)
	say(w, "", "idempotency key %q", key)
	say(w, "", "client id %s, client secret %v", u.ClientID, u.ClientSecret)

	// The job "runs again": same input, same key. No second user is made.
	again, err := client.CreateUser(usermgmt.WithIdempotencyKey(ctx, key), in)
	if err != nil {
		return fmt.Errorf("retry: %w", err)
	}
	if again.ID != u.ID {
		return fmt.Errorf("retry: the same key created a second user %s", again.ID)
	}
	say(w, "retry", "same create, same key: the server returned user %s, no duplicate", again.ID)

	// Roles are per instance. SetUserRoles replaces all of them at once.
	grant := syncari.Roles{client.InstanceID(): {"Sync Manager", "Viewer"}}
	if second != "" {
		grant[second] = []string{"Viewer"}
	}
	if u, err = client.SetUserRoles(ctx, u.ID, grant); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	say(w, "set roles", "%v", u.Roles) // fmt sorts map keys

	// RemoveUserRole acts in the client's instance. WithInstanceID gives a
	// view of the same client (same token cache) for another instance.
	target := client
	if second != "" {
		target = client.WithInstanceID(second)
	}
	if u, err = target.RemoveUserRole(ctx, u.ID, roleID["Viewer"]); err != nil {
		return fmt.Errorf("remove role: %w", err)
	}
	say(w, "remove role", "Viewer in %s: %v", target.InstanceID(), u.Roles)

	// The iterator fetches pages of 2 as the loop asks for users; breaking
	// out after 3 users means no third page is ever requested.
	say(w, "list", "the first 3 users, fetched lazily in pages of 2:")
	n := 0
	for lu, err := range client.ListUsers(ctx, &syncari.ListUsersOptions{PageSize: 2}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		n++
		say(w, "", "%d. %s (%s)", n, lu.Email, lu.Status)
		if n == 3 {
			break // stops the paging too
		}
	}

	// Syncari has no delete: deactivating is how a user is retired.
	if u, err = client.DeactivateUser(ctx, u.ID); err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	say(w, "deactivate", "%s is %s (Syncari has no delete)", u.Email, u.Status)
	return nil
}

// say prints one step of the story: its name in a column, then what happened.
func say(w io.Writer, step, format string, args ...any) {
	fmt.Fprintf(w, "  %-12s %s\n", step, fmt.Sprintf(format, args...))
}
