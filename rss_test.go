package astrasql_test

import (
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestScanMemoryFlat scans a large table on an external server and reports
// the process's peak RSS (VmHWM): streaming keeps it flat however many rows
// there are. It runs only when ASTRASQL_RSS_DSN names a server (for example
// `astrasql serve`); ASTRASQL_RSS_ROWS rows are inserted first if the table
// "rss" does not exist.
//
//	astrasql serve -addr 127.0.0.1:18181 &
//	ASTRASQL_RSS_DSN='http://127.0.0.1:18181?token=t' ASTRASQL_RSS_ROWS=1000000 \
//	    go test -run TestScanMemoryFlat -v .
func TestScanMemoryFlat(t *testing.T) {
	dsn := os.Getenv("ASTRASQL_RSS_DSN")
	if dsn == "" {
		t.Skip("set ASTRASQL_RSS_DSN to run")
	}
	db, err := sql.Open("astra", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE rss (id int PRIMARY KEY, pad text)`); err == nil {
		n := 1000000
		if s := os.Getenv("ASTRASQL_RSS_ROWS"); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				t.Fatal(err)
			}
		}
		e2eInsertRows(t, db, "rss", n)
		t.Logf("inserted %d rows; peak RSS so far %s", n, peakRSS())
	}
	before := peakRSS()
	rows, err := db.Query(`SELECT id, pad FROM rss`)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	var id int64
	var pad string
	for rows.Next() {
		if err := rows.Scan(&id, &pad); err != nil {
			t.Fatal(err)
		}
		count++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("scanned %d rows; peak RSS before the scan %s, after %s", count, before, peakRSS())
}

func peakRSS() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}
