package planner

import (
	"fmt"
	"strings"
	"testing"
)

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

// vectorInsert is an INSERT of rows rows, each with a dim-dimension vector
// literal, one row a line.
func vectorInsert(rows, dim int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO users (id, v) VALUES\n")
	for r := range rows {
		if r > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "(%d, [", r)
		for d := range dim {
			if d > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%.6f", float64((r*dim+d)%1000)/1000)
		}
		b.WriteString("])")
	}
	return b.String()
}

// BenchmarkParseVectorRows is the parse time of INSERTs of large vector
// literals (1536 dimensions) by row count: linear means 40 rows take 4x
// the time of 10 (it was quadratic: line and column were recomputed from
// the start of the text for every number). ns/row should stay flat.
func BenchmarkParseVectorRows(b *testing.B) {
	for _, rows := range []int{10, 40} {
		sql := vectorInsert(rows, 1536)
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			b.SetBytes(int64(len(sql)))
			for b.Loop() {
				if _, err := Parse(sql); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
		})
	}
}

// BenchmarkParseFlatList is a SELECT with one literal list of 200,000
// numbers (one line): 45 s before positions were computed incrementally.
func BenchmarkParseFlatList(b *testing.B) {
	sql := "SELECT id FROM users WHERE id IN (0" + strings.Repeat(", 1", 200_000) + ")"
	for b.Loop() {
		if _, err := Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}
