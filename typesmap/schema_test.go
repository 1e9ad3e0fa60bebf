package typesmap

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestTypeJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Type
		out  string // MarshalJSON; "" = same as in
	}{
		{"short", `"int"`, Of(Int), `{"type":"int"}`},
		{"long", `{"type":"text"}`, Of(Text), ""},
		{"list", `{"type":"list","valueType":"text"}`, ListOf(Of(Text)), ""},
		{"map", `{"type":"map","keyType":"text","valueType":"int"}`, MapOf(Of(Text), Of(Int)), ""},
		{"map long nested", `{"type":"map","keyType":{"type":"uuid"},"valueType":{"type":"userDefined","udtName":"a"}}`,
			MapOf(Of(UUID), Type{Kind: UserDefined, UDTName: "a"}), `{"type":"map","keyType":"uuid","valueType":{"type":"userDefined","udtName":"a"}}`},
		{"vector", `{"type":"vector","dimension":1024,"service":{"provider":"nvidia","modelName":"nv-embed"}}`,
			Type{Kind: KindVector, Dimension: 1024, Service: &VectorizeService{Provider: "nvidia", ModelName: "nv-embed"}}, ""},
		{"vector string dim", `{"type":"vector","dimension":"5","valueType":"float"}`, Type{Kind: KindVector, Dimension: 5, Value: &Type{Kind: Float}},
			`{"type":"vector","valueType":"float","dimension":5}`},
		{"vector api support", `{"type":"vector","dimension":3,"apiSupport":{"createTable":true,"insert":true,"read":true,"filter":false,"cqlDefinition":"vector<float, 3>"}}`,
			Type{Kind: KindVector, Dimension: 3, APISupport: &APISupport{CreateTable: true, Insert: true, Read: true, CQLDefinition: "vector<float, 3>"}}, ""},
		{"counter", `{"type":"counter","apiSupport":{"createTable":false,"insert":false,"read":true,"filter":true,"cqlDefinition":"counter"}}`,
			Type{Kind: Counter, APISupport: &APISupport{Read: true, Filter: true, CQLDefinition: "counter"}}, ""},
		{"timeuuid", `{"type":"timeuuid","apiSupport":{"createTable":false,"insert":true,"read":true,"filter":true,"cqlDefinition":"timeuuid"}}`,
			Type{Kind: TimeUUID, APISupport: &APISupport{Insert: true, Read: true, Filter: true, CQLDefinition: "timeuuid"}}, ""},
		{"old counter", `{"type":"UNSUPPORTED","apiSupport":{"createTable":false,"insert":false,"read":true,"filter":true,"cqlDefinition":"counter"}}`,
			Type{Kind: Counter, APISupport: &APISupport{Read: true, Filter: true, CQLDefinition: "counter"}},
			`{"type":"counter","apiSupport":{"createTable":false,"insert":false,"read":true,"filter":true,"cqlDefinition":"counter"}}`},
		{"old varchar", `{"type":"UNSUPPORTED","apiSupport":{"createTable":false,"insert":true,"read":true,"filter":true,"cqlDefinition":"varchar"}}`,
			Type{Kind: Text, APISupport: &APISupport{Insert: true, Read: true, Filter: true, CQLDefinition: "varchar"}},
			`{"type":"text","apiSupport":{"createTable":false,"insert":true,"read":true,"filter":true,"cqlDefinition":"varchar"}}`},
		{"unsupported tuple", `{"type":"UNSUPPORTED","apiSupport":{"createTable":false,"insert":false,"read":false,"filter":false,"cqlDefinition":"tuple<int, text>"}}`,
			Type{Kind: Unsupported, APISupport: &APISupport{CQLDefinition: "tuple<int, text>"}}, ""},
		{"frozen map", `{"type":"map","keyType":"text","valueType":"int","apiSupport":{"createTable":false,"insert":true,"read":true,"filter":true,"cqlDefinition":"frozen<map<text, int>>"}}`,
			Type{Kind: KindMap, Key: &Type{Kind: Text}, Value: &Type{Kind: Int}, APISupport: &APISupport{Insert: true, Read: true, Filter: true, CQLDefinition: "frozen<map<text, int>>"}}, ""},
		{"udt with fields", `{"type":"userDefined","udtName":"address","definition":{"fields":{"zip":"int","city":{"type":"text"}}}}`,
			Type{Kind: UserDefined, UDTName: "address", Fields: []Column{{"zip", Of(Int)}, {"city", Of(Text)}}},
			`{"type":"userDefined","udtName":"address","definition":{"fields":{"zip":"int","city":"text"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got Type
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Unmarshal(%s) = %+v, want %+v", tc.in, got, tc.want)
			}
			// MarshalJSON itself: encoding/json would re-escape < and > (same JSON).
			out, err := got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			want := tc.out
			if want == "" {
				want = tc.in
			}
			if string(out) != want {
				t.Fatalf("Marshal = %s, want %s", out, want)
			}
			var again Type
			if err := json.Unmarshal(out, &again); err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("re-Unmarshal = %+v, %v", again, err)
			}
		})
	}
	for _, bad := range []string{`""`, `{}`, `{"type":""}`, `{"type":"vector","dimension":"x"}`, `[1]`, `{"type":"map","keyType":5}`} {
		var got Type
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want error", bad, got)
		}
	}
	if _, err := json.Marshal(Type{}); err == nil {
		t.Error("Marshal of a kindless type succeeded")
	}
}

func TestTableDefJSON(t *testing.T) {
	in := `{"columns":{"p":{"type":"text"},"c":{"type":"int"},"v":{"type":"vector","dimension":2},"m":{"type":"map","keyType":"int","valueType":"text"}},
		"primaryKey":{"partitionBy":["p"],"partitionSort":{"c":-1}}}`
	var d TableDef
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	want := TableDef{
		Columns:       []Column{{"p", Of(Text)}, {"c", Of(Int)}, {"v", VectorOf(2)}, {"m", MapOf(Of(Int), Of(Text))}},
		PartitionBy:   []string{"p"},
		PartitionSort: []SortColumn{{"c", true}},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got %+v", d)
	}
	out, _ := json.Marshal(d)
	if string(out) != `{"columns":{"p":{"type":"text"},"c":{"type":"int"},"v":{"type":"vector","dimension":2},"m":{"type":"map","keyType":"int","valueType":"text"}},"primaryKey":{"partitionBy":["p"],"partitionSort":{"c":-1}}}` {
		t.Fatalf("Marshal = %s", out)
	}
	if !d.IsPrimaryKey("c") || d.IsPrimaryKey("v") || !reflect.DeepEqual(d.PrimaryKey(), []string{"p", "c"}) {
		t.Fatal("primary key helpers")
	}
	if c, ok := d.Column("m"); !ok || c.Type.Kind != KindMap {
		t.Fatal("Column lookup")
	}
	var s TableDef
	if err := json.Unmarshal([]byte(`{"columns":{"id":"text"},"primaryKey":"id"}`), &s); err != nil || !reflect.DeepEqual(s.PartitionBy, []string{"id"}) {
		t.Fatalf("short primary key: %+v %v", s, err)
	}
	out, _ = json.Marshal(s)
	if !strings.Contains(string(out), `"partitionSort":{}`) {
		t.Fatalf("empty partitionSort not written: %s", out)
	}
}

func TestIndexDefJSON(t *testing.T) {
	tests := []struct {
		in   string
		want IndexDef
	}{
		{`{"name":"v_idx","definition":{"column":"v","options":{"metric":"cosine","sourceModel":"other"}},"indexType":"vector"}`,
			IndexDef{Name: "v_idx", Column: "v", IndexType: "vector", Options: map[string]any{"metric": "cosine", "sourceModel": "other"}}},
		{`{"name":"k_idx","definition":{"column":{"m":"$keys"},"options":{}},"indexType":"regular"}`,
			IndexDef{Name: "k_idx", Column: "m", Function: "keys", IndexType: "regular", Options: map[string]any{}}},
		{`{"name":"old","definition":{"column":"UNKNOWN","apiSupport":{"createIndex":false,"filter":false,"cqlDefinition":"CREATE CUSTOM INDEX old ON t (x)"}},"indexType":"UNKNOWN"}`,
			IndexDef{Name: "old", Column: "UNKNOWN", IndexType: "UNKNOWN", APISupport: &IndexAPISupport{CQLDefinition: "CREATE CUSTOM INDEX old ON t (x)"}}},
	}
	for _, tc := range tests {
		var got IndexDef
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("Unmarshal(%s) = %+v", tc.in, got)
		}
		out, err := got.MarshalJSON()
		if err != nil || string(out) != tc.in {
			t.Fatalf("Marshal = %s, %v; want %s", out, err, tc.in)
		}
	}
	if m := tests[0].want.Metric(); m != "cosine" {
		t.Fatalf("Metric = %q", m)
	}
}

func TestParseCQL(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "int", want: "int"},
		{in: "VARCHAR", want: "text"},
		{in: " list < text > ", want: "list<text>"},
		{in: "map<text, frozen<list<int>>>", want: "map<text, list<int>>"},
		{in: "frozen<address>", want: "address"},
		{in: "vector<float, 1024>", want: "vector<float, 1024>"},
		{in: "set<timeuuid>", want: "set<timeuuid>"},
		{in: "vector<int, 3>", err: true},
		{in: "vector<float, 0>", err: true},
		{in: "vector<float, 99999999999999999999>", err: true},
		{in: "map<int>", err: true},
		{in: "list<int", err: true},
		{in: "int extra", err: true},
		{in: "", err: true},
		{in: "<int>", err: true},
		{in: strings.Repeat("list<", 40) + "int" + strings.Repeat(">", 40), err: true},
	}
	for _, tc := range tests {
		got, err := ParseCQL(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("ParseCQL(%q) = %v, want error", tc.in, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseCQL(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestTypeMeta(t *testing.T) {
	if n := DatabaseTypeName(VectorOf(3)); n != "VECTOR" {
		t.Errorf("DatabaseTypeName = %q", n)
	}
	if n := DatabaseTypeName(Type{Kind: UserDefined}); n != "USERDEFINED" {
		t.Errorf("DatabaseTypeName = %q", n)
	}
	if l, ok := Length(VectorOf(768)); !ok || l != 768 {
		t.Errorf("Length(vector) = %d %v", l, ok)
	}
	if _, ok := Length(Of(Int)); ok {
		t.Error("Length(int) ok")
	}
	if _, _, ok := DecimalSize(Of(Decimal)); ok {
		t.Error("DecimalSize(decimal) ok")
	}
	if n, ok := Nullable(Of(Int)); !n || !ok {
		t.Error("Nullable")
	}
	if ScanType(Type{Kind: Unsupported}).Kind() != reflect.Interface {
		t.Error("ScanType(unsupported)")
	}
}
