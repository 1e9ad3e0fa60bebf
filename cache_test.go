package astrasql

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestPlanCacheBounds: the plan cache keeps short statements up to its
// entry count and its byte estimate, and never keeps statements longer
// than planCacheMaxSQL (literal data).
func TestPlanCacheBounds(t *testing.T) {
	c := newPlanCache(512)
	for i := range 100 {
		c.put(fmt.Sprintf("SELECT id FROM t WHERE id = %d", i), &prepared{})
	}
	if n, b := c.stats(); n != 100 || b <= 0 {
		t.Errorf("100 short statements: %d entries, %d bytes", n, b)
	}
	long := "INSERT INTO t (id, v) VALUES (1, [" + strings.Repeat("0.5, ", planCacheMaxSQL/5) + "0.5])"
	c.put(long, &prepared{})
	if c.get(long) != nil {
		t.Errorf("a %d-byte statement was cached", len(long))
	}
	// The byte bound evicts before the entry bound does.
	c = newPlanCache(1 << 20)
	stmt := "SELECT id FROM t WHERE v = '" + strings.Repeat("x", planCacheMaxSQL-100) + "'"
	for i := range 2 * planCacheMaxBytes / planCost(stmt) {
		c.put(fmt.Sprint(i, stmt), &prepared{})
	}
	if n, b := c.stats(); b > planCacheMaxBytes || n == 0 {
		t.Errorf("after filling: %d entries, %d estimated bytes (limit %d)", n, b, planCacheMaxBytes)
	}
	if newPlanCache(-1).cacheable("SELECT 1") {
		t.Error("a disabled cache caches")
	}
}

// TestLiteralInsertsNotCached: INSERTs of literal rows (a dump) run through
// database/sql leave nothing in the plan cache; a parameterized statement
// run as often is cached once.
func TestLiteralInsertsNotCached(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	cn, err := NewConnector(Config{Endpoint: srv.URL, Token: NewSecret("t")})
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(cn)
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE dump (id int PRIMARY KEY, v vector<float, 64>)`); err != nil {
		t.Fatal(err)
	}
	vec := "[" + strings.TrimSuffix(strings.Repeat("0.123456, ", 64), ", ") + "]"
	for i := range 30 {
		var rows []string
		for r := range 10 {
			rows = append(rows, fmt.Sprintf("(%d, %s)", i*10+r, vec))
		}
		if _, err := db.Exec(`INSERT INTO dump (id, v) VALUES ` + strings.Join(rows, ", ")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO dump (id) VALUES (?)`, 1000+i); err != nil {
			t.Fatal(err)
		}
	}
	plans := cn.(*connector).core.plans
	if n, _ := plans.stats(); n != 2 { // CREATE TABLE and the parameterized INSERT
		t.Errorf("plan cache holds %d statements, want 2", n)
	}
}
