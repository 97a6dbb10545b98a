// Command scimbridge serves SCIM 2.0 over one provider's users, so that an
// identity provider (Okta, Microsoft Entra ID) can provision into it.
//
//	go run ./examples/scimbridge -provider bss
//
// With no environment it serves an in-process fake of the provider at
// http://127.0.0.1:8080/scim/v2; the provider's environment variables (see
// -help) point it at the real API. The bearer token is SCIM_TOKEN, or one
// generated and printed at start. Requests are logged as JSON on stderr,
// without tokens or passwords. GET /healthz answers without a token.
// SIGINT or SIGTERM stops it gracefully.
// With -otel it prints the OpenTelemetry spans of the calls it makes and,
// when it stops, its metrics as JSON to standard output.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/usermgmt-go/sdk/examples/internal/otelout"
	"github.com/usermgmt-go/sdk/examples/internal/providers"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/scim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

const prefix = "/scim/v2"

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("scimbridge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	provider := fs.String("provider", "bss", "provider to serve: syncari, dbsync, genericusr, vendorusers or bss")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	certFile := fs.String("tls-cert", "", "TLS certificate file (PEM); with -tls-key, serve HTTPS")
	keyFile := fs.String("tls-key", "", "TLS private key file (PEM)")
	withOtel := fs.Bool("otel", false, "print OpenTelemetry spans and metrics to standard output")
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(stderr, "scimbridge: -tls-cert and -tls-key go together")
		return 2
	}
	var p *providers.Provider
	for _, q := range providers.List() {
		if q.Name == *provider {
			p = &q
		}
	}
	if p == nil {
		fmt.Fprintf(stderr, "scimbridge: unknown provider %q\n", *provider)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	var opts []usermgmt.Option
	if *withOtel {
		o, shutdown, err := otelout.Setup(stdout)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", "scimbridge", err)
			return 1
		}
		defer func() { _ = shutdown(context.Background()) }()
		opts = o
	}
	dir, real, closeFn, err := p.Open(getenv, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "scimbridge: %s: %v\n", p.Name, err)
		return 1
	}
	defer closeFn()

	token := getenv("SCIM_TOKEN")
	generated := token == ""
	if generated {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		token = hex.EncodeToString(b)
	}
	h, err := scim.NewHandler(dir, scim.Options{Prefix: prefix, Tokens: []usermgmt.Secret{usermgmt.Secret(token)}, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "scimbridge: %v\n", err)
		return 2
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.Handle(prefix+"/", h)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "scimbridge: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if *certFile != "" {
		scheme = "https"
	}
	backend := "an in-process fake"
	if real {
		backend = "the real API"
	}
	fmt.Fprintf(stdout, "serving SCIM 2.0 for %s (%s) at %s://%s%s\n", p.Name, backend, scheme, ln.Addr(), prefix)
	if generated {
		// Printed once for the operator, on stdout, never logged.
		fmt.Fprintf(stdout, "bearer token: %s\n", token)
	} else {
		fmt.Fprintln(stdout, "bearer token: from SCIM_TOKEN")
	}
	errc := make(chan error, 1)
	go func() {
		if *certFile != "" {
			errc <- srv.ServeTLS(ln, *certFile, *keyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "scimbridge: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "scimbridge: shutdown: %v\n", err)
		return 1
	}
	<-errc
	return 0
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "Usage: scimbridge [-provider bss] [-addr 127.0.0.1:8080] [-tls-cert cert.pem -tls-key key.pem]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves SCIM 2.0 at /scim/v2 over one provider's users; GET /healthz needs no token.")
	fmt.Fprintln(w, "SCIM_TOKEN is the bearer token clients must send (default: one generated and printed).")
	fmt.Fprintln(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nThe provider talks to an in-process fake unless its required variables are set:")
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
}
