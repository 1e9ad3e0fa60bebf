package pgwire_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/pgwire"
)

// startServer runs a front end over a fresh local Data API server and
// returns its address.
func startServer(t testing.TB, cfg pgwire.Config) string {
	t.Helper()
	api := dataapitest.NewServer()
	t.Cleanup(api.Close)
	return startFront(t, cfg, api.URL, nil)
}

// startFront runs a front end over the Data API at apiURL; wrap, if set,
// wraps its listener.
func startFront(t testing.TB, cfg pgwire.Config, apiURL string, wrap func(net.Listener) net.Listener) string {
	t.Helper()
	if cfg.DSN == "" {
		cfg.DSN = apiURL + "?keyspace=default_keyspace"
	}
	srv, err := pgwire.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return addr
}

func connURL(addr string) string {
	return "postgres://tester:local-token@" + addr + "/default_keyspace?sslmode=disable"
}

func connect(t testing.TB, addr string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, connURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func mustExec(t *testing.T, c *pgx.Conn, sql string, args ...any) pgconn.CommandTag {
	t.Helper()
	tag, err := c.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return tag
}

// TestPgxTypes inserts a row of every type with $n parameters (pgx's
// extended protocol, binary where pgx prefers it) and reads it back.
func TestPgxTypes(t *testing.T) {
	c := connect(t, startServer(t, pgwire.Config{}))
	mustExec(t, c, `CREATE TABLE every (id int PRIMARY KEY, t text, a ascii, b boolean, ti tinyint, si smallint, bi bigint,
		vi varint, de decimal, f float, d double, ts timestamp, dt date, tm time, du duration, u uuid,
		ip inet, bl blob, v vector<float, 3>, l list<int>, s set<text>, m map<text, int>)`)
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123000000, time.UTC)
	u := [16]byte{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67}
	tag := mustExec(t, c, `INSERT INTO every (id, t, a, b, ti, si, bi, vi, de, f, d, ts, dt, tm, du, u, ip, bl, v, l, s, m)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		1, "héllo", "plain", true, 7, 300, int64(1)<<40, big.NewInt(12345678901234), "3.14159", float32(1.5), 2.25, ts,
		time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), pgtype.Time{Microseconds: 3723000000, Valid: true},
		pgtype.Interval{Months: 1, Days: 2, Microseconds: 3000000, Valid: true}, u,
		netip.MustParseAddr("10.1.2.3"), []byte{1, 2, 255}, []float32{1, 2, 3}, []int32{4, 5}, []string{"x", "y"},
		`{"k": 1}`)
	if tag.String() != "INSERT 0 1" {
		t.Errorf("tag %q", tag)
	}
	var (
		id        int32
		tt, a, de string
		b         bool
		ti, si    int16
		bi        int64
		vi        pgtype.Numeric
		f         float32
		d         float64
		gotTS, dt time.Time
		tm        pgtype.Time
		du        pgtype.Interval
		gotU      [16]byte
		ip        netip.Prefix
		bl        []byte
		v         string
		l         []int32
		s         []string
		m         map[string]any
	)
	err := c.QueryRow(context.Background(), `SELECT id, t, a, b, ti, si, bi, vi, de, f, d, ts, dt, tm, du, u, ip, bl, v, l, s, m FROM every WHERE id = $1`, 1).
		Scan(&id, &tt, &a, &b, &ti, &si, &bi, &vi, &de, &f, &d, &gotTS, &dt, &tm, &du, &gotU, &ip, &bl, &v, &l, &s, &m)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", name, got, want)
		}
	}
	check("id", id, int32(1))
	check("t", tt, "héllo")
	check("a", a, "plain")
	check("b", b, true)
	check("ti", ti, int16(7))
	check("si", si, int16(300))
	check("bi", bi, int64(1)<<40)
	check("vi", vi.Int.String()+"e"+fmt.Sprint(vi.Exp), "12345678901234e0")
	check("de", de, "3.14159")
	check("f", f, float32(1.5))
	check("d", d, 2.25)
	check("ts", gotTS.UTC(), ts)
	check("dt", dt.Format("2006-01-02"), "2024-05-06")
	check("tm", tm.Microseconds, int64(3723000000))
	check("du", du, pgtype.Interval{Months: 1, Days: 2, Microseconds: 3000000, Valid: true})
	check("u", gotU, u)
	check("ip", ip, netip.MustParsePrefix("10.1.2.3/32"))
	check("bl", bl, []byte{1, 2, 255})
	check("v", v, "[1,2,3]")
	check("l", l, []int32{4, 5})
	check("s", s, []string{"x", "y"})
	check("m", m, map[string]any{"k": float64(1)})
}

// TestPgxQueries: filters, GROUP BY, ANN OF, errors with SQLSTATE.
func TestPgxQueries(t *testing.T) {
	c := connect(t, startServer(t, pgwire.Config{}))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE pets (kind text, id int, name text, age int, v vector<float, 2>, PRIMARY KEY ((kind), id))`)
	mustExec(t, c, `CREATE VECTOR INDEX pets_v ON pets (v) WITH OPTIONS = {'metric': 'cosine'}`)
	for i, p := range []struct {
		kind, name string
		age        int
		v          []float32
	}{{"cat", "tom", 3, []float32{1, 0}}, {"cat", "kit", 1, []float32{0.9, 0.1}}, {"dog", "rex", 5, []float32{0, 1}}, {"dog", "fido", 2, []float32{0.1, 0.9}}} {
		mustExec(t, c, `INSERT INTO pets (kind, id, name, age, v) VALUES ($1, $2, $3, $4, $5)`, p.kind, i+1, p.name, p.age, p.v)
	}
	for _, tc := range []struct {
		sql  string
		args []any
		want [][]any
	}{
		{`SELECT name FROM pets WHERE kind = $1 AND age > $2 ORDER BY name`, []any{"cat", 1}, [][]any{{"tom"}}},
		{`SELECT kind, count(*) AS n, max(age) FROM pets GROUP BY kind ORDER BY kind`, nil, [][]any{{"cat", int64(2), int32(3)}, {"dog", int64(2), int32(5)}}},
		{`SELECT name FROM pets ORDER BY v ANN OF $1 LIMIT 2`, []any{[]float32{0, 1}}, [][]any{{"rex"}, {"fido"}}},
		{`SELECT name FROM pets WHERE kind = 'dog' AND id IN ($1, $2) ORDER BY id`, []any{3, 4}, [][]any{{"rex"}, {"fido"}}},
		{`SELECT name FROM pets WHERE kind = $2 AND id = $1`, []any{1, "cat"}, [][]any{{"tom"}}},
		{`SELECT name FROM pets WHERE kind = 'dog' AND id BETWEEN $1 AND $2 ORDER BY id`, []any{3, 3}, [][]any{{"rex"}}},
	} {
		rows, err := c.Query(ctx, tc.sql, tc.args...)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.sql, got, tc.want)
		}
	}
	for _, tc := range []struct {
		sql, code string
		args      []any
	}{
		{`SELEC 1`, "42601", nil},
		{`SELECT * FROM nope`, "42P01", nil},
		{`SELECT nope FROM pets`, "42703", nil},
		{`SELECT * FROM pets p JOIN pets q ON p.id = q.id`, "0A000", nil},
		{`INSERT INTO pets (kind, id, age) VALUES ('cat', 9, $1)`, "22P02", []any{"old"}},
		{`SET TimeZone = 'Europe/Paris'`, "22023", nil},
		{`SET no_such_setting = 1`, "42704", nil},
	} {
		_, err := c.Exec(ctx, tc.sql, tc.args...)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("%s: got %v, want SQLSTATE %s", tc.sql, err, tc.code)
		}
	}
	// The connection is still usable after errors.
	var n int64
	if err := c.QueryRow(ctx, `SELECT count(*) FROM pets`).Scan(&n); err != nil || n != 4 {
		t.Errorf("count after errors: %d, %v", n, err)
	}
}

// TestPgxCatalogAndSchemaChange: the pg_type lookups drivers make,
// computed columns in binary, session functions, and a cached statement
// whose table changed (pgx prepares it again).
func TestPgxCatalogAndSchemaChange(t *testing.T) {
	c := connect(t, startServer(t, pgwire.Config{}))
	ctx := context.Background()
	var name string
	var oid uint32
	if err := c.QueryRow(ctx, `SELECT typname, oid FROM pg_catalog.pg_type WHERE oid = $1`, "1184").Scan(&name, &oid); err != nil || name != "timestamptz" || oid != 1184 {
		t.Errorf("pg_type by oid: %q %d %v", name, oid, err)
	}
	var isArray bool
	var typtype string
	err := c.QueryRow(ctx, `SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid FROM pg_catalog.pg_type WHERE pg_type.oid = 1007`).Scan(&isArray, &typtype, &name, &oid)
	if err != nil || !isArray || typtype != "b" || name != "_int4" || oid != 1007 {
		t.Errorf("JDBC's pg_type lookup: %v %q %q %d %v", isArray, typtype, name, oid, err)
	}
	var ver, db, schema string
	if err := c.QueryRow(ctx, `SELECT version(), current_database(), current_schema()`).Scan(&ver, &db, &schema); err != nil || db != "default_keyspace" || schema != "default_keyspace" || !strings.HasPrefix(ver, "PostgreSQL 16") {
		t.Errorf("session functions: %q %q %q %v", ver, db, schema, err)
	}
	mustExec(t, c, `CREATE TABLE sc (id int PRIMARY KEY, a int)`)
	mustExec(t, c, `INSERT INTO sc (id, a) VALUES (1, 2)`)
	var sum any
	if err := c.QueryRow(ctx, `SELECT a + 1 FROM sc WHERE id = $1`, 1).Scan(&sum); err != nil {
		t.Errorf("computed column: %v", err)
	}
	var n int
	if err := c.QueryRow(ctx, `SELECT * FROM sc WHERE id = 1`).Scan(&n, &n); err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, `ALTER TABLE sc ADD b text`)
	var b any
	err = c.QueryRow(ctx, `SELECT * FROM sc WHERE id = 1`).Scan(&n, &n, &b)
	if err != nil && pgCode(err) != "0A000" {
		t.Errorf("cached SELECT * after ALTER TABLE: %v", err)
	}
	if err := c.QueryRow(ctx, `SELECT * FROM sc WHERE id = 1`).Scan(&n, &n, &b); err != nil {
		t.Errorf("SELECT * after ALTER TABLE, again: %v", err)
	}
}
