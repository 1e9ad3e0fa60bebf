package astrasql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
)

// open starts a local Data API server and opens a database on it.
func e2eOpen(t testing.TB, opts ...dataapitest.Option) (*sql.DB, *dataapitest.Server) {
	t.Helper()
	srv := dataapitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test-token")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, srv
}

func e2eExec(t testing.TB, db *sql.DB, q string, args ...any) sql.Result {
	t.Helper()
	res, err := db.Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

// e2eQuery runs q and renders each row as "v1|v2|..." (fmt.Sprint).
func e2eQuery(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	return queryRows(t, db, func(v any) string { return fmt.Sprint(v) }, q, args...)
}

// queryRows runs q and renders each row as its cells joined by "|".
func queryRows(t testing.TB, db *sql.DB, cell func(any) string, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = cell(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func e2eAffected(t testing.TB, res sql.Result) int64 {
	t.Helper()
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStatementForms(t *testing.T) {
	db, _ := e2eOpen(t)
	for _, q := range []string{
		`CREATE TABLE users (id text PRIMARY KEY, name text, age int, tags set<text>, scores list<int>, attrs map<text, text>)`,
		`CREATE TABLE events (tenant text, day date, ts timestamp, seq int, payload text, PRIMARY KEY ((tenant, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)`,
	} {
		e2eExec(t, db, q)
	}
	res := e2eExec(t, db, `INSERT INTO users (id, name, age, tags, scores, attrs) VALUES
		('a', 'Ann', 30, {'x', 'y'}, [1, 2], {'k': 'v'}),
		('b', 'Bob', 40, {'y'}, [3], {'k': 'w', 'j': 'z'}),
		(?, ?, ?, ?, ?, ?)`, "c", "Cid", 50, []string{"z"}, []int{5, 6}, map[string]string{"q": "r"})
	if n := e2eAffected(t, res); n != 3 {
		t.Fatalf("INSERT of 3 rows: RowsAffected %d", n)
	}
	e2eExec(t, db, `INSERT INTO users (id, name, age) VALUES ('d', 'Dee', 20)`)
	for i := 0; i < 12; i++ {
		e2eExec(t, db, `INSERT INTO events (tenant, day, ts, seq, payload) VALUES ('t1', '2024-01-01', ?, ?, ?)`,
			time.Date(2024, 1, 1, 0, i/3, 0, 0, time.UTC), i%3, fmt.Sprintf("p%02d", i))
	}

	cases := []struct {
		q    string
		args []any
		want []string
	}{
		{q: `SELECT name FROM users WHERE id = 'a'`, want: []string{"Ann"}},
		{q: `SELECT name, age AS years FROM users WHERE age >= 30 AND age < 50 ORDER BY age DESC`, want: []string{"Bob|40", "Ann|30"}},
		{q: `SELECT id FROM users WHERE age BETWEEN 25 AND 45 OR name = 'Dee' ORDER BY id`, want: []string{"a", "b", "d"}},
		{q: `SELECT id FROM users WHERE age NOT IN (30, 40) ORDER BY 1`, want: []string{"c", "d"}},
		{q: `SELECT id FROM users WHERE NOT (age > 25) ORDER BY id`, want: []string{"d"}},
		{q: `SELECT id FROM users WHERE age != 30 AND age <> 40 ORDER BY id`, want: []string{"c", "d"}},
		{q: `SELECT id FROM users WHERE tags CONTAINS 'y' ORDER BY id`, want: []string{"a", "b"}},
		{q: `SELECT id FROM users WHERE attrs CONTAINS KEY 'j'`, want: []string{"b"}},
		{q: `SELECT id FROM users WHERE attrs CONTAINS 'r'`, want: []string{"c"}},
		{q: `SELECT id FROM users WHERE name LIKE '%e%' ORDER BY id`, want: []string{"d"}},
		{q: `SELECT "id", "name" FROM "users" WHERE "id" IN (:x, :y) ORDER BY "id"`, args: []any{sql.Named("x", "a"), sql.Named("y", "c")}, want: []string{"a|Ann", "c|Cid"}},
		{q: `SELECT id FROM users WHERE id = @who`, args: []any{sql.Named("who", "b")}, want: []string{"b"}},
		{q: `SELECT id FROM users ORDER BY age LIMIT 2 OFFSET 1`, want: []string{"a", "b"}},
		{q: `SELECT * FROM users WHERE id = 'b'`, want: []string{"b|40|{'j': 'z', 'k': 'w'}|Bob|[3]|{'y'}"}},
		{q: `SELECT payload FROM events WHERE tenant = 't1' AND day = '2024-01-01' LIMIT 4`, want: []string{"p09", "p10", "p11", "p06"}},
		{q: `SELECT payload FROM events WHERE tenant = 't1' AND day = '2024-01-01' ORDER BY ts ASC, seq DESC LIMIT 3`, want: []string{"p02", "p01", "p00"}},
		{q: `SELECT payload FROM events WHERE tenant = ? AND day = ? AND ts > ? ORDER BY ts DESC, seq ASC`,
			args: []any{"t1", "2024-01-01", time.Date(2024, 1, 1, 0, 2, 0, 0, time.UTC)}, want: []string{"p09", "p10", "p11"}},
		{q: `SELECT count(*) FROM users`, want: []string{"4"}},
		{q: `SELECT DISTINCT seq FROM events WHERE tenant = 't1' AND day = '2024-01-01' ORDER BY seq`, want: []string{"0", "1", "2"}},
	}
	for _, c := range cases {
		got := e2eQuery(t, db, c.q, c.args...)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.q, got, c.want)
		}
	}

	// UPDATE by key, collections, NULL.
	if n := e2eAffected(t, e2eExec(t, db, `UPDATE users SET name = 'Anna', age = NULL, tags = tags + {'w'}, scores = scores + [9], attrs = attrs - {'k'} WHERE id = 'a'`)); n != 1 {
		t.Errorf("UPDATE by key: RowsAffected %d, want 1", n)
	}
	if got := e2eQuery(t, db, `SELECT name, age, tags, scores, attrs FROM users WHERE id = 'a'`); got[0] != "Anna|<nil>|{'w', 'x', 'y'}|[1, 2, 9]|<nil>" {
		t.Errorf("after UPDATE: %q", got)
	}
	e2eExec(t, db, `UPDATE users SET tags = tags - {'x'}, attrs = attrs + {'n': 'm'} WHERE id = ?`, "a")
	if got := e2eQuery(t, db, `SELECT tags, attrs FROM users WHERE id = 'a'`); got[0] != "{'w', 'y'}|{'n': 'm'}" {
		t.Errorf("after UPDATE: %q", got)
	}
	// UPDATE by another WHERE: exact count.
	if n := e2eAffected(t, e2eExec(t, db, `UPDATE users SET name = 'old' WHERE age >= 40`)); n != 2 {
		t.Errorf("UPDATE WHERE age >= 40: RowsAffected %d, want 2", n)
	}
	// DELETE by key: 1, then 0.
	if n := e2eAffected(t, e2eExec(t, db, `DELETE FROM users WHERE id = ?`, "d")); n != 1 {
		t.Errorf("DELETE by key: %d, want 1", n)
	}
	if n := e2eAffected(t, e2eExec(t, db, `DELETE FROM users WHERE id = ?`, "d")); n != 0 {
		t.Errorf("DELETE of a missing key: %d, want 0", n)
	}
	// DELETE by other WHERE: exact.
	if n := e2eAffected(t, e2eExec(t, db, `DELETE FROM users WHERE name = 'old'`)); n != 2 {
		t.Errorf("DELETE WHERE name: %d, want 2", n)
	}
	// DELETE of a clustering range: deleteMany, count unknown.
	res = e2eExec(t, db, `DELETE FROM events WHERE tenant = 't1' AND day = '2024-01-01' AND ts >= '2024-01-01T00:02:00Z'`)
	if n, err := res.RowsAffected(); !errors.Is(err, astrasql.ErrRowsAffectedUnknown) || n != -1 {
		t.Errorf("deleteMany RowsAffected: %d, %v", n, err)
	}
	if got := e2eQuery(t, db, `SELECT count(*) FROM events`); got[0] != "6" {
		t.Errorf("after range delete: %v rows, want 6", got)
	}
	e2eExec(t, db, `TRUNCATE events`)
	if got := e2eQuery(t, db, `SELECT payload FROM events`); len(got) != 0 {
		t.Errorf("after TRUNCATE: %v", got)
	}
	// DDL through the driver refreshes the schema.
	e2eExec(t, db, `ALTER TABLE users ADD email text`)
	e2eExec(t, db, `UPDATE users SET email = 'a@x' WHERE id = 'a'`)
	if got := e2eQuery(t, db, `SELECT email FROM users WHERE id = 'a'`); got[0] != "a@x" {
		t.Errorf("new column: %q", got)
	}
	if _, err := db.Exec(`INSERT INTO users (id) VALUES ('x')`); err != nil {
		t.Errorf("INSERT of the key only: %v", err)
	}
	e2eExec(t, db, `CREATE TABLE pair (k int PRIMARY KEY, v text)`)
	e2eExec(t, db, `INSERT INTO pair (k, v) VALUES (1, 'one'), (?, ?)`, 2, "two")
	if got := e2eQuery(t, db, `SELECT * FROM pair WHERE k IN (1, 2) ORDER BY k`); !reflect.DeepEqual(got, []string{"1|one", "2|two"}) {
		t.Errorf("INSERT in table order: %q", got)
	}
	// A transaction buffers writes; Rollback drops them.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO pair (k, v) VALUES (3, 'three')`); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if got := e2eQuery(t, db, `SELECT v FROM pair WHERE k = 3`); len(got) != 0 {
		t.Errorf("rolled-back INSERT is visible: %q", got)
	}
}

func TestExplain(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE t (k int PRIMARY KEY, v text)`)
	got := e2eQuery(t, db, `EXPLAIN SELECT v FROM t WHERE v = ? ORDER BY v LIMIT 5`, "x")
	want := []string{
		`1|find|{"find":{"filter":{"v":"x"},"projection":{"v":1}}} (paged); expected server warnings: MISSING_INDEX on v (the server filters without an index, ALLOW FILTERING; CREATE INDEX would help)`,
	}
	if len(got) < 2 || got[0] != want[0] || !strings.Contains(got[1], "sort") {
		t.Errorf("EXPLAIN:\n%s", strings.Join(got, "\n"))
	}
	// EXPLAIN runs nothing.
	e2eQuery(t, db, `EXPLAIN DELETE FROM t`)
	e2eExec(t, db, `INSERT INTO t (k, v) VALUES (1, 'a')`)
	e2eQuery(t, db, `EXPLAIN DELETE FROM t`)
	if got := e2eQuery(t, db, `SELECT k FROM t`); len(got) != 1 {
		t.Errorf("EXPLAIN DELETE deleted rows: %v", got)
	}
}

func TestArgumentErrors(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE people (id text PRIMARY KEY, age tinyint, v vector<float, 2>)`)
	cases := []struct {
		q    string
		args []any
		want string
	}{
		{`INSERT INTO people (id, age) VALUES (:id, :age)`, []any{sql.Named("id", "a"), sql.Named("age", 300)}, `argument $2 (:age) for column "age" (tinyint)`},
		{`INSERT INTO people (id, v) VALUES (?, ?)`, []any{"a", []float64{1, 2, 3}}, `argument $2 for column "v" (vector<float, 2>)`},
		{`SELECT id FROM people WHERE age = ?`, []any{"old"}, `argument $1 for column "age" (tinyint)`},
		{`SELECT id FROM people WHERE id = ?`, nil, "takes 1 argument(s), got 0"},
		{`SELECT id FROM people WHERE id = ? AND age = :a`, nil, "cannot mix positional"},
		{`SELECT nope FROM people`, nil, `no column "nope"`},
		{`SELECT id FROM nope`, nil, `table default_keyspace.nope does not exist`},
		{`SELECT id FROM people WHERE`, nil, "line 1, column 28"},
	}
	for _, c := range cases {
		_, err := db.Exec(c.q, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.q, err, c.want)
		}
	}
	if got := e2eQuery(t, db, `SELECT id FROM people`); len(got) != 0 {
		t.Errorf("rows written despite errors: %v", got)
	}
}

func TestPreparedStatements(t *testing.T) {
	db, srv := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE kv (k text PRIMARY KEY, v int)`)
	ins, err := db.Prepare(`INSERT INTO kv (k, v) VALUES (?, ?), (?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	for i := 0; i < 5; i++ {
		if _, err := ins.Exec(fmt.Sprint("a", i), i, fmt.Sprint("b", i), -i); err != nil {
			t.Fatal(err)
		}
	}
	sel, err := db.Prepare(`SELECT v FROM kv WHERE k = :k`)
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	var v int
	if err := sel.QueryRow(sql.Named("k", "b3")).Scan(&v); err != nil || v != -3 {
		t.Errorf("prepared select: %d, %v", v, err)
	}
	// Prepare reports unknown tables and columns.
	if _, err := db.Prepare(`SELECT nope FROM kv`); err == nil {
		t.Error("Prepare of an unknown column succeeded")
	}
	// The table changes behind the driver's back (another client adds a
	// column); the cached schema is refreshed when the server says so.
	other, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=t2&plan_cache_size=0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	e2eExec(t, other, `ALTER TABLE kv ADD note text`)
	e2eExec(t, other, `UPDATE kv SET note = 'hi' WHERE k = 'a1'`)
	// A column the cached schema does not know yet: read the schema again.
	if got := e2eQuery(t, db, `SELECT note FROM kv WHERE k = 'a1'`); len(got) != 1 || got[0] != "hi" {
		t.Errorf("new column by name: %q", got)
	}
	got := e2eQuery(t, db, `SELECT * FROM kv WHERE k = 'a1'`)
	if len(got) != 1 || !strings.Contains(got[0], "hi") {
		t.Errorf("after another client's ALTER: %q", got)
	}
	if err := sel.QueryRow(sql.Named("k", "a1")).Scan(&v); err != nil || v != 1 {
		t.Errorf("prepared select after ALTER: %d, %v", v, err)
	}
}

func TestTypesRoundTrip(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE alltypes (id int PRIMARY KEY, t text, a ascii, b boolean, ti tinyint, si smallint, i int, bi bigint,
		vi varint, de decimal, f float, d double, ts timestamp, da date, tm time, du duration, u uuid, ip inet, bl blob,
		v vector<float, 3>, l list<int>, s set<text>, m map<text, int>, mi map<int, text>)`)
	u := uuid.MustParse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
	ts := time.Date(2024, 2, 29, 12, 34, 56, 789_000_000, time.UTC)
	big1, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	args := []any{1, "héllo", "plain", true, int8(-7), int16(300), int32(-70000), int64(1) << 60,
		big1, "12345.678900", float32(1.5), math.Inf(-1), ts, "0044-03-15", "12:45:01.005", time.Hour + 30*time.Minute,
		u, netip.MustParseAddr("10.1.2.3"), []byte{0, 1, 2, 255}, []float32{0.5, -1, 2},
		[]int{3, 1, 2}, []string{"b", "a"}, map[string]int{"x": 1}, map[int]string{2: "two", 1: "one"}}
	e2eExec(t, db, `INSERT INTO alltypes (id, t, a, b, ti, si, i, bi, vi, de, f, d, ts, da, tm, du, u, ip, bl, v, l, s, m, mi)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	// The same values as literals.
	e2eExec(t, db, `INSERT INTO alltypes (id, t, a, b, ti, si, i, bi, vi, de, f, d, ts, da, tm, du, u, ip, bl, v, l, s, m, mi)
		VALUES (2, 'héllo', 'plain', true, -7, 300, -70000, 1152921504606846976, -123456789012345678901234567890, 12345.678900,
		1.5, -Infinity, '2024-02-29T12:34:56.789Z', '0044-03-15', '12:45:01.005', '1h30m', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
		'10.1.2.3', X'000102ff', [0.5, -1, 2], [3, 1, 2], {'b', 'a'}, {'x': 1}, {2: 'two', 1: 'one'})`)
	want := []any{nil, "héllo", "plain", true, int64(-7), int64(300), int64(-70000), int64(1) << 60,
		big1, "12345.678900", 1.5, math.Inf(-1), ts, time.Date(44, 3, 15, 0, 0, 0, 0, time.UTC),
		// time, duration and uuid reach database/sql as strings (rows.go scanValue).
		"12:45:01.005", "PT1H30M",
		u.String(), netip.MustParseAddr("10.1.2.3"), []byte{0, 1, 2, 255}, typesmap.Vector{0.5, -1, 2},
		typesmap.List{int64(3), int64(1), int64(2)}, typesmap.Set{"a", "b"}, typesmap.Map{{Key: "x", Value: int64(1)}},
		typesmap.Map{{Key: int64(1), Value: "one"}, {Key: int64(2), Value: "two"}}}
	for id := 1; id <= 2; id++ {
		rows, err := db.Query(`SELECT id, t, a, b, ti, si, i, bi, vi, de, f, d, ts, da, tm, du, u, ip, bl, v, l, s, m, mi FROM alltypes WHERE id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.ColumnTypes()
		if !rows.Next() {
			t.Fatalf("row %d missing: %v", id, rows.Err())
		}
		got := make([]any, len(want))
		ptrs := make([]any, len(want))
		for i := range got {
			ptrs[i] = &got[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		want[0] = int64(id)
		for i := range want {
			if !typesmap.Equal(got[i], want[i]) {
				t.Errorf("row %d column %s: got %T %v, want %T %v", id, cols[i].Name(), got[i], got[i], want[i], want[i])
			}
			wantType := reflect.TypeOf(want[i])
			switch i {
			case 14:
				wantType = reflect.TypeFor[typesmap.TimeOfDay]()
			case 15:
				wantType = reflect.TypeFor[typesmap.Duration]()
			case 16:
				wantType = reflect.TypeFor[uuid.UUID]()
			}
			if st := cols[i].ScanType(); st != wantType && !(st.Kind() == reflect.Interface) {
				t.Errorf("column %s: ScanType %v, value %T", cols[i].Name(), st, want[i])
			}
		}
		if n := cols[19].DatabaseTypeName(); n != "VECTOR" {
			t.Errorf("vector DatabaseTypeName %q", n)
		}
		if l, ok := cols[19].Length(); !ok || l != 3 {
			t.Errorf("vector Length %d %v", l, ok)
		}
		if nullable, ok := cols[0].Nullable(); !ok || nullable {
			t.Errorf("primary key Nullable %v %v", nullable, ok)
		}
	}
	// Typed scans into Go types and sql.Null*.
	var (
		s   string
		n   sql.NullInt64
		vec typesmap.Vector
		l   typesmap.List
		m   typesmap.Map
		ts2 time.Time
		ip  netip.Addr
		bi  *big.Int
		i64 int64
	)
	if err := db.QueryRow(`SELECT t, i, v, l, mi, ts, ip, vi, bi FROM alltypes WHERE id = 1`).Scan(&s, &n, &vec, &l, &m, &ts2, &ip, &bi, &i64); err != nil {
		t.Fatal(err)
	}
	if s != "héllo" || n.Int64 != -70000 || len(vec) != 3 || len(l) != 3 || len(m) != 2 || !ts2.Equal(ts) || !ip.IsValid() || bi.Cmp(big1) != 0 || i64 != 1<<60 {
		t.Errorf("typed scan: %v %v %v %v %v %v %v %v %v", s, n, vec, l, m, ts2, ip, bi, i64)
	}
	var null sql.NullString
	e2eExec(t, db, `INSERT INTO alltypes (id) VALUES (3)`)
	if err := db.QueryRow(`SELECT t FROM alltypes WHERE id = 3`).Scan(&null); err != nil || null.Valid {
		t.Errorf("NULL scan: %v %v", null, err)
	}
}

func TestVectorSearch(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE docs (id int PRIMARY KEY, cat text, v vector<float, 8>)`)
	e2eExec(t, db, `CREATE VECTOR INDEX docs_v ON docs (v) WITH metric = 'cosine'`)
	rng := rand.New(rand.NewPCG(1, 2))
	vecs := map[int]typesmap.Vector{}
	stmt, err := db.Prepare(`INSERT INTO docs (id, cat, v) VALUES (?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		v := make(typesmap.Vector, 8)
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		vecs[i] = v
		if _, err := stmt.Exec(i, []string{"a", "b", "c"}[i%3], v); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()
	q := make([]float64, 8)
	for j := range q {
		q[j] = rng.NormFloat64()
	}
	cos := func(a typesmap.Vector) float64 {
		var dot, na, nb float64
		for i := range a {
			dot += float64(a[i]) * q[i]
			na += float64(a[i]) * float64(a[i])
			nb += q[i] * q[i]
		}
		return (1 + dot/math.Sqrt(na*nb)) / 2
	}
	euc := func(a typesmap.Vector) float64 {
		var d float64
		for i := range a {
			d += (float64(a[i]) - q[i]) * (float64(a[i]) - q[i])
		}
		return 1 / (1 + d)
	}
	type hit struct {
		id    int
		score float64
	}
	brute := func(cat string, k int) []hit {
		var hs []hit
		for id, v := range vecs {
			if cat == "" || []string{"a", "b", "c"}[id%3] == cat {
				hs = append(hs, hit{id, cos(v)})
			}
		}
		sort.Slice(hs, func(i, j int) bool { return hs[i].score > hs[j].score })
		return hs[:k]
	}
	for _, cat := range []string{"", "b"} {
		query := `SELECT id, similarity_cosine(v, :q) AS s, similarity_euclidean(v, :q) AS e FROM docs ORDER BY v ANN OF :q LIMIT 10`
		args := []any{sql.Named("q", q)}
		if cat != "" {
			query = `SELECT id, similarity_cosine(v, :q) AS s, similarity_euclidean(v, :q) AS e FROM docs WHERE cat = :c ORDER BY v ANN OF :q LIMIT 10`
			args = append(args, sql.Named("c", cat))
		}
		rows, err := db.Query(query, args...)
		if err != nil {
			t.Fatal(err)
		}
		want := brute(cat, 10)
		i := 0
		for rows.Next() {
			var id int
			var s, e float64
			if err := rows.Scan(&id, &s, &e); err != nil {
				t.Fatal(err)
			}
			if i < len(want) && (id != want[i].id || math.Abs(s-want[i].score) > 1e-5) {
				t.Errorf("cat %q hit %d: id %d score %v, want id %d score %v", cat, i, id, s, want[i].id, want[i].score)
			}
			if math.Abs(e-euc(vecs[id])) > 1e-5 {
				t.Errorf("euclidean of %d: %v, want %v", id, e, euc(vecs[id]))
			}
			i++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if i != 10 {
			t.Errorf("cat %q: %d hits, want 10", cat, i)
		}
	}
	// A vector literal and a []float32 argument work too.
	if got := e2eQuery(t, db, `SELECT id FROM docs ORDER BY v ANN OF [1, 0, 0, 0, 0, 0, 0, 0] LIMIT 1`); len(got) != 1 {
		t.Errorf("literal ANN: %v", got)
	}
	if _, err := db.Query(`SELECT id FROM docs ORDER BY v ANN OF ? LIMIT 2000`, []float32{1, 2, 3, 4, 5, 6, 7, 8}); err == nil {
		t.Error("LIMIT 2000 with ANN accepted")
	}
}

func TestLargeScan(t *testing.T) {
	if testing.Short() {
		t.Skip("20k rows")
	}
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE big (id int PRIMARY KEY, pad text)`)
	const n = 20000
	e2eInsertRows(t, db, "big", n)
	rows, err := db.Query(`SELECT id, pad FROM big`)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, n)
	count := 0
	for rows.Next() {
		var id int
		var pad string
		if err := rows.Scan(&id, &pad); err != nil {
			t.Fatal(err)
		}
		if id < 0 || id >= n || seen[id] {
			t.Fatalf("bad or repeated id %d", id)
		}
		seen[id] = true
		count++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("scanned %d rows, want %d", count, n)
	}
}

// insertRows inserts ids 0..n-1 with multi-row INSERTs of 1000 rows.
func e2eInsertRows(t testing.TB, db *sql.DB, table string, n int) {
	t.Helper()
	for start := 0; start < n; start += 1000 {
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (id, pad) VALUES ", table)
		var args []any
		for i := start; i < min(start+1000, n); i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, i, fmt.Sprintf("row-%06d-padding-padding", i))
		}
		res, err := db.Exec(b.String(), args...)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := res.RowsAffected(); got != int64(min(1000, n-start)) {
			t.Fatalf("RowsAffected %d", got)
		}
	}
}

func TestCancelScanMidPage(t *testing.T) {
	db, _ := e2eOpen(t, dataapitest.WithPageSize(20))
	e2eExec(t, db, `CREATE TABLE c (id int PRIMARY KEY, pad text)`)
	e2eInsertRows(t, db, "c", 500)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := db.QueryContext(ctx, `SELECT id FROM c`)
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for rows.Next() {
		read++
		if read == 30 { // in the second page
			cancel()
		}
	}
	if err := rows.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: rows.Err() = %v, read %d rows", err, read)
	}
	if read >= 500 {
		t.Errorf("read %d rows after cancel", read)
	}
	// The database is still usable.
	if got := e2eQuery(t, db, `SELECT id FROM c WHERE id = 7`); len(got) != 1 {
		t.Errorf("after cancel: %v", got)
	}
}

func TestSqlxStructScan(t *testing.T) {
	db, srv := e2eOpen(t)
	_ = db
	x, err := sqlx.Open("astra", srv.URL+"?token=t")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.MustExec(`CREATE TABLE person (id text PRIMARY KEY, name text, age int, tags set<text>, emb vector<float, 2>)`)
	type person struct {
		ID   string          `db:"id"`
		Name string          `db:"name"`
		Age  sql.NullInt64   `db:"age"`
		Tags typesmap.Set    `db:"tags"`
		Emb  typesmap.Vector `db:"emb"`
	}
	in := []person{{ID: "p1", Name: "a", Age: sql.NullInt64{Int64: 3, Valid: true}, Tags: typesmap.Set{"x"}, Emb: typesmap.Vector{1, 2}},
		{ID: "p2", Name: "b"}}
	for _, p := range in {
		if _, err := x.NamedExec(`INSERT INTO person (id, name, age, tags, emb) VALUES (:id, :name, :age, :tags, :emb)`, p); err != nil {
			t.Fatal(err)
		}
	}
	var out []person
	if err := x.Select(&out, `SELECT * FROM person ORDER BY name`); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].ID != in[0].ID || out[0].Age.Int64 != 3 || len(out[0].Tags) != 1 || len(out[0].Emb) != 2 || out[1].Age.Valid || out[1].Tags != nil {
		t.Errorf("sqlx: %+v", out)
	}
	var one person
	if err := x.Get(&one, `SELECT * FROM person WHERE id = ?`, in[1].ID); err != nil || one.Name != "b" {
		t.Errorf("sqlx Get: %+v %v", one, err)
	}
}

// TestInsertPartialFailure: a server that refuses one insertMany chunk; the
// error says row by row what was written.
func TestInsertPartialFailure(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	calls := 0
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(string(body), `{"insertMany"`) && strings.Contains(string(body), `"id":150`) {
			calls++
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"errors":[{"family":"REQUEST","scope":"DOCUMENT","errorCode":"INVALID_COLUMN_VALUES","title":"bad","message":"refused for the test"}]}`)
			return
		}
		req, _ := http.NewRequest(r.Method, srv.URL+r.URL.Path, strings.NewReader(string(body)))
		req.Header = r.Header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	db, err := sql.Open("astra", proxy.URL+"?token=t&insert_chunk_size=100")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e2eExec(t, db, `CREATE TABLE p (id int PRIMARY KEY, pad text)`)
	var b strings.Builder
	b.WriteString("INSERT INTO p (id, pad) VALUES ")
	for i := 0; i < 250; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, 'x')", i)
	}
	_, err = db.Exec(b.String())
	var ie *astrasql.InsertError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T), want *InsertError", err, err)
	}
	if ie.Written != 150 || len(ie.Rows) != 250 || ie.Rows[99].Status != "inserted" || ie.Rows[100].Status != "failed" || ie.Rows[199].Status != "failed" || ie.Rows[200].Status != "inserted" {
		t.Errorf("InsertError: written %d, rows %d: %v", ie.Written, len(ie.Rows), err)
	}
	var ae *astrasql.APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "INVALID_COLUMN_VALUES" {
		t.Errorf("APIError not found in %v", err)
	}
	if !strings.Contains(err.Error(), "row 101 (failed") {
		t.Errorf("message does not list rows: %v", err)
	}
	if got := e2eQuery(t, db, `SELECT count(*) FROM p`); got[0] != "150" {
		t.Errorf("rows in table: %v", got)
	}
}

func TestPingAndAuth(t *testing.T) {
	srv := dataapitest.NewServer(dataapitest.WithToken("right"))
	defer srv.Close()
	good, _ := sql.Open("astra", srv.URL+"?token=right")
	defer good.Close()
	if err := good.Ping(); err != nil {
		t.Errorf("Ping: %v", err)
	}
	bad, _ := sql.Open("astra", srv.URL+"?token=wrong")
	defer bad.Close()
	err := bad.Ping()
	if err == nil {
		t.Fatal("Ping with a wrong token succeeded")
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error shows the token: %v", err)
	}
	missing, _ := sql.Open("astra", srv.URL+"?token=right&keyspace=nope")
	defer missing.Close()
	if err := missing.Ping(); err == nil {
		t.Error("Ping of a missing keyspace succeeded")
	}
}
