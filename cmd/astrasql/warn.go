package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/astrasql/astrasql/dataapi"
)

// warnings collects the server's warnings for the statement being run.
// It is the connection's dataapi.Hook (Config.Hook, the driver's public
// way to see every response), so it sees every page of a scan; a warning
// is kept once per statement.
type warnings struct {
	mu   sync.Mutex
	on   bool
	seen map[string]bool
	list []dataapi.Warning
}

func (w *warnings) CommandStart(ctx context.Context, _ *dataapi.StartEvent) context.Context {
	return ctx
}

func (w *warnings) CommandEnd(_ context.Context, ev *dataapi.EndEvent) {
	if len(ev.Warnings) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.on {
		return
	}
	for _, x := range ev.Warnings {
		k := x.ErrorCode + "\x00" + x.Message
		if !w.seen[k] {
			w.seen[k] = true
			w.list = append(w.list, x)
		}
	}
}

// start begins collecting for a statement.
func (w *warnings) start() {
	w.mu.Lock()
	w.on, w.seen, w.list = true, map[string]bool{}, nil
	w.mu.Unlock()
}

// stop ends collecting and returns what came.
func (w *warnings) stop() []dataapi.Warning {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.on = false
	l := w.list
	w.list = nil
	return l
}

// printWarnings prints warnings as psql prints a NOTICE or WARNING:
//
//	WARNING:  MISSING_INDEX: The filter includes columns that are not indexed.
//	DETAIL:  The table ks.t has the primary key: id. ...
//
// On a terminal the WARNING label is in bold yellow (unless NO_COLOR is set).
func printWarnings(out io.Writer, list []dataapi.Warning) {
	color := isTerminal(out) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	for _, x := range list {
		first, rest, _ := strings.Cut(strings.TrimSpace(x.Message), "\n")
		label := "WARNING:"
		if color {
			label = "\x1b[1;33mWARNING:\x1b[0m"
		}
		code := x.ErrorCode
		if code == "" {
			code = x.Title
		}
		fmt.Fprintf(out, "%s  %s: %s\n", label, escapeControl(code), escapeControl(first))
		if detail := strings.Join(strings.Fields(rest), " "); detail != "" {
			fmt.Fprintf(out, "DETAIL:  %s\n", escapeControl(detail))
		}
	}
}
