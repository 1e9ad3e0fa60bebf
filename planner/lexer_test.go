package planner

import (
	"errors"
	"strings"
	"testing"
)

func TestPreLexRewrite(t *testing.T) {
	cases := []struct {
		sql, text string
		params    []string // Text of each Param
		lits      []string
		ann       string
		explain   bool
	}{
		{sql: "SELECT a FROM t WHERE b = ? AND c = ?", text: "SELECT a FROM t WHERE b = :_p1 AND c = :_p2", params: []string{"?", "?"}},
		{sql: "SELECT a FROM t WHERE b = :x AND c = @y AND d = :x", text: "SELECT a FROM t WHERE b = :_p1 AND c = :_p2 AND d = :_p1", params: []string{":x", "@y"}},
		{sql: `SELECT "Col A" FROM "T" WHERE "x""y" = 'it''s'`, text: "SELECT `Col A` FROM `T` WHERE `x\"y` = 'it''s'"},
		{sql: "INSERT INTO t (a, b) VALUES ([1, -2.5, 3e2], {'k': [1], 'l': ?})", text: "INSERT INTO t ( a , b ) VALUES ( :_l1 , :_l2 )", params: []string{"?"}, lits: []string{"[1, -2.5, 3e2]", "{'k': [1], 'l': $1}"}},
		{sql: "SELECT a FROM t WHERE s CONTAINS 'x' AND m CONTAINS KEY :k", text: "SELECT a FROM t WHERE s = _astra_contains(:_l1) AND m = _astra_contains_key(:_l2)", params: []string{":k"}, lits: []string{"'x'", "$1"}},
		{sql: "SELECT a FROM t ORDER BY v ANN OF [0.5, 1] LIMIT 3;", text: "SELECT a FROM t ORDER BY v LIMIT 3", ann: "v [0.5, 1]"},
		{sql: "explain SELECT a FROM t ORDER BY \"V\" ANN OF ? LIMIT 3", text: "SELECT a FROM t ORDER BY `V` LIMIT 3", ann: "V $1", params: []string{"?"}, explain: true},
		{sql: "SELECT a /* ? */ FROM t -- :x\n WHERE b = '?'", text: "SELECT a FROM t WHERE b = '?'"},
		{sql: "SELECT {}, {1, 2}, {a: 1} FROM t", text: "SELECT :_l1 , :_l2 , :_l3 FROM t", lits: []string{"{}", "{1, 2}", "{a: 1}"}},
	}
	for _, c := range cases {
		lx, err := preLex(c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if lx.text != c.text {
			t.Errorf("%s\n got %s\nwant %s", c.sql, lx.text, c.text)
		}
		var ps []string
		for _, p := range lx.params {
			ps = append(ps, p.Text)
		}
		if strings.Join(ps, ",") != strings.Join(c.params, ",") {
			t.Errorf("%s: params %v, want %v", c.sql, ps, c.params)
		}
		var ls []string
		for _, l := range lx.lits {
			ls = append(ls, l.String())
		}
		if strings.Join(ls, "|") != strings.Join(c.lits, "|") {
			t.Errorf("%s: literals %v, want %v", c.sql, ls, c.lits)
		}
		ann := ""
		if lx.ann != nil {
			ann = lx.ann.Column + " " + lx.ann.Value.String()
		}
		if ann != c.ann || lx.explain != c.explain {
			t.Errorf("%s: ann %q explain %v, want %q %v", c.sql, ann, lx.explain, c.ann, c.explain)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		sql       string
		line, col int
		msgPart   string
	}{
		{"SELECT a FROM t WHERE b = ? AND c = :n", 1, 37, "cannot mix positional"},
		{"SELECT a\nFROM t\nWHERE b = 'x", 3, 11, "unterminated string"},
		{"SELECT a FROM t WHERE b = [1, 2", 1, 27, "expected \"]\""},
		{"SELECT a FROM t; SELECT b FROM t", 1, 18, "only one statement"},
		{"SELECT a FROM t WHERE b = {'k': 1 2}", 1, 35, "expected ','"},
		{"SELECT a FROM t WHERE b = {'k':x}", 1, 31, "placeholder"},
		{"SELECT a FROM t\n  WHERE b == 1", 2, 12, "unexpected"},
		{"SELECT a FROM t WHERE", 1, 22, "end of statement"},
		{"EXPLAIN", 1, 8, "EXPLAIN of what"},
		{"", 1, 1, "empty statement"},
		{"SELECT a FROM t WHERE b = ::x", 1, 27, "list placeholders"},
		{"SELECT é FROM t", 1, 8, "unexpected character"},
		{"FROB t", 1, 1, "expected SELECT"},
		{"TRUNCATE", 1, 1, "TRUNCATE [TABLE] name"},
		{"SELECT a FROM t ORDER BY v ANN OF 3", 1, 28, "vector literal"},
	}
	for _, c := range cases {
		_, err := Parse(c.sql)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a SyntaxError", c.sql, err)
			continue
		}
		if se.Line != c.line || se.Col != c.col || !strings.Contains(se.Error(), c.msgPart) {
			t.Errorf("%q: %v (line %d col %d), want line %d col %d with %q", c.sql, err, se.Line, se.Col, c.line, c.col, c.msgPart)
		}
	}
}

func TestNumInput(t *testing.T) {
	cases := map[string]int{
		"SELECT a FROM t": 0,
		"SELECT a FROM t WHERE b = ? AND c IN (?, ?)":  3,
		"SELECT a FROM t WHERE b = :x OR c = :x":       1,
		"INSERT INTO t (a, b) VALUES (@a, [@b, @a])":   2,
		"SELECT a FROM t ORDER BY v ANN OF ? LIMIT ?":  2,
		"UPDATE t SET l = l + [?] WHERE k = ?":         2,
		"SELECT a FROM t WHERE s = '?' AND r = \":x\"": 0,
	}
	for sql, want := range cases {
		st, err := Parse(sql)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if st.NumInput() != want {
			t.Errorf("%s: NumInput %d, want %d", sql, st.NumInput(), want)
		}
	}
}

// FuzzParse: the pre-lexer, parser and planner never panic and always
// return a plan or an error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM users WHERE id = 'a'",
		"SELECT a, b AS c FROM t WHERE x IN (1, 2) AND y BETWEEN ? AND ? ORDER BY z DESC LIMIT 3 OFFSET 1",
		"SELECT id FROM users ORDER BY v ANN OF [0.1, 0.2, 0.3] LIMIT 2",
		"INSERT INTO users (id, tags, attrs) VALUES (:id, {'a', 'b'}, {'k': 1})",
		"UPDATE users SET tags = tags + {'x'}, age = NULL WHERE id = @id",
		"DELETE FROM events WHERE tenant = 'a' AND day = '2024-01-01' AND ts > ?",
		"EXPLAIN SELECT id FROM users WHERE tags CONTAINS 'x' AND attrs CONTAINS KEY 'k';",
		"SELECT \"a\"\"b\" FROM `t` -- c\n/* d */",
		"TRUNCATE TABLE users",
		"CREATE TABLE t (a int PRIMARY KEY)",
		// Deep nesting, above and below MaxNesting (see nesting_test.go).
		"INSERT INTO users (id, tags) VALUES (1, " + strings.Repeat("[", 3000) + strings.Repeat("]", 3000) + ")",
		"INSERT INTO users (id, attrs) VALUES (1, " + strings.Repeat("{'a': ", 500) + "1" + strings.Repeat("}", 500) + ")",
		"SELECT id FROM users WHERE " + strings.Repeat("NOT ", 3000) + "id = 1",
		"SELECT id FROM users WHERE " + strings.Repeat("(", 1500) + "id = 1" + strings.Repeat(")", 1500),
		"SELECT id FROM users WHERE " + strings.Repeat("(", 3000) + "id = 1",
		"SELECT 1" + strings.Repeat("+1", 3000) + " FROM users",
		"SELECT " + strings.Repeat("CASE WHEN ", 800) + "1" + strings.Repeat(" THEN 1 END", 800) + " FROM users",
		"CREATE TABLE t (a int PRIMARY KEY, b " + strings.Repeat("list<", 3000) + "int" + strings.Repeat(">", 3000) + ")",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		st, err := Parse(sql)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		p, err := st.Plan(schema)
		if err != nil {
			return
		}
		_, _ = p.ExplainRows(nil)
	})
}

func TestMaskStrings(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{`SELECT 'a\' FROM t`, []string{`a\`}},
		{`SELECT 'it''s', "x""y" FROM t`, []string{`it's`, `x"y`}},
		{`SELECT 1 -- 'not a string` + "\n" + `, 'b'`, []string{`b`}},
		{`SELECT /* 'no' */ 'yes'`, []string{`yes`}},
		{"SELECT `a'b`, 'c'", []string{`c`}},
		{`SELECT X'0A', 'd'`, []string{`d`}},
	} {
		masked, vals := maskStrings(c.src)
		if len(masked) != len(c.src) {
			t.Errorf("%s: masked length %d", c.src, len(masked))
		}
		var got []string
		for i := 0; i < len(c.src); i++ {
			if v, ok := vals[i]; ok {
				got = append(got, v)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: values %q, want %q", c.src, got, c.want)
		}
	}
	if _, err := Parse(`SELECT 'abc FROM t`); err == nil || !strings.Contains(err.Error(), "unterminated") {
		t.Errorf("unterminated string: %v", err)
	}
}
