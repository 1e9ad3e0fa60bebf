package astrasql_test

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/astrasql/astrasql"
)

// TestSqlxBatchAndIn: sqlx's NamedExec with a slice (one multi-row INSERT),
// sqlx.In expanding a slice into IN (?, ?, ?), and struct scanning with db
// tags into typed collections.
func TestSqlxBatchAndIn(t *testing.T) {
	_, srv := e2eOpen(t)
	x, err := sqlx.Open("astra", srv.URL+"?token=t")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.MustExec(`CREATE TABLE book (id int PRIMARY KEY, title text, tags list<text>)`)
	type book struct {
		ID    int                   `db:"id"`
		Title string                `db:"title"`
		Tags  astrasql.List[string] `db:"tags"`
	}
	in := []book{{1, "Dune", astrasql.List[string]{"sf"}}, {2, "Emma", nil}, {3, "Ubik", astrasql.List[string]{"sf", "pkd"}}}
	res, err := x.NamedExec(`INSERT INTO book (id, title, tags) VALUES (:id, :title, :tags)`, in)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 3 {
		t.Fatalf("NamedExec with a slice: %d rows, %v", n, err)
	}

	q, args, err := sqlx.In(`SELECT * FROM book WHERE id IN (?) ORDER BY title DESC`, []int{1, 3, 9})
	if err != nil {
		t.Fatal(err)
	}
	var got []book
	if err := x.Select(&got, x.Rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(got) != 2 || got[0].Title != "Ubik" || len(got[0].Tags) != 2 || got[0].Tags[1] != "pkd" || got[1].ID != 1 {
		t.Errorf("sqlx.In: %+v", got)
	}

	var one book
	if err := x.Get(&one, `SELECT id, title, tags FROM book WHERE id = ?`, 2); err != nil || one.Title != "Emma" || one.Tags != nil {
		t.Errorf("Get: %+v %v", one, err)
	}
	var titles []string
	if err := x.Select(&titles, `SELECT title FROM book WHERE id IN (?, ?)`, 1, 2); err != nil || len(titles) != 2 {
		t.Errorf("Select into []string: %v %v", titles, err)
	}
}
