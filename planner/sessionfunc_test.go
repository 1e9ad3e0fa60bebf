package planner

import (
	"context"
	"io"
	"testing"
)

// TestSelectWithoutTable: what ORMs and tools send on connect, run over one
// row built by the driver, with the column names as written.
func TestSelectWithoutTable(t *testing.T) {
	tests := []struct{ sql, cols, want string }{
		{"SELECT 1", "1", "1\n"},
		{"SELECT 1 + 1 AS two", "two", "2\n"},
		{"SELECT DATABASE()", "database()", "default_keyspace\n"},
		{"select current_schema(), current_database()", "current_schema()|current_database()", "default_keyspace|default_keyspace\n"},
		{"SELECT current_schema", "current_schema", "default_keyspace\n"},
		{"SELECT version()", "version()", ServerVersion + "\n"},
		{"SELECT @@version", "@@version", ServerVersion + "\n"},
		{"SELECT upper(database()) AS ks", "ks", "DEFAULT_KEYSPACE\n"},
		{"SELECT 1 FROM dual WHERE database() = 'other'", "1", ""},
		{"SELECT 'a' LIMIT 0", "'a'", ""},
	}
	for _, tt := range tests {
		st, err := Parse(tt.sql)
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		p, err := st.Plan(ddlSchema{})
		if err != nil {
			t.Fatalf("%s: plan: %v", tt.sql, err)
		}
		var names []string
		for _, c := range p.Columns {
			names = append(names, c.Name)
		}
		if got := join(names); got != tt.cols {
			t.Errorf("%s: columns %q, want %q", tt.sql, got, tt.cols)
		}
		res, err := p.Run(context.Background(), &listTablesExecutor{}, nil)
		if err != nil {
			t.Fatalf("%s: run: %v", tt.sql, err)
		}
		var rows []Row
		for {
			r, err := res.Rows.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		if got := rowsText(rows); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.sql, got, tt.want)
		}
	}
	st, err := Parse("SELECT nosuch()")
	if err == nil {
		_, err = st.Plan(ddlSchema{})
	}
	if err == nil {
		t.Error("SELECT nosuch(): no error")
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "|"
		}
		out += x
	}
	return out
}
