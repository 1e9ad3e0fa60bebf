package astrasql_test

import (
	"database/sql"
	"errors"
	"fmt"
	"log"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// safe_updates=true refuses, before anything is sent, an UPDATE or DELETE
// whose WHERE does not give the full primary key: without conditional
// writes, such a statement reads the keys of matching rows and then writes
// each one unconditionally.
func ExampleSafeUpdatesError() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&safe_updates=true")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE users (id text PRIMARY KEY, name text, age int)`)
	db.Exec(`INSERT INTO users (id, name, age) VALUES ('a', 'Ann', 31), ('b', 'Bob', 42)`)

	_, err = db.Exec(`DELETE FROM users WHERE age > 40`)
	var se *astrasql.SafeUpdatesError
	fmt.Println(errors.As(err, &se), se.Reason)

	res, err := db.Exec(`DELETE FROM users WHERE id IN ('b', 'c')`)
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	fmt.Println("deleted", n)
	// Output:
	// true its WHERE does not give every primary key column (id) by = or IN: its rows would be found by reading first, then each written unconditionally
	// deleted 1
}

// A primary key repeated in one INSERT keeps the last row's values, as
// running the rows in order would.
func ExampleInsertError_repeatedKey() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE TABLE kv (k int PRIMARY KEY, v text)`)
	if _, err := db.Exec(`INSERT INTO kv (k, v) VALUES (1, 'first'), (2, 'two'), (1, 'last')`); err != nil {
		log.Fatal(err)
	}
	var v string
	db.QueryRow(`SELECT v FROM kv WHERE k = 1`).Scan(&v)
	fmt.Println(v)
	// Output: last
}
