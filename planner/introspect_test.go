package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

const eventsDDL = `CREATE TABLE events (tenant text, day date, ts timestamp, seq int, body text, tags set<text>,
	attrs map<text, int>, v vector<float, 3> VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA',
	PRIMARY KEY ((tenant, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)`

func eventsDef(t *testing.T) *typesmap.TableDef {
	t.Helper()
	d, err := parseDDLCommand(eventsDDL)
	if err != nil {
		t.Fatal(err)
	}
	return d.Def
}

var eventsIndexes = []typesmap.IndexDef{
	{Name: "body_idx", Column: "body", IndexType: "regular", Options: map[string]any{"ascii": false, "caseSensitive": true, "normalize": false}},
	{Name: "tags_idx", Column: "tags", Function: "values", IndexType: "regular"},
	{Name: "v_idx", Column: "v", IndexType: "vector", Options: map[string]any{"metric": "cosine", "sourceModel": "other"}},
}

func rowsText(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte('|')
			}
			if v == nil {
				b.WriteString("NULL")
			} else {
				fmt.Fprint(&b, v)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestDescribeRows(t *testing.T) {
	got := rowsText(DescribeRows(eventsDef(t), eventsIndexes))
	want := `tenant|text|partition_key|1|NULL|NO|PRI|NULL|NULL
day|date|partition_key|2|NULL|NO|PRI|NULL|NULL
ts|timestamp|clustering|1|DESC|NO|PRI|NULL|NULL
seq|int|clustering|2|ASC|NO|PRI|NULL|NULL
body|text|regular|NULL|NULL|YES|MUL|body_idx|NULL
tags|set<text>|regular|NULL|NULL|YES|MUL|tags_idx|NULL
attrs|map<text, int>|regular|NULL|NULL|YES||NULL|NULL
v|vector<float, 3>|regular|NULL|NULL|YES|MUL|v_idx|nvidia/NV-Embed-QA
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if len(DescribeColumns) != len(DescribeRows(eventsDef(t), nil)[0]) {
		t.Fatal("DescribeColumns and rows disagree")
	}
}

func TestIndexAndInfoRows(t *testing.T) {
	got := rowsText(IndexRows("events", eventsIndexes))
	want := `events|body_idx|body|body|regular|{"ascii":false,"caseSensitive":true,"normalize":false}
events|tags_idx|tags|VALUES(tags)|regular|{}
events|v_idx|v|v|vector|{"metric":"cosine","sourceModel":"other"}
`
	if got != want {
		t.Fatalf("indexes: got\n%s\nwant\n%s", got, want)
	}
	defs := []typesmap.TableDef{*eventsDef(t)}
	got = rowsText(InfoColumnsRows("ks", defs))
	if !strings.HasPrefix(got, "def|ks|events|tenant|1|NULL|NO|text|NULL|NULL|NULL|NULL|NULL|NULL|utf8|NULL|text|PRI|partition key 1||NEVER||text\n") ||
		!strings.Contains(got, "def|ks|events|ts|3|NULL|NO|timestamp|NULL|NULL|NULL|NULL|NULL|3|NULL|NULL|timestamp|PRI|clustering 1 DESC||NEVER||timestamp\n") ||
		!strings.Contains(got, "def|ks|events|seq|4|NULL|NO|int|NULL|NULL|10|10|0|NULL|NULL|NULL|int|PRI|clustering 2 ASC||NEVER||int\n") ||
		!strings.Contains(got, "def|ks|events|attrs|7|NULL|YES|map|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|map<text, int>||||NEVER||map\n") ||
		!strings.Contains(got, "def|ks|events|v|8|NULL|YES|vector|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|vector<float, 3>||vectorize nvidia NV-Embed-QA||NEVER||vector\n") {
		t.Fatalf("columns view:\n%s", got)
	}
	if got := rowsText(InfoTablesRows("ks", defs)); got != "def|ks|events|BASE TABLE|Astra Data API|NULL|\n" {
		t.Fatalf("tables view: %s", got)
	}
	got = rowsText(InfoStatisticsRows("ks", eventsDef(t), eventsIndexes))
	want = `def|ks|events|0|ks|PRIMARY|1|tenant|NULL|NULL|NULL|NULL||primary|partition key||YES|NULL
def|ks|events|0|ks|PRIMARY|2|day|NULL|NULL|NULL|NULL||primary|partition key||YES|NULL
def|ks|events|0|ks|PRIMARY|3|ts|D|NULL|NULL|NULL||primary|clustering||YES|NULL
def|ks|events|0|ks|PRIMARY|4|seq|A|NULL|NULL|NULL||primary|clustering||YES|NULL
def|ks|events|1|ks|body_idx|1|body|NULL|NULL|NULL|NULL|YES|regular||{"ascii":false,"caseSensitive":true,"normalize":false}|YES|NULL
def|ks|events|1|ks|tags_idx|1|tags|NULL|NULL|NULL|NULL|YES|regular|||YES|VALUES(tags)
def|ks|events|1|ks|v_idx|1|v|NULL|NULL|NULL|NULL|YES|vector||{"metric":"cosine","sourceModel":"other"}|YES|NULL
`
	if got != want {
		t.Fatalf("statistics view: got\n%s\nwant\n%s", got, want)
	}
	for view, cols := range infoViews {
		var rows []Row
		switch view {
		case "schemata":
			rows = SchemataRows([]string{"ks"})
		case "tables":
			rows = InfoTablesRows("ks", defs)
		case "columns":
			rows = InfoColumnsRows("ks", defs)
		case "statistics":
			rows = InfoStatisticsRows("ks", eventsDef(t), eventsIndexes)
		case "table_constraints":
			rows = InfoTableConstraintsRows("ks", defs)
		case "key_column_usage":
			rows = InfoKeyColumnUsageRows("ks", defs)
		}
		if len(rows) == 0 || len(rows[0]) != len(cols) {
			t.Errorf("information_schema.%s: columns and rows disagree", view)
		}
	}
}

// TestCreateTableCQLRoundTrip: SHOW CREATE TABLE's text makes the same table.
func TestCreateTableCQLRoundTrip(t *testing.T) {
	for _, ddl := range []string{eventsDDL,
		`CREATE TABLE "Odd" ("Id" text PRIMARY KEY, "two words" int, v vector VECTORIZE USING 'openai' MODEL 'm' WITH {'authentication': {'providerKey': 'k'}})`,
		`CREATE TABLE p (a int, b int, PRIMARY KEY (a, b))`,
	} {
		d1, err := parseDDLCommand(ddl)
		if err != nil {
			t.Fatal(err)
		}
		cql := CreateTableCQL("", d1.Def)
		d2, err := parseDDLCommand(cql)
		if err != nil {
			t.Fatalf("%s\nre-parse: %v", cql, err)
		}
		j1, _ := d1.Def.MarshalJSON()
		j2, _ := d2.Def.MarshalJSON()
		if string(j1) != string(j2) || d1.Table != d2.Table {
			t.Fatalf("round trip differs:\n%s\n%s\n%s", cql, j1, j2)
		}
	}
}

// listTablesExecutor answers listTables / listIndexes / findKeyspaces from
// fixed definitions, as the server's explain forms.
type listTablesExecutor struct {
	defs    []typesmap.TableDef
	indexes []typesmap.IndexDef
	sent    []string
}

func (e *listTablesExecutor) Read(context.Context, *Command) (RowIter, error) {
	return nil, errors.New("no reads")
}
func (e *listTablesExecutor) InsertMany(context.Context, *Command) (int64, error) {
	return 0, errors.New("no writes")
}
func (e *listTablesExecutor) Do(_ context.Context, c *Command) (json.RawMessage, error) {
	e.sent = append(e.sent, c.Name+" "+c.Keyspace+" "+c.Table)
	switch c.Name {
	case "listTables":
		var parts []string
		for _, d := range e.defs {
			j, _ := d.MarshalJSON()
			parts = append(parts, fmt.Sprintf(`{"name":%q,"definition":%s}`, d.Name, j))
		}
		return json.RawMessage(`{"tables":[` + strings.Join(parts, ",") + `]}`), nil
	case "listIndexes":
		j, _ := json.Marshal(e.indexes)
		return json.RawMessage(`{"indexes":` + string(j) + `}`), nil
	case "findKeyspaces":
		return json.RawMessage(`{"keyspaces":["system","default_keyspace","app"]}`), nil
	}
	return nil, fmt.Errorf("unexpected %s", c.Name)
}

func runPlan(t *testing.T, ex Executor, sql string) (*Plan, string) {
	t.Helper()
	st, err := Parse(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var p *Plan
	if sel, ok := st.ast.(*sqlparser.Select); ok {
		var handled bool
		p, handled, err = planInformationSchema(st, sel, ddlSchema{})
		if !handled {
			t.Fatalf("%s: not an information_schema query", sql)
		}
	} else {
		p, err = st.Plan(ddlSchema{})
	}
	if err != nil {
		t.Fatalf("%s: plan: %v", sql, err)
	}
	res, err := p.Run(context.Background(), ex, nil)
	if err != nil {
		t.Fatalf("%s: run: %v", sql, err)
	}
	var rows []Row
	for {
		r, err := res.Rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		rows = append(rows, r)
	}
	return p, rowsText(rows)
}

func TestIntrospectionPlansRun(t *testing.T) {
	other, _ := parseDDLCommand(`CREATE TABLE users (id uuid PRIMARY KEY, name text, age int)`)
	ex := &listTablesExecutor{defs: []typesmap.TableDef{*eventsDef(t), *other.Def}, indexes: eventsIndexes}
	tests := []struct{ sql, want string }{
		{"SHOW TABLES", "events\nusers\n"},
		{"SHOW TABLES LIKE 'u%'", "users\n"},
		{"SHOW KEYSPACES", "app\ndefault_keyspace\nsystem\n"},
		{"SHOW INDEXES FROM events", rowsText(IndexRows("events", eventsIndexes))},
		{"DESCRIBE events", rowsText(DescribeRows(eventsDef(t), eventsIndexes))},
		{"SHOW CREATE TABLE users", "users|CREATE TABLE default_keyspace.users (\n    id uuid,\n    name text,\n    age int,\n    PRIMARY KEY (id)\n)\n" +
			"users|CREATE INDEX body_idx ON default_keyspace.users (body) WITH OPTIONS = {'ascii': false, 'case_sensitive': true, 'normalize': false}\n" +
			"users|CREATE INDEX tags_idx ON default_keyspace.users (VALUES(tags))\n" +
			"users|CREATE VECTOR INDEX v_idx ON default_keyspace.users (v) WITH metric = 'cosine' AND source_model = 'other'\n"},
		{"SELECT table_name FROM information_schema.tables WHERE table_schema = 'default_keyspace' ORDER BY table_name DESC", "users\nevents\n"},
		{"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position", "id|uuid\nname|text\nage|int\n"},
		{"SELECT column_name FROM information_schema.columns WHERE table_name = 'events' AND column_key = 'PRI' ORDER BY column_name LIMIT 2 OFFSET 1", "seq\ntenant\n"},
		{"SELECT table_name, COUNT(*) AS n FROM information_schema.columns GROUP BY table_name HAVING n > 3 ORDER BY n", "events|8\n"},
		{"SELECT DISTINCT data_type FROM information_schema.columns WHERE data_type LIKE 't%' ORDER BY 1", "text\ntimestamp\n"},
		{"SELECT * FROM information_schema.schemata WHERE schema_name <> 'system'", "def|app\ndef|default_keyspace\n"},
		{"SELECT upper(table_name) FROM information_schema.tables ORDER BY table_type, table_name", "EVENTS\nUSERS\n"},
		{"SELECT index_name, column_name, non_unique FROM information_schema.statistics WHERE table_name = 'events' ORDER BY index_name, seq_in_index", "PRIMARY|tenant|0\nPRIMARY|day|0\nPRIMARY|ts|0\nPRIMARY|seq|0\nbody_idx|body|1\ntags_idx|tags|1\nv_idx|v|1\n"},
		{"SELECT count(*) FROM information_schema.statistics WHERE table_schema = 'default_keyspace' AND table_name = 'events' AND index_name = 'v_idx'", "1\n"},
		{"SELECT column_name, numeric_precision, numeric_scale, datetime_precision, is_nullable = 'YES' FROM information_schema.columns WHERE table_name = 'events' AND ordinal_position IN (3, 4)", "ts|NULL|NULL|3|false\nseq|10|0|NULL|false\n"},
	}
	for _, tt := range tests {
		_, got := runPlan(t, ex, tt.sql)
		if got != tt.want {
			t.Errorf("%s\n got: %q\nwant: %q", tt.sql, got, tt.want)
		}
	}
	// DESCRIBE of a missing table.
	st, _ := Parse("DESCRIBE nope")
	p, _ := st.Plan(ddlSchema{})
	if _, err := p.Run(context.Background(), ex, nil); err == nil {
		t.Fatal("DESCRIBE of a missing table: no error")
	}
}

func TestInformationSchemaExplain(t *testing.T) {
	st, err := Parse("SELECT column_name FROM information_schema.columns WHERE table_name LIKE 'ev%' ORDER BY column_name LIMIT 3")
	if err != nil {
		t.Fatal(err)
	}
	p, ok, err := planInformationSchema(st, st.ast.(*sqlparser.Select), ddlSchema{})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	want := `1. listTables {"listTables":{"options":{"explain":true}}} (POST to keyspace default_keyspace); rows of information_schema.columns built from the definitions
2. filter client-side: table_name like 'ev%' (the rows are built by the driver from the schema)
3. project column_name
4. sort ORDER BY column_name (top 3 rows kept in a heap); client-side: the rows are built by the driver from the schema
5. limit client-side: stop after 3
`
	if got := p.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if _, ok, _ := planInformationSchema(st, selectOf(t, "select * from users"), ddlSchema{}); ok {
		t.Fatal("a plain table taken for information_schema")
	}
	if _, _, err := planInformationSchema(st, selectOf(t, "select * from information_schema.routines"), ddlSchema{}); err == nil {
		t.Fatal("unknown view accepted")
	}
}

func TestPredictWarnings(t *testing.T) {
	def := eventsDef(t)
	tests := []struct {
		filter, sort, want string
	}{
		{``, ``, "ZERO_FILTER_OPERATIONS"},
		{``, `{"v":[0.1,0.2,0.3]}`, ""},
		{`{"body":"x"}`, ``, ""},
		{`{"attrs":{"$keys":{"$in":["a"]}}}`, ``, "MISSING_INDEX on attrs"},
		{`{"tenant":"a","body":"x"}`, ``, "MISSING_INDEX on tenant"},
		{`{"tenant":"a","day":"2024-01-01"}`, ``, ""},
		{`{"tenant":"a"}`, ``, "INCOMPLETE_PRIMARY_KEY_FILTER"},
		{`{"tenant":"a","day":"2024-01-01","seq":1}`, ``, "INCOMPLETE_PRIMARY_KEY_FILTER"},
		{`{"$or":[{"body":"x"},{"seq":{"$gt":1}}]}`, ``, "MISSING_INDEX on seq"},
		{`{"body":"x"}`, `{"ts":1}`, "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED"},
		{`{"tenant":"a","day":"2024-01-01"}`, `{"body":1}`, "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING"},
	}
	for _, tt := range tests {
		c := &Command{Name: "find", Filter: json.RawMessage(tt.filter), Sort: json.RawMessage(tt.sort)}
		got := predictWarnings(def, eventsIndexes, c)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("filter %s sort %s: %q, want %q", tt.filter, tt.sort, got, tt.want)
		}
	}
}

func TestResidualReason(t *testing.T) {
	for cond, want := range map[string]string{
		"name LIKE 'a%'":     "LIKE cannot be expressed",
		"name IS NULL":       "cannot filter on NULL",
		"lower(name) = 'a'":  "functions (LOWER)",
		"age + 1 > 3":        "arithmetic",
		"a = b":              "compares columns only with values",
		"age > 3 OR x <=> 1": "<=>",
	} {
		if got := residualReason(whereOf(t, cond)); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", cond, got, want)
		}
	}
}

func TestCheckUnsupported(t *testing.T) {
	for sql, want := range map[string]string{
		"select * from a join b on a.id = b.id":                      "JOIN (query each table separately",
		"select * from a, b":                                         "joins (several tables in FROM)",
		"select * from a where id in (select id from b)":             "subqueries",
		"select * from (select * from a) x":                          "subqueries in FROM",
		"select * from a union select * from b":                      "UNION (run each SELECT separately",
		"select * from a for update":                                 "SELECT ... FOR UPDATE",
		"insert into a select * from b":                              "INSERT ... SELECT",
		"insert into a (x) values (1) on duplicate key update x = 2": "ON DUPLICATE KEY UPDATE",
		"select * from a where exists (select 1 from b)":             "EXISTS (subquery)",
		"update a set x = 1 limit 3":                                 "UPDATE ... LIMIT",
		"delete from a order by x":                                   "DELETE ... ORDER BY",
		"select group_concat(x) from a":                              "GROUP_CONCAT",
	} {
		ast, err := sqlparser.Parse(sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		err = checkUnsupported(ast)
		var ue *UnsupportedError
		if !errors.As(err, &ue) || !strings.Contains(ue.What, want) {
			t.Errorf("%s: %v, want %q", sql, err, want)
		}
	}
	ast, _ := sqlparser.Parse("select a, count(*) from t where b like 'x%' group by a")
	if err := checkUnsupported(ast); err != nil {
		t.Fatalf("plain query rejected: %v", err)
	}
	for sql, want := range map[string]string{
		"WITH x AS (SELECT 1) SELECT * FROM x":                         "WITH (common table expressions)",
		"SELECT a, row_number() OVER (ORDER BY a) FROM t":              "window functions",
		"SELECT a FROM t INTERSECT SELECT a FROM u":                    "INTERSECT",
		"SELECT a FROM t EXCEPT SELECT a FROM u":                       "EXCEPT",
		"GRANT SELECT ON t TO bob":                                     "GRANT",
		"MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE": "MERGE",
	} {
		err := unsupportedSyntax(sql)
		var ue *UnsupportedError
		if !errors.As(err, &ue) || !strings.Contains(ue.What, want) {
			t.Errorf("%s: %v, want %q", sql, err, want)
		}
	}
	if err := unsupportedSyntax("SELECT * FROM t WHERE"); err != nil {
		t.Errorf("plain syntax error explained as %v", err)
	}
}
