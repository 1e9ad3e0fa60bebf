package main

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// setExpanded is \x [on|off|auto].
func (s *session) setExpanded(args []string) error {
	if len(args) == 1 && strings.EqualFold(args[0], "auto") {
		s.opts.Expanded, s.opts.ExpandAuto = false, true
		s.status("Expanded display is used automatically.")
		return nil
	}
	cur := s.opts.Expanded
	if s.opts.ExpandAuto && len(args) == 0 {
		cur = true // \x after auto: off, as in psql
	}
	v, err := onOff("x", cur, args)
	if err != nil {
		return fmt.Errorf(`\x takes "on", "off", "auto" or nothing (toggle)`)
	}
	s.opts.Expanded, s.opts.ExpandAuto = v, false
	s.status("Expanded display is %s.", onOffText(v))
	return nil
}

// pset is \pset NAME [VALUE]: null, pager, expanded, format.
func (s *session) pset(args []string) error {
	if len(args) == 0 {
		s.status("expanded %s\nformat   %s\nnull     '%s'\npager    %s", s.expandedText(), s.opts.Format, s.opts.nullText(), s.pager)
		return nil
	}
	name, rest := args[0], args[1:]
	switch name {
	case "null":
		if len(rest) > 1 {
			return fmt.Errorf(`usage: \pset null 'TEXT'`)
		}
		if len(rest) == 1 {
			s.opts.Null, s.opts.NullSet = rest[0], true
		}
		s.status("Null display is \"%s\".", s.opts.nullText())
		return nil
	case "pager":
		v := "on"
		switch {
		case len(rest) == 0 && s.pager != "off":
			v = "off"
		case len(rest) == 1 && (rest[0] == "on" || rest[0] == "off" || rest[0] == "always"):
			v = rest[0]
		case len(rest) == 0:
		default:
			return fmt.Errorf(`\pset pager takes "on", "off" or "always"`)
		}
		s.pager = v
		switch v {
		case "off":
			s.status("Pager usage is off.")
		case "always":
			s.status("Pager is always used.")
		default:
			s.status("Pager is used for long output.")
		}
		return nil
	case "expanded", "x":
		return s.setExpanded(rest)
	case "format":
		return s.meta(context.Background(), `\format `+strings.Join(rest, " "))
	}
	return fmt.Errorf(`\pset %s: unknown option (null, pager, expanded, format)`, name)
}

func (s *session) expandedText() string {
	if s.opts.ExpandAuto {
		return "auto"
	}
	return onOffText(s.opts.Expanded)
}

// setOutput is \o [FILE]: results go to FILE (created or truncated), or
// back to stdout.
func (s *session) setOutput(args []string) error {
	if len(args) > 1 {
		return fmt.Errorf(`usage: \o [FILE]`)
	}
	if s.outFile != nil {
		err := s.outFile.Close()
		s.outFile, s.out = nil, s.stdout
		if err != nil {
			return err
		}
	}
	if len(args) == 0 {
		return nil
	}
	f, err := os.Create(args[0])
	if err != nil {
		return err
	}
	s.outFile, s.out = f, f
	return nil
}

// useKeyspace is \c KEYSPACE and USE KEYSPACE: it reconnects with the
// keyspace, and stays where it was when that fails.
func (s *session) useKeyspace(ctx context.Context, ks string) error {
	if s.conn == nil {
		return fmt.Errorf("cannot switch keyspace here")
	}
	ks = unquoteIdent(strings.TrimSuffix(strings.TrimSpace(ks), ";"))
	if ks == "" {
		return fmt.Errorf("no keyspace named")
	}
	old, oldTarget := s.conn.keyspace, s.conn.target
	s.conn.keyspace = ks
	// open pings (lists the tables): a keyspace that does not exist is
	// refused now, not at the next query.
	db, err := s.conn.open(ctx, s.errOut)
	if err != nil {
		s.conn.keyspace, s.conn.target = old, oldTarget
		return err
	}
	s.db.Close()
	s.db = db
	if s.onSwitch != nil {
		s.onSwitch()
	}
	s.status("You are now connected to keyspace %s.", ks)
	return nil
}

// setSafeUpdates is \safe [on|off]: the driver's safe_updates option.
func (s *session) setSafeUpdates(ctx context.Context, args []string) error {
	if s.conn == nil {
		return fmt.Errorf(`\safe is not available here`)
	}
	cur := s.conn.options["safe_updates"] == "true"
	v, err := onOff("safe", cur, args)
	if err != nil {
		return err
	}
	opts := map[string]string{}
	for k, x := range s.conn.options {
		opts[k] = x
	}
	if v {
		opts["safe_updates"] = "true"
	} else {
		delete(opts, "safe_updates")
	}
	old := s.conn.options
	s.conn.options = opts
	db, err := s.conn.open(ctx, s.errOut)
	if err != nil {
		s.conn.options = old
		return err
	}
	s.db.Close()
	s.db = db
	s.status("Safe updates are %s.", onOffText(v))
	return nil
}

// unquoteIdent strips "..." or `...` from an identifier; a bare one is
// folded to lower case, as the driver folds unquoted names.
func unquoteIdent(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '`' && s[len(s)-1] == '`') {
		return strings.ReplaceAll(s[1:len(s)-1], s[:1]+s[:1], s[:1])
	}
	return strings.ToLower(s)
}
