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
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/examples/internal/otelout"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
)

//go:embed users.csv
var sample string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, isTerminal(os.Stderr)))
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

	bar := newProgressBar(stderr, tty)
	start := time.Now()
	results, err := usermgmt.Provision(ctx, dir, users, &usermgmt.ProvisionOptions{
		Concurrency: *concurrency, RateLimit: *ratePerSec, UpdateExisting: *update, Progress: bar.update,
	})
	bar.done()
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
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["username"]; !ok {
		if _, ok := col["email"]; !ok {
			return nil, errors.New("the CSV needs a username or an email column")
		}
	}
	var users []usermgmt.CreateUserInput
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return users, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		u := usermgmt.CreateUserInput{
			Username: get("username"), Email: get("email"), Name: get("name"),
			FirstName: get("first_name"), LastName: get("last_name"), Password: usermgmt.Secret(get("password")),
		}
		if u.Password.IsZero() {
			u.Password = usermgmt.Secret("Provisioned-" + u.NaturalKey() + "-1!")
		}
		users = append(users, u)
	}
}
