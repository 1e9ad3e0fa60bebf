package astrasql_test

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestCollectionScanners: list, set and map columns scan into typed Go
// collections through astrasql.List / Set / Map, and those are parameters.
func TestCollectionScanners(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE c (id int PRIMARY KEY, tags list<text>, nums set<int>, big set<bigint>,
		m map<text, int>, ids list<uuid>, at map<int, timestamp>, empty set<text>)`)
	u := uuid.MustParse("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	ts := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	mustExec(t, db, `INSERT INTO c (id, tags, nums, big, m, ids, at, empty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, 1,
		astrasql.List[string]{"b", "a", "b"}, astrasql.Set[int32]{3, 1}, []int64{1 << 40},
		astrasql.Map[string, int]{"x": 1, "y": 2}, astrasql.List[uuid.UUID]{u}, map[int]time.Time{7: ts}, []string{})

	var (
		tags   astrasql.List[string]
		nums   astrasql.Set[int32]
		m      astrasql.Map[string, int]
		ids    astrasql.List[uuid.UUID]
		idText astrasql.List[string]
		at     astrasql.Map[int16, time.Time]
		empty  astrasql.Set[string]
		anyL   astrasql.List[any]
	)
	err := db.QueryRow(`SELECT tags, nums, m, ids, ids, at, empty, tags FROM c WHERE id = 1`).
		Scan(&tags, &nums, &m, &ids, &idText, &at, &empty, &anyL)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"list<text>", []string(tags), []string{"b", "a", "b"}},
		{"set<int>", []int32(nums), []int32{1, 3}},
		{"map<text, int>", map[string]int(m), map[string]int{"x": 1, "y": 2}},
		{"list<uuid>", []uuid.UUID(ids), []uuid.UUID{u}},
		{"list<uuid> as text", []string(idText), []string{u.String()}},
		{"map<int, timestamp>", map[int16]time.Time(at), map[int16]time.Time{7: ts}},
		{"empty set is NULL", empty == nil, true},
		{"list<text> into any", []any(anyL), []any{"b", "a", "b"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}

	// A value past the element type is an error, never a wrapped number.
	var small astrasql.Set[int8]
	err = db.QueryRow(`SELECT big FROM c WHERE id = 1`).Scan(&small)
	if err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("set<bigint> into Set[int8]: %v", err)
	}
	var wrong astrasql.List[int]
	if err := db.QueryRow(`SELECT tags FROM c WHERE id = 1`).Scan(&wrong); err == nil {
		t.Error("list<text> into List[int]: no error")
	}
	// NULL into each.
	mustExec(t, db, `INSERT INTO c (id) VALUES (2)`)
	tags, m = astrasql.List[string]{"x"}, astrasql.Map[string, int]{"x": 1}
	if err := db.QueryRow(`SELECT tags, m FROM c WHERE id = 2`).Scan(&tags, &m); err != nil || tags != nil || m != nil {
		t.Errorf("NULL: %v %v %v", tags, m, err)
	}
	// Value: the JSON text a collection column accepts.
	if v, err := (astrasql.List[string]{"a", "b"}).Value(); err != nil || v != `["a","b"]` {
		t.Errorf("List.Value: %v %v", v, err)
	}
}

// ExampleList scans a list<text> column into a []string and a map<text, int>
// into a map[string]int, as pq.Array does for PostgreSQL arrays.
func ExampleList() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, _ := sql.Open("astra", srv.URL+"?keyspace=default_keyspace")
	defer db.Close()
	db.Exec(`CREATE TABLE posts (id int PRIMARY KEY, tags list<text>, votes map<text, int>)`)
	db.Exec(`INSERT INTO posts (id, tags, votes) VALUES (?, ?, ?)`,
		1, astrasql.List[string]{"go", "sql"}, astrasql.Map[string, int]{"up": 3})

	var tags astrasql.List[string]
	var votes astrasql.Map[string, int]
	if err := db.QueryRow(`SELECT tags, votes FROM posts WHERE id = 1`).Scan(&tags, &votes); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println([]string(tags), votes["up"])
	// Output: [go sql] 3
}
