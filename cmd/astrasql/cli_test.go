package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

type cliResult struct {
	stdout, stderr string
	code           int
}

// runCLI runs the astrasql command (this test binary, re-executed) with
// args and stdin, without any ASTRA_DB_* variables from the environment.
func runCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	return runCLIWith(t, stdin, nil, args...)
}

// runCLIEnv is runCLI with extra environment variables and no stdin.
func runCLIEnv(t *testing.T, extraEnv []string, args ...string) cliResult {
	t.Helper()
	return runCLIWith(t, "", extraEnv, args...)
}

func runCLIWith(t *testing.T, stdin string, extraEnv []string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	env := append([]string{cliTestEnv + "=1", "HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}, extraEnv...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ASTRA_DB_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running the CLI: %v", err)
	}
	return cliResult{out.String(), errb.String(), code}
}

func (r cliResult) String() string {
	return "exit " + string(rune('0'+r.code)) + "\n--- stdout:\n" + r.stdout + "\n--- stderr:\n" + r.stderr
}

// newServer starts a local Data API server shared by several CLI runs and
// returns its DSN.
func newServer(t *testing.T) string {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	return srv.URL + "?keyspace=default_keyspace&token=test-token"
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const setupSQL = `CREATE TABLE films (id int PRIMARY KEY, title text, year int, tags set<text>, v vector<float, 5>);
INSERT INTO films (id, title, year, tags, v) VALUES
  (1, 'Alien', 1979, {'space', 'horror'}, [0.1, 0.2, 0.3, 0.4, 0.5]),
  (2, 'NULL', NULL, NULL, [1, 0, 0, 0, 0]),
  (3, 'It''s; tricky', 2001, {'a;b'}, [0, 1, 0, 0, 0]);
`

func TestEmbeddedServerAndExec(t *testing.T) {
	r := runCLI(t, "", "-e", setupSQL+"SELECT id, title, year FROM films WHERE id = 3;")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "astrasql: no -dsn or ASTRA_DB_API_ENDPOINT: using an embedded local Data API server at http://127.0.0.1:") ||
		!strings.Contains(r.stderr, "(data is kept in memory only)") {
		t.Errorf("no announcement of the embedded server:\n%v", r)
	}
	for _, want := range []string{"OK\n", "INSERT 3\n", "It's; tricky", "(1 row)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%v", want, r)
		}
	}
}

func TestFormats(t *testing.T) {
	dsn := newServer(t)
	if r := runCLI(t, "", "-dsn", dsn, "-e", setupSQL); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	const q = "SELECT id, title, year, v FROM films WHERE id IN (1, 2) ORDER BY id"
	t.Run("table", func(t *testing.T) {
		r := runCLI(t, "", "-dsn", dsn, "-e", q)
		if r.code != 0 {
			t.Fatalf("%v", r)
		}
		for _, want := range []string{" id | title | year | v", "  1 | Alien |", "[0.1, 0.2, 0.3, 0.4, 0.5]", "  2 | NULL  | NULL | [1, 0, 0, 0, 0]", "(2 rows)"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%v", want, r)
			}
		}
	})
	t.Run("csv", func(t *testing.T) {
		r := runCLI(t, "", "-dsn", dsn, "-format", "csv", "-e", q)
		want := "id,title,year,v\n1,Alien,1979,\"[0.1,0.2,0.3,0.4,0.5]\"\n2,NULL,,\"[1,0,0,0,0]\"\n"
		if r.code != 0 || r.stdout != want {
			t.Errorf("want:\n%s\ngot %v", want, r)
		}
	})
	t.Run("json", func(t *testing.T) {
		r := runCLI(t, "", "-dsn", dsn, "-format", "json", "-e", q)
		var got []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Fatalf("not a JSON array (%v): %v", err, r)
		}
		if len(got) != 2 || got[0]["id"] != 1.0 || got[0]["title"] != "Alien" || got[1]["year"] != nil || got[1]["title"] != "NULL" {
			t.Errorf("got %v", got)
		}
		if v, ok := got[0]["v"].([]any); !ok || len(v) != 5 {
			t.Errorf("vector not a full JSON array: %v", got[0]["v"])
		}
	})
	t.Run("jsonl", func(t *testing.T) {
		r := runCLI(t, "", "-dsn", dsn, "-format", "jsonl", "-e", q)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != 0 || len(lines) != 2 {
			t.Fatalf("want 2 lines: %v", r)
		}
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Errorf("line %q: %v", l, err)
			}
		}
		if !strings.HasPrefix(lines[0], `{"id":1,"title":"Alien","year":1979,"v":[0.1,0.2,0.3,0.4,0.5]}`) {
			t.Errorf("first line %s", lines[0])
		}
	})
	t.Run("expanded", func(t *testing.T) {
		r := runCLI(t, "", "-dsn", dsn, "-x", "-e", q)
		if r.code != 0 || !strings.Contains(r.stdout, "-[ RECORD 2 ]") || !strings.Contains(r.stdout, "title | NULL\n") {
			t.Errorf("%v", r)
		}
	})
}

func TestScriptErrors(t *testing.T) {
	dsn := newServer(t)
	script := "-- a script\nCREATE TABLE s (id int PRIMARY KEY, n int);\n\nINSERT INTO s (id, n) VALUES (1, 1);\n\nSELECT nope\n  FROM s;\nINSERT INTO s (id, n) VALUES (2, 2);\n"
	for i, mode := range []string{"-f", "stdin", "-e"} {
		t.Run(mode, func(t *testing.T) {
			// A table per run: they share the server.
			s := strings.NewReplacer(" s ", " s"+string(rune('a'+i))+" ", " s;", " s"+string(rune('a'+i))+";").Replace(script)
			var args []string
			var in string
			switch mode {
			case "-f":
				args = []string{"-dsn", dsn, "-f", writeFile(t, "s.sql", s)}
			case "stdin":
				args, in = []string{"-dsn", dsn}, s
			default:
				args = []string{"-dsn", dsn, "-e", s}
			}
			r := runCLI(t, in, args...)
			if r.code != 1 {
				t.Errorf("exit code %d, want 1: %v", r.code, r)
			}
			if !strings.Contains(r.stderr, "astrasql: error at line 6: ") {
				t.Errorf("no error with its line: %v", r)
			}
			if !strings.Contains(r.stdout, "INSERT 1") || strings.Count(r.stdout, "INSERT") != 1 {
				t.Errorf("want exactly the statements before the error run: %v", r)
			}
		})
	}
	// A syntax error on the second line of a statement that starts mid-line.
	r := runCLI(t, "", "-dsn", dsn, "-e", "SELECT 1 FROM sa;\n\n SELECT *\nFROM sa WHERE n = = 1;")
	if r.code != 1 || !strings.Contains(r.stderr, `astrasql: error at line 4: syntax error at column 19 near "="`) {
		t.Errorf("syntax error position: %v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-format", "xml", "-e", "SELECT 1"}, "unknown -format"},
		{[]string{"-nosuchflag"}, "flag provided but not defined"},
		{[]string{"-e", "SELECT 1", "-f", "x.sql"}, "cannot be used together"},
		{[]string{"-f", "/nonexistent/x.sql"}, "no such file"},
		{[]string{"SELECT 1"}, "unexpected argument"},
		{[]string{"import", "only-a-file.csv"}, "want one CSV file and a table"},
	}
	for _, tc := range tests {
		r := runCLI(t, "", tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: want exit 2 and %q, got %v", tc.args, tc.want, r)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	r := runCLI(t, "", "-version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "astrasql ") {
		t.Errorf("-version: %v", r)
	}
	r = runCLI(t, "", "-h")
	for _, want := range []string{"-dsn", "-keyspace", "-e", "-f", "-format", "-timing", "import", "demo", "serve", `\d TABLE`, `\import`, "ASTRA_DB_API_ENDPOINT"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("-h lacks %q: %v", want, r)
		}
	}
}

func TestMetaCommands(t *testing.T) {
	in := setupSQL + "\\d\n\\d films\n\\x on\nSELECT id, title FROM films WHERE id = 1;\n\\x off\n\\timing\nSELECT id FROM films WHERE id = 1;\n\\format csv\nSELECT id FROM films WHERE id = 1;\n\\nosuch\n"
	r := runCLI(t, in)
	if r.code != 1 || !strings.Contains(r.stderr, `error at line 15: unknown command \nosuch`) {
		t.Errorf("unknown meta command: %v", r)
	}
	for _, want := range []string{
		"films",            // \d
		"vector<float, 5>", // \d films: the column types
		"Expanded display is on.",
		"-[ RECORD 1 ]",
		"title | Alien",
		"Timing is on.",
		"Time: ",
		"id\n1\n", // csv
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%v", want, r)
		}
	}
}

const importCSV = `id,title,year,tags,v
1,Alien,1979,"[""space""]","[0.1, 0.2, 0.3, 0.4, 0.5]"
2,Heat,nineteen-ninety-five,,"[1, 0, 0, 0, 0]"
3,Up,2009,,"[1, 0, 0, 0]"
4,Jaws,1975,,
5,"Quote, ""comma""",2000,"[""a"", ""b""]","[0, 0, 0, 0, 1]"
,No key,2001,,
`

func TestImport(t *testing.T) {
	dsn := newServer(t)
	if r := runCLI(t, "", "-dsn", dsn, "-e", "CREATE TABLE films (id int PRIMARY KEY, title text, year int, tags set<text>, v vector<float, 5>)"); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	csvPath := writeFile(t, "films.csv", importCSV)
	r := runCLI(t, "", "import", "-dsn", dsn, "-table", "films", csvPath)
	if r.code != 1 {
		t.Errorf("want exit 1 when rows failed: %v", r)
	}
	for _, want := range []string{"3 rows were not loaded", "line 3: column year:", "nineteen-ninety-five", "line 4: column v: vector has 4 numbers, the column takes 5", "line 7: column id: "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %v", want, r)
		}
	}
	if !strings.Contains(r.stdout, "IMPORT 3 ") {
		t.Errorf("summary: %v", r)
	}
	r = runCLI(t, "", "-dsn", dsn, "-format", "csv", "-e", "SELECT id, title FROM films ORDER BY id")
	if want := "id,title\n1,Alien\n4,Jaws\n5,\"Quote, \"\"comma\"\"\"\n"; r.stdout != want {
		t.Errorf("after import want\n%s\ngot %v", want, r)
	}

	// The meta command, in a script, and the positional flag form.
	r = runCLI(t, "", "-dsn", dsn, "-e", "CREATE TABLE f2 (id int PRIMARY KEY, title text, year int, tags set<text>, v vector<float, 5>);\n\\import "+csvPath+" f2\nSELECT 1;")
	if r.code != 1 || !strings.Contains(r.stderr, "error at line 2: 3 of 6 rows failed to import") {
		t.Errorf("\\import in a script: %v", r)
	}
	good := writeFile(t, "good.csv", "id,title\n10,A\n11,B\n")
	r = runCLI(t, "", "import", "-dsn", dsn, good, "f2")
	if r.code != 0 || !strings.Contains(r.stdout, "IMPORT 2 ") {
		t.Errorf("good import: %v", r)
	}
	r = runCLI(t, "", "import", "-dsn", dsn, "-table", "f2", writeFile(t, "bad.csv", "id,nosuch\n1,2\n"))
	if r.code != 1 || !strings.Contains(r.stderr, "no column nosuch") {
		t.Errorf("unknown column: %v", r)
	}
}

func TestDemo(t *testing.T) {
	r := runCLI(t, "", "demo")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	for _, want := range []string{
		"astrasql> CREATE TABLE videos",
		"astrasql> SELECT id, title, year\n       -> FROM videos\n       -> WHERE category = 'sci-fi'",
		"ORDER BY v ANN OF [0.9, 0.7, 0, 0.3, 0, 0, 0, 0]",
		"(3 rows)",
		"astrasql> EXPLAIN SELECT",
		"The Matrix",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q:\n%v", want, r)
		}
	}
}

// What -format csv writes, \import reads back: every column type.
func TestCSVRoundTrip(t *testing.T) {
	dsn := newServer(t)
	const cols = "(id int PRIMARY KEY, a ascii, bi bigint, b blob, bo boolean, d date, de decimal, do double, du duration, f float, ip inet, si smallint, t text, tm time, ts timestamp, ti tinyint, u uuid, vi varint, l list<text>, s set<int>, m map<text, int>, mi map<int, text>, v vector<float, 3>)"
	setup := "CREATE TABLE ty " + cols + ";\nCREATE TABLE ty2 " + cols + ";\n" +
		`INSERT INTO ty (id, a, bi, b, bo, d, de, do, du, f, ip, si, t, tm, ts, ti, u, vi, l, s, m, mi, v) VALUES
 (1, 'asc', 9007199254740993, 0x0102ff, true, '2024-02-29', 12345678901234567890.123456789, 0.1, '1h30m', 0.1, '10.0.0.1', 7, 'multi
line, "quoted"', '12:34:56.789', '2024-05-01T12:00:00.123Z', 3, '123e4567-e89b-12d3-a456-426614174000', 123456789012345678901234567890, ['x', 'y''z'], {3, 1}, {'k': 1, 'a': 2}, {2: 'two'}, [0.1, -2.5, 3]),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`
	if r := runCLI(t, "", "-dsn", dsn, "-e", setup); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	r := runCLI(t, "", "-dsn", dsn, "-format", "csv", "-e", "SELECT * FROM ty")
	if r.code != 0 {
		t.Fatalf("export: %v", r)
	}
	csvPath := writeFile(t, "ty.csv", r.stdout)
	if r := runCLI(t, "", "import", "-dsn", dsn, "-table", "ty2", csvPath); r.code != 0 || !strings.Contains(r.stdout, "IMPORT 2 ") {
		t.Fatalf("import: %v", r)
	}
	a := runCLI(t, "", "-dsn", dsn, "-format", "jsonl", "-e", "SELECT * FROM ty ORDER BY id")
	b := runCLI(t, "", "-dsn", dsn, "-format", "jsonl", "-e", "SELECT * FROM ty2 ORDER BY id")
	if a.code != 0 || a.stdout != b.stdout {
		t.Errorf("after a CSV round trip:\n%s\nwant\n%s", b.stdout, a.stdout)
	}
}

// A token never shows: not in connection errors, not in DSN errors.
func TestTokenNeverPrinted(t *testing.T) {
	srv := dataapitest.NewServer(dataapitest.WithToken("the-right-token"))
	t.Cleanup(srv.Close)
	const secret = "s3cret-w0rd"
	for _, dsn := range []string{
		srv.URL + "?keyspace=default_keyspace&token=" + secret,
		"http://10.1.2.3:1?token=" + secret,
		srv.URL + "?token=" + secret + "&bogus=1",
	} {
		r := runCLI(t, "", "-dsn", dsn, "-e", "SHOW TABLES")
		if r.code == 0 || strings.Contains(r.stdout+r.stderr, secret) || !strings.Contains(r.stderr, "astrasql: ") {
			t.Errorf("-dsn %s: want exit 1 or 2 and an error without the token: %v", strings.ReplaceAll(dsn, secret, "TOKEN"), r)
		}
	}
	// The environment path: the driver reads the token itself.
	cmd := runCLIEnv(t, []string{"ASTRA_DB_API_ENDPOINT=" + srv.URL, "ASTRA_DB_APPLICATION_TOKEN=the-right-token"}, "-e", "SHOW TABLES")
	if cmd.code != 0 || strings.Contains(cmd.stderr, "embedded") {
		t.Errorf("connecting through the environment: %v", cmd)
	}
}
