package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// runServe is `astrasql serve [-addr 127.0.0.1:8181] [-token T]`: it runs
// the local Data API server (tables in memory) until ctx is cancelled.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("astrasql serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8181", "`address` to listen on (host:port; port 0 picks a free port)")
	token := fs.String("token", "", "accept only this `token` (default: any non-empty token)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: astrasql serve [-addr 127.0.0.1:8181] [-token T]")
		fmt.Fprintln(stderr, "Runs a local Data API server for tables, data in memory only, until interrupted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "astrasql serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	var opts []dataapitest.Option
	if *token != "" {
		opts = append(opts, dataapitest.WithToken(*token))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "astrasql serve: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: dataapitest.NewHandler(opts...), ReadHeaderTimeout: 30 * time.Second}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "astrasql: local Data API server on %s (keyspace default_keyspace)\n", base)
	if *token != "" {
		// The token is never printed: the DSN leaves it to the environment.
		fmt.Fprintf(stdout, "astrasql: DSN %s?keyspace=default_keyspace (set ASTRA_DB_APPLICATION_TOKEN to the -token value)\n", base)
	} else {
		fmt.Fprintf(stdout, "astrasql: DSN %s?keyspace=default_keyspace&token=local (any token is accepted)\n", base)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "astrasql serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		fmt.Fprintf(stderr, "astrasql serve: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "astrasql: local Data API server stopped")
	return 0
}
