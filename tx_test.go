package astrasql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// txEnv is a server with a table kv (k text PRIMARY KEY, v int) and a db on it.
func txEnv(t *testing.T) *sql.DB {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE kv (k text PRIMARY KEY, v int)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func kvCount(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM kv`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// withConn runs f on the driver conn of a pinned connection, so that the
// transaction logic is tested whether or not conn.BeginTx is wired to it.
func withConn(t *testing.T, db *sql.DB, f func(c *conn)) {
	t.Helper()
	sc, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if err := sc.Raw(func(dc any) error { f(dc.(*conn)); return nil }); err != nil {
		t.Fatal(err)
	}
}

func execTx(t *testing.T, c *conn, q string, args ...driver.NamedValue) (driver.Result, error) {
	t.Helper()
	st, err := c.k.statement(q)
	if err != nil {
		return nil, err
	}
	res, handled, err := c.execInTx(context.Background(), st, args)
	if !handled {
		t.Fatalf("%s: not handled by the transaction", q)
	}
	return res, err
}

func TestTxBufferAndRollback(t *testing.T) {
	db := txEnv(t)
	withConn(t, db, func(c *conn) {
		tx, err := c.beginTx(context.Background(), driver.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := execTx(t, c, `INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2)`)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := res.RowsAffected(); n != 2 || err != nil {
			t.Fatalf("RowsAffected = %d, %v; want 2", n, err)
		}
		res, err = execTx(t, c, `UPDATE kv SET v = 5 WHERE k = 'a'`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := res.RowsAffected(); !errors.Is(err, ErrRowsAffectedUnknown) {
			t.Fatalf("UPDATE RowsAffected error = %v, want unknown", err)
		}
		if n := kvCount(t, db); n != 0 {
			t.Fatalf("%d rows visible before commit: writes must be buffered", n)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); !errors.Is(err, ErrTxDone) {
			t.Fatalf("Commit after Rollback = %v", err)
		}
	})
	if n := kvCount(t, db); n != 0 {
		t.Fatalf("%d rows after rollback, want 0", n)
	}
}

func TestTxCommitInOrder(t *testing.T) {
	db := txEnv(t)
	withConn(t, db, func(c *conn) {
		tx, err := c.beginTx(context.Background(), driver.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)`,
			`UPDATE kv SET v = 10 WHERE k = 'a'`,
			`DELETE FROM kv WHERE k = 'b'`,
		} {
			if _, err := execTx(t, c, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Arguments are kept with the statement.
		if _, err := execTx(t, c, `INSERT INTO kv (k, v) VALUES (?, ?)`,
			driver.NamedValue{Ordinal: 1, Value: "d"}, driver.NamedValue{Ordinal: 2, Value: int64(4)}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
	got := map[string]int64{}
	rows, err := db.Query(`SELECT k, v FROM kv`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k] = v
	}
	if len(got) != 3 || got["a"] != 10 || got["c"] != 3 || got["d"] != 4 {
		t.Fatalf("after commit: %v, want a=10 c=3 d=4", got)
	}
}

func TestTxCommitFailsMidway(t *testing.T) {
	db := txEnv(t)
	if _, err := db.Exec(`CREATE TABLE other (k text PRIMARY KEY, v int)`); err != nil {
		t.Fatal(err)
	}
	withConn(t, db, func(c *conn) {
		tx, err := c.beginTx(context.Background(), driver.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO kv (k, v) VALUES ('a', 1)`,
			`INSERT INTO other (k, v) VALUES ('x', 1)`,
			`INSERT INTO kv (k, v) VALUES ('b', 2)`,
		} {
			if _, err := execTx(t, c, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// The second statement's table goes away before Commit.
		if _, err := c.k.client.Do(context.Background(), "default_keyspace", "", "dropTable", []byte(`{"name":"other"}`)); err != nil {
			t.Fatal(err)
		}
		err = tx.Commit()
		var ce *TxCommitError
		if !errors.As(err, &ce) {
			t.Fatalf("Commit error = %v, want *TxCommitError", err)
		}
		if len(ce.Applied) != 1 || ce.Applied[0].RowsAffected != 1 || ce.Failed.Index != 2 || len(ce.NotSent) != 1 || ce.NotSent[0].Index != 3 {
			t.Fatalf("commit report: applied %+v failed %+v not sent %+v", ce.Applied, ce.Failed, ce.NotSent)
		}
	})
	if n := kvCount(t, db); n != 1 {
		t.Fatalf("%d rows in kv, want 1 (the statement before the failure)", n)
	}
}

func TestTxRules(t *testing.T) {
	db := txEnv(t)
	withConn(t, db, func(c *conn) {
		if _, err := c.beginTx(context.Background(), driver.TxOptions{Isolation: driver.IsolationLevel(sql.LevelSerializable)}); err == nil {
			t.Fatal("serializable isolation accepted")
		}
		tx, err := c.beginTx(context.Background(), driver.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.beginTx(context.Background(), driver.TxOptions{}); err == nil {
			t.Fatal("second transaction on one conn accepted")
		}
		if _, err := execTx(t, c, `INSERT INTO kv (k, v) VALUES ('a', 1)`); !errors.Is(err, ErrTxReadOnly) {
			t.Fatalf("write in read-only tx: %v", err)
		}
		if _, err := execTx(t, c, `CREATE TABLE t2 (id int PRIMARY KEY)`); !errors.Is(err, ErrTxDDL) {
			t.Fatalf("DDL in tx: %v", err)
		}
		// Reads are not buffered.
		st, _ := c.k.statement(`SELECT k FROM kv`)
		if _, handled, _ := c.execInTx(context.Background(), st, nil); handled {
			t.Fatal("SELECT was buffered")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		// Errors that need no server show at Exec time.
		tx, _ = c.beginTx(context.Background(), driver.TxOptions{})
		if _, err := execTx(t, c, `INSERT INTO nosuch (k) VALUES ('a')`); err == nil {
			t.Fatal("INSERT into an unknown table buffered without error")
		}
		if _, err := execTx(t, c, `INSERT INTO kv (k, v) VALUES (?, ?)`, driver.NamedValue{Ordinal: 1, Value: "a"}); err == nil {
			t.Fatal("missing argument accepted")
		}
		tx.Rollback()
		if c.openTx() != nil {
			t.Fatal("transaction still registered after Rollback")
		}
	})
}

// TestTxThroughDatabaseSQL is the GORM-style path: db.BeginTx, Exec, Commit.
func TestTxThroughDatabaseSQL(t *testing.T) {
	db := txEnv(t)
	tx, err := db.BeginTx(context.Background(), nil)
	if errors.Is(err, ErrTxNotSupported) {
		t.Skip("conn.BeginTx does not call beginTx yet (see tx.go)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO kv (k, v) VALUES (?, ?)`, "a", 1); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := tx.QueryRow(`SELECT COUNT(*) FROM kv`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("read inside tx: %d, %v; want 0 (buffered writes are not visible)", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := kvCount(t, db); n != 1 {
		t.Fatalf("rows after commit = %d", n)
	}
	tx, _ = db.BeginTx(context.Background(), nil)
	tx.Exec(`INSERT INTO kv (k, v) VALUES ('b', 2)`)
	tx.Rollback()
	if n := kvCount(t, db); n != 1 {
		t.Fatalf("rows after rollback = %d", n)
	}
}
