package astrasql_test

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// openDDL starts a local Data API server and opens the driver on it.
func openDDL(t *testing.T) *sql.DB {
	t.Helper()
	db, _ := e2eOpen(t)
	return db
}

// queryStrings runs a query and renders every row as "a|b|c", NULL for
// null and a []byte as its text.
func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	return queryRows(t, db, func(v any) string {
		switch x := v.(type) {
		case nil:
			return "NULL"
		case []byte:
			return string(x)
		}
		return fmt.Sprint(v)
	}, q, args...)
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func join(lines []string) string { return strings.Join(lines, "\n") }

// TestDDLEveryTypeAndKeyShape creates tables with every creatable type
// and each primary key shape, then checks that DESCRIBE shows exactly that.
func TestDDLEveryTypeAndKeyShape(t *testing.T) {
	db := openDDL(t)
	tests := []struct {
		ddl, table, describe string
	}{
		{
			`CREATE TABLE scalars (id text PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, de decimal,
				do double, du duration, f float, i inet, n int, s smallint, tm time, ts timestamp, ti tinyint,
				u uuid, vi varint, vc varchar)`, "scalars",
			`id|text|partition_key|1|NULL|NO|PRI|NULL|NULL
a|ascii|regular|NULL|NULL|YES||NULL|NULL
b|bigint|regular|NULL|NULL|YES||NULL|NULL
bl|blob|regular|NULL|NULL|YES||NULL|NULL
bo|boolean|regular|NULL|NULL|YES||NULL|NULL
d|date|regular|NULL|NULL|YES||NULL|NULL
de|decimal|regular|NULL|NULL|YES||NULL|NULL
do|double|regular|NULL|NULL|YES||NULL|NULL
du|duration|regular|NULL|NULL|YES||NULL|NULL
f|float|regular|NULL|NULL|YES||NULL|NULL
i|inet|regular|NULL|NULL|YES||NULL|NULL
n|int|regular|NULL|NULL|YES||NULL|NULL
s|smallint|regular|NULL|NULL|YES||NULL|NULL
ti|tinyint|regular|NULL|NULL|YES||NULL|NULL
tm|time|regular|NULL|NULL|YES||NULL|NULL
ts|timestamp|regular|NULL|NULL|YES||NULL|NULL
u|uuid|regular|NULL|NULL|YES||NULL|NULL
vc|text|regular|NULL|NULL|YES||NULL|NULL
vi|varint|regular|NULL|NULL|YES||NULL|NULL`,
		},
		{
			`CREATE TABLE colls (id int PRIMARY KEY, l list<text>, s set<int>, m map<text, double>,
				mk map<uuid, date>, mi map<int, boolean>, v vector<float, 3>)`, "colls",
			`id|int|partition_key|1|NULL|NO|PRI|NULL|NULL
l|list<text>|regular|NULL|NULL|YES||NULL|NULL
m|map<text, double>|regular|NULL|NULL|YES||NULL|NULL
mi|map<int, boolean>|regular|NULL|NULL|YES||NULL|NULL
mk|map<uuid, date>|regular|NULL|NULL|YES||NULL|NULL
s|set<int>|regular|NULL|NULL|YES||NULL|NULL
v|vector<float, 3>|regular|NULL|NULL|YES||NULL|NULL`,
		},
		{
			`CREATE TABLE compound (a text, b int, c timestamp, d uuid, e text,
				PRIMARY KEY ((a, b), c, d)) WITH CLUSTERING ORDER BY (c DESC, d ASC)`, "compound",
			`a|text|partition_key|1|NULL|NO|PRI|NULL|NULL
b|int|partition_key|2|NULL|NO|PRI|NULL|NULL
c|timestamp|clustering|1|DESC|NO|PRI|NULL|NULL
d|uuid|clustering|2|ASC|NO|PRI|NULL|NULL
e|text|regular|NULL|NULL|YES||NULL|NULL`,
		},
		{
			`CREATE TABLE clustered (p int, c int, v text, PRIMARY KEY (p, c))`, "clustered",
			`p|int|partition_key|1|NULL|NO|PRI|NULL|NULL
c|int|clustering|1|ASC|NO|PRI|NULL|NULL
v|text|regular|NULL|NULL|YES||NULL|NULL`,
		},
		{
			`CREATE TABLE "MixedCase" ("Key" text PRIMARY KEY, "Some Value" int)`, "MixedCase",
			`Key|text|partition_key|1|NULL|NO|PRI|NULL|NULL
Some Value|int|regular|NULL|NULL|YES||NULL|NULL`,
		},
	}
	var names []string
	for _, tt := range tests {
		mustExec(t, db, tt.ddl)
		if got := join(queryStrings(t, db, `DESCRIBE "`+tt.table+`"`)); got != tt.describe {
			t.Errorf("DESCRIBE %s:\n%s\nwant\n%s", tt.table, got, tt.describe)
		}
		names = append(names, tt.table)
	}
	got := queryStrings(t, db, "SHOW TABLES")
	if join(got) != "MixedCase\nclustered\ncolls\ncompound\nscalars" {
		t.Errorf("SHOW TABLES = %v (created %v)", got, names)
	}
	// SHOW COLUMNS is DESCRIBE.
	if a, b := queryStrings(t, db, "SHOW COLUMNS FROM compound"), queryStrings(t, db, "DESC compound"); join(a) != join(b) {
		t.Errorf("SHOW COLUMNS differs from DESC")
	}
	// SHOW CREATE TABLE re-creates the same table.
	create := queryStrings(t, db, "SHOW CREATE TABLE compound")[0]
	cql := strings.SplitN(create, "|", 2)[1]
	mustExec(t, db, strings.Replace(cql, "default_keyspace.compound", "compound2", 1))
	d1, d2 := queryStrings(t, db, "DESCRIBE compound"), queryStrings(t, db, "DESCRIBE compound2")
	if join(d1) != join(d2) {
		t.Errorf("SHOW CREATE TABLE output makes another table:\n%s\n%v\n%v", cql, d1, d2)
	}
}

func TestDDLAlterIndexesAndDrop(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE t (id int PRIMARY KEY, name text, tags set<text>, m map<text, int>, l list<int>, v vector<float, 2>)`)
	mustExec(t, db, `ALTER TABLE t ADD age int`)
	mustExec(t, db, `ALTER TABLE t ADD (email text, scores list<double>)`)
	mustExec(t, db, `ALTER TABLE t DROP (email)`)
	mustExec(t, db, `CREATE INDEX name_idx ON t (name) WITH OPTIONS = {'case_sensitive': false}`)
	mustExec(t, db, `CREATE INDEX IF NOT EXISTS name_idx ON t (name)`)
	mustExec(t, db, `CREATE INDEX ON t (age)`)
	mustExec(t, db, `CREATE INDEX tags_idx ON t (VALUES(tags))`)
	mustExec(t, db, `CREATE INDEX mk_idx ON t (KEYS(m))`)
	mustExec(t, db, `CREATE INDEX l_idx ON t (VALUES(l))`)
	mustExec(t, db, `CREATE CUSTOM INDEX v_idx ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'dot_product'}`)
	got := join(queryStrings(t, db, `SHOW INDEXES FROM t`))
	want := `t|l_idx|l|VALUES(l)|regular|{}
t|mk_idx|m|KEYS(m)|regular|{}
t|name_idx|name|name|regular|{"ascii":false,"caseSensitive":false,"normalize":false}
t|t_age_idx|age|age|regular|{}
t|tags_idx|tags|VALUES(tags)|regular|{}
t|v_idx|v|v|vector|{"metric":"dot_product","sourceModel":"other"}`
	if got != want {
		t.Errorf("SHOW INDEXES:\n%s\nwant\n%s", got, want)
	}
	desc := join(queryStrings(t, db, `DESCRIBE t`))
	wantDesc := `id|int|partition_key|1|NULL|NO|PRI|NULL|NULL
age|int|regular|NULL|NULL|YES|MUL|t_age_idx|NULL
l|list<int>|regular|NULL|NULL|YES|MUL|l_idx|NULL
m|map<text, int>|regular|NULL|NULL|YES|MUL|mk_idx|NULL
name|text|regular|NULL|NULL|YES|MUL|name_idx|NULL
scores|list<double>|regular|NULL|NULL|YES||NULL|NULL
tags|set<text>|regular|NULL|NULL|YES|MUL|tags_idx|NULL
v|vector<float, 2>|regular|NULL|NULL|YES|MUL|v_idx|NULL`
	if desc != wantDesc {
		t.Errorf("DESCRIBE after ALTER:\n%s\nwant\n%s", desc, wantDesc)
	}
	mustExec(t, db, `DROP INDEX name_idx`)
	mustExec(t, db, `DROP INDEX IF EXISTS name_idx`)
	if _, err := db.Exec(`DROP INDEX name_idx`); err == nil {
		t.Error("DROP INDEX of a missing index: no error")
	}
	// The server's own errors come through as *APIError.
	_, err := db.Exec(`CREATE TABLE t (id int PRIMARY KEY)`)
	var ae *astrasql.APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "CANNOT_ADD_EXISTING_TABLE" {
		t.Errorf("CREATE of an existing table: %v", err)
	}
	mustExec(t, db, `CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)`)
	mustExec(t, db, `DROP TABLE t`)
	mustExec(t, db, `DROP TABLE IF EXISTS t`)
	if got := queryStrings(t, db, "SHOW TABLES"); len(got) != 0 {
		t.Errorf("tables left: %v", got)
	}
	// Errors found before anything is sent carry line and column.
	_, err = db.Exec("CREATE TABLE bad (\n  id int PRIMARY KEY,\n  c counter\n)")
	var ue *astrasql.UnsupportedError
	if !errors.As(err, &ue) || ue.Line != 3 || ue.Col != 5 {
		t.Errorf("counter column: %v", err)
	}
}

func TestDDLVectorize(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE docs (id int PRIMARY KEY, body text, v vector<float, 1024> VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA')`)
	got := queryStrings(t, db, `DESCRIBE docs`)
	if len(got) != 3 || got[2] != "v|vector<float, 1024>|regular|NULL|NULL|YES||NULL|nvidia/NV-Embed-QA" {
		t.Fatalf("DESCRIBE docs: %v", got)
	}
	mustExec(t, db, `ALTER TABLE docs ALTER v DROP VECTORIZE`)
	if got := queryStrings(t, db, `DESCRIBE docs`); got[2] != "v|vector<float, 1024>|regular|NULL|NULL|YES||NULL|NULL" {
		t.Fatalf("after DROP VECTORIZE: %v", got)
	}
	mustExec(t, db, `ALTER TABLE docs ALTER v VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA'`)
	if got := queryStrings(t, db, `DESCRIBE docs`); got[2] != "v|vector<float, 1024>|regular|NULL|NULL|YES||NULL|nvidia/NV-Embed-QA" {
		t.Fatalf("after ALTER ... VECTORIZE: %v", got)
	}
}

// TestExplainDDL: EXPLAIN shows the command and runs nothing.
func TestExplainDDL(t *testing.T) {
	db := openDDL(t)
	for sql, want := range map[string]string{
		`EXPLAIN CREATE TABLE x (id int PRIMARY KEY)`: `1|createTable|{"createTable":{"name":"x","definition":{"columns":{"id":{"type":"int"}},"primaryKey":{"partitionBy":["id"],"partitionSort":{}}}}} (POST to keyspace default_keyspace)`,
		`EXPLAIN DROP TABLE x`:                        `1|dropTable|{"dropTable":{"name":"x"}} (POST to keyspace default_keyspace)`,
		`EXPLAIN ALTER TABLE x ADD y int`:             `1|alterTable|{"alterTable":{"operation":{"add":{"columns":{"y":{"type":"int"}}}}}} (POST to table default_keyspace.x)`,
		`EXPLAIN CREATE INDEX i ON x (y)`:             `1|createIndex|{"createIndex":{"name":"i","definition":{"column":"y"}}} (POST to table default_keyspace.x)`,
		`EXPLAIN CREATE VECTOR INDEX vi ON x (v)`:     `1|createVectorIndex|{"createVectorIndex":{"name":"vi","definition":{"column":"v"}}} (POST to table default_keyspace.x)`,
		`EXPLAIN DROP INDEX i`:                        `1|dropIndex|{"dropIndex":{"name":"i"}} (POST to keyspace default_keyspace)`,
		`EXPLAIN SHOW TABLES`:                         `1|listTables|{"listTables":{"options":{"explain":true}}} (POST to keyspace default_keyspace); rows of SHOW TABLES built from the definitions`,
		`EXPLAIN SHOW INDEXES FROM x`:                 `1|listIndexes|{"listIndexes":{"options":{"explain":true}}} (POST to table default_keyspace.x); rows of SHOW INDEXES built from the definitions`,
		`EXPLAIN SHOW KEYSPACES`:                      `1|findKeyspaces|{"findKeyspaces":{}} (POST to the database); rows of SHOW KEYSPACES built from the definitions`,
	} {
		if got := join(queryStrings(t, db, sql)); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", sql, got, want)
		}
	}
	if got := queryStrings(t, db, "SHOW TABLES"); len(got) != 0 {
		t.Fatalf("EXPLAIN ran something: %v", got)
	}
}

func TestShowKeyspaces(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`)
	got := queryStrings(t, db, "SHOW KEYSPACES")
	if !strings.Contains(join(got), "app") || !strings.Contains(join(got), "default_keyspace") {
		t.Fatalf("SHOW KEYSPACES = %v", got)
	}
	mustExec(t, db, `CREATE TABLE app.t (id int PRIMARY KEY)`)
	if got := queryStrings(t, db, "SHOW TABLES FROM app"); join(got) != "t" {
		t.Fatalf("SHOW TABLES FROM app = %v", got)
	}
	if got := queryStrings(t, db, "DESCRIBE app.t"); len(got) != 1 {
		t.Fatalf("DESCRIBE app.t = %v", got)
	}
	mustExec(t, db, `DROP TABLE app.t`)
	mustExec(t, db, `DROP KEYSPACE app`)
}

// TestInformationSchema: generic tools list tables and columns.
func TestInformationSchema(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE users (id uuid PRIMARY KEY, name text, age int)`)
	mustExec(t, db, `CREATE TABLE events (tenant text, ts timestamp, body text, PRIMARY KEY (tenant, ts))`)
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'default_keyspace' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if got := join(queryStrings(t, db, `SELECT table_name, table_type FROM information_schema.tables ORDER BY table_name`)); got != "events|BASE TABLE\nusers|BASE TABLE" {
		t.Errorf("tables: %s", got)
	}
	got := join(queryStrings(t, db, `SELECT column_name, ordinal_position, data_type, is_nullable, column_key
		FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position`, "events"))
	if got != "tenant|1|text|NO|PRI\nts|2|timestamp|NO|PRI\nbody|3|text|YES|" {
		t.Errorf("columns: %s", got)
	}
	if got := join(queryStrings(t, db, `SELECT table_name FROM information_schema.tables`)); got != "users\nevents" && got != "events\nusers" {
		t.Errorf("tables without WHERE: %q", got)
	}
	if got := join(queryStrings(t, db, `SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'default_keyspace'`)); got != "default_keyspace" {
		t.Errorf("schemata: %q", got)
	}
	if got := join(queryStrings(t, db, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'users'`)); got != "3" {
		t.Errorf("count of columns: %q", got)
	}
}

// TestLoopbackDefaultToken: a DSN without a token against a loopback host
// sends the self-hosted default credentials (cassandra/cassandra), as
// `astrasql serve` and a fresh local HCD/DSE install expect.
func TestLoopbackDefaultToken(t *testing.T) {
	t.Setenv(astrasql.TokenEnv, "")
	srv := dataapitest.NewServer(dataapitest.WithToken(astrasql.LocalDefaultToken))
	t.Cleanup(srv.Close)
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, `CREATE TABLE k (id int PRIMARY KEY)`)
	mustExec(t, db, `INSERT INTO k (id) VALUES (1)`)
	if got := join(queryStrings(t, db, `SELECT id FROM k`)); got != "1" {
		t.Errorf("got %q", got)
	}
	// Not loopback: still the clear error, nothing guessed.
	bad, err := sql.Open("astra", "https://db.example.invalid?keyspace=ks")
	if err == nil {
		defer bad.Close()
		err = bad.Ping()
	}
	if err == nil || !strings.Contains(err.Error(), "no token") {
		t.Errorf("non-loopback without a token: %v", err)
	}
}
