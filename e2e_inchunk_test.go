package astrasql_test

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestBigInChunks: an IN of more than 100 values on the partition key is
// one find per chunk (rows concatenated, none twice) and, in a DELETE, one
// deleteMany per chunk with an exact RowsAffected.
func TestBigInChunks(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE kv (k int PRIMARY KEY, v text)`)
	var rows []string
	var args []any
	for i := 0; i < 300; i++ {
		rows = append(rows, "(?, ?)")
		args = append(args, i, fmt.Sprint("v", i))
	}
	mustExec(t, db, `INSERT INTO kv (k, v) VALUES `+strings.Join(rows, ", "), args...)

	// 253 keys, 170 distinct, 20 of them absent, duplicates across chunk borders.
	var keys []int
	for i := 0; i < 250; i++ {
		keys = append(keys, i*2%340)
	}
	keys = append(keys, 0, 2, 298)
	got := queryStrings(t, db, `SELECT k FROM kv WHERE k IN (?)`, keys)
	want := map[string]bool{}
	for _, k := range keys {
		if k < 300 {
			want[fmt.Sprint(k)] = true
		}
	}
	if len(got) != len(want) {
		t.Errorf("SELECT: %d rows, want %d", len(got), len(want))
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("SELECT: unexpected row %s", g)
		}
	}
	// With ORDER BY and LIMIT over the concatenation.
	if got := join(queryStrings(t, db, `SELECT k FROM kv WHERE k IN (?) ORDER BY k DESC LIMIT 3`, keys)); got != "298\n296\n294" {
		t.Errorf("ORDER BY over chunks: %q", got)
	}
	res, err := db.Exec(`DELETE FROM kv WHERE k IN (?)`, keys)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(want)) {
		t.Errorf("DELETE RowsAffected %d, %v; want %d", n, err, len(want))
	}
	left := queryStrings(t, db, `SELECT k FROM kv`)
	sort.Strings(left)
	if len(left) != 300-len(want) {
		t.Errorf("%d rows left, want %d", len(left), 300-len(want))
	}
	for _, l := range left {
		if want[l] {
			t.Errorf("row %s not deleted", l)
		}
	}
	// EXPLAIN says so.
	ex := join(queryStrings(t, db, `EXPLAIN DELETE FROM kv WHERE k IN (?)`, keys))
	if !strings.Contains(ex, "deleteMany") || !strings.Contains(ex, "2 in all") {
		t.Errorf("EXPLAIN DELETE:\n%s", ex)
	}
}

// TestBigInChunksConcurrent: the finds of a big IN are fetched several at a
// time, yet rows come chunk after chunk in the IN list's order (within a
// chunk, in the server's partition order), and a cursor closed early
// stops the finds opened ahead: no goroutine outlives rows.Close.
func TestBigInChunksConcurrent(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE kv (k int PRIMARY KEY, v text)`)
	var rows []string
	var args []any
	for i := 0; i < 1000; i++ {
		rows = append(rows, "(?, ?)")
		args = append(args, i, fmt.Sprint("v", i))
	}
	mustExec(t, db, `INSERT INTO kv (k, v) VALUES `+strings.Join(rows, ", "), args...)
	keys := make([]int, 1000) // ten chunks of 100, descending chunk by chunk
	for i := range keys {
		keys[i] = (9-i/100)*100 + i%100
	}
	got := queryStrings(t, db, `SELECT k FROM kv WHERE k IN (?)`, keys)
	if len(got) != 1000 {
		t.Fatalf("%d rows, want 1000", len(got))
	}
	for i, g := range got {
		var k int
		fmt.Sscan(g, &k)
		if k/100 != 9-i/100 {
			t.Fatalf("row %d: key %d, want one of chunk %d (chunk order)", i, k, i/100+1)
		}
	}
	base := runtime.NumGoroutine()
	for range 5 {
		r, err := db.Query(`SELECT k FROM kv WHERE k IN (?)`, keys)
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	settleGoroutines(t, base)
}
