package sqltest

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

var (
	flagN       = flag.Int("sqltest.n", 400, "random statements per run (CI runs the default; raise it to search longer)")
	flagSeed    = flag.Uint64("sqltest.seed", 0, "first seed (0: a fixed default, so that CI runs are repeatable)")
	flagRuns    = flag.Int("sqltest.runs", 2, "seeded runs per table layout")
	flagVerbose = flag.Bool("sqltest.refusals", false, "summarise refusals by their whole message")
	flagMaxFail = flag.Int("sqltest.maxfail", 5, "wrong results reported before a run stops")
)

// pair is the same table on both sides.
type pair struct {
	t    *testing.T
	lite *sql.DB
	astr *sql.DB
	// counts for the summary
	stmts, refused, skipped int
	fails                   int  // wrong results reported
	broken                  bool // the tables differ: stop
	refusals                map[string]int
}

func newPair(t *testing.T, indexes bool) *pair {
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	astr, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=test-token")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { astr.Close() })
	lite, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	lite.SetMaxOpenConns(1) // one connection: one in-memory database
	t.Cleanup(func() { lite.Close() })
	p := &pair{t: t, lite: lite, astr: astr, refusals: map[string]int{}}

	var cql, lsql []string
	for _, c := range columns {
		cql = append(cql, c.name+" "+c.cql)
		lsql = append(lsql, c.name+" "+c.lite)
	}
	p.must(astr, `CREATE TABLE t (`+strings.Join(cql, ", ")+`, PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC)`)
	p.must(lite, `CREATE TABLE t (`+strings.Join(lsql, ", ")+`, PRIMARY KEY (k, c))`)
	p.must(lite, `PRAGMA case_sensitive_like = ON`)
	if indexes {
		for _, c := range []string{"i", "s", "d", "ts"} {
			p.must(astr, `CREATE INDEX t_`+c+` ON t (`+c+`)`)
		}
	}
	return p
}

func (p *pair) must(db *sql.DB, q string, args ...any) {
	p.t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		p.t.Fatalf("%s: %v", q, err)
	}
}

// fill writes the same random rows to both sides.
func (p *pair) fill(g *gen) {
	g.params = false
	for k := 0; k < 5; k++ {
		for c := 0; c < 8; c++ {
			if g.chance(0.2) {
				continue
			}
			row := g.insertRow(k, c)
			p.must(p.astr, `INSERT INTO t (`+strings.Join(plainCols, ", ")+`) VALUES (`+strings.Join(row, ", ")+`)`)
			p.must(p.lite, `INSERT INTO t (`+strings.Join(plainCols, ", ")+`) VALUES (`+strings.Join(row, ", ")+`)`)
		}
	}
}

// result is what a statement gave on one side.
type result struct {
	err  error
	rows []string // rendered rows
}

func (r result) String() string {
	if r.err != nil {
		return "error: " + r.err.Error()
	}
	return fmt.Sprintf("%d rows: %s", len(r.rows), strings.Join(r.rows, " ; "))
}

func run(db *sql.DB, q string, args []any) result {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return result{err: err}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return result{err: err}
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return result{err: err}
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = render(v)
		}
		out = append(out, strings.Join(cells, "|"))
	}
	if err := rows.Err(); err != nil {
		return result{err: err}
	}
	return result{rows: out}
}

// render writes a cell so that equal values of either side print alike:
// numbers (and decimal strings) with 10 significant digits, booleans as
// 1/0 (SQLite's), timestamps in the fixed format the table's text uses.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return num(x)
	case []byte:
		return renderText(string(x))
	case string:
		return renderText(x)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func renderText(s string) string {
	// A decimal comes back from astrasql as its digits; SQLite's REAL as
	// a float64. Text cells that read as numbers print as numbers; the
	// generator's texts never do.
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.TrimSpace(s) == s && s != "" {
		return num(f)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", s); err == nil {
		return s // a timestamp, as SQLite keeps it
	}
	return strconv.Quote(s)
}

func num(f float64) string {
	if f == 0 {
		return "0" // -0 and 0 print alike (issue 12 item 4 is the planner's)
	}
	return strconv.FormatFloat(f, 'g', 10, 64)
}

// compare reports whether two results agree: the same error-freeness and
// rows, in order when ordered is set, else as multisets.
func same(a, b result, ordered bool) bool {
	if len(a.rows) != len(b.rows) {
		return false
	}
	x, y := a.rows, b.rows
	if !ordered {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Sort(x)
		slices.Sort(y)
	}
	return slices.Equal(x, y)
}

// check runs q on both sides. A refusal by astrasql (an error where SQLite
// answers) is counted, not a failure; different rows are a failure, shrunk
// to the smallest query that still differs.
func (p *pair) check(q *query) {
	p.stmts++
	if reason := skipped(q.String()); reason != "" {
		p.skipped++
		return
	}
	l, a := run(p.lite, q.String(), q.args), run(p.astr, q.String(), q.args)
	if l.err != nil {
		p.t.Fatalf("SQLite refused a generated statement (generator bug): %s: %v", q, l.err)
	}
	if a.err != nil {
		p.refused++
		p.refusals[refusalKey(a.err)]++
		return
	}
	if same(l, a, q.total) {
		return
	}
	q, l, a = p.shrink(q)
	p.fails++
	p.t.Errorf("wrong result\n  statement: %s\n  args: %v\n  sqlite:   %s\n  astrasql: %s", q, q.args, l, a)
}

func (p *pair) shrink(q *query) (*query, result, result) {
	l, a := run(p.lite, q.String(), q.args), run(p.astr, q.String(), q.args)
	for progress := true; progress; {
		progress = false
		for _, s := range q.shrinks() {
			sl, sa := run(p.lite, s.String(), s.args), run(p.astr, s.String(), s.args)
			if sl.err == nil && sa.err == nil && !same(sl, sa, s.total) {
				q, l, a, progress = s, sl, sa, true
				break
			}
		}
	}
	return q, l, a
}

func refusalKey(err error) string {
	s := err.Error()
	if *flagVerbose {
		return s
	}
	if i := strings.IndexAny(s, "0123456789'\""); i > 0 && i < 70 {
		s = s[:i]
	}
	if len(s) > 70 {
		s = s[:70]
	}
	return s
}

// TestDifferential compares astrasql (on the local Data API server) with
// SQLite over seeded random tables and statements. Run longer with
//
//	go test -run TestDifferential -sqltest.n=5000 -sqltest.runs=5 -sqltest.seed=7
func TestDifferential(t *testing.T) {
	for _, indexes := range []bool{false, true} {
		for run := 0; run < *flagRuns; run++ {
			seed := *flagSeed + uint64(run) + 1
			name := fmt.Sprintf("indexes=%v/seed=%d", indexes, seed)
			t.Run(name, func(t *testing.T) {
				p := newPair(t, indexes)
				g := &gen{r: rand.New(rand.NewPCG(seed, 12))}
				p.fill(g)
				for i := 0; i < *flagN && !p.broken && p.fails < *flagMaxFail; i++ {
					p.step(g)
				}
				p.compareTables()
				t.Logf("%d statements, %d refused by astrasql, %d skipped (known, listed in skip.go)", p.stmts, p.refused, p.skipped)
				for k, n := range p.refusals {
					t.Logf("  refused %4d: %s", n, k)
				}
			})
		}
	}
}

// step runs one random statement: mostly SELECTs, some writes.
func (p *pair) step(g *gen) {
	switch n := g.pick(20); {
	case n < 15:
		p.check(g.selectQuery())
	default:
		p.write(g)
	}
}
