package main

import (
	"database/sql"
	"fmt"
	"log"

	_ "github.com/astrasql/astrasql" // registers the driver "astra"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// The README's Go quick start, on a local Data API server instead of Astra.
func Example_quickStart() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	dsn := srv.URL + "?keyspace=default_keyspace&token=example"

	db, err := sql.Open("astra", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS films (
		id int PRIMARY KEY, title text, year int, v vector<float, 3>)`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE VECTOR INDEX IF NOT EXISTS films_v ON films (v) WITH metric = 'cosine'`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO films (id, title, year, v) VALUES (?, ?, ?, ?), (?, ?, ?, ?)`,
		1, "Alien", 1979, []float32{0.9, 0.1, 0.4},
		2, "Heat", 1995, []float32{0.1, 0.9, 0.2}); err != nil {
		log.Fatal(err)
	}
	rows, err := db.Query(`SELECT id, title FROM films ORDER BY v ANN OF [0.8, 0.2, 0.4] LIMIT 1`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, title)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output: 1 Alien
}
