package astrasql_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"
)

// TestLiveAstra runs a round of statements against a real database when
// ASTRA_DB_API_ENDPOINT and ASTRA_DB_APPLICATION_TOKEN are set (the names
// Astra's own docs use; ASTRA_DB_KEYSPACE picks the keyspace). It works in a
// table of its own, dropped at the end. Without them it skips.
func TestLiveAstra(t *testing.T) {
	endpoint := os.Getenv("ASTRA_DB_API_ENDPOINT")
	if endpoint == "" || os.Getenv("ASTRA_DB_APPLICATION_TOKEN") == "" {
		t.Skip("ASTRA_DB_API_ENDPOINT and ASTRA_DB_APPLICATION_TOKEN not set: no real Astra database to test against")
	}
	ks := os.Getenv("ASTRA_DB_KEYSPACE")
	if ks == "" {
		ks = "default_keyspace"
	}
	// The driver reads the token from ASTRA_DB_APPLICATION_TOKEN itself.
	db, err := sql.Open("astra", endpoint+"?keyspace="+url.QueryEscape(ks))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}

	table := fmt.Sprintf("astrasql_live_%d", time.Now().UnixNano()%1e9)
	exec := func(q string, args ...any) sql.Result {
		t.Helper()
		res, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	exec(`CREATE TABLE ` + table + ` (team text, id int, name text, tags set<text>, v vector<float, 3>, PRIMARY KEY ((team), id))`)
	t.Cleanup(func() { _, _ = db.Exec(`DROP TABLE IF EXISTS ` + table) })
	exec(`CREATE VECTOR INDEX ` + table + `_v ON ` + table + ` (v) WITH metric = 'cosine'`)

	res := exec(`INSERT INTO `+table+` (team, id, name, tags, v) VALUES (?, 1, 'a', {'x'}, ?), (?, 2, 'b', {'y'}, ?), (?, 3, 'c', {'x', 'y'}, ?)`,
		"red", []float32{1, 0, 0}, "red", []float32{0, 1, 0}, "red", []float32{0.9, 0.1, 0})
	if n, err := res.RowsAffected(); err != nil || n != 3 {
		t.Fatalf("INSERT RowsAffected = %d, %v; want 3", n, err)
	}

	var name string
	if err := db.QueryRowContext(ctx, `SELECT name FROM `+table+` WHERE team = ? AND id = ?`, "red", 2).Scan(&name); err != nil || name != "b" {
		t.Fatalf("point lookup: %q, %v", name, err)
	}
	// Clustering order pushed down inside the partition.
	rows, err := db.QueryContext(ctx, `SELECT id FROM `+table+` WHERE team = 'red' ORDER BY id DESC`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || fmt.Sprint(ids) != "[3 2 1]" {
		t.Fatalf("ORDER BY id DESC: %v, %v", ids, err)
	}
	// Vector search: the nearest to [1, 0, 0] is row 1, then row 3.
	var first int
	var score float64
	if err := db.QueryRowContext(ctx, `SELECT id, similarity_cosine(v, [1, 0, 0]) FROM `+table+` ORDER BY v ANN OF [1, 0, 0] LIMIT 2`).Scan(&first, &score); err != nil || first != 1 {
		t.Fatalf("ANN: id %d score %v, %v", first, score, err)
	}
	exec(`UPDATE `+table+` SET name = ?, tags = tags + {'z'} WHERE team = 'red' AND id = 1`, "A")
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE tags CONTAINS 'x'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count CONTAINS: %d, %v", n, err)
	}
	exec(`DELETE FROM ` + table + ` WHERE team = 'red' AND id = 2`)
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count after DELETE: %d, %v", n, err)
	}
}
