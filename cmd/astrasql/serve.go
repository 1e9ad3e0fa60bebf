package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// runServe is `astrasql serve [-addr 127.0.0.1:8181] [-token T]`: it runs
// the local Data API server (tables in memory) until ctx is cancelled.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("astrasql serve", stdout, serveUsage)
	addr := fs.String("addr", "127.0.0.1:8181", "`address` to listen on (host:port; port 0 picks a free port)")
	token := fs.String("token", "", "accept only this `token` (default: any non-empty token)")
	rest, code, ok := parseFlags(fs, args, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "astrasql serve: unexpected argument %q (astrasql serve -h lists the flags)\n", rest[0])
		return exitUsage
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
	base = "http://" + dialable(ln.Addr().(*net.TCPAddr))
	if *token != "" {
		// The token is never printed: the DSN leaves it to the environment.
		fmt.Fprintf(stdout, "astrasql: DSN %s?keyspace=default_keyspace (set ASTRA_DB_APPLICATION_TOKEN to the -token value)\n", base)
	} else {
		fmt.Fprintf(stdout, "astrasql: DSN %s?keyspace=default_keyspace&token=local (any token is accepted)\n", base)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintln(stdout, "astrasql: plain http is for this machine: the driver refuses http:// to a host other than loopback unless the DSN says insecure=true (the token would cross the network in clear)")
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

const serveUsage = `Usage: astrasql serve [-addr 127.0.0.1:8181] [-token T]

Runs a local Data API server for tables, data in memory only, until
interrupted. It prints a DSN that works from this machine.

Flags:
`

// dialable is the address a client on this machine connects to: a
// wildcard listen address (0.0.0.0, ::) becomes the loopback address.
func dialable(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		// Go listens on both IPv4 and IPv6 for a wildcard address.
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(a.Port))
}
