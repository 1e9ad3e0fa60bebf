package planner

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
)

// GROUP BY and aggregates over streamed rows: COUNT(*), COUNT(x),
// COUNT(DISTINCT x), SUM, AVG, MIN, MAX (each also with DISTINCT), then
// HAVING. Memory holds one state per group (plus the distinct values of
// DISTINCT aggregates), within the memory budget.
//
// Results: COUNT is an int64. SUM of integers is a bigint (int64; a sum
// past its range is an error), of varints a *big.Int; SUM of decimals is an
// exact decimal string with the largest input scale; SUM of floats a
// float64 (Neumaier summation). AVG is a float64, except over
// decimals (an exact decimal string, rounded to 20 fractional digits when
// it does not terminate). MIN and MAX keep the column's type. Over no rows
// COUNT is 0 and the others NULL; without GROUP BY there is always one row.
// Groups come out in order of first appearance (use ORDER BY to order them).

// aggregateFuncs is the one registry of aggregate names: true for the
// aggregates the driver computes, false for those it recognises (so a
// query using them takes the aggregate path) and refuses by name.
var aggregateFuncs = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"group_concat": false, "std": false, "stddev": false, "stddev_pop": false, "stddev_samp": false,
	"variance": false, "var_pop": false, "var_samp": false, "bit_and": false, "bit_or": false, "bit_xor": false}

// isAggregate reports whether name is an aggregate, computed or refused.
func isAggregate(name string) bool {
	_, ok := aggregateFuncs[name]
	return ok
}

// aggSpec is one aggregate call.
type aggSpec struct {
	fn       string // count, sum, avg, min, max
	star     bool   // COUNT(*)
	distinct bool
	arg      Expr
	key      string // canonical text, to match the same call elsewhere
	k        vkind
	typ      typesmap.Type
}

type aggregateOp struct {
	groupBy  []Expr
	groupTxt []string
	aggs     []*aggSpec
	out      []Expr // select list over [group keys..., aggregates...]
	having   Expr
	names    []string
	budget   int64
	global   bool // no GROUP BY: exactly one output row
}

// newAggregateOpTyped plans GROUP BY, aggregates and HAVING of sel over
// input rows with the given columns (types make SUM/MIN/MAX of decimal
// columns exact; Kind "" when unknown). Bind variables (:_p1, :_l1) are
// resolved from the Binding at Open. The output columns are sel's select
// list in order, aliases applied; ORDER BY, DISTINCT and LIMIT run after.
func newAggregateOpTyped(sel *sqlparser.Select, input []typesmap.Column) (RowOp, []ResultColumn, error) {
	return newAggregateOp(sel, input, nil)
}

// newAggregateOp is newAggregateOpTyped with hidden output columns after
// the select list: ORDER BY keys that are not result columns (a group key,
// an aggregate), computed per group like the select list and dropped
// after the sort.
func newAggregateOp(sel *sqlparser.Select, input []typesmap.Column, hidden []sqlparser.Expr) (RowOp, []ResultColumn, error) {
	in := &exprCompiler{}
	for _, c := range input {
		in.names = append(in.names, c.Name)
		in.kinds = append(in.kinds, kindOfType(c.Type))
	}
	op := &aggregateOp{budget: DefaultMemoryBudget, global: len(sel.GroupBy) == 0}

	// Select items, with aliases for GROUP BY / HAVING references.
	type item struct {
		expr  sqlparser.Expr
		alias string
	}
	var items []item
	for _, se := range sel.SelectExprs {
		switch x := se.(type) {
		case *sqlparser.AliasedExpr:
			items = append(items, item{x.Expr, x.As.String()})
		case *sqlparser.StarExpr:
			return nil, nil, fmt.Errorf("astrasql: SELECT * cannot be used with GROUP BY or aggregates: list the grouped columns")
		default:
			return nil, nil, fmt.Errorf("astrasql: unsupported select item %s", sqlparser.String(se))
		}
	}
	visible := len(items)
	for _, h := range hidden {
		items = append(items, item{expr: h})
	}
	aliasExpr := func(e sqlparser.Expr) sqlparser.Expr {
		if cn, ok := e.(*sqlparser.ColName); ok && cn.Qualifier.IsEmpty() {
			n := cn.Name.String()
			if _, isCol := findName(in.names, n); !isCol {
				for _, it := range items {
					if it.alias != "" && strings.EqualFold(it.alias, n) {
						return it.expr
					}
				}
			}
		}
		return e
	}

	// Group keys: expressions, select aliases or 1-based positions.
	var groupExprs []sqlparser.Expr
	for _, g := range sel.GroupBy {
		if v, ok := g.(*sqlparser.SQLVal); ok && v.Type == sqlparser.IntVal {
			var n int
			fmt.Sscan(string(v.Val), &n)
			if n < 1 || n > visible {
				return nil, nil, fmt.Errorf("astrasql: GROUP BY position %d is not in the select list (1 to %d)", n, visible)
			}
			g = items[n-1].expr
		}
		g = aliasExpr(g)
		if exprHasAggregate(g) {
			return nil, nil, fmt.Errorf("astrasql: GROUP BY cannot use an aggregate (%s)", sqlparser.String(g))
		}
		e, err := in.compile(g)
		if err != nil {
			return nil, nil, err
		}
		groupExprs = append(groupExprs, g)
		op.groupBy = append(op.groupBy, e)
		op.groupTxt = append(op.groupTxt, canon(g))
	}

	// Aggregates in the select list and HAVING.
	collect := func(e sqlparser.Expr) error {
		var ferr error
		_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
			f, ok := n.(*sqlparser.FuncExpr)
			if !ok || !aggregateFuncs[f.Name.Lowered()] {
				return true, nil
			}
			key := canon(f)
			for _, a := range op.aggs {
				if a.key == key {
					return false, nil
				}
			}
			a, err := compileAgg(in, f, input)
			if err != nil {
				ferr = err
				return false, nil
			}
			a.key = key
			op.aggs = append(op.aggs, a)
			return false, nil
		}, e)
		return ferr
	}
	for _, it := range items {
		if err := collect(it.expr); err != nil {
			return nil, nil, err
		}
	}
	var havingExpr sqlparser.Expr
	if sel.Having != nil {
		havingExpr = sel.Having.Expr
		if err := collect(havingExpr); err != nil {
			return nil, nil, err
		}
	}

	// The output side sees [group keys..., aggregates...].
	post := &exprCompiler{}
	for i, g := range groupExprs {
		post.names = append(post.names, "group:"+sqlparser.String(g))
		post.kinds = append(post.kinds, kindOf(op.groupBy[i]))
	}
	for _, a := range op.aggs {
		post.names = append(post.names, "agg:"+a.key)
		post.kinds = append(post.kinds, a.resultKind())
	}
	post.ref = func(e sqlparser.Expr) (int, bool) {
		key := canon(e)
		for i, t := range op.groupTxt {
			if t == key {
				return i, true
			}
		}
		// A bare column matches a group key on that column by name.
		if cn, ok := e.(*sqlparser.ColName); ok {
			for i, g := range groupExprs {
				if gc, ok := g.(*sqlparser.ColName); ok && strings.EqualFold(gc.Name.String(), cn.Name.String()) {
					return i, true
				}
			}
		}
		if f, ok := e.(*sqlparser.FuncExpr); ok && aggregateFuncs[f.Name.Lowered()] {
			for j, a := range op.aggs {
				if a.key == key {
					return len(groupExprs) + j, true
				}
			}
		}
		return 0, false
	}
	compileOut := func(e sqlparser.Expr) (Expr, error) {
		x, err := post.compile(e)
		if err != nil {
			var ee *ExprError
			if errors.As(err, &ee) && ee.Column != "" {
				return nil, &ungroupedError{expr: sqlparser.String(e)}
			}
		}
		return x, err
	}
	var cols []ResultColumn
	for _, it := range items {
		x, err := compileOut(it.expr)
		if err != nil {
			var ue *ungroupedError
			if errors.As(err, &ue) {
				ue.expr = sqlparser.String(it.expr) // name the whole select item
			}
			return nil, nil, err
		}
		op.out = append(op.out, x)
		name := it.alias
		if name == "" {
			name = sqlparser.String(it.expr)
			if cn, ok := it.expr.(*sqlparser.ColName); ok {
				name = cn.Name.String()
			}
		}
		op.names = append(op.names, name)
		rc := ResultColumn{Name: name, Nullable: true, Type: typeOfKind(kindOf(x))}
		if c, ok := x.(*colExpr); ok {
			if c.idx < len(groupExprs) {
				if gc, ok := op.groupBy[c.idx].(*colExpr); ok && gc.idx < len(input) {
					rc.Type = input[gc.idx].Type
				}
			} else {
				a := op.aggs[c.idx-len(groupExprs)]
				rc.Type = a.resultType()
				rc.Nullable = a.fn != "count"
			}
		}
		cols = append(cols, rc)
	}
	if havingExpr != nil {
		// HAVING may name select aliases.
		post.subst = func(e sqlparser.Expr) (sqlparser.Expr, bool) {
			if post.refOK(e) {
				return nil, false
			}
			r := aliasExpr(e)
			return r, r != e
		}
		x, err := compileOut(havingExpr)
		post.subst = nil
		if err != nil {
			return nil, nil, err
		}
		op.having = x
	}
	return op, cols, nil
}

func (c *exprCompiler) refOK(e sqlparser.Expr) bool {
	if c.ref == nil {
		return false
	}
	_, ok := c.ref(e)
	return ok
}

// ungroupedError is a select item, HAVING or ORDER BY key that reads a
// column outside GROUP BY and outside any aggregate.
type ungroupedError struct{ expr string }

func (e *ungroupedError) Error() string {
	return "astrasql: " + e.expr + " must appear in GROUP BY or inside an aggregate function"
}

func compileAgg(in *exprCompiler, f *sqlparser.FuncExpr, input []typesmap.Column) (*aggSpec, error) {
	a := &aggSpec{fn: f.Name.Lowered(), distinct: f.Distinct}
	if len(f.Exprs) != 1 {
		return nil, fmt.Errorf("astrasql: %s() takes one argument", strings.ToUpper(a.fn))
	}
	switch x := f.Exprs[0].(type) {
	case *sqlparser.StarExpr:
		if a.fn != "count" || f.Distinct {
			return nil, fmt.Errorf("astrasql: %s(*) is not valid: only COUNT(*)", strings.ToUpper(a.fn))
		}
		a.star = true
		return a, nil
	case *sqlparser.AliasedExpr:
		if exprHasAggregate(x.Expr) {
			return nil, fmt.Errorf("astrasql: aggregates cannot be nested (%s)", sqlparser.String(f))
		}
		e, err := in.compile(x.Expr)
		if err != nil {
			return nil, err
		}
		a.arg = e
		a.k = kindOf(e)
		if c, ok := e.(*colExpr); ok && c.idx < len(input) {
			a.typ = input[c.idx].Type
		}
	}
	return a, nil
}

func (a *aggSpec) resultKind() vkind {
	switch a.fn {
	case "count":
		return kInt
	case "avg":
		if a.k == kDecimal {
			return kDecimal
		}
		return kFloat
	}
	return a.k
}

func (a *aggSpec) resultType() typesmap.Type {
	switch a.fn {
	case "count":
		return typesmap.Of("bigint")
	case "avg":
		if a.k == kDecimal {
			return typesmap.Of("decimal")
		}
		return typesmap.Of("double")
	case "sum":
		switch a.k {
		case kInt:
			return typesmap.Of("bigint")
		case kVarint:
			return typesmap.Of("varint")
		case kFloat:
			return typesmap.Of("double")
		case kDecimal:
			return typesmap.Of("decimal")
		}
		return typesmap.Type{}
	}
	return a.typ
}

func (o *aggregateOp) Explain() (string, string) {
	var parts []string
	for _, a := range o.aggs {
		parts = append(parts, strings.ToUpper(a.key[:len(a.fn)])+a.key[len(a.fn):])
	}
	d := strings.Join(parts, ", ")
	if len(o.groupTxt) > 0 {
		d += " GROUP BY " + strings.Join(o.groupTxt, ", ")
	}
	if o.having != nil {
		d += " HAVING ..."
	}
	d = strings.TrimSpace(d)
	return "aggregate", d + fmt.Sprintf(" (one state per group, budget %d MiB); client-side: the Data API has no aggregation or GROUP BY", o.budget>>20)
}

func (o *aggregateOp) Open(in RowIter, b *Binding) (RowIter, error) {
	it := &aggIter{op: o, in: in}
	var err error
	for _, g := range o.groupBy {
		x, err := bindBinding(g, b)
		if err != nil {
			return nil, err
		}
		it.groupBy = append(it.groupBy, x)
		it.keyKinds = append(it.keyKinds, kindOf(g))
	}
	for _, a := range o.aggs {
		x, err := bindBinding(a.arg, b)
		if err != nil {
			return nil, err
		}
		it.args = append(it.args, x)
	}
	for _, e := range o.out {
		x, err := bindBinding(e, b)
		if err != nil {
			return nil, err
		}
		it.out = append(it.out, x)
	}
	if it.having, err = bindBinding(o.having, b); err != nil {
		return nil, err
	}
	return it, nil
}

type group struct {
	keys   Row
	states []aggState
}

type aggIter struct {
	op       *aggregateOp
	in       RowIter
	groupBy  []Expr
	keyKinds []vkind // of the group keys: decimals group by value
	args     []Expr
	out      []Expr
	having   Expr

	groups []*group
	pos    int
	done   bool
	err    error
}

func (it *aggIter) newGroup(keys Row) *group {
	g := &group{keys: keys, states: make([]aggState, len(it.op.aggs))}
	for i, a := range it.op.aggs {
		g.states[i] = aggState{spec: a}
		if a.distinct {
			g.states[i].seen = map[string]struct{}{}
		}
	}
	return g
}

func (it *aggIter) fill() error {
	defer it.in.Close()
	index := map[string]*group{}
	var single *group
	if len(it.groupBy) == 0 {
		single = it.newGroup(nil)
		it.groups = []*group{single}
	}
	var key []byte
	var used int64
	vals := make([]any, len(it.args))
	keyBuf := make(Row, len(it.groupBy))
	var nrows int64
	for {
		r, err := it.in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		nrows++
		g := single
		if g == nil {
			for i, e := range it.groupBy {
				if keyBuf[i], err = e.Eval(r); err != nil {
					return err
				}
			}
			key = appendRowKey(key[:0], keyBuf, it.keyKinds)
			g = index[string(key)]
			if g == nil {
				keys := append(Row(nil), keyBuf...)
				g = it.newGroup(keys)
				index[string(key)] = g
				it.groups = append(it.groups, g)
				used += approxRowSize(keys) + int64(len(key)) + 64*int64(len(it.args)+1)
			}
		}
		for i, a := range it.args {
			if a == nil {
				vals[i] = nil
				continue
			}
			if vals[i], err = a.Eval(r); err != nil {
				return err
			}
		}
		for i := range g.states {
			n, err := g.states[i].add(vals[i])
			if err != nil {
				return err
			}
			used += n
		}
		if used > it.op.budget {
			return &MemoryBudgetError{Step: "GROUP BY", Budget: it.op.budget, Rows: nrows,
				Hint: "group by fewer distinct values, narrow the WHERE clause, or aggregate in several queries"}
		}
	}
	return nil
}

func (it *aggIter) Next() (Row, error) {
	if it.err != nil {
		return nil, it.err
	}
	if !it.done {
		it.done = true
		if err := it.fill(); err != nil {
			it.err, it.groups = err, nil
			return nil, err
		}
	}
	for it.pos < len(it.groups) {
		g := it.groups[it.pos]
		it.pos++
		post := make(Row, 0, len(g.keys)+len(g.states))
		post = append(post, g.keys...)
		for i := range g.states {
			v, err := g.states[i].result()
			if err != nil {
				return nil, err
			}
			post = append(post, v)
		}
		if it.having != nil {
			ok, err := Truth(it.having, post)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		out := make(Row, len(it.out))
		for i, e := range it.out {
			v, err := e.Eval(post)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, io.EOF
}

func (it *aggIter) Close() error {
	it.groups = nil
	it.done = true
	if it.err == nil {
		it.err = io.EOF
	}
	return it.in.Close()
}
