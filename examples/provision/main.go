// Command provision creates the users of a CSV file in one provider, with
// bounded concurrency, an optional rate limit and a progress bar, using
// usermgmt.Provision. Running it again creates only the users still missing.
//
//	go run ./examples/provision -provider vendorusers -file users.csv -concurrency 16 -rate 50
//
// The CSV has a header row naming any of: username, email, name,
// first_name, last_name, password. Without -file it provisions the sample in
// this directory. The provider runs on its in-process fake unless its
// environment variables are set (see examples/quickstart -help).
// With -otel it prints the run's OpenTelemetry spans (one trace: the
// Provision span, a span per user, each call and its attempts) and its
// metrics as JSON to standard output.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/examples/internal/cli"
	"github.com/usermgmt-go/sdk/examples/internal/otelout"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
)

//go:embed users.csv
var sample string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, cli.IsTerminal(os.Stderr)))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, tty bool) int {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("provider", "syncari", "provider to provision into")
	file := fs.String("file", "", "CSV file of users (default: the bundled sample of 120 users)")
	concurrency := fs.Int("concurrency", 8, "users provisioned at once")
	ratePerSec := fs.Float64("rate", 0, "users started per second at most (0: no limit)")
	update := fs.Bool("update", false, "update the names and email of users that already exist")
	withOtel := fs.Bool("otel", false, "print OpenTelemetry spans and metrics to standard output")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var p *providers.Provider
	for _, cand := range providers.List() {
		if cand.Name == *name {
			p = &cand
		}
	}
	if p == nil {
		fmt.Fprintf(stderr, "provision: unknown provider %q\n", *name)
		return 2
	}
	src := io.Reader(strings.NewReader(sample))
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			fmt.Fprintln(stderr, "provision:", err)
			return 1
		}
		defer f.Close()
		src = f
	}
	users, err := readCSV(src)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return 1
	}
	var opts []usermgmt.Option
	if *withOtel {
		o, shutdown, err := otelout.Setup(stdout)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", "provision", err)
			return 1
		}
		defer func() { _ = shutdown(context.Background()) }()
		opts = o
	}
	dir, real, closeFn, err := p.Open(getenv, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return 1
	}
	defer closeFn()
	where := "fake"
	if real {
		where = "real API"
	}
	fmt.Fprintf(stdout, "provisioning %d users into %s (%s)\n", len(users), p.Name, where)

	bar := cli.NewBar(stderr, tty)
	start := time.Now()
	results, err := usermgmt.Provision(ctx, dir, users, &usermgmt.ProvisionOptions{
		Concurrency: *concurrency, RateLimit: *ratePerSec, UpdateExisting: *update, Progress: func(p usermgmt.Progress) {
			bar.Update(p.Done, p.Total, fmt.Sprintf("created %d  existed %d  updated %d  failed %d", p.Created, p.Existed, p.Updated, p.Failed))
		},
	})
	bar.Done()
	counts := map[usermgmt.Outcome]int{}
	for _, r := range results {
		counts[r.Outcome]++
		if r.Err != nil && r.Outcome == usermgmt.OutcomeFailed {
			fmt.Fprintf(stdout, "  %s: %v\n", r.Key, r.Err)
		}
	}
	fmt.Fprintf(stdout, "created %d, updated %d, existing %d, failed %d, skipped %d in %s\n",
		counts[usermgmt.OutcomeCreated], counts[usermgmt.OutcomeUpdated], counts[usermgmt.OutcomeExisted],
		counts[usermgmt.OutcomeFailed], counts[usermgmt.OutcomeSkipped], time.Since(start).Round(time.Millisecond))
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return 1
	}
	return 0
}

// readCSV reads users from CSV with a header row.
func readCSV(r io.Reader) ([]usermgmt.CreateUserInput, error) {
	var users []usermgmt.CreateUserInput
	err := cli.ReadCSV(r, func(row cli.Row) error {
		u := usermgmt.CreateUserInput{
			Username: row.Get("username"), Email: row.Get("email"), Name: row.Get("name"),
			FirstName: row.Get("first_name"), LastName: row.Get("last_name"), Password: usermgmt.Secret(row.Get("password")),
		}
		if u.Password.IsZero() {
			u.Password = usermgmt.Secret("Provisioned-" + u.NaturalKey() + "-1!")
		}
		users = append(users, u)
		return nil
	})
	return users, err
}
