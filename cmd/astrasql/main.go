// Command astrasql is an SQL prompt and script runner for Astra DB tables,
// built on the astrasql database/sql driver (it uses the driver exactly as any
// other program would).
//
//	astrasql                     interactive prompt
//	astrasql -e 'SELECT ...'     run statements and exit
//	astrasql -f script.sql       run a file
//	astrasql import -table t data.csv
//	astrasql demo                a tour on an embedded local server
//	astrasql serve               run the local Data API server
//
// It connects to -dsn, else to $ASTRA_DB_API_ENDPOINT with
// $ASTRA_DB_APPLICATION_TOKEN, else to a local Data API server embedded in
// the same process (data kept in memory only). Run `astrasql -h` for all flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // an SQL or I/O error
	exitUsage = 2 // bad flags or arguments
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func versionString() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && v == "(devel)" {
				v = "(devel " + s.Value[:12] + ")"
			}
		}
	}
	return "astrasql " + v
}

const usageText = `astrasql: SQL for Astra DB tables, over the Data API.

Usage:
  astrasql [flags]                      interactive prompt (statements end with ';')
  astrasql [flags] -e 'SQL; SQL'        run statements and exit
  astrasql [flags] -f FILE.sql          run a file ('-' is stdin)
  astrasql [flags] < FILE.sql           statements from stdin when it is not a terminal
  astrasql import [flags] -table T FILE.csv
                                        bulk-load a CSV file with a header line
  astrasql demo [flags]                 a short tour: a table with a vector column,
                                        a filter, a vector search and an EXPLAIN
  astrasql serve [-addr 127.0.0.1:8181] [-token T]
                                        run the local Data API server
  astrasql pgwire [-addr 127.0.0.1:5433] [-dsn DSN]
                                        serve the PostgreSQL protocol (psql, pgx, JDBC...)
  astrasql -version

Connection (first that applies):
  -dsn URL                  e.g. https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks
  $ASTRA_DB_API_ENDPOINT    with the token from $ASTRA_DB_APPLICATION_TOKEN
                            (and the keyspace from $ASTRA_DB_KEYSPACE if set)
  otherwise                 an embedded local Data API server (data in memory only)

Flags:
`

const metaHelp = `Meta commands (at the start of a line; statements end with ';'):
  \d                 list tables
  \d TABLE           columns (type, primary key) and indexes of TABLE
  \l                 list keyspaces
  \c KEYSPACE        switch to KEYSPACE (also USE KEYSPACE;)
  \x [on|off|auto]   expanded display: one line per column (auto, the prompt's
                     default: when a table does not fit the window)
  \pset null TEXT    show NULL as TEXT (e.g. \pset null '(null)')
  \pset pager on|off|always   page long results on a terminal ($PAGER, else less)
  \o [FILE]          send results to FILE (\o alone: back to the screen)
  \timing [on|off]   show how long each statement takes
  \format FORMAT     table, csv, json or jsonl
  \safe [on|off]     refuse UPDATE/DELETE not by full primary key (on at the prompt)
  \import FILE TABLE load a CSV file (header line names the columns)
  \i FILE            run the statements in FILE
  \? or \help        this help
  \q                 quit (or Ctrl-D)
Ctrl-C cancels the running statement, or clears the statement being typed.
Server warnings are printed after a statement's result (-q hides them).
`

// options are the settings common to the prompt and scripts.
type options struct {
	conn     connFlags
	exec     string
	file     string
	format   string
	timing   bool
	expanded bool
	maxWidth int
	version  bool
	quiet    bool
	// safeUpdates: the prompt refuses UPDATE and DELETE not restricted to
	// full primary keys (the driver's safe_updates DSN option).
	safeUpdates bool
}

func (o *options) register(fs *flag.FlagSet) {
	o.conn.register(fs)
	fs.StringVar(&o.exec, "e", "", "run these `statements` (separated by ';') and exit")
	fs.StringVar(&o.file, "f", "", "run the statements in `file` and exit ('-' is stdin)")
	fs.StringVar(&o.format, "format", formatTable, "result `format`: "+strings.Join(formats, ", "))
	fs.BoolVar(&o.timing, "timing", false, "print how long each statement takes")
	fs.BoolVar(&o.expanded, "x", false, "expanded display: each row as a list of column | value lines")
	fs.IntVar(&o.maxWidth, "maxwidth", 60, "table format: cut text cells wider than this many `columns` with '…' (0: never; vectors then in full)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.quiet, "q", false, "quiet: no server warnings, no banner")
	fs.BoolVar(&o.safeUpdates, "safe-updates", true, "at the prompt, refuse UPDATE and DELETE whose WHERE is not a full primary key (-safe-updates=false, or \\safe off, to allow them)")
}

// flagSet is a FlagSet with its help text.
type flagSet struct {
	*flag.FlagSet
	help func()
}

func newFlagSet(name string, stdout io.Writer, usage string) flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Errors are printed by parseFlags, in one line; -h prints to stdout.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return flagSet{fs, func() {
		fmt.Fprint(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parseFlags parses args, letting flags come after positional arguments
// too (astrasql import f.csv -table t). It returns the positional
// arguments, or an exit status: 0 after -h, 2 after a bad flag (said in
// one line, with a hint).
func parseFlags(fs flagSet, args []string, stderr io.Writer) ([]string, int, bool) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.help()
				return nil, exitOK, false
			}
			fmt.Fprintf(stderr, "%s: %v (%s -h lists the flags)\n", fs.Name(), err, fs.Name())
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, 0, true
		}
		rest = append(rest, args[0])
		args = args[1:]
		if len(rest) > 0 && rest[len(rest)-1] == "--" {
			return append(rest[:len(rest)-1], args...), 0, true
		}
	}
}

// subcommands are the words that select a subcommand.
var subcommands = map[string]bool{"serve": true, "demo": true, "import": true, "help": true, "pgwire": true}

// splitSubcommand finds a subcommand after leading flags (astrasql -dsn X
// import ...): it returns the flags before it, the subcommand and the
// arguments after it. Without a subcommand, sub is "".
func splitSubcommand(args []string) (before []string, sub string, after []string) {
	var o options
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	o.register(fs)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if subcommands[a] {
			return args[:i], a, args[i+1:]
		}
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			return args, "", nil
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return args, "", nil
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		i++ // the flag's value
	}
	return args, "", nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	before, sub, after := splitSubcommand(args)
	switch sub {
	case "serve":
		return serveCommand(ctx, append(before, after...), stdout, stderr)
	case "demo":
		return runDemo(ctx, append(before, after...), stdin, stdout, stderr)
	case "import":
		return runImportCommand(ctx, append(before, after...), stdout, stderr)
	case "pgwire":
		return pgwireCommand(ctx, append(before, after...), stdout, stderr)
	case "help":
		args = []string{"-h"}
	}
	var o options
	fs := newFlagSet("astrasql", stdout, usageText)
	o.register(fs.FlagSet)
	rest, code, ok := parseFlags(fs, args, stderr)
	if !ok {
		if code == exitOK {
			fmt.Fprint(stdout, "\n"+metaHelp)
		}
		return code
	}
	if o.version {
		fmt.Fprintln(stdout, versionString())
		return exitOK
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "astrasql: unexpected argument %q (SQL goes in -e, a script in -f; see -h)\n", rest[0])
		return exitUsage
	}
	if !slices.Contains(formats, o.format) {
		fmt.Fprintf(stderr, "astrasql: unknown -format %q: want one of %s\n", o.format, strings.Join(formats, ", "))
		return exitUsage
	}
	if o.exec != "" && o.file != "" {
		fmt.Fprintln(stderr, "astrasql: -e and -f cannot be used together")
		return exitUsage
	}
	var script, scriptName string
	switch {
	case o.exec != "":
		script, scriptName = o.exec, "-e"
	case o.file != "":
		var b []byte
		var err error
		if o.file == "-" {
			b, err = io.ReadAll(stdin)
		} else {
			b, err = os.ReadFile(o.file)
		}
		if err != nil {
			fmt.Fprintf(stderr, "astrasql: %s\n", errorText(err))
			return exitUsage
		}
		script, scriptName = string(b), o.file
	}
	interactive := script == "" && o.file == "" && isTerminal(stdin)
	if interactive && o.safeUpdates {
		o.conn.options = map[string]string{"safe_updates": "true"}
	}
	w := &warnings{}
	o.conn.hook = w
	announce := stderr
	if o.quiet {
		announce = io.Discard
	}
	db, code := o.conn.openOrExit(ctx, announce)
	if db == nil {
		return code
	}
	s := newSession(db, stdout, stderr, o)
	s.conn, s.warn = &o.conn, w
	defer s.close()
	if interactive && !o.expanded {
		// At the prompt a table too wide for the window, even with its
		// text wrapped, is shown expanded (\x off to keep tables).
		s.opts.ExpandAuto = true
	}

	switch {
	case scriptName != "":
		return s.runScript(ctx, script)
	case !interactive:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "astrasql: reading stdin: %v\n", err)
			return exitError
		}
		return s.runScript(ctx, string(b))
	}
	return s.repl(ctx, stdin, o.conn.describe())
}

// isTerminal reports whether f is an *os.File on a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && termIsTerminal(int(file.Fd()))
}
