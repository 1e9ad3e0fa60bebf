package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/astrasql/astrasql"
	"golang.org/x/term"
)

// errQuit is returned by \q.
var errQuit = errors.New("quit")

// session runs statements and meta commands against one database and
// prints their results.
type session struct {
	db     *sql.DB
	out    io.Writer // results
	errOut io.Writer // errors, and status lines in the machine formats
	opts   outputOptions
	timing bool
	// interactive: errors are shown and the prompt goes on.
	interactive bool
	// wide: print the current result without cutting cells.
	wide bool
	// showCreate: the current result is SHOW CREATE TABLE's, printed as
	// DDL text in the table format.
	showCreate bool
	// includeDepth guards \i against a file that includes itself.
	includeDepth int

	// conn reconnects for \c; nil when the session cannot switch.
	conn *connFlags
	// warn collects the server's warnings for the running statement.
	warn  *warnings
	quiet bool
	// stdout is where results go when no \o file is set.
	stdout io.Writer
	// outFile is the \o file, nil when results go to stdout.
	outFile *os.File
	// pager is "on" (when the result is longer than the terminal),
	// "off" or "always".
	pager string
	// onSwitch is called after a switch of keyspace (the completer's
	// table names are then stale).
	onSwitch func()
	// failedTime is the time of a failed statement, printed after its error.
	failedTime time.Duration
}

func newSession(db *sql.DB, out, errOut io.Writer, o options) *session {
	return &session{
		db:     db,
		out:    out,
		stdout: out,
		errOut: errOut,
		opts:   outputOptions{Format: o.format, Expanded: o.expanded, MaxWidth: o.maxWidth},
		timing: o.timing,
		quiet:  o.quiet,
		pager:  "on",
	}
}

// close closes the database, the \o file and the embedded server.
func (s *session) close() {
	s.db.Close()
	if s.outFile != nil {
		s.outFile.Close()
	}
	if s.conn != nil {
		s.conn.close()
	}
}

// status prints a line that is not result data: "INSERT 3", "Time: ...".
// In the machine formats it goes to stderr so that stdout stays parseable.
func (s *session) status(format string, args ...any) {
	w := s.out
	if s.opts.Format != formatTable {
		w = s.errOut
	}
	fmt.Fprintf(w, format+"\n", args...)
}

// runScript runs the items of a script in order and stops at the first
// error, which it reports with the line it is on. It returns the exit code.
func (s *session) runScript(ctx context.Context, src string) int {
	items, _, _ := splitter{}.split(src, true)
	for _, it := range items {
		err := s.runItem(ctx, it)
		if errors.Is(err, errQuit) {
			return exitOK
		}
		if err != nil {
			line, msg := errorAt(it, err)
			fmt.Fprintf(s.errOut, "astrasql: error at line %d: %s\n", line, msg)
			s.afterError()
			return exitError
		}
	}
	return exitOK
}

// runItem runs one statement or meta command. Ctrl-C while it runs cancels
// its context (and only its context: the prompt survives).
func (s *session) runItem(ctx context.Context, it item) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if it.Meta {
		return s.meta(ctx, it.Text)
	}
	start := time.Now()
	if s.warn != nil {
		s.warn.start()
	}
	err := s.runSQL(ctx, it.Text)
	if ctx.Err() != nil && err != nil {
		err = canceledError{err}
	}
	if s.warn != nil {
		if list := s.warn.stop(); len(list) > 0 && !s.quiet {
			printWarnings(s.errOut, list)
		}
	}
	if s.timing {
		if err != nil {
			// Printed after the error, by whoever prints it (as psql).
			s.failedTime = time.Since(start)
		} else {
			s.status("Time: %s", formatDuration(time.Since(start)))
		}
	}
	return err
}

// afterError prints the time of the statement whose error was just
// printed, with \timing on.
func (s *session) afterError() {
	if s.failedTime > 0 {
		s.status("Time: %s", formatDuration(s.failedTime))
		s.failedTime = 0
	}
}

// errorAt returns the script line an error is on and its message. A syntax
// error's position, relative to the statement, becomes the line in the
// script.
func errorAt(it item, err error) (int, string) {
	var se *astrasql.SyntaxError
	if !it.Meta && errors.As(err, &se) && se.Line > 0 {
		line, col := it.Line+se.Line-1, se.Col
		if se.Line == 1 {
			col += it.Col - 1
		}
		msg := fmt.Sprintf("syntax error at column %d", col)
		if se.Near != "" {
			msg += fmt.Sprintf(" near %q", se.Near)
		}
		return line, msg + ": " + se.Msg
	}
	return it.Line, errorText(err)
}

// canceledError is a statement stopped by Ctrl-C: what the driver says
// about the interrupted request is noise then.
type canceledError struct{ err error }

func (e canceledError) Error() string { return "canceled" }
func (e canceledError) Unwrap() error { return e.err }

func formatDuration(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000)
}

// queryKeywords start statements that return rows; everything else is run
// with Exec so that RowsAffected is known.
var queryKeywords = map[string]bool{
	"SELECT": true, "EXPLAIN": true, "SHOW": true, "DESCRIBE": true, "DESC": true,
	"WITH": true, "VALUES": true,
}

// firstKeyword returns the statement's first word, upper-cased, skipping
// comments and opening parentheses.
func firstKeyword(sql string) string {
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(':
			i++
		case strings.HasPrefix(sql[i:], "--") || c == '#':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return ""
			}
			i += j
		case strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return ""
			}
			i += j + 4
		default:
			j := i
			for j < len(sql) && (sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] == '_') {
				j++
			}
			return strings.ToUpper(sql[i:j])
		}
	}
	return ""
}

func (s *session) runSQL(ctx context.Context, text string) error {
	kw := firstKeyword(text)
	if kw == "USE" && s.conn != nil {
		// The driver has no USE (a connection pool has no current
		// keyspace): the CLI reconnects.
		f := strings.Fields(text)
		if len(f) != 2 {
			return fmt.Errorf("USE takes one keyspace name")
		}
		return s.useKeyspace(ctx, f[1])
	}
	if queryKeywords[kw] {
		// An EXPLAIN is read for its JSON, SHOW CREATE TABLE to be copied:
		// never cut them.
		s.showCreate = strings.HasPrefix(strings.ToUpper(strings.Join(strings.Fields(text), " ")), "SHOW CREATE")
		s.wide = kw == "EXPLAIN" || s.showCreate
		defer func() { s.wide, s.showCreate = false, false }()
		return s.query(ctx, text)
	}
	res, err := s.db.ExecContext(ctx, text)
	if err != nil {
		return err
	}
	switch kw {
	case "INSERT", "UPDATE", "DELETE":
		n, err := res.RowsAffected()
		switch {
		case errors.Is(err, astrasql.ErrRowsAffectedUnknown):
			s.status("%s (row count unknown: the Data API does not say how many rows a delete by partition or range removed)", kw)
		case err != nil:
			s.status("%s (row count unknown: %s)", kw, errorText(err))
		default:
			s.status("%s %d", kw, n)
		}
	default:
		s.status("OK")
	}
	return nil
}

// query runs a statement that returns rows and prints every result set.
func (s *session) query(ctx context.Context, text string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := s.out
	if s.usePager() {
		p := newPager(s.stdout, s.pager == "always")
		defer p.close()
		out = p
	}
	for {
		if err := s.printRows(rows, out); err != nil {
			if errors.Is(err, errPagerQuit) {
				return nil // the user left the pager: the rest is not wanted
			}
			return err
		}
		if !rows.NextResultSet() {
			break
		}
	}
	return rows.Close()
}

// termWidth is the terminal's width when results go to one, else 0.
func (s *session) termWidth() int {
	if f, ok := s.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 0
}

func (s *session) printRows(rows *sql.Rows, out io.Writer) error {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	cols := make([]column, len(cts))
	for i, ct := range cts {
		cols[i] = column{Name: ct.Name(), DBType: strings.ToUpper(ct.DatabaseTypeName())}
	}
	o := s.opts
	o.TermWidth = s.termWidth()
	if s.wide {
		o.MaxWidth = 0
		o.AutoExpand = true
	}
	var w resultWriter = newResultWriter(out, o)
	if s.showCreate && o.Format == formatTable && !o.Expanded && len(cols) == 2 {
		w = &ddlWriter{w: out}
	}
	if err := w.begin(cols); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := w.row(vals); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		// Show what came before the error, if anything: it is real data.
		if n > 0 {
			_ = w.end()
		}
		return err
	}
	return w.end()
}
