// Package interop_test drives the PostgreSQL front end (pgwire) with
// node-postgres, the `pg` package from npm, through the Node program pg.mjs
// in this folder: a client we did not write, as a Node application uses it.
package interop_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/pgwire"
)

// timeout bounds npm ci and the Node program together.
const timeout = 3 * time.Minute

func TestNodePostgres(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("skipping the node-postgres interop test: node is not on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := os.Stat(filepath.Join("node_modules", "pg", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			t.Skip("skipping the node-postgres interop test: node_modules is missing and npm is not on PATH (run `npm ci` in pgwire/interop)")
		}
		t.Log("node_modules is missing: running npm ci")
		run(ctx, t, exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"))
	}

	api := dataapitest.NewServer()
	defer api.Close()
	srv, err := pgwire.NewServer(pgwire.Config{DSN: api.URL + "?keyspace=default_keyspace"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	cmd := exec.CommandContext(ctx, node, "pg.mjs")
	cmd.Env = append(os.Environ(), "PGURL=postgres://interop:local-token@"+ln.Addr().String()+"/default_keyspace")
	run(ctx, t, cmd)
}

// run runs cmd with its output streamed line by line to t.Log and fails the
// test if it does not exit 0.
func run(ctx context.Context, t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.WaitDelay = 5 * time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			t.Log(sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s: did not finish within %v", cmd.Path, timeout)
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s: exited with status %d (see the FAIL lines above)", filepath.Base(cmd.Path), ee.ExitCode())
		}
		t.Fatal(err)
	}
}
