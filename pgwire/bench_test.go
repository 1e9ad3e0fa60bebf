package pgwire_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	_ "github.com/astrasql/astrasql"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/pgwire"
)

// BenchmarkFullScan reads a whole table (benchRows rows of five columns)
// through the driver directly and through pgx over the front end, over the
// same local server, side by side: rows/s of each and the front end's cost.
//
//	go test -run '^$' -bench FullScan -benchtime 20x ./pgwire/
func BenchmarkFullScan(b *testing.B) {
	const benchRows = 5000
	api := dataapitest.NewServer()
	defer api.Close()
	dsn := api.URL + "?keyspace=default_keyspace"
	db, err := sql.Open("astra", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE scan (id int PRIMARY KEY, name text, score double, n bigint, at timestamp)`); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < benchRows; i += 500 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO scan (id, name, score, n, at) VALUES ")
		for j := i; j < i+500; j++ {
			if j > i {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%d, 'name %d', %d.5, %d, '2024-01-02T03:04:05Z')", j, j, j, j*1000)
		}
		if _, err := db.ExecContext(ctx, sb.String()); err != nil {
			b.Fatal(err)
		}
	}
	const query = `SELECT id, name, score, n, at FROM scan`

	b.Run("driver", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.QueryContext(ctx, query)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			var id, cnt int64
			var name string
			var score float64
			var at any
			for rows.Next() {
				if err := rows.Scan(&id, &name, &score, &cnt, &at); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Err(); err != nil || n != benchRows {
				b.Fatalf("%d rows, %v", n, err)
			}
			rows.Close()
		}
		b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})

	b.Run("pgwire-pgx", func(b *testing.B) {
		addr := startFront(b, pgwire.Config{}, api.URL, nil)
		c, err := pgx.Connect(ctx, connURL(addr))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close(ctx)
		for b.Loop() {
			rows, err := c.Query(ctx, query)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			var id int32
			var cnt int64
			var name string
			var score float64
			var at any
			for rows.Next() {
				if err := rows.Scan(&id, &name, &score, &cnt, &at); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Err(); err != nil || n != benchRows {
				b.Fatalf("%d rows, %v", n, err)
			}
		}
		b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
