package sqltest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The generator writes statements that both SQLite and astrasql accept
// with the same meaning:
//   - columns are always named (SELECT * orders columns differently);
//   - strings are standard ('' for a quote, a backslash is a backslash) and
//     LIKE patterns that use a backslash say ESCAPE '\' (SQLite has no
//     default escape; astrasql's is the backslash), with
//     PRAGMA case_sensitive_like on the SQLite side;
//   - INSERT names every column (an INSERT upserts on Astra: with every
//     column named it is SQLite's INSERT OR REPLACE);
//   - UPDATE and DELETE never change key columns;
//   - booleans are compared only with TRUE/FALSE and IS [NOT] NULL (they
//     are 1/0 in SQLite), timestamps only with literals of one fixed-width
//     format, so that SQLite's text order is time order;
//   - decimals are small with at most two fraction digits and meet no
//     arithmetic: SQLite stores them as doubles, exact for these
//     comparisons, and sums and averages are compared with a relative
//     tolerance of 1e-9 (cells are rendered with 10 significant digits).

// column of the table under test.
type column struct {
	name string
	cql  string // astrasql type
	lite string // SQLite type
	kind string // int, float, dec, text, bool, ts
	key  bool
}

var columns = []column{
	{"k", "int", "INTEGER", "int", true},
	{"c", "int", "INTEGER", "int", true},
	{"i", "int", "INTEGER", "int", false},
	{"b", "bigint", "INTEGER", "int", false},
	{"d", "double", "REAL", "float", false},
	{"de", "decimal", "REAL", "dec", false},
	{"s", "text", "TEXT", "text", false},
	{"f", "boolean", "INTEGER", "bool", false},
	{"ts", "timestamp", "TEXT", "ts", false},
}

var texts = []string{"a", "b", "ab", "abc", "A", "x%y", "x_y", "50%", "é", "ü-ß", "日本", "it's", `back\slash`, "", " sp", "zz", "test_1", "testA"}
var floats = []float64{0, 1, -1, 0.5, 1.5, -2.25, 3, 1e10, 100.125, 7, 0.25, 0.1, 0.3}
var decs = []string{"0", "1", "1.0", "1.5", "-2.25", "10.75", "3", "3.00", "0.5", "99.99", "-0.01"}
var stamps = []string{"2024-01-01T00:00:00.000Z", "2024-06-01T12:30:00.000Z", "2023-01-15T08:30:00.000Z", "2025-12-31T23:59:59.000Z", "2024-06-01T00:00:00.000Z"}

// gen draws values and statements from one seeded source.
type gen struct {
	r      *rand.Rand
	args   []any
	params bool // placeholders allowed in this statement
}

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// value is a random value of a kind, as SQL text, or a placeholder with
// its argument appended to g.args.
func (g *gen) value(kind string, nullOK bool) string {
	if nullOK && g.chance(0.08) {
		return "NULL"
	}
	switch kind {
	case "int":
		v := int64(g.pick(21) - 5)
		if g.chance(0.1) {
			v = int64(g.pick(2000000)) - 1000000
		}
		return g.param(v, strconv.FormatInt(v, 10))
	case "float":
		v := floats[g.pick(len(floats))]
		return g.param(v, strconv.FormatFloat(v, 'g', -1, 64))
	case "dec":
		return decs[g.pick(len(decs))]
	case "text":
		s := texts[g.pick(len(texts))]
		return g.param(s, quote(s))
	case "bool":
		if g.chance(0.5) {
			return "TRUE"
		}
		return "FALSE"
	case "ts":
		return quote(stamps[g.pick(len(stamps))])
	}
	panic(kind)
}

// param returns "?" with v as the next argument (sometimes), else lit.
func (g *gen) param(v any, lit string) string {
	if g.params && g.chance(0.2) {
		g.args = append(g.args, v)
		return "?"
	}
	return lit
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// insertRow is a full row as SQL literals (keys not NULL).
func (g *gen) insertRow(k, c int) []string {
	row := make([]string, len(columns))
	for i, col := range columns {
		switch col.name {
		case "k":
			row[i] = strconv.Itoa(k)
		case "c":
			row[i] = strconv.Itoa(c)
		default:
			row[i] = g.value(col.kind, true)
		}
	}
	return row
}

// expr is a node of a WHERE/HAVING tree: a leaf (text) or an operator
// over children, kept as a tree so that failures can be shrunk.
type expr struct {
	op   string // "AND", "OR", "NOT", "" for a leaf
	kids []*expr
	leaf string
}

func (e *expr) String() string {
	switch e.op {
	case "":
		return e.leaf
	case "NOT":
		return "NOT (" + e.kids[0].String() + ")"
	}
	parts := make([]string, len(e.kids))
	for i, k := range e.kids {
		parts[i] = "(" + k.String() + ")"
	}
	return strings.Join(parts, " "+e.op+" ")
}

// pred is a random predicate over the table's columns.
func (g *gen) pred(depth int) *expr {
	if depth > 0 && g.chance(0.35) {
		switch g.pick(3) {
		case 0:
			return &expr{op: "NOT", kids: []*expr{g.pred(depth - 1)}}
		default:
			op := "AND"
			if g.chance(0.4) {
				op = "OR"
			}
			return &expr{op: op, kids: []*expr{g.pred(depth - 1), g.pred(depth - 1)}}
		}
	}
	return &expr{leaf: g.atom()}
}

var cmpOps = []string{"=", "<>", "!=", "<", "<=", ">", ">="}

func (g *gen) atom() string {
	col := columns[g.pick(len(columns))]
	n := col.name
	switch {
	case g.chance(0.08):
		if g.chance(0.5) {
			return n + " IS NULL"
		}
		return n + " IS NOT NULL"
	case col.kind == "bool":
		return n + " = " + g.value("bool", false)
	case col.kind == "text" && g.chance(0.4):
		return g.like(n)
	case g.chance(0.12):
		vals := make([]string, 1+g.pick(4))
		for i := range vals {
			vals[i] = g.value(col.kind, true)
		}
		not := ""
		if g.chance(0.3) {
			not = "NOT "
		}
		return n + " " + not + "IN (" + strings.Join(vals, ", ") + ")"
	case g.chance(0.08) && col.kind != "ts":
		lo, hi := g.value(col.kind, false), g.value(col.kind, false)
		return n + " BETWEEN " + lo + " AND " + hi
	case (col.kind == "int" || col.kind == "float") && g.chance(0.2):
		other := columns[2+g.pick(3)] // i, b or d
		op := []string{"+", "-", "*"}[g.pick(3)]
		return n + " " + op + " " + other.name + " " + cmpOps[g.pick(len(cmpOps))] + " " + g.value(col.kind, false)
	}
	return n + " " + cmpOps[g.pick(len(cmpOps))] + " " + g.value(col.kind, g.chance(0.1))
}

var likePatterns = []string{"a%", "%b", "%a%", "_", "__", "a_c", "x\\%y", "x\\_y", "x%y", "50\\%", "test\\_%", "test_%", "%é%", "日%", "%''%", "", "%", "A%", "%\\\\%"}

func (g *gen) like(n string) string {
	p := likePatterns[g.pick(len(likePatterns))]
	not := ""
	if g.chance(0.25) {
		not = "NOT "
	}
	lit := "'" + p + "'"
	if strings.Contains(p, `\`) {
		return n + " " + not + "LIKE " + lit + ` ESCAPE '\'`
	}
	return n + " " + not + "LIKE " + lit
}

// query is a SELECT kept in parts for shrinking.
type query struct {
	distinct bool
	cols     []string
	where    *expr
	group    []string
	having   *expr
	order    []string // "col ASC"
	limit    int      // -1: none
	offset   int      // -1: none
	total    bool     // ORDER BY makes the order total
	args     []any
}

func (q *query) String() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(strings.Join(q.cols, ", "))
	b.WriteString(" FROM t")
	if q.where != nil {
		b.WriteString(" WHERE " + q.where.String())
	}
	if len(q.group) > 0 {
		b.WriteString(" GROUP BY " + strings.Join(q.group, ", "))
	}
	if q.having != nil {
		b.WriteString(" HAVING " + q.having.String())
	}
	if len(q.order) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(q.order, ", "))
	}
	if q.limit >= 0 {
		fmt.Fprintf(&b, " LIMIT %d", q.limit)
		if q.offset >= 0 {
			fmt.Fprintf(&b, " OFFSET %d", q.offset)
		}
	}
	return b.String()
}

var plainCols = []string{"k", "c", "i", "b", "d", "de", "s", "f", "ts"}

func (g *gen) selectQuery() *query {
	g.args, g.params = nil, true
	q := &query{limit: -1, offset: -1}
	// The select list first: its placeholders come first in the text.
	if g.chance(0.2) {
		g.aggregateQuery(q)
	} else {
		g.plainQuery(q)
	}
	if g.chance(0.75) {
		q.where = g.pred(2)
	}
	q.args = g.args
	return q
}

func (g *gen) plainQuery(q *query) {
	n := 1 + g.pick(4)
	for i := 0; i < n; i++ {
		c := plainCols[g.pick(len(plainCols))]
		if g.chance(0.15) {
			c = []string{"i + 1", "d * 2", "i - b", "k * 10 + c", "coalesce(i, 0)", "'lit'", "7"}[g.pick(7)]
		}
		if g.params && g.chance(0.04) {
			g.args = append(g.args, "P")
			c = "?"
		}
		q.cols = append(q.cols, c)
	}
	if g.chance(0.15) {
		q.distinct = true
	}
	if g.chance(0.5) {
		// An order made total by the key (k, c), or by every selected
		// column under DISTINCT.
		keys := []string{"k", "c"}
		if q.distinct {
			// Constants add nothing to the order (and a number would be
			// read as a position).
			keys = nil
			for _, c := range q.cols {
				if c != "7" && c != "'lit'" && c != "?" {
					keys = append(keys, c)
				}
			}
		}
		if g.chance(0.5) {
			q.order = append(q.order, plainCols[2+g.pick(len(plainCols)-2)]+dir(g))
			if q.distinct {
				q.order = q.order[:0]
			}
		}
		for _, k := range keys {
			q.order = append(q.order, k+dir(g))
		}
		q.total = true
		if g.chance(0.5) {
			q.limit = g.pick(8)
			if g.chance(0.5) {
				q.offset = g.pick(6)
			}
		}
	}
}

func dir(g *gen) string {
	if g.chance(0.5) {
		return " DESC"
	}
	return " ASC"
}

var aggs = []string{"COUNT(*)", "COUNT(i)", "COUNT(s)", "SUM(i)", "SUM(b)", "MIN(i)", "MAX(d)", "MIN(s)", "MAX(ts)", "AVG(d)", "SUM(d)", "COUNT(DISTINCT i)"}

func (g *gen) aggregateQuery(q *query) {
	if g.chance(0.6) {
		grp := []string{"k", "f", "i", "s", "de", "d"}[g.pick(6)]
		q.group = []string{grp}
		q.cols = append(q.cols, grp)
		q.order = []string{grp + dir(g)}
		q.total = true
		if g.chance(0.3) {
			q.having = &expr{leaf: "COUNT(*) " + cmpOps[3+g.pick(4)] + " " + strconv.Itoa(g.pick(4))}
		}
		if g.chance(0.2) {
			// An aliased aggregate named by HAVING.
			q.cols = append(q.cols, "SUM(i) AS total")
			q.having = &expr{leaf: "total > " + strconv.Itoa(g.pick(10))}
		}
	}
	n := 1 + g.pick(3)
	for i := 0; i < n; i++ {
		q.cols = append(q.cols, aggs[g.pick(len(aggs))])
	}
}

// shrinks lists simpler variants of q, each one step smaller.
func (q *query) shrinks() []*query {
	var out []*query
	cp := func() *query {
		c := *q
		c.cols = append([]string(nil), q.cols...)
		c.order = append([]string(nil), q.order...)
		return &c
	}
	if q.where != nil && !strings.Contains(q.where.String(), "?") {
		c := cp()
		c.where = nil
		out = append(out, c)
		for _, w := range q.where.smaller() {
			c := cp()
			c.where = w
			out = append(out, c)
		}
	}
	if q.having != nil {
		c := cp()
		c.having = nil
		out = append(out, c)
	}
	if q.limit >= 0 {
		c := cp()
		c.limit, c.offset = -1, -1
		out = append(out, c)
		if q.offset >= 0 {
			c := cp()
			c.offset = -1
			out = append(out, c)
		}
	}
	if q.distinct {
		c := cp()
		c.distinct = false
		out = append(out, c)
	}
	if len(q.cols) > 1 && len(q.group) == 0 {
		for i := range q.cols {
			c := cp()
			c.cols = append(c.cols[:i], c.cols[i+1:]...)
			if !q.distinct || !q.total {
				out = append(out, c)
			}
		}
	}
	if len(q.order) > 0 && q.limit < 0 {
		c := cp()
		c.order, c.total = nil, false
		out = append(out, c)
	}
	return out
}

// smaller lists the trees one step simpler than e (placeholders kept:
// a tree with ? is not shrunk, its arguments would no longer line up).
func (e *expr) smaller() []*expr {
	if e.op == "" {
		return nil
	}
	var out []*expr
	out = append(out, e.kids...)
	for i, k := range e.kids {
		for _, s := range k.smaller() {
			n := &expr{op: e.op, kids: append([]*expr(nil), e.kids...)}
			n.kids[i] = s
			out = append(out, n)
		}
	}
	return out
}
