package astrasql_test

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
)

// sqlCase is one statement of a table-driven end-to-end test: the SQL, its
// arguments, and the rows expected (each row's cells joined by "|"), in
// order when ordered is set, else as a multiset.
type sqlCase struct {
	name    string
	q       string
	args    []any
	want    []string
	ordered bool
	// byValue compares decimal cells by value: which of 1.0, 1 and 1.00
	// DISTINCT or GROUP BY keeps depends on the order rows arrive in.
	byValue bool
}

// runSQLCases runs each case three ways, as GMS's TestQueriesPrepared and
// a pushdown-off run do: as written; when it has a WHERE clause, with the
// whole WHERE evaluated by the driver (an OR with a predicate the server
// cannot evaluate keeps nothing from the server's filter, sort or limit),
// an oracle for every pushdown rule; and with the WHERE clause's literals
// bound as placeholders. All three must give the expected rows.
func runSQLCases(t *testing.T, db *sql.DB, cases []sqlCase) {
	t.Helper()
	for _, c := range cases {
		runSQLCase(t, db, c)
		if q, ok := clientSideWhere(c.q); ok {
			cc := c
			cc.name += "/client-side"
			cc.q = q
			runSQLCase(t, db, cc)
		}
		if q, args, ok := whereLiteralsAsParams(c.q); ok && len(c.args) == 0 {
			cc := c
			cc.name += "/params"
			cc.q, cc.args = q, args
			runSQLCase(t, db, cc)
		}
	}
}

// whereLiteralsAsParams turns the numbers and strings of the WHERE clause
// into placeholders with the same values (integers as int64, other numbers
// and strings as strings): a bound value must select what the literal does.
func whereLiteralsAsParams(q string) (string, []any, bool) {
	i := strings.Index(q, " WHERE ")
	if i < 0 {
		return "", nil, false
	}
	i += len(" WHERE ")
	end := len(q)
	for _, kw := range []string{" GROUP BY ", " HAVING ", " ORDER BY ", " LIMIT "} {
		if j := strings.Index(q[i:], kw); j >= 0 && i+j < end {
			end = i + j
		}
	}
	var b strings.Builder
	var args []any
	w := q[i:end]
	for k := 0; k < len(w); {
		c := w[k]
		switch {
		case c == '\'':
			j := k + 1
			var lit strings.Builder
			for j < len(w) {
				if w[j] == '\'' && j+1 < len(w) && w[j+1] == '\'' {
					lit.WriteByte('\'')
					j += 2
					continue
				}
				if w[j] == '\'' {
					break
				}
				lit.WriteByte(w[j])
				j++
			}
			if strings.Contains(w[j:min(j+10, len(w))], "ESCAPE") || strings.HasPrefix(strings.TrimSpace(w[:k]), "ESCAPE") {
				b.WriteString(w[k : j+1]) // ESCAPE takes a literal
			} else {
				b.WriteByte('?')
				args = append(args, lit.String())
			}
			k = j + 1
		case c >= '0' && c <= '9' && (k == 0 || !isIdentByte(w[k-1]) && w[k-1] != '-' && w[k-1] != '.'):
			j := k
			for j < len(w) && (w[j] >= '0' && w[j] <= '9' || w[j] == '.') {
				j++
			}
			if j < len(w) && isIdentByte(w[j]) {
				b.WriteString(w[k:j])
				k = j
				continue
			}
			text := w[k:j]
			b.WriteByte('?')
			if n, err := strconv.ParseInt(text, 10, 64); err == nil {
				args = append(args, n)
			} else {
				args = append(args, text)
			}
			k = j
		default:
			b.WriteByte(c)
			k++
		}
	}
	if len(args) == 0 {
		return "", nil, false
	}
	return q[:i] + b.String() + q[end:], args, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// clientSideWhere rewrites WHERE cond as WHERE (cond) OR 1 + 0 = 0: the
// same rows, none of it sent to the server.
func clientSideWhere(q string) (string, bool) {
	i := strings.Index(q, " WHERE ")
	if i < 0 {
		return "", false
	}
	rest := q[i+len(" WHERE "):]
	end := len(rest)
	for _, kw := range []string{" GROUP BY ", " HAVING ", " ORDER BY ", " LIMIT "} {
		if j := strings.Index(rest, kw); j >= 0 && j < end {
			end = j
		}
	}
	return q[:i] + " WHERE (" + rest[:end] + ") OR 1 + 0 = 0" + rest[end:], true
}

func runSQLCase(t *testing.T, db *sql.DB, c sqlCase) {
	t.Helper()
	{
		t.Run(c.name, func(t *testing.T) {
			got := e2eQuery(t, db, c.q, c.args...)
			g, w := append([]string(nil), got...), append([]string(nil), c.want...)
			if c.byValue {
				g, w = decimalCells(g), decimalCells(w)
			}
			if !c.ordered {
				sortStrings(g)
				sortStrings(w)
			}
			if strings.Join(g, ",") != strings.Join(w, ",") {
				t.Errorf("%s %v:\n got  %q\n want %q", c.q, c.args, got, c.want)
			}
		})
	}
}

// decimalCells writes each decimal cell without trailing zeros.
func decimalCells(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		cells := strings.Split(r, "|")
		for j, c := range cells {
			if strings.Contains(c, ".") {
				c = strings.TrimRight(strings.TrimRight(c, "0"), ".")
			}
			cells[j] = c
		}
		out[i] = strings.Join(cells, "|")
	}
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Issue 12 item 1: DISTINCT runs before the sort and the limit, so top-k
// never keeps duplicates in place of distinct rows.
func TestDistinctOrderLimit(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE dl (id int PRIMARY KEY, b int, s text)`)
	e2eExec(t, db, `INSERT INTO dl (id, b, s) VALUES (1, 5, 'a'), (2, 5, 'a'), (3, 5, 'b'), (4, 7, 'c'), (5, 9, 'c')`)
	runSQLCases(t, db, []sqlCase{
		{name: "limit", q: `SELECT DISTINCT b FROM dl ORDER BY b LIMIT 2`, want: []string{"5", "7"}, ordered: true},
		{name: "offset", q: `SELECT DISTINCT b FROM dl ORDER BY b LIMIT 2 OFFSET 1`, want: []string{"7", "9"}, ordered: true},
		{name: "desc", q: `SELECT DISTINCT b FROM dl ORDER BY b DESC LIMIT 2`, want: []string{"9", "7"}, ordered: true},
		{name: "params", q: `SELECT DISTINCT b FROM dl ORDER BY b LIMIT ? OFFSET ?`, args: []any{2, 1}, want: []string{"7", "9"}, ordered: true},
		{name: "text", q: `SELECT DISTINCT s FROM dl ORDER BY s LIMIT 2`, want: []string{"a", "b"}, ordered: true},
		{name: "two columns", q: `SELECT DISTINCT s, b FROM dl ORDER BY s DESC, b LIMIT 3`, want: []string{"c|7", "c|9", "b|5"}, ordered: true},
		{name: "with filter", q: `SELECT DISTINCT b FROM dl WHERE s LIKE '%' ORDER BY b LIMIT 2`, want: []string{"5", "7"}, ordered: true},
		{name: "group by", q: `SELECT DISTINCT COUNT(*) FROM dl GROUP BY b ORDER BY 1 LIMIT 2`, want: []string{"1", "3"}, ordered: true},
	})
}

// Issue 12 item 2: a placeholder or a literal in the select list is a
// value, never a column of the row, whatever else the driver fetches.
func TestSelectListPlaceholders(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE sp (id int PRIMARY KEY, d double, f boolean)`)
	e2eExec(t, db, `INSERT INTO sp (id, d, f) VALUES (1, 1.5, true), (2, 2.5, false), (3, 3.5, null)`)
	runSQLCases(t, db, []sqlCase{
		{name: "param with residual filter", q: `SELECT id, ? FROM sp WHERE f IS NOT NULL`, args: []any{"P"}, want: []string{"1|P", "2|P"}},
		{name: "param with hidden sort key", q: `SELECT id, ? FROM sp ORDER BY d DESC`, args: []any{"P"}, want: []string{"3|P", "2|P", "1|P"}, ordered: true},
		{name: "list literal with filter", q: `SELECT id, [7, 8] FROM sp WHERE f IS NOT NULL`, want: []string{"1|[7, 8]", "2|[7, 8]"}},
		{name: "param arithmetic", q: `SELECT id, d * ? FROM sp WHERE f IS NOT NULL ORDER BY d`, args: []any{2}, want: []string{"1|3", "2|5"}, ordered: true},
		{name: "param in expression and filter", q: `SELECT id + ? FROM sp WHERE d > ? ORDER BY f`, args: []any{10, 2.0}, want: []string{"12", "13"}},
		{name: "param in aggregate", q: `SELECT f, SUM(d * ?) FROM sp WHERE f IS NOT NULL GROUP BY f`, args: []any{2}, want: []string{"true|3", "false|5"}},
		{name: "literal", q: `SELECT id, 'x' FROM sp WHERE f = true`, want: []string{"1|x"}},
	})
}

// Issue 12 item 5: GROUP BY tries a column, then a select alias, then a
// position; HAVING and ORDER BY try an alias, then a group key or an
// aggregate, then a column.
func TestGroupByAliases(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ga (id int PRIMARY KEY, g text, i int)`)
	e2eExec(t, db, `INSERT INTO ga (id, g, i) VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 1), (4, 'c', 5)`)
	runSQLCases(t, db, []sqlCase{
		{name: "having alias", q: `SELECT g, SUM(i) AS total FROM ga GROUP BY g HAVING total > 2`, want: []string{"a|3", "c|5"}},
		{name: "group by alias", q: `SELECT g AS grp, COUNT(*) FROM ga GROUP BY grp`, want: []string{"a|2", "b|1", "c|1"}},
		{name: "group by alias order by alias", q: `SELECT g AS grp, COUNT(*) AS n FROM ga GROUP BY grp ORDER BY n DESC, grp`, want: []string{"a|2", "b|1", "c|1"}, ordered: true},
		{name: "group by position", q: `SELECT g, COUNT(*) FROM ga GROUP BY 1 ORDER BY 1`, want: []string{"a|2", "b|1", "c|1"}, ordered: true},
		// g is a column of ga: GROUP BY g groups by it, not by the alias (as PostgreSQL).
		{name: "column wins over alias", q: `SELECT upper(g) AS g, COUNT(*) FROM ga GROUP BY g ORDER BY 1`, want: []string{"A|2", "B|1", "C|1"}, ordered: true},
		{name: "group by expression alias", q: `SELECT i % 2 AS odd, COUNT(*) FROM ga GROUP BY odd ORDER BY odd`, want: []string{"0|1", "1|3"}, ordered: true},
		{name: "having alias with filter", q: `SELECT g AS grp, SUM(i) AS total FROM ga WHERE i > 0 GROUP BY grp HAVING total >= 2 ORDER BY total`, want: []string{"a|3", "c|5"}, ordered: true},
	})
}

// Issue 12 item 3: a double compared with a decimal literal compares as a
// double (the literal is converted to the column's type, as the server
// does), wherever the comparison runs.
func TestDoubleAgainstDecimalLiteral(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE dd (id int PRIMARY KEY, d double, s text)`)
	e2eExec(t, db, `INSERT INTO dd (id, d, s) VALUES (1, 0.1, 'a'), (2, 0.3, 'b'), (3, 2.5, 'c')`)
	runSQLCases(t, db, []sqlCase{
		{name: "server eq", q: `SELECT id FROM dd WHERE d = 0.1`, want: []string{"1"}},
		{name: "client eq", q: `SELECT id FROM dd WHERE d = 0.1 OR s LIKE 'zz%'`, want: []string{"1"}},
		{name: "client in", q: `SELECT id FROM dd WHERE d IN (0.1, 0.3) OR s LIKE 'zz%'`, want: []string{"1", "2"}},
		{name: "client not in", q: `SELECT id FROM dd WHERE d NOT IN (0.1, 0.3) AND s LIKE '%'`, want: []string{"3"}},
		{name: "client lt", q: `SELECT id FROM dd WHERE d < 0.3 OR s LIKE 'zz%'`, want: []string{"1"}},
		{name: "client gt", q: `SELECT id FROM dd WHERE d > 0.1 OR s LIKE 'zz%'`, want: []string{"2", "3"}},
		{name: "client le", q: `SELECT id FROM dd WHERE d <= 0.3 OR s LIKE 'zz%'`, want: []string{"1", "2"}},
		{name: "computed", q: `SELECT id FROM dd WHERE d * 1 = 0.1`, want: []string{"1"}},
		{name: "having", q: `SELECT s, MAX(d) FROM dd GROUP BY s HAVING MAX(d) = 0.3`, want: []string{"b|0.3"}},
		{name: "param", q: `SELECT id FROM dd WHERE d = ? OR s LIKE 'zz%'`, args: []any{"0.1"}, want: []string{"1"}},
	})
}

// Issue 12 item 4: doubles compare as the server (Cassandra's DoubleType,
// Java's Double.compare) compares them: -0.0 is below 0.0 and not equal to
// it, NaN equals NaN and is above +Infinity; one predicate selects the same
// rows whether the server or the driver evaluates it, and sorts, DISTINCT
// and GROUP BY follow the same order.
func TestNegativeZeroAndNaN(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE nz (id int PRIMARY KEY, d double, s text)`)
	e2eExec(t, db, `INSERT INTO nz (id, d, s) VALUES (1, -0.0, 'a'), (2, 0.0, 'b'), (3, 1.0, 'c'), (4, ?, 'd'), (5, ?, 'e'), (6, ?, 'f')`,
		math.NaN(), math.Inf(1), math.NaN())
	runSQLCases(t, db, []sqlCase{
		{name: "server eq", q: `SELECT id FROM nz WHERE d = 0`, want: []string{"2"}},
		{name: "client eq", q: `SELECT id FROM nz WHERE d = 0 OR s LIKE 'zz%'`, want: []string{"2"}},
		{name: "server ge", q: `SELECT id FROM nz WHERE d >= 0`, want: []string{"2", "3", "4", "5", "6"}},
		{name: "client ge", q: `SELECT id FROM nz WHERE d >= 0 OR s LIKE 'zz%'`, want: []string{"2", "3", "4", "5", "6"}},
		{name: "server lt", q: `SELECT id FROM nz WHERE d < 0`, want: []string{"1"}},
		{name: "client lt", q: `SELECT id FROM nz WHERE d < 0 OR s LIKE 'zz%'`, want: []string{"1"}},
		{name: "client eq negative zero", q: `SELECT id FROM nz WHERE d = -0.0 OR s LIKE 'zz%'`, want: []string{"1"}},
		{name: "client in", q: `SELECT id FROM nz WHERE d IN (0, 1) OR s LIKE 'zz%'`, want: []string{"2", "3"}},
		{name: "nan equals nan", q: `SELECT id FROM nz WHERE d = ?`, args: []any{math.NaN()}, want: []string{"4", "6"}},
		{name: "nan above infinity", q: `SELECT id FROM nz WHERE d > ?`, args: []any{math.Inf(1)}, want: []string{"4", "6"}},
		{name: "sort", q: `SELECT s FROM nz ORDER BY d, id`, want: []string{"a", "b", "c", "e", "d", "f"}, ordered: true},
		{name: "sort desc", q: `SELECT s FROM nz ORDER BY d DESC, id`, want: []string{"d", "f", "e", "c", "b", "a"}, ordered: true},
		{name: "distinct", q: `SELECT DISTINCT d FROM nz ORDER BY d`, want: []string{"-0", "0", "1", "+Inf", "NaN"}, ordered: true},
		{name: "group by", q: `SELECT d, COUNT(*) FROM nz GROUP BY d ORDER BY d`, want: []string{"-0|1", "0|1", "1|1", "+Inf|1", "NaN|2"}, ordered: true},
		{name: "count distinct", q: `SELECT COUNT(DISTINCT d) FROM nz`, want: []string{"5"}},
	})
	// float columns (Cassandra's FloatType, Java's Float.compare) alike.
	e2eExec(t, db, `CREATE TABLE nzf (id int PRIMARY KEY, f float, s text)`)
	e2eExec(t, db, `INSERT INTO nzf (id, f, s) VALUES (1, -0.0, 'a'), (2, 0.0, 'b'), (3, ?, 'c')`, math.NaN())
	runSQLCases(t, db, []sqlCase{
		{name: "float eq", q: `SELECT id FROM nzf WHERE f = 0`, want: []string{"2"}},
		{name: "float lt", q: `SELECT id FROM nzf WHERE f < 0`, want: []string{"1"}},
		{name: "float nan", q: `SELECT id FROM nzf WHERE f > 1e30`, want: []string{"3"}},
		{name: "float sort", q: `SELECT s FROM nzf ORDER BY f DESC`, want: []string{"c", "b", "a"}, ordered: true},
	})
	// A write selects the rows the same predicate selects in a query.
	res := e2eExec(t, db, `UPDATE nz SET s = 'z' WHERE d >= 0`)
	if n := e2eAffected(t, res); n != 5 {
		t.Errorf("UPDATE ... WHERE d >= 0: RowsAffected %d, want 5", n)
	}
	if got := e2eQuery(t, db, `SELECT id FROM nz WHERE s = 'z'`); len(got) != 5 {
		t.Errorf("rows updated: %v", got)
	}
}

// Issue 12 item 7: decimals compare, group and distinct by value (1.0 =
// 1), and SUM keeps the largest scale of its inputs, as PostgreSQL's
// numeric.
func TestDecimalByValue(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE de (id int PRIMARY KEY, de decimal, amt decimal, g text)`)
	e2eExec(t, db, `INSERT INTO de (id, de, amt, g) VALUES (1, 1.0, 10.25, 'a'), (2, 1, 20.75, 'a'), (3, 1.00, 0.10, 'b'), (4, 2.5, 1.5, 'b'), (5, 2.50, 3, 'c')`)
	runSQLCases(t, db, []sqlCase{
		{name: "eq", q: `SELECT id FROM de WHERE de = 1`, want: []string{"1", "2", "3"}},
		{name: "distinct", q: `SELECT DISTINCT de FROM de ORDER BY de`, want: []string{"1", "2.5"}, ordered: true, byValue: true},
		{name: "group by", q: `SELECT de, COUNT(*) FROM de GROUP BY de ORDER BY de`, want: []string{"1|3", "2.5|2"}, ordered: true, byValue: true},
		{name: "count distinct", q: `SELECT COUNT(DISTINCT de) FROM de`, want: []string{"2"}},
		{name: "sum keeps scale", q: `SELECT SUM(amt) FROM de WHERE g = 'a'`, want: []string{"31.00"}},
		{name: "sum mixed scales", q: `SELECT g, SUM(amt) FROM de GROUP BY g ORDER BY g`, want: []string{"a|31.00", "b|1.60", "c|3"}, ordered: true},
		{name: "sum of all", q: `SELECT SUM(amt), SUM(de) FROM de`, want: []string{"35.60|8.00"}},
		{name: "arithmetic keeps scale", q: `SELECT amt + 1, amt * 2, amt - 0.25 FROM de WHERE id = 1`, want: []string{"11.25|20.50|10.00"}},
	})
}

// Issue 12 item 9: SUM and AVG of doubles use compensated (Neumaier)
// summation, so the answer does not depend on the order rows arrive in.
func TestCompensatedSum(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE cs (id int PRIMARY KEY, d double)`)
	e2eExec(t, db, `INSERT INTO cs (id, d) VALUES (1, 1e15), (2, 0.37), (3, -1e15), (4, 0.01)`)
	runSQLCases(t, db, []sqlCase{
		{name: "sum", q: `SELECT SUM(d) FROM cs`, want: []string{"0.38"}},
		{name: "avg", q: `SELECT AVG(d) FROM cs`, want: []string{"0.095"}},
		{name: "sum reordered", q: `SELECT SUM(d) FROM cs WHERE id IN (4, 3, 2, 1)`, want: []string{"0.38"}},
	})
}

// Issue 12 item 10: a NULL bound to a placeholder in IN behaves as a NULL
// written in the list: x IN (1, NULL) is true for 1 and NULL otherwise.
// Where the server would have to be sent a condition that is never true
// (NOT IN with a NULL, an IN of only NULLs), the statement is refused with
// an *ArgumentError naming the argument, unless the driver evaluates it.
func TestInWithNullArgument(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE inn (id int PRIMARY KEY, v int, s text)`)
	e2eExec(t, db, `INSERT INTO inn (id, v, s) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, null, 'c')`)
	runSQLCases(t, db, []sqlCase{
		{name: "literal in", q: `SELECT id FROM inn WHERE v IN (1, NULL)`, want: []string{"1"}},
		{name: "bound in", q: `SELECT id FROM inn WHERE v IN (?, ?)`, args: []any{1, nil}, want: []string{"1"}},
		{name: "bound in key", q: `SELECT id FROM inn WHERE id IN (?, ?)`, args: []any{1, nil}, want: []string{"1"}},
		{name: "bound in or", q: `SELECT id FROM inn WHERE v IN (?, ?) OR s = 'b'`, args: []any{nil, 1}, want: []string{"1", "2"}},
		{name: "literal not in", q: `SELECT id FROM inn WHERE v NOT IN (1, NULL)`, want: nil},
		{name: "bound not in no null", q: `SELECT id FROM inn WHERE v NOT IN (?)`, args: []any{1}, want: []string{"2"}},
		{name: "bound in client", q: `SELECT id FROM inn WHERE v IN (?, ?) OR s LIKE 'zz%'`, args: []any{1, nil}, want: []string{"1"}},
		{name: "bound not in client", q: `SELECT id FROM inn WHERE v NOT IN (?, ?) OR s LIKE 'zz%'`, args: []any{1, nil}, want: nil},
	})
	for _, q := range []string{`SELECT id FROM inn WHERE v NOT IN (?, ?)`, `DELETE FROM inn WHERE v NOT IN (?, ?)`, `SELECT id FROM inn WHERE v IN (?, ?)`} {
		args := []any{1, nil}
		if strings.Contains(q, " IN (?, ?)") && !strings.Contains(q, "NOT") {
			args = []any{nil, nil}
		}
		_, err := db.Exec(q, args...)
		var ae *astrasql.ArgumentError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "never true") {
			t.Errorf("%s %v: err %v, want an *ArgumentError saying the condition is never true", q, args, err)
		}
	}
	if got := e2eQuery(t, db, `SELECT COUNT(*) FROM inn`); got[0] != "3" {
		t.Errorf("rows after the refused DELETE: %v", got)
	}
}

// Issue 12 item 6: a computed decimal sorts by value, not as text, and is
// reported as DECIMAL.
func TestOrderByComputedDecimal(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ev (id int PRIMARY KEY, qty int, amount decimal)`)
	e2eExec(t, db, `INSERT INTO ev (id, qty, amount) VALUES (1, 1, 9997.4), (2, 1, 999.3), (3, 2, 4994.9), (4, 3, 10.5), (5, 1, 99.99)`)
	runSQLCases(t, db, []sqlCase{
		{name: "desc limit", q: `SELECT qty * amount AS total FROM ev ORDER BY total DESC LIMIT 3`, want: []string{"9997.4", "9989.8", "999.3"}, ordered: true},
		{name: "asc", q: `SELECT id, qty * amount AS total FROM ev ORDER BY total`, want: []string{"4|31.5", "5|99.99", "2|999.3", "3|9989.8", "1|9997.4"}, ordered: true},
		{name: "expression key", q: `SELECT id FROM ev ORDER BY qty * amount DESC LIMIT 2`, want: []string{"1", "3"}, ordered: true},
		{name: "with filter", q: `SELECT qty * amount AS total FROM ev WHERE id > 1 ORDER BY total DESC`, want: []string{"9989.8", "999.3", "99.99", "31.5"}, ordered: true},
	})
	rows, err := db.Query(`SELECT qty * amount AS total FROM ev`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	if n := cts[0].DatabaseTypeName(); n != "DECIMAL" {
		t.Errorf("qty * amount: DatabaseTypeName %q, want DECIMAL", n)
	}
}

// Issue 12 item 8: every result column has one Go type, stated in
// ColumnTypes. CASE and COALESCE resolve their branches' types as
// PostgreSQL does (a double and a decimal literal make a double).
func TestOneTypePerColumn(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ot (id int PRIMARY KEY, d double, i int, de decimal, s text, ts timestamp)`)
	e2eExec(t, db, `INSERT INTO ot (id, d, i, de, s, ts) VALUES (1, 1.5, 2, 3.25, 'x', '2024-01-02T00:00:00Z'), (2, null, null, null, null, null)`)
	cases := []struct {
		expr   string
		dbType string
		goType string
	}{
		{`coalesce(d, 0.5)`, "DOUBLE", "float64"},
		{`CASE WHEN d IS NULL THEN 0.5 ELSE d END`, "DOUBLE", "float64"},
		{`CASE WHEN id = 1 THEN i ELSE 7 END`, "BIGINT", "int64"},
		{`coalesce(i, 0.5)`, "DECIMAL", "string"},
		{`coalesce(de, 1)`, "DECIMAL", "string"},
		{`coalesce(i, d)`, "DOUBLE", "float64"},
		{`coalesce(s, 'none')`, "TEXT", "string"},
		{`coalesce(ts, '2000-01-01')`, "TIMESTAMP", "time.Time"},
		{`ifnull(d, 1)`, "DOUBLE", "float64"},
		{`d * 2`, "DOUBLE", "float64"},
		{`i + 1`, "BIGINT", "int64"},
		{`upper(s)`, "TEXT", "string"},
		{`SUM(i)`, "BIGINT", "int64"},
		{`SUM(de)`, "DECIMAL", "string"},
		{`AVG(i)`, "DOUBLE", "float64"},
	}
	for _, c := range cases {
		q := `SELECT ` + c.expr + ` FROM ot`
		rows, err := db.Query(q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		cts, _ := rows.ColumnTypes()
		if n := cts[0].DatabaseTypeName(); n != c.dbType {
			t.Errorf("%s: DatabaseTypeName %q, want %q", q, n, c.dbType)
		}
		for rows.Next() {
			var v any
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			if g := fmt.Sprintf("%T", v); v != nil && g != c.goType {
				t.Errorf("%s: a value %v of Go type %s, want %s", q, v, g, c.goType)
			}
		}
		rows.Close()
	}
	// Branches of different families are refused, as PostgreSQL does.
	for _, q := range []string{`SELECT CASE WHEN id = 1 THEN ts ELSE 1 END FROM ot`, `SELECT coalesce(i, 'abc') FROM ot`} {
		if _, err := db.Query(q); err == nil || !strings.Contains(err.Error(), "CAST") && !strings.Contains(err.Error(), "not a number") {
			t.Errorf("%s: err %v, want a refusal", q, err)
		}
	}
}

// One aggregate registry: aggregates the driver does not compute are
// refused by name, wherever they appear.
func TestUnsupportedAggregatesRefused(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ua (k int PRIMARY KEY, i int)`)
	for _, q := range []string{`SELECT std(i) FROM ua`, `SELECT k, variance(i) FROM ua GROUP BY k`, `SELECT k FROM ua WHERE stddev(i) > 1`} {
		_, err := db.Query(q)
		var ue *astrasql.UnsupportedError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "aggregate") {
			t.Errorf("%s: err %v, want an *UnsupportedError naming the aggregate", q, err)
		}
	}
}

// ORDER BY after GROUP BY may name a group key or an aggregate that is not
// in the select list (a hidden key computed per group), as in PostgreSQL.
func TestOrderByHiddenGroupKeys(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE hg (id int PRIMARY KEY, g text, i int)`)
	e2eExec(t, db, `INSERT INTO hg (id, g, i) VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 10), (4, 'c', 5), (5, 'c', 0), (6, 'c', 1)`)
	runSQLCases(t, db, []sqlCase{
		{name: "group key", q: `SELECT COUNT(*) FROM hg GROUP BY g ORDER BY g DESC`, want: []string{"3", "1", "2"}, ordered: true},
		{name: "aggregate", q: `SELECT g FROM hg GROUP BY g ORDER BY SUM(i) DESC`, want: []string{"b", "c", "a"}, ordered: true},
		{name: "aggregate limit", q: `SELECT g, COUNT(*) FROM hg GROUP BY g ORDER BY MAX(i) LIMIT 2`, want: []string{"a|2", "c|3"}, ordered: true},
		{name: "expression of key", q: `SELECT COUNT(*) AS n FROM hg GROUP BY g ORDER BY upper(g)`, want: []string{"2", "1", "3"}, ordered: true},
	})
	for _, q := range []string{`SELECT COUNT(*) FROM hg GROUP BY g ORDER BY i`, `SELECT DISTINCT COUNT(*) FROM hg GROUP BY g ORDER BY g`} {
		if _, err := db.Query(q); err == nil {
			t.Errorf("%s: no error, want a refusal", q)
		}
	}
}

// information_schema runs through the same clause order and binding rules
// (clientSelect): hidden group keys, aliases, DISTINCT before the top-k.
func TestInformationSchemaClauseOrder(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE t1 (k int PRIMARY KEY, i int, j text)`)
	e2eExec(t, db, `CREATE TABLE t2 (k int PRIMARY KEY, i int)`)
	const ks = ` FROM information_schema.columns WHERE table_schema = 'default_keyspace'`
	runSQLCases(t, db, []sqlCase{
		{name: "hidden group key", q: `SELECT COUNT(*)` + ks + ` GROUP BY table_name ORDER BY table_name DESC`, want: []string{"2", "3"}, ordered: true},
		{name: "hidden aggregate", q: `SELECT table_name` + ks + ` GROUP BY table_name ORDER BY COUNT(*) DESC`, want: []string{"t1", "t2"}, ordered: true},
		{name: "aliases", q: `SELECT table_name AS tn, COUNT(*) AS n` + ks + ` GROUP BY tn HAVING n > 1 ORDER BY n`, want: []string{"t2|2", "t1|3"}, ordered: true},
		{name: "distinct limit", q: `SELECT DISTINCT table_name` + ks + ` ORDER BY table_name LIMIT 2`, want: []string{"t1", "t2"}, ordered: true},
		{name: "hidden column offset", q: `SELECT column_name` + ks + ` ORDER BY table_name, column_name LIMIT 2 OFFSET 1`, want: []string{"j", "k"}, ordered: true},
	})
	if _, err := db.Query(`SELECT table_name` + ks + ` ORDER BY 3`); err == nil {
		t.Error("ORDER BY 3 of one column: no error")
	}
}
