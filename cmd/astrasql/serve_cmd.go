package main

import (
	"context"
	"fmt"
	"io"
)

// serveCommand is `astrasql serve`: the local Data API server, built in
// serve.go (runServe) by its owner.
func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "astrasql serve: not available in this build yet")
	return exitError
}
