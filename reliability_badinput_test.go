package astrasql_test

import (
	"database/sql"
	"errors"
	"math"
	"net"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
)

// TestBadInput runs a corpus of wrong statements and wrong parameter
// values. Each gives the exact error expected (its type and what and where:
// the line and column, the placeholder, the column), and nothing is sent
// to the server for any of them: the fault proxy in front of it counts
// every request. Unknown tables and columns may read the schema again
// (listTables, listIndexes: the table may have been created or altered
// by another client), and nothing else.
func TestBadInput(t *testing.T) {
	e := relOpen(t, "")
	e2eExec(t, e.db, `CREATE TABLE t (id int PRIMARY KEY, name text, n int, big bigint, d decimal, v vector<float, 3>, u uuid, ip inet, day date, tags set<text>, f float)`)
	e2eExec(t, e.db, `CREATE TABLE o (id int PRIMARY KEY, x text)`)
	// Read both schemas once, as an application would have.
	e2eQuery(t, e.db, `SELECT id FROM t WHERE id = 1`)
	e2eQuery(t, e.db, `SELECT id FROM o WHERE id = 1`)

	const (
		syntax      = "SyntaxError"
		unsupported = "UnsupportedError"
		argument    = "ArgumentError"
		table       = "UnknownTableError"
		column      = "UnknownColumnError"
		count       = "ArgumentCountError"
		literal     = "LiteralError"
		untyped     = "untyped" // a plain error (no type to errors.As)
	)
	cases := []struct {
		q      string
		args   []any
		kind   string
		want   []string // substrings of the message, in order
		schema bool     // may re-read the schema
	}{
		// Syntax errors: line and column, and what is near.
		{q: `SELEC id FROM t`, kind: syntax, want: []string{"line 1, column 1", `near "selec"`, "expected SELECT, INSERT"}},
		{q: `SELECT id FROM t WHERE`, kind: syntax, want: []string{"line 1, column 23", "unexpected end of statement"}},
		{q: "SELECT id\nFROM t WHERE id = = 1", kind: syntax, want: []string{"line 2, column 19", `near "="`}},
		{q: `SELECT id FROM t WHERE name = 'unterminated`, kind: syntax, want: []string{"line 1, column 31", "unterminated string"}},
		{q: `SELECT id FROM t WHERE id = 1; SELECT 1`, kind: syntax, want: []string{"line 1, column 32", "only one statement at a time"}},
		{q: `SELECT id FROM t WHERE id = ? AND name = :name`, args: []any{1, "a"}, kind: syntax,
			want: []string{"line 1, column 42", `near ":name"`, "cannot mix positional (?) and named"}},
		{q: `SELECT id FROM t WHERE id = :a AND name = ?`, args: []any{sql.Named("a", 1), "x"}, kind: syntax,
			want: []string{"line 1, column 43", "cannot mix positional"}},
		// Window functions: the grammar has no OVER; the construct is named.
		{q: `SELECT id, row_number() OVER (ORDER BY id) FROM t`, kind: unsupported, want: []string{"not supported: window functions (OVER)", "ORDER BY"}},
		{q: `SELECT id, sum(n) OVER (PARTITION BY name) FROM t`, kind: unsupported, want: []string{"not supported: window functions"}},
		{q: `WITH x AS (SELECT id FROM t) SELECT id FROM x`, kind: unsupported, want: []string{"not supported: WITH (common table expressions)"}},
		{q: `SELECT id FROM t INTERSECT SELECT id FROM o`, kind: unsupported, want: []string{"not supported: INTERSECT"}},

		// Constructs the driver cannot run honestly: named.
		{q: `SELECT t.id FROM t JOIN o ON t.id = o.id`, kind: unsupported, want: []string{"not supported: JOIN", "query each table separately"}},
		{q: `SELECT id FROM t, o`, kind: unsupported, want: []string{"not supported: joins (several tables in FROM)", "query each table separately"}},
		{q: `SELECT id FROM t WHERE id IN (SELECT id FROM o)`, kind: unsupported, want: []string{"not supported: subqueries", "run the inner query first"}},
		{q: `SELECT id FROM (SELECT id FROM t) AS s`, kind: unsupported, want: []string{"not supported: subqueries in FROM"}},
		{q: `SELECT id FROM t UNION SELECT id FROM o`, kind: unsupported, want: []string{"not supported: UNION"}},
		{q: `INSERT INTO t (id) SELECT id FROM o`, kind: unsupported, want: []string{"not supported: INSERT ... SELECT"}},

		// Unknown tables and columns: named, with the keyspace.
		{q: `SELECT id FROM nosuch`, kind: table, want: []string{"table default_keyspace.nosuch does not exist"}, schema: true},
		{q: `INSERT INTO nosuch (id) VALUES (1)`, kind: table, want: []string{"default_keyspace.nosuch does not exist"}, schema: true},
		{q: `SELECT nosuch FROM t`, kind: column, want: []string{`table default_keyspace.t has no column "nosuch"`}, schema: true},
		{q: `SELECT id FROM t WHERE nosuch = 1`, kind: column, want: []string{`no column "nosuch"`}, schema: true},
		{q: `INSERT INTO t (id, nosuch) VALUES (1, 2)`, kind: column, want: []string{`no column "nosuch"`}, schema: true},
		{q: `UPDATE t SET nosuch = 1 WHERE id = 1`, kind: column, want: []string{`no column "nosuch"`}, schema: true},

		// Argument counts.
		{q: `SELECT id FROM t WHERE id = ?`, kind: count, want: []string{"takes 1 argument(s), got 0"}},
		{q: `SELECT id FROM t WHERE id = ?`, args: []any{1, 2}, kind: count, want: []string{"takes 1 argument(s), got 2"}},
		{q: `INSERT INTO t (id, name) VALUES (1)`, kind: syntax, want: []string{"line 1, column 33", "INSERT row 1 has 1 values for 2 columns"}},
		{q: "INSERT INTO t (id, name) VALUES (1, 'a'),\n  (2)", kind: syntax, want: []string{"line 2, column 3", "INSERT row 2 has 1 values for 2 columns"}},

		// Wrong parameter values: the placeholder, the column, its type, why.
		{q: `INSERT INTO t (id, n) VALUES (?, ?)`, args: []any{1, "abc"}, kind: argument,
			want: []string{`argument $2 for column "n" (int)`, `"abc" has Go type string`}},
		{q: `INSERT INTO t (id, n) VALUES (?, ?)`, args: []any{1, int64(3000000000)}, kind: argument,
			want: []string{`argument $2 for column "n" (int)`, "3000000000 overflows int"}},
		{q: `INSERT INTO t (id, d) VALUES (?, ?)`, args: []any{1, math.NaN()}, kind: argument,
			want: []string{`argument $2 for column "d" (decimal)`, "NaN", "no NaN or infinity"}},
		{q: `INSERT INTO t (id, v) VALUES (?, ?)`, args: []any{1, []float32{1, 2}}, kind: argument,
			want: []string{`column "v" (vector<float, 3>)`, "2 elements; the column's dimension is 3"}},
		{q: `INSERT INTO t (id, u) VALUES (?, ?)`, args: []any{1, "not-a-uuid"}, kind: argument,
			want: []string{`argument $2 for column "u" (uuid)`, `"not-a-uuid" is not a UUID`}},
		{q: `INSERT INTO t (id, ip) VALUES (?, ?)`, args: []any{1, "300.1.1.1"}, kind: argument,
			want: []string{`column "ip" (inet)`, `"300.1.1.1" is not an IP address`}},
		{q: `INSERT INTO t (id, ip) VALUES (?, ?)`, args: []any{1, net.IP{1, 2, 3}}, kind: argument,
			want: []string{`column "ip" (inet)`}},
		{q: `INSERT INTO t (id, day) VALUES (?, ?)`, args: []any{1, "2024-02-30"}, kind: argument,
			want: []string{`argument $2 for column "day" (date)`, `"2024-02-30" is not a date`}},
		{q: `UPDATE t SET name = :name WHERE id = :id`, args: []any{sql.Named("name", "a"), sql.Named("id", "seven")}, kind: argument,
			want: []string{`argument $2 (:id) for column "id" (int)`, `"seven"`}},
		{q: `SELECT id FROM t WHERE big = ?`, args: []any{math.Inf(1)}, kind: argument, want: []string{`column "big" (bigint)`}},
		// One bad row of a multi-row INSERT: nothing of it is sent.
		{q: `INSERT INTO t (id, n) VALUES (1, 1), (2, 2), (3, ?)`, args: []any{"x"}, kind: argument,
			want: []string{"row 3", `argument $1 for column "n" (int)`}},

		// Wrong literal values.
		{q: `INSERT INTO t (id, n) VALUES (1, 'abc')`, kind: literal, want: []string{`value 'abc' for column "n" (int)`, "at line 1, column 34"}},
		{q: `INSERT INTO t (id, n) VALUES (1, 3000000000)`, kind: literal, want: []string{`column "n" (int)`, "line 1, column 34", "overflows int"}},
		{q: `INSERT INTO t (id, v) VALUES (1, [1, 2])`, kind: literal, want: []string{`column "v" (vector<float, 3>)`, "line 1, column 34", "dimension is 3"}},
		{q: `INSERT INTO t (id, day) VALUES (1, '2024-13-01')`, kind: literal, want: []string{`column "day" (date)`, "line 1, column 36"}},
		{q: "INSERT INTO t (id, n) VALUES (1, 1),\n (2, 'x')", kind: literal, want: []string{`value 'x' for column "n" (int) in row 2 at line 2, column 6`}},
		{q: `UPDATE t SET n = 'abc' WHERE id = 1`, kind: literal, want: []string{`value 'abc' for column "n" (int) at line 1, column 18`}},
	}
	checked := 0
	for _, tc := range cases {
		e.proxy.ResetRequests()
		_, err := e.db.Exec(tc.q, tc.args...)
		if err == nil {
			t.Errorf("%q %v: no error", tc.q, tc.args)
			continue
		}
		if strings.Contains(err.Error(), relToken) {
			t.Errorf("%q: token in error", tc.q)
		}
		if got := badKind(err); got != tc.kind {
			t.Errorf("%q %v: error %T %v: kind %s, want %s", tc.q, tc.args, err, err, got, tc.kind)
		}
		msg := err.Error()
		rest := msg
		for _, w := range tc.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%q %v: error %q lacks %q (in that order)", tc.q, tc.args, msg, w)
				break
			}
			rest = rest[i+len(w):]
		}
		for _, r := range e.proxy.Requests() {
			if tc.schema && (r.Command == "listTables" || r.Command == "listIndexes") {
				continue
			}
			t.Errorf("%q %v: sent %s %s.%s to the server", tc.q, tc.args, r.Command, r.Keyspace, r.Table)
		}
		// Prepared, the statement's own errors show at Prepare, and the
		// value errors at Exec: nothing is sent either way.
		e.proxy.ResetRequests()
		if st, err := e.db.Prepare(tc.q); err == nil {
			if _, err := st.Exec(tc.args...); err == nil {
				t.Errorf("%q %v: prepared: no error", tc.q, tc.args)
			}
			st.Close()
		}
		for _, r := range e.proxy.Requests() {
			if tc.schema && (r.Command == "listTables" || r.Command == "listIndexes") {
				continue
			}
			t.Errorf("%q %v: prepared: sent %s %s.%s to the server", tc.q, tc.args, r.Command, r.Keyspace, r.Table)
		}
		checked++
	}
	// Nothing was written by any of them.
	if got := e.serverRows(t, "o"); len(got) != 0 {
		t.Errorf("table o: %v", got)
	}
	if got := e2eQuery(t, e.db, `SELECT count(*) FROM t`); got[0] != "0" {
		t.Errorf("table t has %s rows", got[0])
	}
	t.Logf("bad input: %d statements checked, nothing sent for any", checked)
}

// badKind names the typed error err carries.
func badKind(err error) string {
	var (
		se  *astrasql.SyntaxError
		ue  *astrasql.UnsupportedError
		ae  *astrasql.ArgumentError
		ute *astrasql.UnknownTableError
		uce *astrasql.UnknownColumnError
		ace *astrasql.ArgumentCountError
		le  *astrasql.LiteralError
	)
	switch {
	case errors.As(err, &ace):
		return "ArgumentCountError"
	case errors.As(err, &le):
		return "LiteralError"

	case errors.As(err, &se):
		return "SyntaxError"
	case errors.As(err, &ue):
		return "UnsupportedError"
	case errors.As(err, &ae):
		return "ArgumentError"
	case errors.As(err, &ute):
		return "UnknownTableError"
	case errors.As(err, &uce):
		return "UnknownColumnError"
	}
	if typedErr(err) != "" {
		return "dataapi." + typedErr(err) // it reached the server
	}
	return "untyped"
}
