package astrasql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// Open a database by DSN: the Data API endpoint plus options. A local
// server stands in for Astra DB here.
func Example() {
	srv := dataapitest.NewServer()
	defer srv.Close()

	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	db.Exec(`CREATE TABLE users (id text PRIMARY KEY, name text, age int)`)
	res, err := db.Exec(`INSERT INTO users (id, name, age) VALUES (?, ?, ?), (?, ?, ?)`, "a", "Ann", 31, "b", "Bob", 42)
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	fmt.Println("inserted", n)

	var name string
	var age int
	if err := db.QueryRow(`SELECT name, age FROM users WHERE id = :id`, sql.Named("id", "b")).Scan(&name, &age); err != nil {
		log.Fatal(err)
	}
	fmt.Println(name, age)
	// Output:
	// inserted 2
	// Bob 42
}

// NewConnector takes a Config instead of a DSN.
func ExampleNewConnector() {
	srv := dataapitest.NewServer()
	defer srv.Close()

	c, err := astrasql.NewConnector(astrasql.Config{Endpoint: srv.URL, Token: astrasql.NewSecret("t"), Keyspace: "default_keyspace"})
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	fmt.Println(db.PingContext(context.Background()))
	// Output: <nil>
}

// ParseDSN and FormatDSN round-trip; the token is never printed.
func ExampleParseDSN() {
	cfg, err := astrasql.ParseDSN("https://db-region.apps.astra.datastax.com?keyspace=ks&token=AstraCS%3Asecret&timeout=10s")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Keyspace, cfg.Timeout)
	fmt.Println(cfg)
	fmt.Println(cfg.FormatDSN())
	// Output:
	// ks 10s
	// https://db-region.apps.astra.datastax.com?keyspace=ks&timeout=10s&token=REDACTED
	// https://db-region.apps.astra.datastax.com?keyspace=ks&timeout=10s
}

// Vector search: ORDER BY ... ANN OF, with the similarity score.
func Example_vectorSearch() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, _ := sql.Open("astra", srv.URL+"?token=t")
	defer db.Close()

	db.Exec(`CREATE TABLE docs (id int PRIMARY KEY, body text, v vector<float, 3>)`)
	db.Exec(`CREATE VECTOR INDEX docs_v ON docs (v) WITH metric = 'cosine'`)
	db.Exec(`INSERT INTO docs (id, body, v) VALUES (1, 'cats', [1, 0, 0]), (2, 'dogs', [0, 1, 0]), (3, 'kittens', [0.9, 0.1, 0])`)

	rows, err := db.Query(`SELECT body, similarity_cosine(v, ?) AS score FROM docs ORDER BY v ANN OF ? LIMIT 2`,
		[]float32{1, 0, 0}, []float32{1, 0, 0})
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		var score float64
		rows.Scan(&body, &score)
		fmt.Printf("%s %.3f\n", body, score)
	}
	// Output:
	// cats 1.000
	// kittens 0.997
}

// EXPLAIN shows the Data API commands and client-side steps, running nothing.
func Example_explain() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, _ := sql.Open("astra", srv.URL+"?token=t")
	defer db.Close()
	db.Exec(`CREATE TABLE users (id text PRIMARY KEY, name text, age int)`)

	rows, _ := db.Query(`EXPLAIN SELECT name FROM users WHERE age > ? ORDER BY name LIMIT 10`, 30)
	defer rows.Close()
	for rows.Next() {
		var step int
		var kind, detail string
		rows.Scan(&step, &kind, &detail)
		if kind == "find" {
			fmt.Println(step, kind, detail)
		} else {
			fmt.Println(step, kind)
		}
	}
	// Output:
	// 1 find {"find":{"filter":{"age":{"$gt":30}},"projection":{"name":1}}} (paged); expected server warnings: MISSING_INDEX on age (the server filters without an index, ALLOW FILTERING; CREATE INDEX would help)
	// 2 sort
	// 3 limit
}

// DELETE by partition is one deleteMany: the server does not count.
func ExampleErrRowsAffectedUnknown() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, _ := sql.Open("astra", srv.URL+"?token=t")
	defer db.Close()
	db.Exec(`CREATE TABLE t (k int PRIMARY KEY, v text)`)

	res, _ := db.Exec(`DELETE FROM t`)
	_, err := res.RowsAffected()
	fmt.Println(errors.Is(err, astrasql.ErrRowsAffectedUnknown))
	// Output: true
}
