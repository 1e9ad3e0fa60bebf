package astrasql_test

import (
	"context"
	"database/sql"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
)

// benchEnv is a local server with a 10k-row table, a database/sql handle
// and a bare dataapi client on it.
type benchEnv struct {
	db  *sql.DB
	cl  *dataapi.Client
	ctx context.Context
}

const benchRows = 10000

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	srv := dataapitest.NewServer()
	b.Cleanup(srv.Close)
	db, err := sql.Open("astra", srv.URL+"?token=t")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxIdleConns(8)
	if _, err := db.Exec(`CREATE TABLE big (id int PRIMARY KEY, pad text)`); err != nil {
		b.Fatal(err)
	}
	e2eInsertRows(b, db, "big", benchRows)
	cl, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t", Keyspace: "default_keyspace"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cl.Close() })
	return &benchEnv{db: db, cl: cl, ctx: context.Background()}
}

// cpuTime is the process's user+system CPU time: on a loaded machine it
// is a steadier measure than wall time (the server runs in-process, the
// same for both sides of a comparison).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ns/op metric to b, from start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

var benchCols = []typesmap.Column{{Name: "id", Type: typesmap.Of(typesmap.Int)}, {Name: "pad", Type: typesmap.Of(typesmap.Text)}}

// BenchmarkPointLookup: one row by primary key, database/sql (plan cached)
// against the bare client sending the same findOne.
func BenchmarkPointLookup(b *testing.B) {
	env := newBenchEnv(b)
	b.Run("database-sql", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		i := 0
		for b.Loop() {
			var id int64
			var pad string
			if err := env.db.QueryRowContext(env.ctx, `SELECT id, pad FROM big WHERE id = ?`, i%benchRows).Scan(&id, &pad); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("database-sql-prepared", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		st, err := env.db.Prepare(`SELECT id, pad FROM big WHERE id = ?`)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		i := 0
		for b.Loop() {
			var id int64
			var pad string
			if err := st.QueryRowContext(env.ctx, i%benchRows).Scan(&id, &pad); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("dataapi", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		i := 0
		for b.Loop() {
			filter := strconv.AppendInt([]byte(`{"id":`), int64(i%benchRows), 10)
			filter = append(filter, '}')
			res, err := env.cl.FindOne(env.ctx, dataapi.FindOneRequest{Table: "big", Filter: filter,
				Projection: []byte(`{"id":1,"pad":1}`), Columns: benchCols})
			if err != nil || res.Row == nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkScan: every row of the table, rows/s through database/sql and
// through the bare client's cursor.
func BenchmarkScan(b *testing.B) {
	env := newBenchEnv(b)
	b.Run("database-sql", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		n := 0
		var id int64 // outside the loop: the bare loop below has no Scan targets to allocate
		var pad string
		for b.Loop() {
			rows, err := env.db.QueryContext(env.ctx, `SELECT id, pad FROM big`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				if err := rows.Scan(&id, &pad); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("dataapi", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		n := 0
		for b.Loop() {
			cur, err := env.cl.Find(env.ctx, dataapi.FindRequest{Table: "big", Filter: []byte(`{}`),
				Projection: []byte(`{"id":1,"pad":1}`), Columns: benchCols})
			if err != nil {
				b.Fatal(err)
			}
			for cur.Next() {
				row := cur.Row()
				_, _ = row[0].(int64), row[1].(string)
				n++
			}
			if err := cur.Err(); err != nil {
				b.Fatal(err)
			}
			cur.Close()
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkStatementOverhead: what the SQL layer costs per statement with
// a warm plan cache (parse and plan skipped) versus cold (cache disabled).
func BenchmarkStatementOverhead(b *testing.B) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	for _, mode := range []struct{ name, dsn string }{{"cached", ""}, {"cold", "&plan_cache_size=0"}} {
		db, _ := sql.Open("astra", srv.URL+"?token=t"+mode.dsn)
		db.Exec(`CREATE TABLE IF NOT EXISTS o (id int PRIMARY KEY, v text)`)
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				// EXPLAIN plans (and binds) without a round trip to the server.
				rows, err := db.Query(`EXPLAIN SELECT v FROM o WHERE id = ? AND v > ?`, 1, "x")
				if err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
		})
		db.Close()
	}
}
