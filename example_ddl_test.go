package astrasql_test

import (
	"database/sql"
	"fmt"

	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// Schema statements in CQL syntax, introspection, and client-side steps.
func Example_ddl() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		panic(err)
	}
	defer db.Close()

	for _, stmt := range []string{
		`CREATE TABLE IF NOT EXISTS reviews (
			product text, at timestamp, stars int, body text,
			PRIMARY KEY (product, at)
		) WITH CLUSTERING ORDER BY (at DESC)`,
		`CREATE INDEX ON reviews (stars)`,
		`INSERT INTO reviews (product, at, stars, body) VALUES
			('lamp', '2026-01-02T10:00:00Z', 5, 'Bright and warm'),
			('lamp', '2026-01-03T10:00:00Z', 2, 'broke in a week'),
			('desk', '2026-01-04T10:00:00Z', 4, 'Sturdy')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			panic(err)
		}
	}
	print := func(q string) {
		rows, err := db.Query(q)
		if err != nil {
			panic(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				panic(err)
			}
			for i, v := range vals {
				if i > 0 {
					fmt.Print(" | ")
				}
				if v == nil {
					v = "NULL"
				}
				fmt.Print(v)
			}
			fmt.Println()
		}
	}
	print(`DESCRIBE reviews`)
	print(`SHOW INDEXES FROM reviews`)
	// LIKE, GROUP BY and ORDER BY on an aggregate run in the driver.
	print(`SELECT product, COUNT(*) AS n, AVG(stars) FROM reviews WHERE body LIKE '%r%' GROUP BY product ORDER BY 2 DESC`)

	// Output:
	// product | text | partition_key | 1 | NULL | NO | PRI | NULL | NULL
	// at | timestamp | clustering | 1 | DESC | NO | PRI | NULL | NULL
	// body | text | regular | NULL | NULL | YES |  | NULL | NULL
	// stars | int | regular | NULL | NULL | YES | MUL | reviews_stars_idx | NULL
	// reviews | reviews_stars_idx | stars | stars | regular | {}
	// lamp | 2 | 3.5
	// desk | 1 | 4
}
