package planner

import (
	"testing"

	"github.com/astrasql/astrasql/typesmap"
)

// TestCreateIndexCQL: each index renders as the statement that sends the
// same create*Index command again.
func TestCreateIndexCQL(t *testing.T) {
	tests := []struct {
		ix       typesmap.IndexDef
		cql, cmd string
	}{
		{typesmap.IndexDef{Name: "name_idx", Column: "name", IndexType: "regular", Options: map[string]any{"ascii": true, "caseSensitive": false, "normalize": true}},
			`CREATE INDEX name_idx ON ks."T" (name) WITH OPTIONS = {'ascii': true, 'case_sensitive': false, 'normalize': true}`,
			`{"createIndex":{"name":"name_idx","definition":{"column":"name","options":{"ascii":true,"caseSensitive":false,"normalize":true}}}}`},
		{typesmap.IndexDef{Name: "k", Column: "m", Function: "keys", IndexType: "regular"},
			`CREATE INDEX k ON ks."T" (KEYS(m))`,
			`{"createIndex":{"name":"k","definition":{"column":{"m":"$keys"}}}}`},
		{typesmap.IndexDef{Name: "e", Column: "m", Function: "entries", IndexType: "regular"},
			`CREATE INDEX e ON ks."T" (ENTRIES(m))`,
			`{"createIndex":{"name":"e","definition":{"column":"m"}}}`},
		{typesmap.IndexDef{Name: "V_idx", Column: "Vec", IndexType: "vector", Options: map[string]any{"metric": "dot_product", "sourceModel": "ada002"}},
			`CREATE VECTOR INDEX "V_idx" ON ks."T" ("Vec") WITH metric = 'dot_product' AND source_model = 'ada002'`,
			`{"createVectorIndex":{"name":"V_idx","definition":{"column":"Vec","options":{"metric":"dot_product","sourceModel":"ada002"}}}}`},
		{typesmap.IndexDef{Name: "body_text", Column: "body", IndexType: "text", Options: map[string]any{"analyzer": map[string]any{"tokenizer": map[string]any{"name": "standard"}, "filters": []any{"lowercase"}}}},
			`CREATE TEXT INDEX body_text ON ks."T" (body) WITH analyzer = {'filters': ['lowercase'], 'tokenizer': {'name': 'standard'}}`,
			`{"createTextIndex":{"name":"body_text","definition":{"column":"body","options":{"analyzer":{"filters":["lowercase"],"tokenizer":{"name":"standard"}}}}}}`},
	}
	for _, tt := range tests {
		got := CreateIndexCQL("ks", "T", tt.ix)
		if got != tt.cql {
			t.Errorf("%s:\n got %s\nwant %s", tt.ix.Name, got, tt.cql)
			continue
		}
		d, err := parseDDLCommand(got)
		if err != nil {
			t.Errorf("%s: re-parse: %v", got, err)
			continue
		}
		if string(d.Body) != tt.cmd {
			t.Errorf("%s:\n sends %s\n want %s", got, d.Body, tt.cmd)
		}
	}
}
