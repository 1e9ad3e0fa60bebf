package astrasql_test

import (
	"math"
	"strings"
	"testing"
)

// Issue 12 item 14: {} is an empty map for a map column, and timestamps
// take CQL's literal forms, with UTC when no zone is given.
func TestAcceptedLiteralForms(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE fm (id int PRIMARY KEY, m map<text, int>, st set<int>, ts timestamp, s text)`)
	e2eExec(t, db, `INSERT INTO fm (id, m, st, ts, s) VALUES (1, {'a': 1}, {1}, '2024-06-01', 'x')`)
	e2eExec(t, db, `INSERT INTO fm (id, m, st, ts, s) VALUES (2, {}, {}, '2023-01-15 08:30:00', 'y')`)
	e2eExec(t, db, `INSERT INTO fm (id, ts) VALUES (3, '2024-06-01T10:00+0200')`)
	e2eExec(t, db, `UPDATE fm SET m = {} WHERE id = 1`)
	cases := []struct{ q, want string }{
		{`SELECT id FROM fm WHERE m IS NULL ORDER BY id`, "1,2,3"},
		{`SELECT ts FROM fm WHERE id = 1`, "2024-06-01 00:00:00 +0000 UTC"},
		{`SELECT ts FROM fm WHERE id = 2`, "2023-01-15 08:30:00 +0000 UTC"},
		{`SELECT ts FROM fm WHERE id = 3`, "2024-06-01 08:00:00 +0000 UTC"},
		{`SELECT id FROM fm WHERE ts > '2024-06-01' ORDER BY id`, "3"},
		{`SELECT id FROM fm WHERE ts >= '2024-06-01' ORDER BY id`, "1,3"},
		{`SELECT id FROM fm WHERE ts = '2023-01-15 08:30:00' ORDER BY id`, "2"},
		// The same comparisons evaluated by the driver (OR with LIKE).
		{`SELECT id FROM fm WHERE ts > '2024-06-01' OR s LIKE 'zz%' ORDER BY id`, "3"},
		{`SELECT id FROM fm WHERE ts = '2023-01-15 08:30' OR s LIKE 'zz%' ORDER BY id`, "2"},
		{`SELECT id FROM fm WHERE ts = '2024-06-01T10:00:00+02:00' OR s LIKE 'zz%' ORDER BY id`, "3"},
	}
	for _, c := range cases {
		if got := strings.Join(e2eQuery(t, db, c.q), ","); got != c.want {
			t.Errorf("%s: got %s, want %s", c.q, got, c.want)
		}
	}
	if _, err := db.Exec(`INSERT INTO fm (id, ts) VALUES (4, 'June 1st')`); err == nil || !strings.Contains(err.Error(), "2024-06-01") {
		t.Errorf("bad timestamp: %v, want the accepted forms named", err)
	}
}

// Issue 12 item 16: a stored vector with NaN does not break ANN order (it
// sorts last), and a zero query vector on a cosine index is refused as the
// real server refuses it.
func TestVectorNaNAndZero(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE vn (id int PRIMARY KEY, v vector<float, 3>)`)
	e2eExec(t, db, `CREATE VECTOR INDEX vn_v ON vn (v) WITH metric = 'cosine'`)
	nan := float32(math.NaN())
	e2eExec(t, db, `INSERT INTO vn (id, v) VALUES (1, ?), (2, [1, 0, 0]), (3, [0, 1, 0])`, []float32{nan, 1, 0})
	if got := strings.Join(e2eQuery(t, db, `SELECT id FROM vn ORDER BY v ANN OF [1, 0, 0] LIMIT 3`), ","); got != "2,3,1" {
		t.Errorf("ANN with a NaN row: %s, want 2,3,1", got)
	}
	_, err := db.Query(`SELECT id FROM vn ORDER BY v ANN OF [0, 0, 0] LIMIT 3`)
	if err == nil || !strings.Contains(err.Error(), "INVALID_DATABASE_QUERY") {
		t.Errorf("zero vector with cosine: %v, want INVALID_DATABASE_QUERY", err)
	}
}
