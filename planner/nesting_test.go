package planner

import (
	"errors"
	"strings"
	"testing"
)

// TestNestingLimit: statements nesting deeper than MaxNesting are refused
// with a *SyntaxError saying so and where; statements just under it parse
// and plan (the recursion after the pre-lexer handles that depth).
func TestNestingLimit(t *testing.T) {
	n := MaxNesting
	refused := []struct{ name, sql string }{
		{"brackets", "SELECT id FROM users WHERE " + strings.Repeat("(", n+1) + "id = 1" + strings.Repeat(")", n+1)},
		{"NOT", "SELECT id FROM users WHERE " + strings.Repeat("NOT ", n+1) + "id = 1"},
		{"list literal", "INSERT INTO users (id, tags) VALUES (1, " + strings.Repeat("[", n+1) + strings.Repeat("]", n+1) + ")"},
		{"map literal", "INSERT INTO users (id, attrs) VALUES (1, " + strings.Repeat("{'a': ", n+1) + "1" + strings.Repeat("}", n+1) + ")"},
		{"OR chain", "SELECT id FROM users WHERE id = 1" + strings.Repeat(" OR id = 1", n)},
		{"unary minus", "SELECT id FROM users WHERE age = " + strings.Repeat("- ", n+1) + "1"},
		{"operators inside brackets", "SELECT id FROM users WHERE " + strings.Repeat("(age + ", n/2) + "1" + strings.Repeat(")", n/2)},
		{"CASE", "SELECT " + strings.Repeat("CASE WHEN ", n+1) + "1" + strings.Repeat(" THEN 1 END", n+1) + " FROM users"},
		{"unclosed", "SELECT id FROM users WHERE " + strings.Repeat("(", n+1)},
		{"DDL type", "CREATE TABLE t (a int PRIMARY KEY, b " + strings.Repeat("list<", n+1) + "int" + strings.Repeat(">", n+1) + ")"},
	}
	for _, c := range refused {
		_, err := Parse(c.sql)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "nested too deeply") || se.Line != 1 || se.Col <= 1 {
			t.Errorf("%s: %v, want a *SyntaxError saying nested too deeply, with its place", c.name, err)
		}
	}
	accepted := []struct{ name, sql string }{
		{"brackets (sqlparser allows 200)", "SELECT id FROM users WHERE " + strings.Repeat("(", 150) + "id = 1" + strings.Repeat(")", 150)},
		{"OR chain", "SELECT id FROM users WHERE id = 1" + strings.Repeat(" OR id = 1", n/2-10)},
		{"long IN list", "SELECT id FROM users WHERE id IN (1" + strings.Repeat(", 1", 50*n) + ")"},
		{"many rows", "INSERT INTO users (id, age) VALUES (1, 2)" + strings.Repeat(", (1, 2)", 10*n)},
		{"long vector", "SELECT id FROM users ORDER BY v ANN OF [0.5" + strings.Repeat(", 0.5", 50*n) + "] LIMIT 1"},
	}
	for _, c := range accepted {
		st, err := Parse(c.sql)
		if err != nil {
			t.Errorf("%s: %.300v", c.name, err)
			continue
		}
		if _, err := st.Plan(schema); err != nil && strings.Contains(err.Error(), "nested") {
			t.Errorf("%s: plan: %.300v", c.name, err)
		}
	}
}
