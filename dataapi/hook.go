package dataapi

import (
	"context"
	"log/slog"
	"time"
)

// Hook observes every HTTP attempt of every command, for logging, metrics and
// tracing. Implementations must be safe for concurrent use and fast; they run
// on the caller's goroutine (or a cursor's prefetch goroutine). Events never
// contain the token, the embedding key, or request and response bodies.
type Hook interface {
	// CommandStart is called before an attempt is sent. The returned context
	// is used for the attempt and passed to CommandEnd (to carry a span);
	// returning ctx unchanged is fine.
	CommandStart(ctx context.Context, ev *StartEvent) context.Context
	// CommandEnd is called when the attempt has finished (its body read).
	CommandEnd(ctx context.Context, ev *EndEvent)
}

// StartEvent describes an attempt about to be sent.
type StartEvent struct {
	Command  string // "find", "insertMany", ...
	Keyspace string // "" for database-level commands
	Table    string // "" for keyspace-level commands
	Attempt  int    // 1 for the first attempt
}

// EndEvent describes a finished attempt.
type EndEvent struct {
	StartEvent
	Duration time.Duration
	// HTTPStatus is the response status, 0 if none was received.
	HTTPStatus int
	// Err is the attempt's error (nil on success); API errors included.
	Err error
	// Retry is true when the command will be sent again after this error.
	Retry bool
	// Warnings from the response.
	Warnings []Warning
	// Rows is the number of rows read (find, findOne) or sent (insertOne,
	// insertMany); 0 for other commands.
	Rows int
}

// SlogHook returns a Hook that logs each finished attempt to l: at Debug on
// success, Warn when the response had warnings or the attempt is retried, and
// Error on failure. A nil l uses slog.Default().
func SlogHook(l *slog.Logger) Hook {
	if l == nil {
		l = slog.Default()
	}
	return slogHook{l}
}

type slogHook struct{ l *slog.Logger }

func (slogHook) CommandStart(ctx context.Context, _ *StartEvent) context.Context { return ctx }

func (h slogHook) CommandEnd(ctx context.Context, ev *EndEvent) {
	level := slog.LevelDebug
	msg := "dataapi command"
	switch {
	case ev.Err != nil && ev.Retry:
		level, msg = slog.LevelWarn, "dataapi command failed, retrying"
	case ev.Err != nil:
		level, msg = slog.LevelError, "dataapi command failed"
	case len(ev.Warnings) > 0:
		level, msg = slog.LevelWarn, "dataapi command warnings"
	}
	if !h.l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("command", ev.Command))
	if ev.Keyspace != "" {
		attrs = append(attrs, slog.String("keyspace", ev.Keyspace))
	}
	if ev.Table != "" {
		attrs = append(attrs, slog.String("table", ev.Table))
	}
	attrs = append(attrs, slog.Int("attempt", ev.Attempt), slog.Duration("duration", ev.Duration),
		slog.Int("http_status", ev.HTTPStatus))
	if ev.Rows > 0 {
		attrs = append(attrs, slog.Int("rows", ev.Rows))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	if len(ev.Warnings) > 0 {
		ws := make([]string, len(ev.Warnings))
		for i, w := range ev.Warnings {
			ws[i] = w.String()
		}
		attrs = append(attrs, slog.Any("warnings", ws))
	}
	h.l.LogAttrs(ctx, level, msg, attrs...)
}
