package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/google/uuid"
)

func openDB(base string) (*sql.DB, error) {
	db, err := sql.Open("astra", base+"?keyspace=default_keyspace&token="+benchToken)
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(128)
	return db, db.Ping()
}

// insertSQL is a multi-row INSERT of batch rows.
func insertSQL(table string, batch int, withVec bool) string {
	cols, ph := colNames, "?,?,?,?,?,?,?,?,?,?"
	if withVec {
		cols += ", v"
		ph += ",?"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, cols)
	for i := 0; i < batch; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(" + ph + ")")
	}
	return b.String()
}

// sqlInsert writes rows [0, n) with multi-row INSERTs of batch rows, one
// statement at a time (the driver splits each into concurrent insertMany
// chunks).
func sqlInsert(ctx context.Context, db *sql.DB, table string, n, batch int, vecs [][]float32) error {
	withVec := vecs != nil
	per := 10
	if withVec {
		per = 11
	}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	args := make([]any, 0, batch*per)
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		st := stmts[hi-lo]
		if st == nil {
			var err error
			if st, err = db.PrepareContext(ctx, insertSQL(table, hi-lo, withVec)); err != nil {
				return err
			}
			stmts[hi-lo] = st
		}
		args = args[:0]
		for i := lo; i < hi; i++ {
			r := makeRow(i)
			args = append(args, r.ID, r.Name, r.Grp, r.N, r.Big, r.Score, r.OK, r.TS, r.UID, r.Note)
			if withVec {
				args = append(args, vecs[i])
			}
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("INSERT rows %d..%d: %w", lo, hi, err)
		}
	}
	return nil
}

// scanDest returns Scan destinations for cols (SELECT * order) into r.
func scanDest(cols []string, r *row) ([]any, error) {
	d := make([]any, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			d[i] = &r.ID
		case "name":
			d[i] = &r.Name
		case "grp":
			d[i] = &r.Grp
		case "n":
			d[i] = &r.N
		case "big":
			d[i] = &r.Big
		case "score":
			d[i] = &r.Score
		case "ok":
			d[i] = &r.OK
		case "ts":
			d[i] = &r.TS
		case "uid":
			d[i] = (*uuidDest)(&r.UID)
		case "note":
			d[i] = &r.Note
		default:
			var skip any
			d[i] = &skip
		}
	}
	return d, nil
}

// uuidDest scans a uuid column into a uuid.UUID. Scanning straight into
// *uuid.UUID fails: the driver yields a uuid.UUID value, database/sql hands
// it to uuid.UUID's Scan, which only accepts string and []byte (see
// BENCHMARKS.md, "Findings").
type uuidDest uuid.UUID

func (u *uuidDest) Scan(src any) error {
	switch v := src.(type) {
	case uuid.UUID:
		*u = uuidDest(v)
		return nil
	default:
		return (*uuid.UUID)(u).Scan(src)
	}
}

// sqlScan runs query and scans every row into typed Go variables.
func sqlScan(ctx context.Context, db *sql.DB, query string) (int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var r row
	dest, _ := scanDest(cols, &r)
	n := 0
	var sink int64
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		sink += r.ID
		n++
	}
	return n, rows.Err()
}

// lookupCols is the SELECT * column order, learned once.
func lookupCols(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" WHERE id = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

func sqlLookup(ctx context.Context, st *sql.Stmt, cols []string, id int) error {
	var r row
	dest, _ := scanDest(cols, &r)
	return st.QueryRowContext(ctx, id).Scan(dest...)
}

func sqlVectorSearch(ctx context.Context, st *sql.Stmt, q []float32) (int, error) {
	rows, err := st.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

const groupBySQL = "SELECT grp, COUNT(*), SUM(n), AVG(score), MAX(big) FROM %s GROUP BY grp"

func sqlGroupBy(ctx context.Context, db *sql.DB, table string) (int64, int, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(groupBySQL, table))
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var total int64
	groups := 0
	for rows.Next() {
		var grp string
		var count, sumN, maxBig int64
		var avg float64
		if err := rows.Scan(&grp, &count, &sumN, &avg, &maxBig); err != nil {
			return 0, 0, err
		}
		total += count
		groups++
	}
	return total, groups, rows.Err()
}

// memScan is the child process of the memory scenario: scan n rows of
// table through the driver, then report the peak RSS (VmHWM). With
// heapProfile set, the live heap is written there just before the last row
// is read (after a GC), to show what a long scan keeps.
func memScan(base, table string, n int, heapProfile string) error {
	db, err := openDB(base)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM %s LIMIT %d", table, n))
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	var r row
	dest, _ := scanDest(cols, &r)
	got := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		got++
		if got == n-1 && heapProfile != "" {
			runtime.GC()
			f, err := os.Create(heapProfile)
			if err != nil {
				return err
			}
			err = pprof.WriteHeapProfile(f)
			f.Close()
			if err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("scanned %d rows, want %d", got, n)
	}
	hwm, err := vmHWM()
	if err != nil {
		return err
	}
	fmt.Printf(`{"rows":%d,"vmhwm_kib":%d,"secs":%.3f}`+"\n", got, hwm, time.Since(start).Seconds())
	return nil
}

// The dataapi variants: astrasql's own HTTP client without the SQL layer,
// to tell what database/sql + the planner add from what the client adds.

func newDataapi(base string) (*dataapi.Client, error) {
	return dataapi.New(dataapi.Options{Endpoint: base, Token: benchToken, Keyspace: "default_keyspace"})
}

func dataapiLookup(ctx context.Context, cl *dataapi.Client, table string, id int) error {
	res, err := cl.FindOne(ctx, dataapi.FindOneRequest{Keyspace: "default_keyspace", Table: table,
		Filter: fmt.Appendf(nil, `{"id":%d}`, id)})
	if err != nil {
		return err
	}
	if res.Row == nil {
		return fmt.Errorf("findOne %d: no row", id)
	}
	return nil
}

func dataapiScan(ctx context.Context, cl *dataapi.Client, table string) (int, error) {
	cur, err := cl.Find(ctx, dataapi.FindRequest{Keyspace: "default_keyspace", Table: table})
	if err != nil {
		return 0, err
	}
	defer cur.Close()
	n := 0
	var sink int
	for cur.Next() {
		sink += len(cur.Row())
		n++
	}
	return n, cur.Err()
}
