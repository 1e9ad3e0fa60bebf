package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Server warnings: once per statement, on stderr, after the result; -q
// hides them.
func TestWarnings(t *testing.T) {
	dsn := newServer(t)
	if r := runCLI(t, "", "-dsn", dsn, "-e", setupSQL); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	r := runCLI(t, "", "-dsn", dsn, "-e", "SELECT title FROM films WHERE year > 1980; SELECT id FROM films WHERE id = 1")
	if r.code != 0 || strings.Count(r.stderr, "WARNING:  MISSING_INDEX: ") != 1 || strings.Contains(r.stdout, "WARNING") {
		t.Errorf("want one MISSING_INDEX warning on stderr: %v", r)
	}
	if !strings.Contains(r.stderr, "DETAIL:  The table default_keyspace.films") {
		t.Errorf("no detail: %v", r)
	}
	r = runCLI(t, "", "-q", "-dsn", dsn, "-e", "SELECT title FROM films WHERE year > 1980")
	if r.code != 0 || strings.Contains(r.stderr, "WARNING") || !strings.Contains(r.stdout, "(1 row)") {
		t.Errorf("-q: %v", r)
	}
}

func TestFlagsAndMessages(t *testing.T) {
	dsn := newServer(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help to stdout", []string{"-h"}, 0, "Usage:", ""},
		{"unknown flag", []string{"-nosuch"}, 2, "", "astrasql: flag provided but not defined: -nosuch (astrasql -h lists the flags)\n"},
		{"dsn without scheme", []string{"-dsn", "127.0.0.1:8181", "-e", "SELECT 1"}, 2, "", "http://"},
		{"version", []string{"-version"}, 0, "astrasql ", ""},
		{"import flags after the file", []string{"import", writeFile(t, "a.csv", "id,title\n1,A\n"), "-table", "films", "-dsn", dsn}, 0, "IMPORT 1 ", ""},
		{"flags before the subcommand", []string{"-dsn", dsn, "import", "-table", "films", writeFile(t, "b.csv", "id,title\n2,B\n")}, 0, "IMPORT 1 ", ""},
		{"import help", []string{"import", "-h"}, 0, "Usage: astrasql import", ""},
		{"a string for an int", []string{"-dsn", dsn, "-e", "SELECT id FROM films WHERE year = '34'"}, 1, "", `"34" is a string, which an int column does not take`},
	}
	if r := runCLI(t, "", "-dsn", dsn, "-e", "CREATE TABLE films (id int PRIMARY KEY, title text, year int)"); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	for _, tc := range tests {
		r := runCLI(t, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout, tc.stdout) {
			t.Errorf("%s: want exit %d and stdout with %q: %v", tc.name, tc.code, tc.stdout, r)
		}
		if tc.stderr == "" && r.stderr != "" || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%s: want stderr %q: %v", tc.name, tc.stderr, r)
		}
	}
	r := runCLI(t, "", "-dsn", "127.0.0.1:8181", "-e", "SELECT 1")
	if !strings.Contains(r.stderr, "starts with https:// (Astra) or http:// (a local server, e.g. http://127.0.0.1:8181)") {
		t.Errorf("dsn hint: %v", r)
	}
}

// Meta commands of psql users: \pset null, \format's confirmation, \o,
// \l, \c and USE, SHOW CREATE TABLE as DDL.
func TestPsqlMetaCommands(t *testing.T) {
	dsn := newServer(t)
	out := filepath.Join(t.TempDir(), "out.txt")
	script := `CREATE TABLE films (id int PRIMARY KEY, title text, v vector<float, 2>);
CREATE INDEX films_title ON films (title);
CREATE VECTOR INDEX films_v ON films (v) WITH metric = 'dot_product';
INSERT INTO films (id, title) VALUES (1, 'NULL'), (2, NULL);
\pset null '(null)'
SELECT id, title FROM films ORDER BY id;
SHOW CREATE TABLE films;
\o ` + out + `
SELECT id FROM films WHERE id = 1;
\o
\l
CREATE KEYSPACE other;
USE other;
CREATE TABLE t2 (id int PRIMARY KEY);
\d
\c default_keyspace
\d
\format csv
`
	r := runCLI(t, "", "-dsn", dsn, "-e", script)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	for _, want := range []string{
		`Null display is "(null)".`,
		"  1 | NULL\n  2 | (null)\n",
		"CREATE TABLE default_keyspace.films (\n    id int,\n",
		"\n);\nCREATE INDEX films_title ON default_keyspace.films (title)",
		"CREATE VECTOR INDEX films_v ON default_keyspace.films (v) WITH metric = 'dot_product'",
		"default_keyspace\n",
		"You are now connected to keyspace other.\n",
		" t2\n",
		"You are now connected to keyspace default_keyspace.\n",
		" films\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%v", want, r)
		}
	}
	if !strings.Contains(r.stderr, "Output format is csv.") {
		t.Errorf("\\format says nothing: %v", r)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b) != " id\n----\n  1\n(1 row)\n" || strings.Contains(r.stdout, " id\n----\n  1\n") {
		t.Errorf("\\o: %q %v\n%v", b, err, r)
	}
}

// The demo never touches the database $ASTRA_DB_API_ENDPOINT names unless
// told to.
func TestDemoStaysEmbedded(t *testing.T) {
	r := runCLIEnv(t, []string{"ASTRA_DB_API_ENDPOINT=https://nowhere.invalid", "ASTRA_DB_APPLICATION_TOKEN=x"}, "demo")
	if r.code != 0 || !strings.Contains(r.stderr, "embedded local Data API server") || !strings.Contains(r.stdout, "The Matrix") {
		t.Errorf("%v", r)
	}
	r = runCLIEnv(t, []string{"ASTRA_DB_API_ENDPOINT=https://nowhere.invalid", "ASTRA_DB_APPLICATION_TOKEN=x"}, "demo", "-remote")
	if r.code != 1 || !strings.Contains(r.stderr, "nowhere.invalid") {
		t.Errorf("-remote: %v", r)
	}
}

// With timing on, a failed statement's time follows its error.
func TestTimingAfterError(t *testing.T) {
	r := runCLI(t, "", "-timing", "-format", "csv", "-e", "SELECT * FROM nosuch")
	e, tm := strings.Index(r.stderr, "error at line 1"), strings.Index(r.stderr, "Time: ")
	if r.code != 1 || e < 0 || tm < e {
		t.Errorf("want the error, then its time: %v", r)
	}
}
