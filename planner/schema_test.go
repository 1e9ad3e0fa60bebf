package planner

import (
	"github.com/astrasql/astrasql/typesmap"
)

// testSchema is a fixed schema for planner tests.
type testSchema map[string]struct {
	def *typesmap.TableDef
	idx []typesmap.IndexDef
}

func (s testSchema) DefaultKeyspace() string { return "ks" }

func (s testSchema) Table(ks, name string) (*typesmap.TableDef, []typesmap.IndexDef, error) {
	t, ok := s[ks+"."+name]
	if !ok {
		return nil, nil, &UnknownTableError{Keyspace: ks, Table: name}
	}
	return t.def, t.idx, nil
}

func mustCQL(s string) typesmap.Type {
	t, err := typesmap.ParseCQL(s)
	if err != nil {
		panic(err)
	}
	return t
}

func cols(pairs ...string) []typesmap.Column {
	var out []typesmap.Column
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, typesmap.Column{Name: pairs[i], Type: mustCQL(pairs[i+1])})
	}
	return out
}

var schema = testSchema{
	"ks.users": {
		def: &typesmap.TableDef{Name: "users", PartitionBy: []string{"id"}, Columns: cols(
			"id", "text", "name", "text", "age", "int", "email", "text",
			"tags", "set<text>", "scores", "list<int>", "attrs", "map<text, text>", "counts", "map<int, text>",
			"v", "vector<float, 3>", "data", "blob", "ts", "timestamp", "born", "date", "big", "varint", "price", "decimal", "ratio", "double", "active", "boolean", "d", "duration")},
		idx: []typesmap.IndexDef{{Name: "v_idx", Column: "v", IndexType: "vector", Options: map[string]any{"metric": "cosine"}}},
	},
	"ks.events": {
		def: &typesmap.TableDef{Name: "events", PartitionBy: []string{"tenant", "day"},
			PartitionSort: []typesmap.SortColumn{{Column: "ts", Desc: true}, {Column: "seq"}},
			Columns:       cols("tenant", "text", "day", "date", "ts", "timestamp", "seq", "int", "payload", "text")},
	},
	"other.t": {
		def: &typesmap.TableDef{Name: "t", PartitionBy: []string{"k"}, Columns: cols("k", "int", "val", "text")},
	},
}
