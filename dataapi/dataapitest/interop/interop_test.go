// Package interop_test drives the local Data API server with the official
// TypeScript client, @datastax/astra-db-ts, through the Node program
// interop.mjs in this folder: a check that dataapitest answers the way the
// real Data API does for a client we did not write.
package interop_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// timeout bounds npm ci and the Node program together.
const timeout = 3 * time.Minute

func TestAstraDBTS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("skipping the astra-db-ts interop test: node is not on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	// The test runs in this folder (go test sets the package directory).
	if _, err := os.Stat(filepath.Join("node_modules", "@datastax", "astra-db-ts", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			t.Skip("skipping the astra-db-ts interop test: node_modules is missing and npm is not on PATH (run `npm ci` in dataapi/dataapitest/interop)")
		}
		t.Log("node_modules is missing: running npm ci")
		run(ctx, t, exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"))
	}

	// The server accepts only the program's token (a fixed test credential,
	// cassandra/cassandra as the real server's own tests use), so the
	// program can check that another one is refused.
	srv := dataapitest.NewServer(dataapitest.WithToken("Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh"))
	defer srv.Close()

	cmd := exec.CommandContext(ctx, node, "interop.mjs")
	cmd.Env = append(os.Environ(), "ASTRA_ENDPOINT="+srv.URL, "INTEROP_TOKEN_CHECKED=1")
	run(ctx, t, cmd)
}

// run runs cmd with its output streamed line by line to t.Log and fails the
// test if it does not exit 0 (or the context ends first).
func run(ctx context.Context, t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	// After the context ends, stop waiting for grandchildren holding the pipe.
	cmd.WaitDelay = 5 * time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			t.Log(sc.Text())
		}
		// Drain whatever a too-long line left, so the writer never blocks.
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	name := strings.Join(append([]string{filepath.Base(cmd.Path)}, cmd.Args[1:]...), " ")
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s: did not finish within %v: %v", name, timeout, ctx.Err())
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s: exited with status %d (see the FAIL lines above)", name, ee.ExitCode())
		}
		t.Fatalf("%s: %v", name, err)
	}
}
