package planner

import "testing"

// BenchmarkParsePlan is the per-statement cost without a plan cache:
// pre-lex, parse and plan.
func BenchmarkParsePlan(b *testing.B) {
	for _, sql := range []string{
		"SELECT name, age FROM users WHERE id = ?",
		"SELECT id, name FROM users WHERE age > ? AND tags CONTAINS ? ORDER BY v ANN OF ? LIMIT 10",
		"INSERT INTO users (id, name, age) VALUES (?, ?, ?)",
	} {
		b.Run(sql[:6], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := Parse(sql)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.Plan(schema); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
