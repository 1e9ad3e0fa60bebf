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
  \x [on|off]        expanded display: one line per column
  \timing [on|off]   show how long each statement takes
  \format FORMAT     table, csv, json or jsonl
  \import FILE TABLE load a CSV file (header line names the columns)
  \i FILE            run the statements in FILE
  \? or \help        this help
  \q                 quit (or Ctrl-D)
Ctrl-C cancels the running statement, or clears the statement being typed.
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
}

func (o *options) register(fs *flag.FlagSet) {
	o.conn.register(fs)
	fs.StringVar(&o.exec, "e", "", "run these `statements` (separated by ';') and exit")
	fs.StringVar(&o.file, "f", "", "run the statements in `file` and exit ('-' is stdin)")
	fs.StringVar(&o.format, "format", formatTable, "result `format`: "+strings.Join(formats, ", "))
	fs.BoolVar(&o.timing, "timing", false, "print how long each statement takes")
	fs.BoolVar(&o.expanded, "x", false, "expanded display: each row as a list of column | value lines")
	fs.IntVar(&o.maxWidth, "maxwidth", 60, "table format: cut cells wider than this many `columns` with '…' (0: never)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
}

func newFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return serveCommand(ctx, args[1:], stdout, stderr)
		case "demo":
			return runDemo(ctx, args[1:], stdin, stdout, stderr)
		case "import":
			return runImportCommand(ctx, args[1:], stdout, stderr)
		case "help":
			args = []string{"-h"}
		}
	}
	var o options
	fs := newFlagSet("astrasql", stderr, usageText)
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, "\n"+metaHelp)
			return exitOK
		}
		return exitUsage
	}
	if o.version {
		fmt.Fprintln(stdout, versionString())
		return exitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "astrasql: unexpected argument %q (SQL goes in -e, a script in -f; see -h)\n", fs.Arg(0))
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

	db, closeDB, err := o.conn.open(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "astrasql: %s\n", errorText(err))
		return exitError
	}
	defer closeDB()
	s := newSession(db, stdout, stderr, o)

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
