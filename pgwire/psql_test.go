package pgwire_test

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/pgwire"
)

// TestPsql drives the front end with psql -c (simple query protocol).
func TestPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("skipping the psql test: psql is not on PATH")
	}
	addr := startServer(t, pgwire.Config{})
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(psql, append([]string{"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
			"host=" + host + " port=" + port + " dbname=default_keyspace user=tester sslmode=disable"}, args...)...)
		cmd.Env = append(os.Environ(), "PGPASSWORD=local-token", "PGCONNECT_TIMEOUT=10")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return strings.TrimSpace(string(out) + stderr.String()), err
		}
		return strings.TrimSpace(string(out)), nil
	}
	for _, tc := range []struct {
		sql, want string
	}{
		{`CREATE TABLE films (id int PRIMARY KEY, title text, year int, tags set<text>, v vector<float, 2>)`, "CREATE TABLE"},
		{`INSERT INTO films (id, title, year, tags, v) VALUES (1, 'Alien', 1979, {'scifi', 'horror'}, [1, 0]), (2, 'Heat', 1995, {'crime'}, [0, 1])`, "INSERT 0 2"},
		{`CREATE VECTOR INDEX films_v ON films (v)`, "CREATE INDEX"},
		{`SELECT id, title, tags, v FROM films WHERE id = 1`, "1|Alien|{horror,scifi}|[1,0]"},
		{`SELECT title FROM films ORDER BY v ANN OF [0.1, 0.9] LIMIT 1`, "Heat"},
		{`SELECT count(*), min(year) FROM films; SELECT current_database(), current_schema()`, "2|1979\ndefault_keyspace|default_keyspace"},
		{`SHOW server_version`, "16.0 (astrasql)"},
		{`\d`, "default_keyspace|films|table|tester"},
		{`BEGIN; DELETE FROM films WHERE id = 2; ROLLBACK; SELECT count(*) FROM films`, "BEGIN\nDELETE\nROLLBACK\n2"},
	} {
		got, err := run("-c", tc.sql)
		if err != nil || got != tc.want {
			t.Errorf("psql -c %q:\ngot  %q (%v)\nwant %q", tc.sql, got, err, tc.want)
		}
	}
	got, err := run("-v", "VERBOSITY=verbose", "-c", `SELECT * FROM nosuch`)
	if err == nil || !strings.Contains(got, "ERROR:  42P01: table default_keyspace.nosuch does not exist") {
		t.Errorf("psql error: %q (%v)", got, err)
	}
}
