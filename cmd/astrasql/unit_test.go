package main

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

func TestRenderProgress(t *testing.T) {
	tests := []struct {
		done, total int
		elapsed     time.Duration
		want        string
	}{
		{0, 1000, 0, "[--------------------]   0%  0/1000 rows  0 rows/s  ETA ?"},
		{500, 1000, 2 * time.Second, "[##########----------]  50%  500/1000 rows  250 rows/s  ETA 2s"},
		{1000, 1000, 4 * time.Second, "[####################] 100%  1000/1000 rows  250 rows/s  ETA 0s"},
		{1200, 0, 2 * time.Second, "1200 rows  600 rows/s"},
	}
	for _, tc := range tests {
		if got := renderProgress(tc.done, tc.total, tc.elapsed); got != tc.want {
			t.Errorf("renderProgress(%d, %d, %v) = %q, want %q", tc.done, tc.total, tc.elapsed, got, tc.want)
		}
	}
}

func TestMetaArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{`\d`, []string{`\d`}, false},
		{`\import  data.csv   videos`, []string{`\import`, "data.csv", "videos"}, false},
		{`\import 'my file.csv' t`, []string{`\import`, "my file.csv", "t"}, false},
		{`\import "a b.csv" t`, []string{`\import`, "a b.csv", "t"}, false},
		{`\import 'oops t`, nil, true},
	}
	for _, tc := range tests {
		got, err := metaArgs(tc.in)
		if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("metaArgs(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestFirstKeyword(t *testing.T) {
	tests := map[string]string{
		"select 1":                   "SELECT",
		"  -- c\n/* x */ (SELECT 1)": "SELECT",
		"insert into t values (1)":   "INSERT",
		"EXPLAIN SELECT 1":           "EXPLAIN",
		"show tables":                "SHOW",
		"-- only a comment":          "",
		"create table t (a int)":     "CREATE",
	}
	for in, want := range tests {
		if got := firstKeyword(in); got != want {
			t.Errorf("firstKeyword(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustType(t *testing.T, s string) typesmap.Type {
	t.Helper()
	ty, err := typesmap.ParseCQL(s)
	if err != nil {
		t.Fatal(err)
	}
	return ty
}

func TestConvertCell(t *testing.T) {
	tests := []struct {
		in, typ string
		want    any
		err     string
	}{
		{"", "int", nil, ""},
		{"hello", "text", "hello", ""},
		{" 42 ", "int", int64(42), ""},
		{"3000000000", "int", nil, "out of range"},
		{"300", "tinyint", nil, "out of range"},
		{"abc", "int", nil, `"abc" is not a valid int`},
		{"true", "boolean", true, ""},
		{"maybe", "boolean", nil, "not a valid boolean"},
		{"1.5", "double", 1.5, ""},
		{"1.5", "float", float32(1.5), ""},
		{"NaN", "double", nil, ""},
		{"12345678901234567890", "varint", "12345678901234567890", ""},
		{"1.25", "decimal", "1.25", ""},
		{"x1", "decimal", nil, "not a valid decimal"},
		{"2024-05-01T12:00:00Z", "timestamp", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), ""},
		{"2024-05-01 12:00:00", "timestamp", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), ""},
		{"yesterday", "timestamp", "yesterday", ""}, // the driver says what is wrong
		{"10.0.0.1", "inet", "10.0.0.1", ""},
		{"10.0.0.300", "inet", nil, "not a valid inet"},
		{"0x01ff", "blob", []byte{1, 0xff}, ""},
		{"aGk=", "blob", nil, "not a blob: write blobs as 0x"},
		{"0xD31001", "blob", []byte{0xd3, 0x10, 0x01}, ""},
		{"0x", "blob", []byte{}, ""},
		{"[0.5, 1, 2]", "vector<float, 3>", []float32{0.5, 1, 2}, ""},
		{"[0.5, 1]", "vector<float, 3>", nil, "vector has 2 numbers, the column takes 3"},
		{"[0.5, \"a\", 1]", "vector<float, 3>", nil, "element 2 is not a number"},
		{`["a", "b"]`, "list<text>", []any{"a", "b"}, ""},
		{`[1, 2]`, "set<int>", []any{int64(1), int64(2)}, ""},
		{`[1, "x"]`, "set<int>", nil, "element 2"},
		{`{"a": 1}`, "map<text, int>", map[string]any{"a": int64(1)}, ""},
		{`{"7": "x"}`, "map<int, text>", map[any]any{int64(7): "x"}, ""},
		{`['a']`, "list<text>", nil, "not a JSON array"},
		{`[[2, "two"]]`, "map<int, text>", map[any]any{int64(2): "two"}, ""},
		{`[[2]]`, "map<int, text>", nil, "entry 1 is not a [key, value] pair"},
		{`[1, "NaN", "-Infinity"]`, "vector<float, 3>", nil, ""},
	}
	// Quoted: "" is an empty string, and only text takes one.
	if v, err := convertCell("", true, mustType(t, "text")); err != nil || v != "" {
		t.Errorf(`"" as text = %#v, %v`, v, err)
	}
	if _, err := convertCell("", true, mustType(t, "int")); err == nil {
		t.Errorf(`"" as int: no error`)
	}
	for _, tc := range tests {
		got, err := convertCell(tc.in, false, mustType(t, tc.typ))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("convertCell(%q, %s) error = %v, want %q", tc.in, tc.typ, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("convertCell(%q, %s): %v", tc.in, tc.typ, err)
			continue
		}
		if tc.in == "NaN" || strings.Contains(tc.in, "Infinity") {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("convertCell(%q, %s) = %#v, want %#v", tc.in, tc.typ, got, tc.want)
		}
	}
}

func TestInsertSQL(t *testing.T) {
	im := &importer{table: "t", cols: []string{"id", "Title", "a b"}}
	want := `INSERT INTO t (id, "Title", "a b") VALUES (?, ?, ?), (?, ?, ?)`
	if got := im.insertSQL(2); got != want {
		t.Errorf("insertSQL = %q, want %q", got, want)
	}
}

func TestComplete(t *testing.T) {
	c := &completer{tables: []string{"films", "fruits"}, columns: map[string][]string{"films": {"title", "year"}}}
	tests := []struct {
		line string
		head string
		want []string
	}{
		{"SEL", "", []string{"SELECT "}},
		{"sel", "", []string{"select "}},
		{"SELECT * FROM f", "SELECT * FROM ", []string{"films ", "float ", "from ", "fruits "}},
		{`\ti`, "", []string{`\timing `}},
		{"SELECT ", "SELECT ", nil},
		{"SELECT * FROM films WHERE ye", "SELECT * FROM films WHERE ", []string{"year "}},
		{"INSERT INTO FILMS (tit", "INSERT INTO FILMS (", []string{"title "}},
		{"SELECT * FROM fruits WHERE ye", "SELECT * FROM fruits WHERE ", nil},
	}
	for _, tc := range tests {
		head, got, tail := c.complete(tc.line, len(tc.line))
		if head != tc.head || tail != "" || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("complete(%q) = %q, %q, %q; want head %q, %q", tc.line, head, got, tail, tc.head, tc.want)
		}
	}
}

// The README's Go quick start and Example_quickStart must stay the same
// code (the example runs it, against a local server).
func TestReadmeQuickStartMatchesExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("no README:", err)
	}
	example, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	body := func(s, end string) string {
		i := strings.Index(s, "defer db.Close()")
		j := strings.Index(s[max(i, 0):], end)
		if i < 0 || j < 0 {
			return ""
		}
		var lines []string
		for _, l := range strings.Split(s[i:i+j], "\n") {
			lines = append(lines, strings.TrimSpace(l))
		}
		return strings.Join(lines, "\n")
	}
	// The README's block also closes func main.
	r := strings.TrimSuffix(strings.TrimSpace(body(string(readme), "```")), "}")
	e := body(string(example), "// Output:")
	if r == "" || strings.TrimSpace(r) != strings.TrimSpace(e) {
		t.Errorf("README quick start and Example_quickStart differ:\nREADME:\n%s\nexample:\n%s", r, e)
	}
}
