package astrasql_test

import (
	"testing"
)

// loadNums creates a table whose decimal and varint values order
// differently as numbers and as text ("10" < "9").
func loadNums(t *testing.T) func(q string, args ...any) string {
	t.Helper()
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE nums (id int PRIMARY KEY, cat text, d decimal, v varint, n int)`)
	mustExec(t, db, `INSERT INTO nums (id, cat, d, v, n) VALUES
		(1, 'a', 9, 9, 3),
		(2, 'a', 10, 10, 1),
		(3, 'b', -1.5, 123456789012345678901234567890, 2),
		(4, 'b', 100.25, -5, 5),
		(5, 'c', 2, 80, 4)`)
	return func(q string, args ...any) string { return join(queryStrings(t, db, q, args...)) }
}

// TestTypedClientSideOrdering: MIN/MAX and client-side ORDER BY compare
// decimal and varint columns by value, not by their text.
func TestTypedClientSideOrdering(t *testing.T) {
	q := loadNums(t)
	for _, c := range []struct{ sql, want string }{
		{`SELECT min(d), max(d) FROM nums`, "-1.5|100.25"},
		{`SELECT min(v), max(v) FROM nums`, "-5|123456789012345678901234567890"},
		{`SELECT id FROM nums ORDER BY d`, "3\n5\n1\n2\n4"},
		{`SELECT id FROM nums ORDER BY d DESC LIMIT 2`, "4\n2"},
		{`SELECT id, v FROM nums ORDER BY v`, "4|-5\n1|9\n2|10\n5|80\n3|123456789012345678901234567890"},
		{`SELECT cat, max(d) AS m FROM nums GROUP BY cat ORDER BY m`, "c|2\na|10\nb|100.25"},
	} {
		if got := q(c.sql); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.sql, got, c.want)
		}
	}
}

// TestOrderByAliasAndAggregate: after GROUP BY, ORDER BY an alias, a
// position or an aggregate of the select list; without GROUP BY, ORDER BY
// the alias or the text of a computed item.
func TestOrderByAliasAndAggregate(t *testing.T) {
	q := loadNums(t)
	for _, c := range []struct{ sql, want string }{
		{`SELECT cat, count(*) AS n FROM nums GROUP BY cat ORDER BY n DESC, cat`, "a|2\nb|2\nc|1"},
		{`SELECT cat, count(*) FROM nums GROUP BY cat ORDER BY count(*), cat DESC`, "c|1\nb|2\na|2"},
		{`SELECT cat, sum(n) AS s FROM nums GROUP BY cat ORDER BY 2 DESC`, "b|7\nc|4\na|4"},
		{`SELECT cat, sum(n) FROM nums GROUP BY cat ORDER BY SUM(n) DESC, cat`, "b|7\na|4\nc|4"},
		{`SELECT id, n * 10 AS x FROM nums ORDER BY x DESC LIMIT 2`, "4|50\n5|40"},
		{`SELECT id, n * 10 FROM nums ORDER BY n * 10`, "2|10\n3|20\n1|30\n5|40\n4|50"},
	} {
		if got := q(c.sql); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.sql, got, c.want)
		}
	}
	// An aggregate not in the select list is a hidden key, as in PostgreSQL.
	if got := q(`SELECT cat FROM nums GROUP BY cat ORDER BY count(*), cat`); got != "c\na\nb" {
		t.Errorf("ORDER BY an aggregate not selected: got %q", got)
	}
}
