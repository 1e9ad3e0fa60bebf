package astrasql_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/typesmap"
)

// e2eOpenDSN opens a database on the server at url with extra DSN options.
func e2eOpenDSN(t testing.TB, url string, opts string) *sql.DB {
	t.Helper()
	db, err := sql.Open("astra", url+"?keyspace=default_keyspace&token=test-token"+opts)
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
	safe := e2eOpenDSN(t, srv.URL, "&safe_updates=true")

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

// TestTxArgsCopiedAtExec: a program that reuses one buffer (a []float32, a
// slice, a map, a *big.Int, a Valuer's state) across tx.Exec calls commits
// the value each Exec was given, not the last one.
func TestTxArgsCopiedAtExec(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE buf (id int PRIMARY KEY, v vector<float, 2>, l list<int>, m map<text, int>,
		n varint, d decimal, f decimal, b blob, s set<text>, tl list<text>, tm map<int, text>, nv text, p int)`)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	vec := []float32{0, 0}
	list := []int{0}
	m := map[string]int{}
	n := new(big.Int)
	r := new(big.Rat)
	fl := new(big.Float)
	blob := []byte{0}
	set := typesmap.Set{"x"}
	tl := typesmap.List{""}
	tm := typesmap.Map{{Key: 0, Value: ""}}
	nv := &mutableValuer{}
	p := new(int)
	for i := 0; i < 3; i++ {
		vec[0], vec[1] = float32(i), float32(-i)
		list[0] = i
		m["k"] = i
		n.Lsh(big.NewInt(int64(i)), 70)
		r.SetFrac64(int64(i), 4)
		fl.SetInt64(int64(i))
		blob[0] = byte(i)
		set[0] = fmt.Sprint("s", i)
		tl[0] = fmt.Sprint("t", i)
		tm[0] = typesmap.MapEntry{Key: i, Value: fmt.Sprint("m", i)}
		nv.s = fmt.Sprint("v", i)
		*p = i
		if _, err := tx.Exec(`INSERT INTO buf (id, v, l, m, n, d, f, b, s, tl, tm, nv, p) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i, vec, list, m, n, r, fl, blob, set, tl, tm, nv, p); err != nil {
			t.Fatal(err)
		}
	}
	// The same buffers through UPDATE, which is buffered too.
	list[0] = 99
	if _, err := tx.Exec(`UPDATE buf SET l = ? WHERE id = 2`, list); err != nil {
		t.Fatal(err)
	}
	list[0] = -1
	vec[0], m["k"], blob[0] = 42, 42, 42
	n.SetInt64(42)
	*p = 42
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := e2eQuery(t, db, `SELECT id, v, l, m, n, d, f, b, s, tl, tm, nv, p FROM buf ORDER BY id`)
	want := []string{
		"0|[0, 0]|[0]|{'k': 0}|0|0|0|[0]|{'s0'}|['t0']|{0: 'm0'}|v0|0",
		"1|[1, -1]|[1]|{'k': 1}|1180591620717411303424|0.25|1|[1]|{'s1'}|['t1']|{1: 'm1'}|v1|1",
		"2|[2, -2]|[99]|{'k': 2}|2361183241434822606848|0.5|2|[2]|{'s2'}|['t2']|{2: 'm2'}|v2|2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("committed rows:\n got %q\nwant %q", got, want)
	}
}

// mutableValuer is a driver.Valuer whose value changes after Exec.
type mutableValuer struct{ s string }

func (v *mutableValuer) Value() (driver.Value, error) { return v.s, nil }

// TestTxArgTypesCheckedAtExec: an argument its column does not take fails
// at tx.Exec with the error it gets outside a transaction, and Commit then
// sends the statements that were accepted, all of them.
func TestTxArgTypesCheckedAtExec(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ty (id int PRIMARY KEY, s text, v vector<float, 2>, l list<int>)`)
	bad := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO ty (id, s) VALUES (?, ?)`, []any{1, 12345}},
		{`INSERT INTO ty (id, s) VALUES (?, ?), (?, ?)`, []any{1, "a", "two", "b"}},
		{`INSERT INTO ty (id, v) VALUES (?, ?)`, []any{1, []float32{1, 2, 3}}},
		{`INSERT INTO ty (id, l) VALUES (?, ?)`, []any{1, []string{"x"}}},
		{`INSERT INTO ty (id, s) VALUES (?, ?)`, []any{nil, "a"}},
		{`UPDATE ty SET s = ? WHERE id = 1`, []any{12345}},
		{`UPDATE ty SET s = 'x' WHERE id = ?`, []any{"one"}},
		{`UPDATE ty SET l = l + ? WHERE id = 1`, []any{[]string{"x"}}},
		{`UPDATE ty SET s = 'x' WHERE l CONTAINS ?`, []any{"x"}},
		{`DELETE FROM ty WHERE id = ?`, []any{"one"}},
		{`DELETE FROM ty WHERE id IN (?, ?)`, []any{1, "two"}},
		{`DELETE FROM ty WHERE s = ?`, []any{7}},
		{`INSERT INTO ty (id, s) VALUES (?, ?)`, []any{1, failingValuer{}}},
	}
	for _, c := range bad {
		_, outside := db.Exec(c.q, c.args...)
		if outside == nil {
			t.Errorf("%s %v: no error outside a transaction", c.q, c.args)
			continue
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO ty (id, s) VALUES (100, 'ok')`); err != nil {
			t.Fatal(err)
		}
		_, inTx := tx.Exec(c.q, c.args...)
		if inTx == nil || inTx.Error() != outside.Error() {
			t.Errorf("%s %v: tx.Exec error %v, want the error outside a transaction: %v", c.q, c.args, inTx, outside)
		}
		if err := tx.Commit(); err != nil {
			t.Errorf("%s: Commit after the refused Exec: %v", c.q, err)
		}
	}
	if got := e2eQuery(t, db, `SELECT id, s FROM ty`); !reflect.DeepEqual(got, []string{"100|ok"}) {
		t.Errorf("rows: %q, want only the accepted INSERT", got)
	}
}

type failingValuer struct{}

func (failingValuer) Value() (driver.Value, error) { return nil, errors.New("valuer broke") }

// TestExplainSaysUnconditional: EXPLAIN of an UPDATE or DELETE that reads
// keys and then writes each row says the writes are unconditional and what
// that does with concurrent writers; by primary key it does not.
func TestExplainSaysUnconditional(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ex (id int PRIMARY KEY, g int, s text)`)
	for _, c := range []struct {
		q, want string
	}{
		{`EXPLAIN UPDATE ex SET s = 'x' WHERE g = 0`, "a row deleted meanwhile by another writer is re-created"},
		{`EXPLAIN DELETE FROM ex WHERE s = 'orig'`, "a row changed meanwhile by another writer to no longer match is deleted anyway"},
	} {
		got := strings.Join(e2eQuery(t, db, c.q), "\n")
		if !strings.Contains(got, "unconditional") || !strings.Contains(got, c.want) {
			t.Errorf("%s:\n%s\nwant it to say %q", c.q, got, c.want)
		}
	}
	if got := strings.Join(e2eQuery(t, db, `EXPLAIN UPDATE ex SET s = 'x' WHERE id = 1`), "\n"); strings.Contains(got, "unconditional") {
		t.Errorf("by primary key: %s", got)
	}
}
