package planner

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/typesmap"
)

// ddlSchema is a Schema for plans that need no table definitions.
type ddlSchema struct{}

func (ddlSchema) DefaultKeyspace() string { return "default_keyspace" }
func (ddlSchema) Table(ks, t string) (*typesmap.TableDef, []typesmap.IndexDef, error) {
	return nil, nil, &UnknownTableError{Keyspace: ks, Table: t}
}

var ddlGoldenSQL = []string{
	// CREATE TABLE: every creatable type, key shapes, options.
	`CREATE TABLE IF NOT EXISTS ks.all_types (id text PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, de decimal, do double, du duration, f float, i inet, n int, s smallint, t text, tm time, ts timestamp, ti tinyint, u uuid, vi varint, vc varchar)`,
	`CREATE TABLE c (id int PRIMARY KEY, l list<text>, s set<int>, m map<text, int>, mk map<uuid, date>, v vector<float, 3>)`,
	`create table events (tenant text, day date, ts timestamp, seq int, body text, PRIMARY KEY ((tenant, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC);`,
	`CREATE TABLE p (a int, b int, PRIMARY KEY (a, b))`,
	`CREATE TABLE "Quoted" ("Id" text PRIMARY KEY, "Mixed Case" int)`,
	`CREATE TABLE docs (id uuid PRIMARY KEY, v vector VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA')`,
	`CREATE TABLE docs2 (id uuid PRIMARY KEY, v vector<float, 1536> VECTORIZE USING 'openai' MODEL 'text-embedding-3-small' WITH {'authentication': {'providerKey': 'OPENAI_KEY'}, 'parameters': {'organizationId': 'org'}})`,
	// DROP / ALTER.
	`DROP TABLE t`,
	`DROP TABLE IF EXISTS ks.t`,
	`ALTER TABLE t ADD c int`,
	`ALTER TABLE ks.t ADD (a text, b map<text, int>, v vector<float, 2>)`,
	`ALTER TABLE t DROP c`,
	`ALTER TABLE t DROP (a, b)`,
	`ALTER TABLE t ALTER v VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA'`,
	`ALTER TABLE t ALTER v DROP VECTORIZE`,
	// Indexes.
	`CREATE INDEX age_idx ON t (age)`,
	`CREATE INDEX IF NOT EXISTS ks.name_idx ON ks.t (name) WITH OPTIONS = {'case_sensitive': false, 'normalize': true, 'ascii': true}`,
	`CREATE INDEX ON t (KEYS(m))`,
	`CREATE INDEX mv ON t (VALUES(m))`,
	`CREATE INDEX me ON t (ENTRIES(m))`,
	`CREATE INDEX lv ON t (VALUES(l))`,
	`CREATE INDEX sv ON t (s)`,
	`CREATE VECTOR INDEX v_idx ON t (v)`,
	`CREATE VECTOR INDEX IF NOT EXISTS v_idx ON t (v) WITH metric = 'dot_product'`,
	`CREATE VECTOR INDEX v_idx ON t (v) WITH metric = 'euclidean' AND source_model = 'openai-v3-small'`,
	`CREATE CUSTOM INDEX v_idx ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'COSINE'}`,
	`CREATE CUSTOM INDEX IF NOT EXISTS n_idx ON t (name) USING 'sai'`,
	`CREATE TEXT INDEX body_idx ON t (body) WITH analyzer = 'english'`,
	`DROP INDEX age_idx`,
	`DROP INDEX IF EXISTS ks.age_idx`,
	`CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
	`DROP KEYSPACE app`,
	// Introspection.
	`SHOW TABLES`,
	`SHOW TABLES FROM ks LIKE 'ev%'`,
	`DESCRIBE t`,
	`DESC ks.t`,
	`SHOW COLUMNS FROM t`,
	`SHOW COLUMNS FROM t IN ks`,
	`SHOW INDEXES FROM ks.t`,
	`SHOW KEYSPACES`,
	`SHOW CREATE TABLE t`,
	`EXPLAIN CREATE TABLE e (id int PRIMARY KEY)`,
	// Errors: line:column and what was expected.
	`CREATE TABLE t (id int PRIMARY KEY, c counter)`,
	`CREATE TABLE t (id int PRIMARY KEY, c timeuuid)`,
	`CREATE TABLE t (id int PRIMARY KEY, c frozen<list<int>>)`,
	`CREATE TABLE t (id int PRIMARY KEY, c list<set<int>>)`,
	`CREATE TABLE t (id int PRIMARY KEY, c map<duration, int>)`,
	`CREATE TABLE t (id int PRIMARY KEY, c tuple<int, int>)`,
	`CREATE TABLE t (id int PRIMARY KEY, c list<vector<float, 2>>)`,
	`CREATE TABLE t (id int PRIMARY KEY, c address)`,
	"CREATE TABLE t (\n  id int,\n  name text,\n  PRIMARY KEY (id, nme)\n)",
	`CREATE TABLE t (id int, name text)`,
	`CREATE TABLE t (id int PRIMARY KEY, name text PRIMARY KEY)`,
	`CREATE TABLE t (id int PRIMARY KEY, v vector<float>)`,
	`CREATE TABLE t (id int PRIMARY KEY, v vector<float, 0>)`,
	`CREATE TABLE t (id int PRIMARY KEY, n int VECTORIZE USING 'nvidia')`,
	`CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b, c)) WITH CLUSTERING ORDER BY (c DESC)`,
	`CREATE TABLE t (id int PRIMARY KEY) WITH comment = 'x'`,
	`CREATE TABLE t (id int PRIMARY KEY, s int STATIC)`,
	`CREATE TABLE t (l list<int> PRIMARY KEY)`,
	`CREATE TABLE "bad-name" (id int PRIMARY KEY)`,
	`CREATE TABLE t (id int PRIMARY KEY,`,
	`CREATE TABLE t id int`,
	`CREATE TABLE t (id int PRIMARY KEY, x 'text')`,
	`CREATE INDEX i ON t (FULL(l))`,
	`CREATE INDEX i ON t (a, b)`,
	`CREATE INDEX i ON t (a) USING 'org.apache.cassandra.index.sasi.SASIIndex'`,
	`CREATE VECTOR INDEX i ON t (v) WITH metric = 'manhattan'`,
	`CREATE VECTOR INDEX i ON t (v) WITH source_model = 'gpt'`,
	`CREATE INDEX i ON t (a) WITH OPTIONS = {'foo': true}`,
	`CREATE CUSTOM INDEX i ON t (v)`,
	`ALTER TABLE t RENAME a TO b`,
	`ALTER TABLE t ADD a int, b int`,
	`ALTER TABLE t ALTER a TYPE text`,
	`DROP INDEX i ON t`,
	`CREATE MATERIALIZED VIEW mv AS SELECT * FROM t`,
	`ALTER KEYSPACE ks WITH durable_writes = true`,
	`SHOW COLUMNS t`,
	`SHOW GRANTS`,
	`DESCRIBE`,
}

// ddlGolden holds, for each statement, the statement kind and its plan as
// EXPLAIN renders it (or the error).
var ddlGolden = map[string]string{
	"CREATE TABLE IF NOT EXISTS ks.all_types (id text PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, de decimal, do double, du duration, f float, i inet, n int, s smallint, t text, tm time, ts timestamp, ti tinyint, u uuid, vi varint, vc varchar)": "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"all_types\",\"definition\":{\"columns\":{\"id\":{\"type\":\"text\"},\"a\":{\"type\":\"ascii\"},\"b\":{\"type\":\"bigint\"},\"bl\":{\"type\":\"blob\"},\"bo\":{\"type\":\"boolean\"},\"d\":{\"type\":\"date\"},\"de\":{\"type\":\"decimal\"},\"do\":{\"type\":\"double\"},\"du\":{\"type\":\"duration\"},\"f\":{\"type\":\"float\"},\"i\":{\"type\":\"inet\"},\"n\":{\"type\":\"int\"},\"s\":{\"type\":\"smallint\"},\"t\":{\"type\":\"text\"},\"tm\":{\"type\":\"time\"},\"ts\":{\"type\":\"timestamp\"},\"ti\":{\"type\":\"tinyint\"},\"u\":{\"type\":\"uuid\"},\"vi\":{\"type\":\"varint\"},\"vc\":{\"type\":\"text\"}},\"primaryKey\":{\"partitionBy\":[\"id\"],\"partitionSort\":{}}},\"options\":{\"ifNotExists\":true}}} (POST to keyspace ks)\n",
	"CREATE TABLE c (id int PRIMARY KEY, l list<text>, s set<int>, m map<text, int>, mk map<uuid, date>, v vector<float, 3>)":                                                                                                                                         "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"c\",\"definition\":{\"columns\":{\"id\":{\"type\":\"int\"},\"l\":{\"type\":\"list\",\"valueType\":\"text\"},\"s\":{\"type\":\"set\",\"valueType\":\"int\"},\"m\":{\"type\":\"map\",\"keyType\":\"text\",\"valueType\":\"int\"},\"mk\":{\"type\":\"map\",\"keyType\":\"uuid\",\"valueType\":\"date\"},\"v\":{\"type\":\"vector\",\"dimension\":3}},\"primaryKey\":{\"partitionBy\":[\"id\"],\"partitionSort\":{}}}}} (POST to keyspace default_keyspace)\n",
	"create table events (tenant text, day date, ts timestamp, seq int, body text, PRIMARY KEY ((tenant, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC);":                                                                                                "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"events\",\"definition\":{\"columns\":{\"tenant\":{\"type\":\"text\"},\"day\":{\"type\":\"date\"},\"ts\":{\"type\":\"timestamp\"},\"seq\":{\"type\":\"int\"},\"body\":{\"type\":\"text\"}},\"primaryKey\":{\"partitionBy\":[\"tenant\",\"day\"],\"partitionSort\":{\"ts\":-1,\"seq\":1}}}}} (POST to keyspace default_keyspace)\n",
	"CREATE TABLE p (a int, b int, PRIMARY KEY (a, b))":                                              "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"p\",\"definition\":{\"columns\":{\"a\":{\"type\":\"int\"},\"b\":{\"type\":\"int\"}},\"primaryKey\":{\"partitionBy\":[\"a\"],\"partitionSort\":{\"b\":1}}}}} (POST to keyspace default_keyspace)\n",
	"CREATE TABLE \"Quoted\" (\"Id\" text PRIMARY KEY, \"Mixed Case\" int)":                          "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"Quoted\",\"definition\":{\"columns\":{\"Id\":{\"type\":\"text\"},\"Mixed Case\":{\"type\":\"int\"}},\"primaryKey\":{\"partitionBy\":[\"Id\"],\"partitionSort\":{}}}}} (POST to keyspace default_keyspace)\n",
	"CREATE TABLE docs (id uuid PRIMARY KEY, v vector VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA')": "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"docs\",\"definition\":{\"columns\":{\"id\":{\"type\":\"uuid\"},\"v\":{\"type\":\"vector\",\"service\":{\"provider\":\"nvidia\",\"modelName\":\"NV-Embed-QA\"}}},\"primaryKey\":{\"partitionBy\":[\"id\"],\"partitionSort\":{}}}}} (POST to keyspace default_keyspace)\n",
	"CREATE TABLE docs2 (id uuid PRIMARY KEY, v vector<float, 1536> VECTORIZE USING 'openai' MODEL 'text-embedding-3-small' WITH {'authentication': {'providerKey': 'OPENAI_KEY'}, 'parameters': {'organizationId': 'org'}})": "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"docs2\",\"definition\":{\"columns\":{\"id\":{\"type\":\"uuid\"},\"v\":{\"type\":\"vector\",\"dimension\":1536,\"service\":{\"provider\":\"openai\",\"modelName\":\"text-embedding-3-small\",\"authentication\":{\"providerKey\":\"OPENAI_KEY\"},\"parameters\":{\"organizationId\":\"org\"}}}},\"primaryKey\":{\"partitionBy\":[\"id\"],\"partitionSort\":{}}}}} (POST to keyspace default_keyspace)\n",
	"DROP TABLE t":              "DROP TABLE\n1. dropTable {\"dropTable\":{\"name\":\"t\"}} (POST to keyspace default_keyspace)\n",
	"DROP TABLE IF EXISTS ks.t": "DROP TABLE\n1. dropTable {\"dropTable\":{\"name\":\"t\",\"options\":{\"ifExists\":true}}} (POST to keyspace ks)\n",
	"ALTER TABLE t ADD c int":   "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"add\":{\"columns\":{\"c\":{\"type\":\"int\"}}}}}} (POST to table default_keyspace.t)\n",
	"ALTER TABLE ks.t ADD (a text, b map<text, int>, v vector<float, 2>)": "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"add\":{\"columns\":{\"a\":{\"type\":\"text\"},\"b\":{\"type\":\"map\",\"keyType\":\"text\",\"valueType\":\"int\"},\"v\":{\"type\":\"vector\",\"dimension\":2}}}}}} (POST to table ks.t)\n",
	"ALTER TABLE t DROP c":      "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"drop\":{\"columns\":[\"c\"]}}}} (POST to table default_keyspace.t)\n",
	"ALTER TABLE t DROP (a, b)": "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"drop\":{\"columns\":[\"a\",\"b\"]}}}} (POST to table default_keyspace.t)\n",
	"ALTER TABLE t ALTER v VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA'": "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"addVectorize\":{\"columns\":{\"v\":{\"provider\":\"nvidia\",\"modelName\":\"NV-Embed-QA\"}}}}}} (POST to table default_keyspace.t)\n",
	"ALTER TABLE t ALTER v DROP VECTORIZE":                               "ALTER TABLE\n1. alterTable {\"alterTable\":{\"operation\":{\"dropVectorize\":{\"columns\":[\"v\"]}}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX age_idx ON t (age)":                                    "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"age_idx\",\"definition\":{\"column\":\"age\"}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX IF NOT EXISTS ks.name_idx ON ks.t (name) WITH OPTIONS = {'case_sensitive': false, 'normalize': true, 'ascii': true}": "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"name_idx\",\"definition\":{\"column\":\"name\",\"options\":{\"caseSensitive\":false,\"normalize\":true,\"ascii\":true}},\"options\":{\"ifNotExists\":true}}} (POST to table ks.t)\n",
	"CREATE INDEX ON t (KEYS(m))":                                                  "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"t_m_idx\",\"definition\":{\"column\":{\"m\":\"$keys\"}}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX mv ON t (VALUES(m))":                                             "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"mv\",\"definition\":{\"column\":{\"m\":\"$values\"}}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX me ON t (ENTRIES(m))":                                            "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"me\",\"definition\":{\"column\":\"m\"}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX lv ON t (VALUES(l))":                                             "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"lv\",\"definition\":{\"column\":{\"l\":\"$values\"}}}} (POST to table default_keyspace.t)\n",
	"CREATE INDEX sv ON t (s)":                                                     "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"sv\",\"definition\":{\"column\":\"s\"}}} (POST to table default_keyspace.t)\n",
	"CREATE VECTOR INDEX v_idx ON t (v)":                                           "CREATE VECTOR INDEX\n1. createVectorIndex {\"createVectorIndex\":{\"name\":\"v_idx\",\"definition\":{\"column\":\"v\"}}} (POST to table default_keyspace.t)\n",
	"CREATE VECTOR INDEX IF NOT EXISTS v_idx ON t (v) WITH metric = 'dot_product'": "CREATE VECTOR INDEX\n1. createVectorIndex {\"createVectorIndex\":{\"name\":\"v_idx\",\"definition\":{\"column\":\"v\",\"options\":{\"metric\":\"dot_product\"}},\"options\":{\"ifNotExists\":true}}} (POST to table default_keyspace.t)\n",
	"CREATE VECTOR INDEX v_idx ON t (v) WITH metric = 'euclidean' AND source_model = 'openai-v3-small'":                "CREATE VECTOR INDEX\n1. createVectorIndex {\"createVectorIndex\":{\"name\":\"v_idx\",\"definition\":{\"column\":\"v\",\"options\":{\"metric\":\"euclidean\",\"sourceModel\":\"openai-v3-small\"}}}} (POST to table default_keyspace.t)\n",
	"CREATE CUSTOM INDEX v_idx ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'COSINE'}": "CREATE VECTOR INDEX\n1. createVectorIndex {\"createVectorIndex\":{\"name\":\"v_idx\",\"definition\":{\"column\":\"v\",\"options\":{\"metric\":\"cosine\"}}}} (POST to table default_keyspace.t)\n",
	"CREATE CUSTOM INDEX IF NOT EXISTS n_idx ON t (name) USING 'sai'":                                                  "CREATE INDEX\n1. createIndex {\"createIndex\":{\"name\":\"n_idx\",\"definition\":{\"column\":\"name\"},\"options\":{\"ifNotExists\":true}}} (POST to table default_keyspace.t)\n",
	"CREATE TEXT INDEX body_idx ON t (body) WITH analyzer = 'english'":                                                 "CREATE TEXT INDEX\n1. createTextIndex {\"createTextIndex\":{\"name\":\"body_idx\",\"definition\":{\"column\":\"body\",\"options\":{\"analyzer\":\"english\"}}}} (POST to table default_keyspace.t)\n",
	"DROP INDEX age_idx":              "DROP INDEX\n1. dropIndex {\"dropIndex\":{\"name\":\"age_idx\"}} (POST to keyspace default_keyspace)\n",
	"DROP INDEX IF EXISTS ks.age_idx": "DROP INDEX\n1. dropIndex {\"dropIndex\":{\"name\":\"age_idx\",\"options\":{\"ifExists\":true}}} (POST to keyspace ks)\n",
	"CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}": "CREATE KEYSPACE\n1. createKeyspace {\"createKeyspace\":{\"name\":\"app\",\"options\":{\"replication\":{\"class\":\"SimpleStrategy\",\"replication_factor\":1}}}} (POST to the database)\n",
	"DROP KEYSPACE app":                               "DROP KEYSPACE\n1. dropKeyspace {\"dropKeyspace\":{\"name\":\"app\"}} (POST to the database)\n",
	"SHOW TABLES":                                     "SHOW TABLES\n1. listTables {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace default_keyspace); rows of SHOW TABLES built from the definitions\n",
	"SHOW TABLES FROM ks LIKE 'ev%'":                  "SHOW TABLES\n1. listTables {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace ks); rows of SHOW TABLES built from the definitions, LIKE 'ev%'\n",
	"DESCRIBE t":                                      "DESCRIBE\n1. listTables+listIndexes {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace default_keyspace); then {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table default_keyspace.t); rows of DESCRIBE built from the definitions\n",
	"DESC ks.t":                                       "DESCRIBE\n1. listTables+listIndexes {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace ks); then {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table ks.t); rows of DESCRIBE built from the definitions\n",
	"SHOW COLUMNS FROM t":                             "DESCRIBE\n1. listTables+listIndexes {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace default_keyspace); then {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table default_keyspace.t); rows of DESCRIBE built from the definitions\n",
	"SHOW COLUMNS FROM t IN ks":                       "DESCRIBE\n1. listTables+listIndexes {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace ks); then {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table ks.t); rows of DESCRIBE built from the definitions\n",
	"SHOW INDEXES FROM ks.t":                          "SHOW INDEXES\n1. listIndexes {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table ks.t); rows of SHOW INDEXES built from the definitions\n",
	"SHOW KEYSPACES":                                  "SHOW KEYSPACES\n1. findKeyspaces {\"findKeyspaces\":{}} (POST to the database); rows of SHOW KEYSPACES built from the definitions\n",
	"SHOW CREATE TABLE t":                             "SHOW CREATE TABLE\n1. listTables+listIndexes {\"listTables\":{\"options\":{\"explain\":true}}} (POST to keyspace default_keyspace); then {\"listIndexes\":{\"options\":{\"explain\":true}}} (POST to table default_keyspace.t); rows of SHOW CREATE TABLE built from the definitions\n",
	"EXPLAIN CREATE TABLE e (id int PRIMARY KEY)":     "CREATE TABLE\n1. createTable {\"createTable\":{\"name\":\"e\",\"definition\":{\"columns\":{\"id\":{\"type\":\"int\"}},\"primaryKey\":{\"partitionBy\":[\"id\"],\"partitionSort\":{}}}}} (POST to keyspace default_keyspace)\n",
	"CREATE TABLE t (id int PRIMARY KEY, c counter)":  "UNSUPPORTED 1:39 type counter for column \"c\" (the Data API cannot create counter columns; it reads them in tables made with CQL)",
	"CREATE TABLE t (id int PRIMARY KEY, c timeuuid)": "UNSUPPORTED 1:39 type timeuuid for column \"c\" (the Data API cannot create timeuuid columns; it reads them in tables made with CQL)",
	"CREATE TABLE t (id int PRIMARY KEY, c frozen<list<int>>)":                                      "UNSUPPORTED 1:39 frozen type for column \"c\" (the Data API creates non-frozen collections only)",
	"CREATE TABLE t (id int PRIMARY KEY, c list<set<int>>)":                                         "SYNTAX 1:39 column \"c\": nested collections (set<int> inside a collection) cannot be created through the Data API",
	"CREATE TABLE t (id int PRIMARY KEY, c map<duration, int>)":                                     "SYNTAX 1:39 column \"c\": map key type cannot be duration",
	"CREATE TABLE t (id int PRIMARY KEY, c tuple<int, int>)":                                        "UNSUPPORTED 1:39 tuple type for column \"c\" (the Data API has no tuples)",
	"CREATE TABLE t (id int PRIMARY KEY, c list<vector<float, 2>>)":                                 "SYNTAX 1:39 column \"c\": vector cannot be nested in a collection",
	"CREATE TABLE t (id int PRIMARY KEY, c address)":                                                "SYNTAX 1:39 column \"c\": unknown type \"address\" (user-defined types are not supported by astrasql DDL)",
	"CREATE TABLE t (\n  id int,\n  name text,\n  PRIMARY KEY (id, nme)\n)":                         "SYNTAX 4:3 primary key column \"nme\" is not defined in the table",
	"CREATE TABLE t (id int, name text)":                                                            "SYNTAX 1:14 table \"t\" has no primary key: add PRIMARY KEY to a column or a PRIMARY KEY (...) clause",
	"CREATE TABLE t (id int PRIMARY KEY, name text PRIMARY KEY)":                                    "SYNTAX 1:37 only one column may say PRIMARY KEY; use PRIMARY KEY ((a, b), c) for a compound key",
	"CREATE TABLE t (id int PRIMARY KEY, v vector<float>)":                                          "SYNTAX 1:37 vector column \"v\" needs a dimension (vector<float, n>) or a VECTORIZE clause",
	"CREATE TABLE t (id int PRIMARY KEY, v vector<float, 0>)":                                       "SYNTAX 1:39 column \"v\": bad type \"vector<float, 0>\": bad CQL type \"vector<float, 0>\" at offset 15: vector dimension must be a positive integer",
	"CREATE TABLE t (id int PRIMARY KEY, n int VECTORIZE USING 'nvidia')":                           "SYNTAX 1:43 VECTORIZE is only allowed on vector columns, and \"n\" is int",
	"CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b, c)) WITH CLUSTERING ORDER BY (c DESC)": "SYNTAX 1:87 CLUSTERING ORDER BY must list the clustering columns in key order: expected clustering column \"b\", found \"c\"",
	"CREATE TABLE t (id int PRIMARY KEY) WITH comment = 'x'":                                        "UNSUPPORTED 1:42 table option \"comment\" (the Data API only takes CLUSTERING ORDER BY)",
	"CREATE TABLE t (id int PRIMARY KEY, s int STATIC)":                                             "UNSUPPORTED 1:43 STATIC columns in CREATE TABLE (the Data API cannot create them)",
	"CREATE TABLE t (l list<int> PRIMARY KEY)":                                                      "SYNTAX 1:17 column \"l\" (list<int>) cannot be part of the primary key: the Data API creates only non-frozen collections",
	"CREATE TABLE \"bad-name\" (id int PRIMARY KEY)":                                                "SYNTAX 1:14 table name \"bad-name\" may only use letters, digits and _ (a Data API rule)",
	"CREATE TABLE t (id int PRIMARY KEY,":                                                           "SYNTAX 1:36 expected column name, found end of statement",
	"CREATE TABLE t id int":                                                                         "SYNTAX 1:16 expected \"(\", found \"id\"",
	"CREATE TABLE t (id int PRIMARY KEY, x 'text')":                                                 "SYNTAX 1:39 column \"x\": bad type \"'text'\": bad CQL type \"'text'\" at offset 0: expected a type name",
	"CREATE INDEX i ON t (FULL(l))":                                                                 "UNSUPPORTED 1:22 FULL() indexes (the Data API indexes no frozen collections)",
	"CREATE INDEX i ON t (a, b)":                                                                    "SYNTAX 1:23 an index covers exactly one column",
	"CREATE INDEX i ON t (a) USING 'org.apache.cassandra.index.sasi.SASIIndex'":                     "UNSUPPORTED 1:31 index class \"org.apache.cassandra.index.sasi.SASIIndex\" (the Data API creates StorageAttachedIndex (SAI) indexes only)",
	"CREATE VECTOR INDEX i ON t (v) WITH metric = 'manhattan'":                                      "SYNTAX 1:21 unknown vector metric manhattan: expected one of cosine, dot_product, euclidean",
	"CREATE VECTOR INDEX i ON t (v) WITH source_model = 'gpt'":                                      "SYNTAX 1:21 unknown vector source model gpt: expected one of ada002, bert, cohere-v3, gecko, nv-qa-4, openai-v3-large, openai-v3-small, other",
	"CREATE INDEX i ON t (a) WITH OPTIONS = {'foo': true}":                                          "SYNTAX 1:14 unknown index option \"foo\": expected ascii, case_sensitive or normalize",
	"CREATE CUSTOM INDEX i ON t (v)":                                                                "SYNTAX 1:31 expected USING 'StorageAttachedIndex', found end of statement",
	"ALTER TABLE t RENAME a TO b":                                                                   "UNSUPPORTED 1:15 ALTER TABLE ... RENAME (the Data API cannot rename columns)",
	"ALTER TABLE t ADD a int, b int":                                                                "SYNTAX 1:24 to add several columns write ADD (c1 type1, c2 type2)",
	"ALTER TABLE t ALTER a TYPE text":                                                               "UNSUPPORTED 1:23 ALTER TABLE ... ALTER column TYPE (the Data API cannot change a column's type)",
	"DROP INDEX i ON t":                                                                             "SYNTAX 1:14 DROP INDEX takes no ON clause: index names are unique in a keyspace",
	"CREATE MATERIALIZED VIEW mv AS SELECT * FROM t":                                                "UNSUPPORTED 1:8 CREATE MATERIALIZED VIEW (the Data API cannot create views)",
	"ALTER KEYSPACE ks WITH durable_writes = true":                                                  "UNSUPPORTED 1:7 ALTER KEYSPACE (only ALTER TABLE)",
	"SHOW COLUMNS t": "SYNTAX 1:14 expected FROM table, found \"t\"",
	"SHOW GRANTS":    "SYNTAX 1:6 expected TABLES, COLUMNS FROM t, INDEXES FROM t, KEYSPACES or CREATE TABLE t after SHOW, found \"GRANTS\"",
	"DESCRIBE":       "SYNTAX 1:9 expected table name, found end of statement",
}

func TestDDLGolden(t *testing.T) {
	for _, sql := range ddlGoldenSQL {
		want, ok := ddlGolden[sql]
		if !ok {
			continue
		}
		var got string
		st, err := Parse(sql)
		if err != nil {
			got = ddlErrString(err)
		} else if p, err := st.Plan(ddlSchema{}); err != nil {
			got = "PLANERR " + err.Error()
		} else {
			got = st.Kind + "\n" + p.String()
		}
		if got != want {
			t.Errorf("%s\n got: %s\nwant: %s", sql, got, want)
		}
	}
	if len(ddlGolden) != len(ddlGoldenSQL) {
		t.Errorf("%d statements, %d golden answers", len(ddlGoldenSQL), len(ddlGolden))
	}
	_ = strings.TrimSpace
}

// ddlErrString renders errors independently of the error types' wording.
func ddlErrString(err error) string {
	var se *SyntaxError
	var ue *UnsupportedError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("SYNTAX %d:%d %s", se.Line, se.Col, se.Msg)
	case errors.As(err, &ue):
		return fmt.Sprintf("UNSUPPORTED %d:%d %s", ue.Line, ue.Col, ue.What)
	}
	return "ERR " + err.Error()
}
