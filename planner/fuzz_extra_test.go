package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

// fuzzExec is an Executor that answers every read with three rows of
// plausible values for the command's columns, so that binding and every
// client-side step (filters, sorts, DISTINCT, GROUP BY, aggregates,
// expressions) run on fuzzed statements and arguments.
type fuzzExec struct{}

func (fuzzExec) Read(_ context.Context, c *Command) (RowIter, error) {
	rows := make([]Row, 3)
	for i := range rows {
		r := make(Row, len(c.Columns))
		for j, col := range c.Columns {
			r[j] = fuzzValue(col.Type, i)
		}
		rows[i] = r
	}
	return NewSliceIter(rows), nil
}

func fuzzValue(t typesmap.Type, i int) any {
	switch t.Kind {
	case typesmap.TinyInt, typesmap.SmallInt, typesmap.Int, typesmap.BigInt, typesmap.Counter:
		return int64(i - 1)
	case typesmap.Text, typesmap.Ascii:
		return []string{"a", "", "zz"}[i]
	case typesmap.Boolean:
		return i%2 == 0
	case typesmap.Float, typesmap.Double:
		return []float64{0.5, -1, 1e300}[i]
	case typesmap.Decimal:
		return []string{"1.50", "-0", "12345678901234567890.1"}[i]
	case typesmap.Timestamp, typesmap.Date:
		return time.Unix(int64(i)*86400, 0).UTC()
	case typesmap.KindVector:
		v := make(typesmap.Vector, t.Dimension)
		for k := range v {
			v[k] = float32(i + k)
		}
		return v
	case typesmap.KindList:
		return typesmap.List{int64(i)}
	case typesmap.KindSet:
		return typesmap.Set{"a"}
	case typesmap.KindMap:
		return typesmap.Map{{Key: "k", Value: "v"}}
	}
	return nil // NULL
}

func (fuzzExec) InsertMany(_ context.Context, c *Command) (int64, error) {
	return int64(len(c.Documents)), nil
}

func (fuzzExec) Do(context.Context, *Command) (json.RawMessage, error) { return nil, nil }

// FuzzPlanRun: a statement that parses and plans is run with fuzzed
// arguments (strings, integers, floats, slices, NULL, by position or by
// name): binding and the client-side steps never panic, and the rows end.
func FuzzPlanRun(f *testing.F) {
	for _, s := range []struct {
		sql string
		s   string
		n   int64
		x   float64
	}{
		{"SELECT id, age FROM users WHERE age > ? ORDER BY name DESC LIMIT 2 OFFSET 1", "x", 3, 0.5},
		{"SELECT name, count(*), max(age), avg(ratio) FROM users GROUP BY name HAVING count(*) > ?", "a", 1, 1},
		{"SELECT DISTINCT age + ? AS a, lower(name) FROM users WHERE name LIKE :p", "%a%", -1, 2},
		{"SELECT id FROM users ORDER BY v ANN OF ? LIMIT ?", "abc", 2, 0.1},
		{"SELECT id, similarity_cosine(v, ?) FROM users ORDER BY v ANN OF [1, 2, 3] LIMIT 3", "", 0, math.Copysign(0, -1)},
		{"INSERT INTO users (id, age, tags, v, born, price) VALUES (?, ?, ?, ?, ?, ?)", "2024-01-01", 9223372036854775807, 1e308},
		{"UPDATE users SET scores = scores + [?], age = ? WHERE id = ?", "k", 5, 3},
		{"UPDATE users SET name = ? WHERE age > ?", "n", 40, 0},
		{"DELETE FROM events WHERE tenant = @t AND day = @d AND ts > @t", "2024-01-01T00:00:00Z", 1, 1},
		{"SELECT tenant, seq FROM events WHERE tenant = ? AND day = ? ORDER BY ts ASC", "t", 0, 0},
		{"SELECT k, val FROM other.t WHERE k IN (?, ?) OR val BETWEEN ? AND 'z'", "q", 7, 7},
		{"EXPLAIN SELECT id FROM users WHERE tags CONTAINS ? AND attrs CONTAINS KEY ?", "t", 1, 1},
		{"SELECT count(DISTINCT age), sum(price), min(born) FROM users WHERE active = ?", "true", 1, 1},
		{"SELECT name AS n, coalesce(ratio, ?) FROM users GROUP BY n ORDER BY max(age) DESC, n LIMIT 2", "0.5", 1, 1},
		{"SELECT DISTINCT CASE WHEN age > ? THEN ratio ELSE 0.5 END FROM users ORDER BY 1 LIMIT 1 OFFSET ?", "1", 1, math.Copysign(0, -1)},
		{"SELECT count(*) FROM information_schema.columns GROUP BY table_name ORDER BY table_name, count(*) LIMIT 1", "", 0, 0},
	} {
		f.Add(s.sql, s.s, s.n, s.x)
	}
	f.Fuzz(func(t *testing.T, sql, s string, n int64, x float64) {
		// A watchdog: a statement that runs for seconds over three rows is
		// a hang worth a crash report with its input.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("FuzzPlanRun: over 10s for %q with (%q, %d, %v)", sql, s, n, x))
			}
		}()
		st, err := Parse(sql)
		if err != nil {
			return
		}
		p, err := st.Plan(schema)
		if err != nil {
			return
		}
		vals := []any{s, n, x, []int64{n}, nil, []float32{float32(x), 1, 2}, []byte(s), map[string]string{s: s}}
		args := make([]Arg, len(st.Params))
		for i, prm := range st.Params {
			args[i] = Arg{Name: prm.Name, Value: vals[(i+int(uint64(n)%8))%len(vals)]}
		}
		if _, err := p.ExplainRows(args); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		res, err := p.Run(context.Background(), fuzzExec{}, args)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if res.Rows == nil {
			return
		}
		defer res.Rows.Close()
		for i := 0; ; i++ {
			if i > 1000 {
				t.Fatalf("%q: over 1000 rows from 3", sql)
			}
			if _, err := res.Rows.Next(); err != nil {
				if err != io.EOF && err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
		}
	})
}
