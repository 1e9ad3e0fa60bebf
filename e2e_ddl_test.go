package astrasql_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// openDDL starts a local Data API server and opens the driver on it.
func openDDL(t *testing.T) *sql.DB {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryStrings runs a query and renders every row as "a|b|c".
func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: scan: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = string(x)
			default:
				parts[i] = fmt.Sprint(x)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func TestSmokeDDL(t *testing.T) {
	db := openDDL(t)
	if _, err := db.Exec(`CREATE TABLE people (id int PRIMARY KEY, name text, tags set<text>, v vector<float, 2>)`); err != nil {
		t.Fatal(err)
	}
	t.Log(queryStrings(t, db, "SHOW TABLES"))
	t.Log(queryStrings(t, db, "DESCRIBE people"))
	t.Log(queryStrings(t, db, "EXPLAIN CREATE TABLE x (id int PRIMARY KEY)"))
}
