package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/astrasql/astrasql/pgwire"
)

// pgwireCommand is `astrasql pgwire`: a PostgreSQL wire-protocol front end
// (package pgwire) until Ctrl-C or SIGTERM.
func pgwireCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runPgwire(ctx, args, stdout, stderr)
}

func runPgwire(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("astrasql pgwire", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:5433", "`address` to listen on (host:port; beyond loopback needs -tls-cert and -tls-key)")
	dsn := fs.String("dsn", "", "database `URL` to front (default: $ASTRA_DB_API_ENDPOINT, else an embedded local server)")
	password := fs.String("password", "", "the `password` clients must give (SCRAM-SHA-256); required when the token comes from -dsn or the environment. Default: $ASTRASQL_PGWIRE_PASSWORD")
	certFile := fs.String("tls-cert", "", "TLS certificate `file` (PEM)")
	keyFile := fs.String("tls-key", "", "TLS key `file` (PEM)")
	verbose := fs.Bool("v", false, "log connections and errors to stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: astrasql pgwire [-addr 127.0.0.1:5433] [-dsn DSN] [-password P] [-tls-cert F -tls-key F]")
		fmt.Fprintln(stderr, "Serves the PostgreSQL protocol in front of the driver: psql, pgx, JDBC, node-postgres... connect with")
		fmt.Fprintln(stderr, "database = keyspace and password = Astra token (or -password when the token is the server's).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "astrasql pgwire: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *password == "" {
		*password = os.Getenv("ASTRASQL_PGWIRE_PASSWORD")
	}
	cfg := pgwire.Config{Password: *password}
	target := *dsn
	cleanup := func() {}
	defer func() { cleanup() }()
	switch {
	case target != "":
		if u, err := url.Parse(target); err == nil && u.Query().Get("token") != "" && cfg.Password == "" {
			fmt.Fprintln(stderr, "astrasql pgwire: the -dsn carries a token: set -password (or $ASTRASQL_PGWIRE_PASSWORD) for clients to give instead")
			return exitUsage
		}
	case os.Getenv(envEndpoint) != "":
		target = os.Getenv(envEndpoint)
		if os.Getenv(envToken) != "" && cfg.Password == "" {
			fmt.Fprintf(stderr, "astrasql pgwire: %s is set: set -password (or $ASTRASQL_PGWIRE_PASSWORD) for clients to give instead of the token\n", envToken)
			return exitUsage
		}
	default:
		base, stop, err := startEmbedded()
		if err != nil {
			fmt.Fprintf(stderr, "astrasql pgwire: starting the embedded local server: %v\n", err)
			return exitError
		}
		cleanup = stop
		target = base + "?keyspace=default_keyspace"
		fmt.Fprintf(stderr, "astrasql pgwire: fronting an embedded local Data API server at %s (data in memory only; any password is accepted)\n", base)
	}
	cfg.DSN = target
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(stderr, "astrasql pgwire: -tls-cert and -tls-key go together")
		return exitUsage
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fmt.Fprintf(stderr, "astrasql pgwire: %v\n", err)
			return exitUsage
		}
		cfg.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if *verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	srv, err := pgwire.NewServer(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "astrasql pgwire: %s\n", errorText(err))
		return exitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "astrasql pgwire: %v\n", err)
		return exitError
	}
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() && cfg.TLSConfig == nil {
		ln.Close()
		fmt.Fprintf(stderr, "astrasql pgwire: %v\n", pgwire.ErrInsecureListen)
		return exitUsage
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(stdout, "astrasql: PostgreSQL protocol on %s (try: psql \"host=%s port=%s dbname=default_keyspace\")\n", ln.Addr(), host, port)
	select {
	case err := <-done:
		ln.Close()
		if err != nil {
			fmt.Fprintf(stderr, "astrasql pgwire: %v\n", err)
			return exitError
		}
		return exitOK
	case <-ctx.Done():
	}
	srv.Close()
	<-done
	fmt.Fprintln(stdout, "astrasql: PostgreSQL front end stopped")
	return exitOK
}
