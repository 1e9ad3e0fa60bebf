package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
)

// metaArgs splits a meta command line into words; a word may be quoted
// with ' or " to hold spaces (a file name).
func metaArgs(line string) ([]string, error) {
	var args []string
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unterminated %c in %s", c, line)
			}
			args = append(args, line[i+1:i+1+j])
			i += j + 2
		default:
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' {
				j++
			}
			args = append(args, line[i:j])
			i = j
		}
	}
	return args, nil
}

// onOff applies an optional "on"/"off" argument to a toggle.
func onOff(name string, cur bool, args []string) (bool, error) {
	switch {
	case len(args) == 0:
		return !cur, nil
	case len(args) == 1 && strings.EqualFold(args[0], "on"):
		return true, nil
	case len(args) == 1 && strings.EqualFold(args[0], "off"):
		return false, nil
	}
	return cur, fmt.Errorf(`\%s takes "on", "off" or nothing (toggle)`, name)
}

func onOffText(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// meta runs one backslash command.
func (s *session) meta(ctx context.Context, line string) error {
	words, err := metaArgs(strings.TrimSuffix(strings.TrimSpace(line), ";"))
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return nil
	}
	cmd, args := words[0], words[1:]
	switch cmd {
	case `\q`, `\quit`:
		return errQuit
	case `\?`, `\h`, `\help`:
		fmt.Fprint(s.out, metaHelp)
		return nil
	case `\d`, `\dt`:
		switch len(args) {
		case 0:
			return s.query(ctx, "SHOW TABLES")
		case 1:
			return s.describe(ctx, args[0])
		}
		return fmt.Errorf(`\d takes at most one table name`)
	case `\x`:
		return s.setExpanded(args)
	case `\pset`:
		return s.pset(args)
	case `\o`, `\out`:
		return s.setOutput(args)
	case `\c`, `\connect`:
		if len(args) != 1 {
			return fmt.Errorf(`usage: \c KEYSPACE`)
		}
		return s.useKeyspace(ctx, args[0])
	case `\l`, `\list`:
		return s.query(ctx, "SHOW KEYSPACES")
	case `\safe`:
		return s.setSafeUpdates(ctx, args)
	case `\timing`:
		v, err := onOff("timing", s.timing, args)
		if err != nil {
			return err
		}
		s.timing = v
		s.status("Timing is %s.", onOffText(v))
		return nil
	case `\format`:
		if len(args) != 1 || !slices.Contains(formats, args[0]) {
			return fmt.Errorf(`\format takes one of %s`, strings.Join(formats, ", "))
		}
		s.opts.Format = args[0]
		s.status("Output format is %s.", args[0])
		return nil
	case `\import`:
		if len(args) != 2 {
			return fmt.Errorf(`usage: \import FILE.csv TABLE`)
		}
		return s.importCSV(ctx, args[0], args[1])
	case `\i`, `\include`:
		if len(args) != 1 {
			return fmt.Errorf(`usage: \i FILE`)
		}
		return s.include(ctx, args[0])
	}
	return fmt.Errorf(`unknown command %s: \? lists the commands`, cmd)
}

// describe prints a table's columns (type, place in the primary key,
// indexes) and then its indexes: DESCRIBE and SHOW INDEXES, reduced to
// what fits a screen.
func (s *session) describe(ctx context.Context, table string) error {
	cols, err := queryMaps(ctx, s.db, "DESCRIBE "+table)
	if err != nil {
		return err
	}
	hasVectorize := false
	for _, c := range cols {
		hasVectorize = hasVectorize || c["vectorize"] != nil
	}
	head := []column{{"column", "TEXT"}, {"type", "TEXT"}, {"key", "TEXT"}, {"indexes", "TEXT"}}
	if hasVectorize {
		head = append(head, column{"vectorize", "TEXT"})
	}
	var rows [][]any
	for _, c := range cols {
		key := ""
		switch kind := text(c["kind"]); kind {
		case "regular", "":
		default:
			key = strings.ReplaceAll(kind, "_", " ")
			if p := text(c["position"]); p != "" {
				key += " " + p
			}
			if o := text(c["clustering_order"]); o != "" {
				key += " " + o
			}
		}
		r := []any{text(c["column_name"]), text(c["data_type"]), key, text(c["indexes"])}
		if hasVectorize {
			r = append(r, text(c["vectorize"]))
		}
		rows = append(rows, r)
	}
	if err := s.printTable(head, rows); err != nil {
		return err
	}
	idx, err := queryMaps(ctx, s.db, "SHOW INDEXES FROM "+table)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		fmt.Fprintln(s.out, "No indexes.")
		return nil
	}
	rows = rows[:0]
	for _, ix := range idx {
		rows = append(rows, []any{text(ix["index_name"]), text(ix["target"]), text(ix["index_type"]), text(ix["options"])})
	}
	fmt.Fprintln(s.out, "Indexes:")
	return s.printTable([]column{{"index", "TEXT"}, {"on", "TEXT"}, {"type", "TEXT"}, {"options", "TEXT"}}, rows)
}

// text renders a scanned value for \d: "" for NULL.
func text(v any) string {
	if v == nil {
		return ""
	}
	return formatText(v, "", textOptions{})
}

// printTable prints rows made by the CLI itself in the current format.
func (s *session) printTable(cols []column, rows [][]any) error {
	o := s.opts
	o.MaxWidth = 0
	o.TermWidth = s.termWidth()
	w := newResultWriter(s.out, o)
	if err := w.begin(cols); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.row(r); err != nil {
			return err
		}
	}
	return w.end()
}

// queryMaps runs a query and returns its rows as column name -> value.
func queryMaps(ctx context.Context, db *sql.DB, query string) ([]map[string]any, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(names))
		for i, n := range names {
			m[n] = vals[i]
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// include runs a script file inside the current session (\i); its errors
// name the file and line.
func (s *session) include(ctx context.Context, name string) error {
	if s.includeDepth > 10 {
		return fmt.Errorf(`\i nested too deeply (a file including itself?)`)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	s.includeDepth++
	defer func() { s.includeDepth-- }()
	items, _, _ := splitter{}.split(string(b), true)
	for _, it := range items {
		if err := s.runItem(ctx, it); err != nil {
			if err == errQuit {
				return err
			}
			return fmt.Errorf("%s:%d: %w", name, it.Line, err)
		}
	}
	return nil
}
