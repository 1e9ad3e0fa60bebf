package planner

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/plans.golden with the current plans")

// renderPlan is what the golden file holds for one statement: EXPLAIN's
// rows and the result columns, or the error.
func renderPlan(sql string) string {
	st, err := Parse(sql)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	p, err := st.Plan(schema)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	b.WriteString(p.String())
	if p.Query {
		var cols []string
		for _, c := range p.Columns {
			cols = append(cols, fmt.Sprintf("%s %s", c.Name, c.Type))
		}
		fmt.Fprintf(&b, "columns: %s\n", strings.Join(cols, ", "))
	}
	return b.String()
}

// TestPlansGolden checks SQL in -> Data API commands and client-side steps
// out, for every statement of testdata/plans.golden ("-- " lines hold the
// SQL; what follows up to the next is the expected plan). Run with -update
// after a deliberate change and review the diff.
func TestPlansGolden(t *testing.T) {
	const path = "testdata/plans.golden"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type golden struct{ sql, want string }
	var cases []golden
	for _, block := range strings.Split("\n"+string(data), "\n-- ")[1:] {
		sql, want, _ := strings.Cut(block, "\n")
		cases = append(cases, golden{sql, want})
	}
	var out strings.Builder
	for _, c := range cases {
		got := renderPlan(c.sql)
		fmt.Fprintf(&out, "-- %s\n%s", c.sql, got)
		if !*update && strings.TrimSpace(got) != strings.TrimSpace(c.want) {
			t.Errorf("%s\n got:\n%s want:\n%s", c.sql, got, c.want)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExplainAbbreviatesLongBinary(t *testing.T) {
	long := `{"$binary":"AAAAADwj1wo8o9cKPPXCjz0j1wo9TMzNPXXCjz2PXCk9o9cKPbhR7D3MzM094Ueu"}`
	short := `{"$binary":"P2ZmZj8zMzMAAAAA"}`
	c := Command{Name: "find", Filter: json.RawMessage(`{"b":` + short + `}`), Sort: json.RawMessage(`{"v":` + long + `}`)}
	got := c.JSON(true)
	want := `{"find":{"filter":{"b":{"$binary":"P2ZmZj8zMzMAAAAA"}},"sort":{"v":{"$binary":"AAAAADwj1wo8o9cK... (48 bytes)"}}}}`
	if got != want {
		t.Errorf("JSON(true) =\n%s\nwant\n%s", got, want)
	}
	if sent := c.JSON(false); !strings.Contains(sent, long) {
		t.Errorf("JSON(false) must keep the value whole: %s", sent)
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "id", "Text Quoted", "a\"b", `a\b`, "é", "a<b>&", "tab\t", "\x7f", "x\u2028y"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}
