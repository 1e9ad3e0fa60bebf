package astrasql_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestLargeRowsReadBack: a table of 1.5 MiB rows, more than a page of
// them (one page is then 75 MiB, over the former fixed 64 MiB limit), is
// read back whole with the default limit; with max_response_size set low
// in the DSN the scan fails with an error naming the option, and
// max_response_size=0 lifts the limit.
func TestLargeRowsReadBack(t *testing.T) {
	rows, size := 55, 3<<19
	if testing.Short() || raceEnabled() {
		// Over 100 s under the race detector: the option and its error only.
		t.Log("-short or -race: 3 rows of 512 KiB, the default limit not exercised")
		rows, size = 3, 1<<19
	}
	srv := dataapitest.NewServer()
	defer srv.Close()
	open := func(opts string) *sql.DB {
		db, err := sql.Open("astra", srv.URL+"?token=t"+opts)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open("")
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE big (id int PRIMARY KEY, pad text)`); err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", size)
	for i := range rows {
		if _, err := db.Exec(`INSERT INTO big (id, pad) VALUES (?, ?)`, i, pad); err != nil {
			t.Fatal(err)
		}
	}
	count := func(db *sql.DB) (int, error) {
		r, err := db.Query(`SELECT id, pad FROM big`)
		if err != nil {
			return 0, err
		}
		defer r.Close()
		n := 0
		for r.Next() {
			var id int
			var p string
			if err := r.Scan(&id, &p); err != nil {
				return n, err
			}
			if len(p) != size {
				t.Errorf("row %d: %d bytes", id, len(p))
			}
			n++
		}
		return n, r.Err()
	}
	if n, err := count(db); err != nil || n != rows {
		t.Errorf("default limit: %d rows, %v; want %d", n, err, rows)
	}
	small := open("&max_response_size=1000000")
	defer small.Close()
	_, err := count(small)
	if !errors.Is(err, dataapi.ErrResponseTooLarge) || !strings.Contains(err.Error(), "max_response_size") {
		t.Errorf("max_response_size=1000000: %v, want ErrResponseTooLarge naming max_response_size", err)
	}
	none := open("&max_response_size=0")
	defer none.Close()
	if n, err := count(none); err != nil || n != rows {
		t.Errorf("no limit: %d rows, %v", n, err)
	}
	cfg, err := astrasql.ParseDSN(srv.URL + "?max_response_size=123")
	if err != nil || cfg.MaxResponseBytes != 123 || !strings.Contains(cfg.FormatDSN(), "max_response_size=123") {
		t.Errorf("ParseDSN: %+v, %v", cfg, err)
	}
	if _, err := astrasql.ParseDSN(srv.URL + "?max_response_size=1GB"); err == nil || !strings.Contains(err.Error(), "max_response_size") {
		t.Errorf("max_response_size=1GB: %v", err)
	}
}
