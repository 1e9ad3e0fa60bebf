package astrasql_test

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// deepStatements are statements nested far beyond any stack: each one,
// run through database/sql, must end in an error, not a fatal stack
// overflow (which recover cannot catch and which kills the process).
var deepStatements = map[string]func() string{
	"2.5M [ in a value": func() string {
		return "INSERT INTO deep (id, v) VALUES (1, " + strings.Repeat("[", sz(2_500_000)) + strings.Repeat("]", sz(2_500_000)) + ")"
	},
	"300k { in a value": func() string {
		return "INSERT INTO deep (id, v) VALUES (1, " + strings.Repeat("{", sz(300_000)) + strings.Repeat("}", sz(300_000)) + ")"
	},
	"1.5M NOT": func() string { return "SELECT id FROM deep WHERE " + strings.Repeat("NOT ", sz(1_500_000)) + "id = 1" },
	"500k (": func() string {
		return "SELECT id FROM deep WHERE " + strings.Repeat("(", sz(500_000)) + "id = 1" + strings.Repeat(")", sz(500_000))
	},
	"500k ( unclosed":  func() string { return "SELECT id FROM deep WHERE " + strings.Repeat("(", sz(500_000)) + "id = 1" },
	"500k unary minus": func() string { return "SELECT id FROM deep WHERE id = " + strings.Repeat("- ", sz(500_000)) + "1" },
	"300k OR":          func() string { return "SELECT id FROM deep WHERE id = 1" + strings.Repeat(" OR id = 1", sz(300_000)) },
	"500k +":           func() string { return "SELECT 1" + strings.Repeat("+1", sz(500_000)) + " FROM deep" },
	"200k CASE": func() string {
		return "SELECT " + strings.Repeat("CASE WHEN ", sz(200_000)) + "1" + strings.Repeat(" THEN 1 END", sz(200_000)) + " FROM deep"
	},
	"100k subqueries": func() string {
		return strings.Repeat("SELECT id FROM deep WHERE id IN (", sz(100_000)) + "SELECT 1" + strings.Repeat(")", sz(100_000))
	},
	"500k < in DDL": func() string {
		return "CREATE TABLE d2 (id int PRIMARY KEY, v " + strings.Repeat("list<", sz(500_000)) + "int" + strings.Repeat(">", sz(500_000)) + ")"
	},
	"500k ( in DDL": func() string { return "CREATE TABLE d2 " + strings.Repeat("(", sz(500_000)) + "id int PRIMARY KEY)" },
	"deep ops in (": func() string {
		return "SELECT id FROM deep WHERE " + strings.Repeat("(id = 1 OR ", sz(100_000)) + "id = 1" + strings.Repeat(")", sz(100_000))
	},
}

const deepEnv = "ASTRASQL_TEST_DEEP_STATEMENT"

// sz scales a depth down tenfold under the race detector (which makes the
// full sizes take minutes in CI): the statements are then still far past
// planner.MaxNesting, so the refusal is checked, though not that the
// process would have died without it.
func sz(n int) int {
	if raceEnabled() {
		return n / 10
	}
	return n
}

// TestDeepNestingChild runs one deep statement in this process when the
// parent test asks for it (see TestDeepNestingRefused).
func TestDeepNestingChild(t *testing.T) {
	name := os.Getenv(deepEnv)
	if name == "" {
		t.Skip("run by TestDeepNestingRefused in a child process")
	}
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=t")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE deep (id int PRIMARY KEY, v list<int>)`); err != nil {
		t.Fatal(err)
	}
	q := deepStatements[name]()
	var rerr error
	if strings.HasPrefix(q, "SELECT") {
		rows, err := db.Query(q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		rerr = err
	} else {
		_, rerr = db.Exec(q)
	}
	if rerr == nil {
		t.Fatalf("%s: no error", name)
	}
	msg := rerr.Error()
	fmt.Printf("DEEP-ERROR: %.300s\n", msg)
}

// TestDeepNestingRefused runs each deep statement through database/sql in
// a child process (this test binary again) and checks that the child exits
// normally, its statement refused with an error saying it nests too deeply.
func TestDeepNestingRefused(t *testing.T) {
	if os.Getenv(deepEnv) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("builds statements of several MB")
	}
	for name := range deepStatements {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestDeepNestingChild$", "-test.v")
			cmd.Env = append(os.Environ(), deepEnv+"="+name)
			out, err := cmd.CombinedOutput()
			txt := string(out)
			if err != nil {
				if i := strings.Index(txt, "fatal error"); i >= 0 {
					txt = txt[i:min(len(txt), i+300)]
				} else if len(txt) > 2000 {
					txt = txt[:2000]
				}
				t.Fatalf("child exited with %v:\n%s", err, txt)
			}
			if !strings.Contains(txt, "DEEP-ERROR: ") || !strings.Contains(txt, "nested too deeply") {
				t.Errorf("child output without the nesting error:\n%.2000s", txt)
			}
		})
	}
}
