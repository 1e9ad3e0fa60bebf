package astrasql_test

import (
	"database/sql"
	"testing"
)

// TestInformationSchemaForTools runs the introspection queries ORMs and SQL
// tools send (GORM's MySQL migrator, BI tools' catalog readers), with the
// keyspace given as an argument, against the local server.
func TestInformationSchemaForTools(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE KEYSPACE app`)
	mustExec(t, db, `CREATE TABLE app.orders (shop text, day date, id bigint, total decimal, note text, tags list<text>,
		PRIMARY KEY ((shop, day), id)) WITH CLUSTERING ORDER BY (id DESC)`)
	mustExec(t, db, `CREATE INDEX orders_note ON app.orders (note)`)
	mustExec(t, db, `CREATE TABLE users (id int PRIMARY KEY, name text)`)

	tests := []struct {
		name, sql string
		args      []any
		want      string
	}{
		{"connect", `SELECT DATABASE()`, nil, "default_keyspace"},
		{"connect pg", `SELECT current_schema(), current_database(), version()`, nil, "default_keyspace|default_keyspace|astrasql (Astra Data API)"},
		{"ping", `SELECT 1`, nil, "1"},
		{"has table (GORM)", `SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ? AND table_type = ?`,
			[]any{"app", "orders", "BASE TABLE"}, "1"},
		{"has table, other keyspace", `SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?`,
			[]any{"app", "users"}, "0"},
		{"tables of a keyspace", `SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = :ks`,
			[]any{sql.Named("ks", "default_keyspace")}, "users|NULL"},
		{"has column (GORM)", `SELECT count(*) FROM INFORMATION_SCHEMA.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?`,
			[]any{"app", "orders", "total"}, "1"},
		{"column types (GORM)", `SELECT column_name, column_default, is_nullable = 'YES', data_type, character_maximum_length, column_type, column_key, extra, column_comment, numeric_precision, numeric_scale, datetime_precision FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ORDINAL_POSITION`, // the server's column order
			[]any{"app", "orders"}, "shop|NULL|false|text|NULL|text|PRI|partition key 1||NULL|NULL|NULL\n" +
				"day|NULL|false|date|NULL|date|PRI|partition key 2||NULL|NULL|0\n" +
				"id|NULL|false|bigint|NULL|bigint|PRI|clustering 1 DESC||19|0|NULL\n" +
				"note|NULL|true|text|NULL|text||||NULL|NULL|NULL\n" +
				"tags|NULL|true|list|NULL|list<text>||||NULL|NULL|NULL\n" +
				"total|NULL|true|decimal|NULL|decimal||||NULL|NULL|NULL"},
		{"indexes (GORM)", `SELECT table_name, column_name, index_name, non_unique FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? ORDER BY index_name, seq_in_index`,
			[]any{"app", "orders"}, "orders|shop|PRIMARY|0\norders|day|PRIMARY|0\norders|id|PRIMARY|0\norders|note|orders_note|1"},
		{"has index (GORM)", `SELECT count(*) FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? AND index_name = ?`,
			[]any{"app", "orders", "orders_note"}, "1"},
		{"schema of the connection", `SELECT table_name, table_schema = current_schema() FROM information_schema.tables WHERE table_schema = DATABASE()`, nil, "users|true"},
		{"primary key columns", `SELECT k.column_name, k.ordinal_position FROM information_schema.key_column_usage k WHERE k.table_schema = ? AND k.table_name = ? ORDER BY k.ordinal_position`,
			[]any{"app", "orders"}, "shop|1\nday|2\nid|3"},
		{"constraints", `SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints`, nil, "users|PRIMARY|PRIMARY KEY"},
		{"statistics of every table", `SELECT DISTINCT table_name FROM information_schema.statistics ORDER BY table_name`, nil, "users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := join(queryStrings(t, db, tt.sql, tt.args...)); got != tt.want {
				t.Errorf("%s\n got: %q\nwant: %q", tt.sql, got, tt.want)
			}
		})
	}
	if _, err := db.Query(`SELECT count(*) FROM information_schema.tables WHERE table_schema = ?`, 7); err == nil {
		t.Error("a keyspace given as a number: no error")
	}
}
