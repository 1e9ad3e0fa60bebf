package astrasql_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// TestInsertRepeatedKeyLastWins: a primary key repeated inside one
// multi-row INSERT ends with the last row's values, as running the rows in
// order would, however the chunks are sent (small chunks, many in flight),
// in the same chunk or in chunks far apart; RowsAffected counts every row.
func TestInsertRepeatedKeyLastWins(t *testing.T) {
	_, srv := e2eOpen(t)
	// The chunk holding the first row of key 0 is held back on its way, so
	// that it reaches the server after the one holding the last row.
	p, err := faultproxy.New(srv.URL, faultproxy.Fault{Kind: faultproxy.Slow, Delay: 200 * time.Millisecond,
		Match: faultproxy.Match{Command: "insertMany", BodyContains: `"first"`, Times: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	db := e2eOpenDSN(t, p.URL, "&insert_concurrency=16&insert_chunk_size=10")
	e2eExec(t, db, `CREATE TABLE dup (id int PRIMARY KEY, v text, n int)`)
	e2eExec(t, db, `CREATE TABLE dup2 (p text, c int, v text, PRIMARY KEY ((p), c))`)
	const rows = 1000
	var q strings.Builder
	q.WriteString(`INSERT INTO dup (id, v, n) VALUES `)
	want := map[int]string{}
	for i := 0; i < rows; i++ {
		id, v := i, fmt.Sprint("v", i)
		switch i {
		case 0, 400, 800: // chunks far apart
			id, v = 0, map[int]string{0: "first", 400: "mid", 800: "last"}[i]
		case 5, 9: // the same chunk
			id, v = 5, map[int]string{5: "a", 9: "b"}[i]
		case 998, 999: // the last chunk, next to each other
			id, v = 997, map[int]string{998: "c", 999: "d"}[i]
		}
		if i > 0 {
			q.WriteString(", ")
		}
		// n = NULL on the last of key 997: the last row's NULL wins too.
		n := fmt.Sprint(i)
		if i == 999 {
			n = "NULL"
		}
		fmt.Fprintf(&q, "(%d, '%s', %s)", id, v, n)
		want[id] = v + "|" + map[bool]string{true: "<nil>", false: n}[n == "NULL"]
	}
	for run := 0; run < 5; run++ {
		res := e2eExec(t, db, q.String())
		if n := e2eAffected(t, res); n != rows {
			t.Fatalf("run %d: RowsAffected %d, want %d (every input row)", run, n, rows)
		}
		for _, id := range []int{0, 5, 997, 1, 401} {
			got := e2eQuery(t, db, `SELECT v, n FROM dup WHERE id = ?`, id)
			if len(got) != 1 || got[0] != want[id] {
				t.Fatalf("run %d: id %d = %v, want %s (the last row with that key)", run, id, got, want[id])
			}
		}
		if got := e2eQuery(t, db, `SELECT count(*) FROM dup`); got[0] != fmt.Sprint(rows-5) {
			t.Fatalf("run %d: %s rows, want %d", run, got[0], rows-5)
		}
		e2eExec(t, db, `TRUNCATE dup`)
	}
	// A composite key; placeholders; the same text key through different literals.
	e2eExec(t, db, `INSERT INTO dup2 (p, c, v) VALUES ('a', 1, 'x'), (?, ?, ?), ('a', 2, 'y'), ('a', 1, 'z'), ('b', 1, 'w')`, "a", 2, "q")
	if got := strings.Join(e2eQuery(t, db, `SELECT p, c, v FROM dup2 ORDER BY p, c`), " "); got != "a|1|z a|2|y b|1|w" {
		t.Errorf("composite key: %s", got)
	}
}

// TestInsertRepeatedKeyAccounting: when the last row of a repeated key is
// refused by the server (not written), the row before it decides, as in
// order; when its outcome is unknown, the earlier rows of its key are
// unknown too. Every input row is accounted for.
func TestInsertRepeatedKeyAccounting(t *testing.T) {
	db, srv := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE acc (id int PRIMARY KEY, v text)`)
	// A value over the server's 20 MB request limit is refused (HTTP 413),
	// alone, after the chunk is halved down to it: failed, not written.
	huge := strings.Repeat("x", 21<<20)
	_, err := db.Exec(`INSERT INTO acc (id, v) VALUES (1, 'early'), (2, 'two'), (1, ?), (3, 'three')`, huge)
	var ie *astrasql.InsertError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InsertError", err)
	}
	statuses := func(ie *astrasql.InsertError) string {
		var s []string
		for _, r := range ie.Rows {
			s = append(s, fmt.Sprintf("%d:%s", r.Row, r.Status))
		}
		return strings.Join(s, " ")
	}
	if got := statuses(ie); got != "1:inserted 2:inserted 3:failed 4:inserted" || ie.Written != 3 {
		t.Errorf("statuses %s, written %d; want row 3 failed and the rest inserted (3)", got, ie.Written)
	}
	if got := strings.Join(e2eQuery(t, db, `SELECT id, v FROM acc ORDER BY id`), " "); got != "1|early 2|two 3|three" {
		t.Errorf("rows: %s, want id 1 = the row before the refused one", got)
	}

	// The request holding the last row of key 7 is lost on the way (every
	// try): rows 1 and 3 (key 7) are unknown, the others inserted.
	p, err := faultproxy.New(srv.URL, faultproxy.Fault{Kind: faultproxy.Status503,
		Match: faultproxy.Match{Command: "insertMany", BodyContains: `"late"`, Times: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	pdb := e2eOpenDSN(t, p.URL, "&retries=1&insert_chunk_size=1")
	_, err = pdb.Exec(`INSERT INTO acc (id, v) VALUES (7, 'early'), (8, 'eight'), (7, 'late'), (9, 'nine'), (10, 'ten')`)
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InsertError", err)
	}
	if got := statuses(ie); got != "1:unknown 2:inserted 3:unknown 4:inserted 5:inserted" || ie.Written != 3 {
		t.Errorf("statuses %s, written %d; want rows 1 and 3 (key 7) unknown", got, ie.Written)
	}
	if r := ie.Rows[0]; r.Err == nil || !strings.Contains(r.Err.Error(), "row 3") {
		t.Errorf("row 1's error %v does not say it was sent as row 3", r.Err)
	}
	if got := e2eQuery(t, db, `SELECT id FROM acc WHERE id IN (7, 8, 9, 10) ORDER BY id`); strings.Join(got, " ") != "8 9 10" {
		t.Errorf("rows %v", got)
	}
}

// EXPLAIN says when rows repeat a key.
func TestExplainRepeatedKey(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ek (id int PRIMARY KEY, v text)`)
	rows := e2eQuery(t, db, `EXPLAIN INSERT INTO ek (id, v) VALUES (1, 'a'), (2, 'b'), (1, 'c')`)
	if len(rows) != 1 || !strings.Contains(rows[0], "1 row(s) repeat the primary key of a later row") {
		t.Errorf("EXPLAIN: %q", rows)
	}
}
