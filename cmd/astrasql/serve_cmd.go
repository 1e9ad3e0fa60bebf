package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// serveCommand is `astrasql serve`: runServe (serve.go) until Ctrl-C or
// SIGTERM.
func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runServe(ctx, args, stdout, stderr)
}
