package astrasql_test

import (
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// Client-side steps over rows streamed from the local Data API server:
// GROUP BY over 100k rows against a plain scan of the same rows (the
// paging rate). The ratio of the two says whether the steps keep up.
//
//	go test -run '^$' -bench 'Streamed100k' -benchmem .

var (
	benchOnce sync.Once
	benchDB   *sql.DB
	benchErr  error
)

func benchTable(b *testing.B) *sql.DB {
	benchOnce.Do(func() {
		srv := dataapitest.NewServer()
		benchDB, benchErr = sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test")
		if benchErr != nil {
			return
		}
		if _, benchErr = benchDB.Exec(`CREATE TABLE big (id int PRIMARY KEY, g int, x bigint, y double, s text)`); benchErr != nil {
			return
		}
		for start := 0; start < 100_000; start += 1000 {
			var vals []string
			var args []any
			for i := start; i < start+1000; i++ {
				vals = append(vals, "(?, ?, ?, ?, ?)")
				args = append(args, i, i%100, i*7%1000, float64(i%997)/3, fmt.Sprintf("name-%05d", i))
			}
			if _, benchErr = benchDB.Exec("INSERT INTO big (id, g, x, y, s) VALUES "+strings.Join(vals, ","), args...); benchErr != nil {
				return
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func benchQuery(b *testing.B, q string, wantRows int) {
	db := benchTable(b)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := db.Query(q)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		cols, _ := rows.Columns()
		dst := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for j := range dst {
			ptrs[j] = &dst[j]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		rows.Close()
		if n != wantRows {
			b.Fatalf("%d rows, want %d", n, wantRows)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "input-rows/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/(float64(b.N)*100_000), "allocs/input-row")
}

// BenchmarkScanStreamed100k is the paging rate: every row read and scanned.
func BenchmarkScanStreamed100k(b *testing.B) {
	benchQuery(b, `SELECT g, x, y FROM big`, 100_000)
}

// BenchmarkGroupByStreamed100k reads the same rows and groups them.
func BenchmarkGroupByStreamed100k(b *testing.B) {
	benchQuery(b, `SELECT g, COUNT(*), SUM(x), AVG(y), MIN(x), MAX(y) FROM big GROUP BY g`, 100)
}

// BenchmarkFilterSortStreamed100k: residual LIKE and a top-10 sort.
func BenchmarkFilterSortStreamed100k(b *testing.B) {
	benchQuery(b, `SELECT id, s FROM big WHERE s LIKE '%7' ORDER BY x DESC, id LIMIT 10`, 10)
}
