package pgwire_test

import (
	"context"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/pgwire"
)

// A PostgreSQL client (here pgx) querying a table through the front end,
// over a local Data API server. The password is the token; the database
// name is the keyspace.
func Example() {
	api := dataapitest.NewServer()
	defer api.Close()
	srv, err := pgwire.NewServer(pgwire.Config{DSN: api.URL + "?keyspace=default_keyspace"})
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://me:any-token@"+ln.Addr().String()+"/default_keyspace?sslmode=disable")
	if err != nil {
		panic(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`CREATE TABLE films (id int PRIMARY KEY, title text, year int, v vector<float, 2>)`,
		`CREATE VECTOR INDEX films_v ON films (v)`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			panic(err)
		}
	}
	for i, f := range []struct {
		title string
		year  int
		v     []float32
	}{{"Alien", 1979, []float32{1, 0}}, {"Heat", 1995, []float32{0, 1}}, {"Ronin", 1998, []float32{0.2, 0.8}}} {
		if _, err := conn.Exec(ctx, `INSERT INTO films (id, title, year, v) VALUES ($1, $2, $3, $4)`, i+1, f.title, f.year, f.v); err != nil {
			panic(err)
		}
	}
	rows, err := conn.Query(ctx, `SELECT title, year, v FROM films ORDER BY v ANN OF $1 LIMIT 2`, []float32{0, 1})
	if err != nil {
		panic(err)
	}
	for rows.Next() {
		var title, v string
		var year int
		if err := rows.Scan(&title, &year, &v); err != nil {
			panic(err)
		}
		fmt.Println(title, year, v)
	}
	if err := rows.Err(); err != nil {
		panic(err)
	}
	// Output:
	// Heat 1995 [0,1]
	// Ronin 1998 [0.2,0.8]
}
