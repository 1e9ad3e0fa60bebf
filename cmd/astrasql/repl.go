package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"
)

const (
	prompt     = "astrasql> "
	contPrompt = "       -> "
)

// historyPath is where the prompt keeps its history: the user's config
// directory, else the home directory, else nowhere.
func historyPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "astrasql", "history")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".astrasql_history")
	}
	return ""
}

func continuationPrompt(st scanState) string {
	switch st {
	case stateQuote:
		return "       '> "
	case stateComment:
		return "       *> "
	case stateBracket:
		return "       (> "
	}
	return contPrompt
}

// repl runs the interactive prompt until \q or Ctrl-D.
func (s *session) repl(ctx context.Context, _ io.Reader, target string) int {
	s.interactive = true
	if !s.quiet {
		fmt.Fprintf(s.errOut, "%s, connected to %s.\nStatements end with ';'. Type \\? for help, \\q or Ctrl-D to quit.\n", versionString(), target)
		if s.conn != nil && s.conn.options["safe_updates"] == "true" {
			fmt.Fprintln(s.errOut, "Safe updates are on: UPDATE and DELETE need a WHERE on the full primary key (\\safe off allows others).")
		}
	}

	// Keep a Ctrl-C that lands between statements from killing the
	// process; during a statement runItem turns it into a cancel.
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt)
	defer func() { signal.Stop(sigc); close(sigc) }()
	go func() {
		for range sigc {
		}
	}()

	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetMultiLineMode(true)
	comp := &completer{s: s, stale: true}
	s.onSwitch = func() { comp.stale = true; comp.columns = nil }
	ln.SetWordCompleter(comp.complete)
	ln.SetTabCompletionStyle(liner.TabPrints)
	hist := historyPath()
	if hist != "" {
		if f, err := os.Open(hist); err == nil {
			ln.ReadHistory(f)
			f.Close()
		}
	}
	// Failing to save history is not worth a word: the session worked.
	defer func() {
		if hist == "" {
			return
		}
		if os.MkdirAll(filepath.Dir(hist), 0o700) != nil {
			return
		}
		if f, err := os.OpenFile(hist, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err == nil {
			ln.WriteHistory(f)
			f.Close()
		}
	}()

	var buf string // the unfinished statement
	st := stateNormal
	for {
		p := prompt
		if buf != "" {
			p = continuationPrompt(st)
		}
		line, err := ln.Prompt(p)
		if errors.Is(err, liner.ErrPromptAborted) {
			// Ctrl-C at the prompt drops what was typed, as in psql.
			buf, st = "", stateNormal
			continue
		}
		if err != nil { // io.EOF: Ctrl-D
			fmt.Fprintln(s.errOut)
			return exitOK
		}
		// A backslash command on a line of its own runs at once, even in
		// the middle of a statement (not inside a quoted string).
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, `\`) && st != stateQuote && st != stateComment {
			ln.AppendHistory(trimmed)
			if err := s.runItem(ctx, item{Text: trimmed, Meta: true}); err != nil {
				if errors.Is(err, errQuit) {
					return exitOK
				}
				fmt.Fprintf(s.errOut, "ERROR: %s\n", errorText(err))
				s.afterError()
			}
			continue
		}
		var items []item
		items, buf, st = splitter{}.split(buf+line+"\n", false)
		for _, it := range items {
			ln.AppendHistory(strings.Join(strings.Fields(it.Text), " ") + ";")
			if kw := firstKeyword(it.Text); kw == "CREATE" || kw == "DROP" || kw == "ALTER" {
				comp.stale = true
			}
			if err := s.runItem(ctx, it); err != nil {
				if errors.Is(err, errQuit) {
					return exitOK
				}
				fmt.Fprintf(s.errOut, "ERROR: %s\n", errorText(err))
				s.afterError()
			}
		}
	}
}
