package main

import (
	"context"
	"os"
	"testing"
)

// The CLI tests run the CLI as a subprocess: this test binary re-executes
// itself with cliTestEnv set, and then it is the astrasql command.
const cliTestEnv = "ASTRASQL_CLI_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(cliTestEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
