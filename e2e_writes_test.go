package astrasql_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// e2eOpenDSN opens a database on srv with extra DSN options.
func e2eOpenDSN(t testing.TB, srv *dataapitest.Server, opts string) *sql.DB {
	t.Helper()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test-token"+opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSafeUpdates: with safe_updates=true, UPDATE and DELETE whose WHERE
// does not give every primary key column by = or IN are refused before
// anything is sent, with an error saying why and how to turn it off; the
// same statements run without the option, and keyed ones run with it.
func TestSafeUpdates(t *testing.T) {
	plain, srv := e2eOpen(t)
	e2eExec(t, plain, `CREATE TABLE su (id int PRIMARY KEY, g int, s text)`)
	e2eExec(t, plain, `CREATE TABLE sc (p int, c int, v text, PRIMARY KEY ((p), c))`)
	e2eExec(t, plain, `CREATE INDEX su_g ON su (g)`)
	e2eExec(t, plain, `INSERT INTO su (id, g, s) VALUES (1, 0, 'a'), (2, 0, 'b'), (3, 1, 'c')`)
	e2eExec(t, plain, `INSERT INTO sc (p, c, v) VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c')`)
	safe := e2eOpenDSN(t, srv, "&safe_updates=true")

	refused := []struct {
		q, why string
		args   []any
	}{
		{q: `UPDATE su SET s = 'x' WHERE g = 0`, why: "does not give every primary key column (id)"},
		{q: `UPDATE su SET s = 'x'`, why: "no WHERE"},
		{q: `UPDATE su SET s = 'x' WHERE id = 1 OR g = 1`, why: "primary key"},
		{q: `UPDATE su SET s = 'x' WHERE id > ?`, args: []any{0}, why: "primary key"},
		{q: `DELETE FROM su WHERE s = 'a'`, why: "reading first"},
		{q: `DELETE FROM su`, why: "every row"},
		{q: `DELETE FROM sc WHERE p = 1`, why: "partition"},
		{q: `DELETE FROM sc WHERE p = 1 AND c > 0`, why: "partition"},
		{q: `DELETE FROM sc WHERE p IN (1, 2)`, why: "whole partitions"},
		{q: `UPDATE sc SET v = 'x' WHERE p = 1`, why: "(p, c)"},
	}
	for _, c := range refused {
		_, err := safe.Exec(c.q, c.args...)
		var se *astrasql.SafeUpdatesError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.why) || !strings.Contains(err.Error(), "safe_updates=false") {
			t.Errorf("%s: error %v, want a *SafeUpdatesError saying %q and how to turn it off", c.q, err, c.why)
		}
		// In a transaction it is refused at Exec, not at Commit.
		tx, err := safe.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(c.q, c.args...); !errors.As(err, &se) {
			t.Errorf("%s in a transaction: Exec error %v, want a *SafeUpdatesError", c.q, err)
		}
		tx.Rollback()
	}
	// Nothing was changed.
	if got := strings.Join(e2eQuery(t, plain, `SELECT id, g, s FROM su ORDER BY id`), " "); got != "1|0|a 2|0|b 3|1|c" {
		t.Fatalf("after refused statements: %s", got)
	}
	if got := strings.Join(e2eQuery(t, plain, `SELECT p, c, v FROM sc ORDER BY p, c`), " "); got != "1|1|a 1|2|b 2|1|c" {
		t.Fatalf("after refused statements: %s", got)
	}
	// EXPLAIN still shows the plan.
	if rows := e2eQuery(t, safe, `EXPLAIN DELETE FROM su WHERE s = 'a'`); len(rows) == 0 {
		t.Errorf("EXPLAIN under safe_updates: no rows")
	}

	allowed := []struct {
		q    string
		args []any
		n    int64
	}{
		{q: `UPDATE su SET s = 'k' WHERE id = 1`, n: 1},
		{q: `UPDATE su SET s = 'i' WHERE id IN (2, 3)`, n: 2},
		{q: `UPDATE su SET s = 'j' WHERE id IN (1, 2) AND g = 0`, n: 2},
		{q: `UPDATE sc SET v = 'k' WHERE p = 1 AND c = 2`, n: 1},
		{q: `UPDATE sc SET v = 'i' WHERE p IN (1, 2) AND c IN (1)`, n: 2},
		{q: `DELETE FROM su WHERE id = ?`, args: []any{3}, n: 1},
		{q: `DELETE FROM su WHERE id IN (1, 9)`, n: 1},
		{q: `DELETE FROM sc WHERE p = 2 AND c = 1`, n: 1},
	}
	for _, c := range allowed {
		res, err := safe.Exec(c.q, c.args...)
		if err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		if n, _ := res.RowsAffected(); n != c.n {
			t.Errorf("%s: RowsAffected %d, want %d", c.q, n, c.n)
		}
	}
	if got := strings.Join(e2eQuery(t, plain, `SELECT id, g, s FROM su ORDER BY id`), " "); got != "2|0|j" {
		t.Errorf("su after keyed writes: %s", got)
	}
	if got := strings.Join(e2eQuery(t, plain, `SELECT p, c, v FROM sc ORDER BY p, c`), " "); got != "1|1|i 1|2|k" {
		t.Errorf("sc after keyed writes: %s", got)
	}
	// TRUNCATE says what it does: not refused.
	e2eExec(t, safe, `TRUNCATE sc`)
	// Without the option the refused statements run.
	e2eExec(t, plain, `DELETE FROM su WHERE s = 'j'`)
	if got := e2eQuery(t, plain, `SELECT id FROM su`); len(got) != 0 {
		t.Errorf("su after DELETE without safe_updates: %v", got)
	}
}

// TestInsertNeedsColumnList: INSERT without a column list is refused, with
// an error that says to name the columns, and nothing is written: the Data
// API lists columns key first then alphabetically, not in CREATE order, so
// `VALUES (1, 'Smith', 'John')` would store surname = 'John'.
func TestInsertNeedsColumnList(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE person (id int PRIMARY KEY, surname text, given text)`)
	for _, q := range []string{
		`INSERT INTO person VALUES (1, 'Smith', 'John')`,
		`INSERT INTO person VALUES (?, ?, ?)`,
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = []any{1, "Smith", "John"}
		}
		_, err := db.Exec(q, args...)
		if err == nil || !strings.Contains(err.Error(), "name the columns") || !strings.Contains(err.Error(), "INSERT INTO person (") {
			t.Errorf("%s: error %v, want one saying to name the columns", q, err)
		}
		tx, _ := db.Begin()
		if _, err := tx.Exec(q, args...); err == nil || !strings.Contains(err.Error(), "name the columns") {
			t.Errorf("%s in a transaction: error %v at Exec", q, err)
		}
		tx.Rollback()
	}
	if got := e2eQuery(t, db, `SELECT id FROM person`); len(got) != 0 {
		t.Fatalf("rows written: %v", got)
	}
	e2eExec(t, db, `INSERT INTO person (id, surname, given) VALUES (1, 'Smith', 'John')`)
	if got := e2eQuery(t, db, `SELECT surname, given FROM person WHERE id = 1`); len(got) != 1 || got[0] != "Smith|John" {
		t.Errorf("with a column list: %v", got)
	}
}
