// Command reconcile makes a provider hold the users of a CSV file, the way
// terraform plans and applies: it prints what it would create, update and
// (with -prune) remove, and with -apply does it, with a progress bar.
// Running it again after an apply prints an empty plan.
//
//	go run ./examples/reconcile -provider bss -desired users.csv
//	go run ./examples/reconcile -provider bss -desired users.csv -prune -json plan.json
//	go run ./examples/reconcile -provider bss -plan-file plan.json
//
// The CSV has a header row naming any of: username, email, name,
// first_name, last_name, password, active (true or false; empty leaves it
// alone) and roles (names separated by ";" or "|"; empty leaves them
// alone). Without -desired it uses the sample in this directory. The
// provider runs on its in-process fake, seeded with a few users so that the
// plan shows every kind of change, unless its environment variables are
// set (see examples/quickstart -help). A user without a password gets a
// generated one, also when a saved plan is applied.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/examples/internal/cli"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
)

//go:embed users.csv
var sample string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, cli.IsTerminal(os.Stderr), openSeeded))
}

// opener opens a provider's directory: real, or its seeded fake.
type opener func(p providers.Provider, getenv func(string) string) (dir *usermgmt.Directory, real bool, closeFn func(), err error)

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, tty bool, open opener) int {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("provider", "bss", "provider to reconcile")
	file := fs.String("desired", "", "CSV file of the desired users (default: the bundled sample)")
	apply := fs.Bool("apply", false, "apply the plan after printing it")
	prune := fs.Bool("prune", false, "remove the users the CSV does not list")
	jsonOut := fs.String("json", "", "write the plan as JSON to this file (- for standard output)")
	planFile := fs.String("plan-file", "", "apply this saved plan (written by -json) instead of planning")
	concurrency := fs.Int("concurrency", 8, "items applied at once")
	ratePerSec := fs.Float64("rate", 0, "items started per second at most (0: no limit)")
	maxRemoval := fs.Float64("max-removal", usermgmt.DefaultMaxRemovalShare, "share of the directory a plan may remove or deactivate")
	allowMass := fs.Bool("allow-mass-removal", false, "apply a plan that removes more than -max-removal")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "reconcile:", err)
		return 1
	}
	var p *providers.Provider
	for _, cand := range providers.List() {
		if cand.Name == *name {
			p = &cand
		}
	}
	if p == nil {
		fmt.Fprintf(stderr, "reconcile: unknown provider %q\n", *name)
		return 2
	}
	dir, real, closeFn, err := open(*p, getenv)
	if err != nil {
		return fail(err)
	}
	defer closeFn()
	where := "fake"
	if real {
		where = "real API"
	}

	var plan *usermgmt.DirectoryPlan
	if *planFile != "" {
		b, err := os.ReadFile(*planFile)
		if err != nil {
			return fail(err)
		}
		plan = new(usermgmt.DirectoryPlan)
		if err := json.Unmarshal(b, plan); err != nil {
			return fail(fmt.Errorf("%s: %w", *planFile, err))
		}
		*apply = true
		fmt.Fprintf(stderr, "saved plan %s for %s (%s)\n", *planFile, p.Name, where)
	} else {
		src := io.Reader(strings.NewReader(sample))
		if *file != "" {
			f, err := os.Open(*file)
			if err != nil {
				return fail(err)
			}
			defer f.Close()
			src = f
		}
		desired, err := readCSV(src)
		if err != nil {
			return fail(err)
		}
		plan, err = usermgmt.Plan(ctx, dir, desired, &usermgmt.PlanOptions{Prune: *prune})
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stderr, "plan for %s (%s)\n", p.Name, where)
	}
	human := stdout
	if *jsonOut == "-" { // standard output carries the JSON alone
		human = stderr
	}
	if _, err := plan.WriteTo(human); err != nil {
		return fail(err)
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(plan, "", "  ")
		if err != nil {
			return fail(err)
		}
		b = append(b, '\n')
		if *jsonOut == "-" {
			_, err = stdout.Write(b)
		} else {
			err = os.WriteFile(*jsonOut, b, 0o600)
		}
		if err != nil {
			return fail(err)
		}
	}
	if !*apply || plan.Empty() {
		return 0
	}

	bar := cli.NewBar(stderr, tty)
	start := time.Now()
	results, err := usermgmt.Apply(ctx, dir, plan, &usermgmt.ApplyOptions{
		Concurrency: *concurrency, RateLimit: *ratePerSec, Progress: func(p usermgmt.ApplyProgress) {
			bar.Update(p.Done, p.Total, fmt.Sprintf("created %d  updated %d  removed %d  stale %d  failed %d", p.Created, p.Updated, p.Removed, p.Stale, p.Failed))
		},
		MaxRemovalShare: *maxRemoval, AllowMassRemoval: *allowMass,
		Password: func(key string) (usermgmt.Secret, error) { return defaultPassword(key), nil },
	})
	bar.Done()
	if errors.Is(err, usermgmt.ErrMassRemoval) {
		return fail(err)
	}
	counts := map[usermgmt.ItemOutcome]int{}
	for _, r := range results {
		counts[r.Outcome]++
		switch r.Outcome {
		case usermgmt.ItemFailed:
			fmt.Fprintf(stdout, "  %s %s: %v\n", r.Action, r.Key, r.Err)
		case usermgmt.ItemStale:
			fmt.Fprintf(stdout, "  %s %s: skipped: %s\n", r.Action, r.Key, r.Reason)
		}
	}
	fmt.Fprintf(stdout, "applied %d, stale %d, failed %d, skipped %d in %s\n",
		counts[usermgmt.ItemApplied], counts[usermgmt.ItemStale], counts[usermgmt.ItemFailed],
		counts[usermgmt.ItemSkipped], time.Since(start).Round(time.Millisecond))
	if err != nil {
		return fail(err)
	}
	return 0
}

func defaultPassword(key string) usermgmt.Secret {
	return usermgmt.Secret("Reconciled-" + key + "-1!")
}

// readCSV reads desired users from CSV with a header row.
func readCSV(r io.Reader) ([]usermgmt.DesiredUser, error) {
	var users []usermgmt.DesiredUser
	err := cli.ReadCSV(r, func(row cli.Row) error {
		u := usermgmt.DesiredUser{
			Username: row.Get("username"), Email: row.Get("email"), Name: row.Get("name"),
			FirstName: row.Get("first_name"), LastName: row.Get("last_name"), Password: usermgmt.Secret(row.Get("password")),
		}
		if a := row.Get("active"); a != "" {
			b, err := strconv.ParseBool(a)
			if err != nil {
				return fmt.Errorf("line %d: active %q is neither true nor false", row.Line, a)
			}
			u.Active = &b
		}
		if rs := row.Get("roles"); rs != "" {
			u.Roles = []string{}
			for _, r := range strings.FieldsFunc(rs, func(c rune) bool { return c == ';' || c == '|' }) {
				if r = strings.TrimSpace(r); r != "" {
					u.Roles = append(u.Roles, r)
				}
			}
		}
		if u.Password.IsZero() {
			key := u.Username
			if key == "" {
				key = u.Email
			}
			u.Password = defaultPassword(key)
		}
		users = append(users, u)
		return nil
	})
	return users, err
}

// openSeeded opens p; on its fake, it first creates a few users, some as
// the sample wants them and some not, so that the plan shows every kind of
// change.
func openSeeded(p providers.Provider, getenv func(string) string) (*usermgmt.Directory, bool, func(), error) {
	dir, real, closeFn, err := p.Open(getenv)
	if err != nil || real {
		return dir, real, closeFn, err
	}
	if err := seed(context.Background(), dir); err != nil {
		closeFn()
		return nil, false, nil, fmt.Errorf("seeding the %s fake: %w", p.Name, err)
	}
	return dir, false, closeFn, nil
}

func seed(ctx context.Context, dir *usermgmt.Directory) error {
	caps := dir.Capabilities()
	type seedUser struct {
		first, last string
		inactive    bool
	}
	for _, s := range []seedUser{
		{"Ada", "Byron", false},      // the sample renames her
		{"Grace", "Hopper", false},   // the sample deactivates her
		{"Alan", "Turing", true},     // the sample activates him
		{"Barbara", "Liskov", false}, // the sample gives her a role
		{"Edsger", "Dijkstra", false},
		{"Donald", "Knuth", false},
		{"Frances", "Allen", false},
		{"John", "Backus", false},
		{"Leslie", "Lamport", false},
		{"Ken", "Thompson", false}, // not in the sample: -prune removes him
		{"Dennis", "Ritchie", false},
		{"Bjarne", "Stroustrup", false},
		{"Guido", "Rossum", false},
		{"James", "Gosling", false},
		{"Anders", "Hejlsberg", false},
		{"Robert", "Pike", false},
		{"Jean", "Sammet", false},
		{"Adele", "Goldberg", false},
		{"Lynn", "Conway", false},
		{"Sophie", "Wilson", false},
	} {
		email := strings.ToLower(s.first + "." + s.last + "@example.com")
		if s.first == "Ada" {
			email = "ada.lovelace@example.com"
		}
		in := usermgmt.CreateUserInput{Username: email, Email: email, FirstName: s.first, LastName: s.last,
			Password: defaultPassword(email), Inactive: s.inactive && caps.Deactivate}
		if _, err := dir.CreateUser(ctx, in); err != nil && !errors.Is(err, usermgmt.ErrConflict) {
			return err
		}
	}
	return nil
}
