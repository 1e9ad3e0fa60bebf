package astrasql_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestExplainWriteConcurrency: EXPLAIN of an UPDATE or DELETE written per
// row states the connector's write_concurrency, not the default.
func TestExplainWriteConcurrency(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	for _, c := range []struct {
		opts string
		want string
	}{
		{"", "16 at a time"},
		{"&write_concurrency=3", "3 at a time"},
		{"&write_concurrency=40", "40 at a time"},
	} {
		db, err := sql.Open("astra", srv.URL+"?token=t"+c.opts)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = db.Exec(`CREATE TABLE IF NOT EXISTS wc (id int PRIMARY KEY, v text)`)
		for _, q := range []string{`EXPLAIN UPDATE wc SET v = 'x' WHERE v = 'a'`, `EXPLAIN DELETE FROM wc WHERE v = ?`} {
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for rows.Next() {
				var step int
				var kind, detail string
				if err := rows.Scan(&step, &kind, &detail); err != nil {
					t.Fatal(err)
				}
				all = append(all, kind+": "+detail)
			}
			rows.Close()
			if txt := strings.Join(all, "\n"); !strings.Contains(txt, c.want) {
				t.Errorf("%s with %q: want %q in\n%s", q, c.opts, c.want, txt)
			}
		}
		db.Close()
	}
}
