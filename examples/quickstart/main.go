// Command quickstart runs the same short story on each of the five APIs
// through the usermgmt facade: create two users, list them, deactivate one,
// delete one, and prints a table of what happened.
//
// With no flags and no environment it needs no network: it starts the five
// fakes in-process. Environment variables point a provider at its real API
// instead (see -help).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("only", "", "comma-separated providers to run (default: all)")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for each provider's story")
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	known := map[string]bool{}
	var names []string
	for _, p := range providers.List() {
		known[p.Name] = true
		names = append(names, p.Name)
	}
	selected := map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !known[p] {
			fmt.Fprintf(stderr, "quickstart: -only: no provider %q (choose from %s)\n", p, strings.Join(names, ", "))
			return 2
		}
		selected[p] = true
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tAPI\tCREATE\tLIST\tDEACTIVATE\tDELETE\tNOTES")
	failed := false
	for _, p := range providers.List() {
		if len(selected) > 0 && !selected[p.Name] {
			continue
		}
		row := story(p, getenv, *timeout)
		fmt.Fprintln(tw, strings.Join(row.cells(), "\t"))
		failed = failed || row.failed
	}
	_ = tw.Flush()
	if failed {
		return 1
	}
	return 0
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "Usage: quickstart [-only syncari,dbsync,...] [-timeout 30s]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Runs create, list, deactivate and delete on each provider through usermgmt.Directory.")
	fmt.Fprintln(w, "Each provider talks to an in-process fake unless its required variables are set:")
	for _, p := range providers.List() {
		fmt.Fprintf(w, "\n  %s\n", p.Name)
		for _, v := range p.Env {
			req := "optional"
			if v.Required {
				req = "required"
			}
			fmt.Fprintf(w, "    %-24s %s (%s)\n", v.Name, v.Help, req)
		}
	}
	fmt.Fprintln(w, "\nAgainst a real API the story creates two users named quickstart-<time>-N@example.com")
	fmt.Fprintln(w, "and removes both again at the end (or what the API offers instead: deactivate,")
	fmt.Fprintln(w, "archive, unregister), even when a step fails; a user it could not remove is named")
	fmt.Fprintln(w, "in the NOTES column.")
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
}

type result struct {
	provider, api                    string
	create, list, deactivate, remove string
	notes                            []string
	failed                           bool
}

func (r result) cells() []string {
	notes := strings.Join(r.notes, "; ")
	if notes == "" {
		notes = "-"
	}
	return []string{r.provider, r.api, r.create, r.list, r.deactivate, r.remove, notes}
}

// story runs the same steps on one provider.
func story(p providers.Provider, getenv func(string) string, timeout time.Duration) (r result) {
	r = result{provider: p.Name, api: "fake", create: "-", list: "-", deactivate: "-", remove: "-"}
	dir, real, closeFn, err := p.Open(getenv)
	if err != nil {
		r.failed, r.create = true, "error"
		r.notes = append(r.notes, err.Error())
		return r
	}
	defer closeFn()
	if real {
		r.api = "real"
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	caps := dir.Capabilities()
	fail := func(step *string, err error) {
		*step = "error"
		r.failed = true
		r.notes = append(r.notes, err.Error())
	}

	stamp := time.Now().UTC().Format("20060102150405")
	var created []*usermgmt.User
	removed := map[string]bool{}
	// Whatever happens, remove what the story created: against a real API
	// a user left behind may hold a paid seat (a DBSync licence).
	defer func() {
		cctx, ccancel := context.WithTimeout(context.Background(), timeout)
		defer ccancel()
		for _, u := range created {
			if removed[u.ID] {
				continue
			}
			if err := dir.DeleteUser(cctx, u.ID); err != nil && !errors.Is(err, usermgmt.ErrNotFound) {
				r.notes = append(r.notes, fmt.Sprintf("left user %s behind: %v", u.ID, err))
				r.failed = r.failed || !errors.Is(err, errors.ErrUnsupported)
			}
		}
	}()
	for i, name := range []string{"Ada Lovelace", "Grace Hopper"} {
		email := fmt.Sprintf("quickstart-%s-%d@example.com", stamp, i+1)
		u, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{
			Username: email, Email: email, Name: name,
			Password: usermgmt.Secret(fmt.Sprintf("Quickstart-%s-%d!", stamp, i+1)),
		})
		if err != nil {
			fail(&r.create, err)
			return r
		}
		created = append(created, u)
	}
	r.create = fmt.Sprintf("%d created", len(created))

	n := 0
	for _, err := range dir.ListUsers(ctx, nil) {
		if err != nil {
			fail(&r.list, err)
			return r
		}
		n++
	}
	r.list = fmt.Sprintf("%d users", n)

	switch u, err := dir.SetActive(ctx, created[0].ID, false); {
	case errors.Is(err, errors.ErrUnsupported):
		r.deactivate = "unsupported"
	case err != nil:
		fail(&r.deactivate, err)
	case u.Active:
		fail(&r.deactivate, errors.New("user still active after deactivation"))
	default:
		r.deactivate = "ok"
	}

	err = dir.DeleteUser(ctx, created[1].ID)
	removed[created[1].ID] = err == nil
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		r.remove = "unsupported"
	case err != nil:
		fail(&r.remove, err)
	case caps.DeleteMeans != "":
		r.remove = "ok (" + caps.DeleteMeans + ")"
	default:
		r.remove = "ok"
	}
	if !caps.Update {
		r.notes = append(r.notes, "no update")
	}
	if !caps.Roles {
		r.notes = append(r.notes, "no roles")
	}
	if caps.IdempotentCreate {
		r.notes = append(r.notes, "keyed creates")
	} else {
		r.notes = append(r.notes, "exactly-once by "+caps.NaturalKey)
	}
	return r
}
