package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// Server limits that shape plans (dataapi-spec.md section 8).
const (
	// MaxANNLimit is the largest LIMIT of a vector search.
	MaxANNLimit = 1000
)

// similarityMetric maps the SQL functions to index metrics.
var similarityMetric = map[string]string{
	"similarity_cosine":      "cosine",
	"similarity_dot_product": "dot_product",
	"similarity_euclidean":   "euclidean",
}

// projItem is one output column of a SELECT.
type projItem struct {
	name     string
	src      int    // index in the fetched row; -1 when computed
	column   string // the table column it shows, if plain
	sim      *simItem
	expr     Expr
	typ      typesmap.Type
	nullable bool
}

// simItem is similarity_xxx(v, x) computed by the driver.
type simItem struct {
	metric string
	vecCol int // index of v in the fetched row
	lit    *Literal
	dim    int
}

type selectPlanner struct {
	filterPlanner
	sel     *sqlparser.Select
	fetched []typesmap.Column
	index   map[string]int // fetched name -> position
}

func (sp *selectPlanner) fetch(c typesmap.Column) int {
	if i, ok := sp.index[c.Name]; ok {
		return i
	}
	sp.fetched = append(sp.fetched, c)
	sp.index[c.Name] = len(sp.fetched) - 1
	return len(sp.fetched) - 1
}

func planSelect(st *Statement, sel *sqlparser.Select, schema Schema) (*Plan, error) {
	// information_schema views are built client-side from listTables.
	if p, ok, err := planInformationSchema(st, sel, schema); ok {
		return p, err
	}
	if p, ok, err := planNoTable(st, sel, schema); ok {
		return p, err
	}
	fp, err := planTable(st, sel.From, schema)
	if err != nil {
		return nil, err
	}
	ti := fp.ti
	sp := &selectPlanner{filterPlanner: *fp, sel: sel, index: map[string]int{}}
	if sel.Lock != "" {
		return nil, unsupported("locking reads (%s)", strings.TrimSpace(sel.Lock))
	}
	p := &Plan{Statement: st, Keyspace: ti.keyspace, Table: ti.def.Name, Query: true}
	fs := &findStep{ti: ti, cmd: Command{Name: "find", Keyspace: ti.keyspace, Table: ti.def.Name}}

	// WHERE: pushed part and residual.
	var residual sqlparser.Expr
	if sel.Where != nil {
		fs.filter, residual, err = sp.split(sel.Where.Expr)
		if err != nil {
			return nil, err
		}
	}

	// ANN OF.
	var ann *annPlan
	if st.lx.ann != nil {
		if ann, err = sp.planANN(); err != nil {
			return nil, err
		}
		fs.ann = ann
	}

	aggregate := len(sel.GroupBy) > 0 || sel.Having != nil || hasAggregate(sel.SelectExprs)
	var items []projItem
	var ops []Step
	if aggregate {
		if ann != nil {
			return nil, unsupported("aggregates with ANN OF")
		}
		if err := sp.fetchRefs(sel.SelectExprs); err != nil {
			return nil, err
		}
		// GROUP BY and HAVING may name select aliases: those are not read.
		for _, n := range []sqlparser.SQLNode{sel.GroupBy, sel.Having} {
			if err := sp.fetchRefsOrAliases(n); err != nil {
				return nil, err
			}
		}
	} else {
		if items, err = sp.selectList(ann); err != nil {
			return nil, err
		}
	}
	if residual != nil {
		if err := sp.fetchRefs(residual); err != nil {
			return nil, err
		}
	}

	// ORDER BY (ANN handled above): resolved on the output columns, with
	// hidden extra columns for keys not in the select list.
	var keys []SortKey
	var keyCols []string // underlying table column per key ("" if computed)
	hidden := 0
	var aggCols []ResultColumn
	if residual != nil {
		f, err := sp.residualOp(residual)
		if err != nil {
			return nil, err
		}
		ops = append(ops, f)
	}
	if aggregate {
		op, cols, err := newAggregateOpTyped(sel, sp.fetched)
		if err != nil {
			return nil, err
		}
		// ORDER BY keys that are not result columns (a group key, an
		// aggregate) are computed per group as hidden columns.
		var extra []sqlparser.Expr
		for _, o := range sel.OrderBy {
			k, err := orderOnOutput(o, sel, cols)
			if err != nil {
				var ue *UnsupportedError
				if v, pos := o.Expr.(*sqlparser.SQLVal); (pos && v.Type == sqlparser.IntVal) || !errors.As(err, &ue) {
					return nil, err
				}
				if err := sp.fetchRefsOrAliases(o.Expr); err != nil {
					return nil, err
				}
				k = SortKey{Col: len(sel.SelectExprs) + len(extra), Desc: o.Direction == sqlparser.DescScr}
				extra = append(extra, o.Expr)
			}
			keys = append(keys, k)
			keyCols = append(keyCols, "")
		}
		if len(extra) > 0 {
			if op, cols, err = newAggregateOp(sel, sp.fetched, extra); err != nil {
				return nil, err
			}
			hidden = len(extra)
		}
		ops = append(ops, op)
		aggCols = cols
	} else if ann == nil {
		for _, o := range sel.OrderBy {
			idx, col, err := sp.orderItem(o, &items, &hidden)
			if err != nil {
				return nil, err
			}
			keys = append(keys, SortKey{Col: idx, Desc: o.Direction == sqlparser.DescScr})
			keyCols = append(keyCols, col)
		}
	}
	if len(sp.fetched) == 0 {
		// SELECT 1 FROM t: read the cheapest thing, the first key column.
		c, _ := ti.column(ti.def.PrimaryKey()[0])
		sp.fetch(c)
	}

	// LIMIT / OFFSET.
	var lim *limitPlan
	if sel.Limit != nil {
		if lim, err = sp.limit(sel.Limit); err != nil {
			return nil, err
		}
	}

	// findOne when the full primary key is pinned.
	pinned := fs.filter.pinned()
	full := ann == nil
	for _, k := range ti.def.PrimaryKey() {
		if !pinned[k] {
			full = false
		}
	}
	if full {
		fs.cmd.Name = "findOne"
		keys, keyCols = nil, nil // at most one row
	}

	// Sort pushdown.
	clientSort := false
	if len(keys) > 0 {
		if !aggregate && sortPushable(ti, pinned, keyCols, keys) {
			fs.cmd.Sort = sortJSON(keyCols, keys)
		} else {
			clientSort = true
		}
	}

	distinct := sel.Distinct != ""
	if distinct && hidden > 0 {
		return nil, fmt.Errorf("astrasql: with SELECT DISTINCT, ORDER BY keys must be in the select list")
	}

	// Projection and the read's columns.
	sp.setProjection(fs, ann)

	// Limit pushdown: only when every row the server returns is a result row.
	if lim != nil && residual == nil && !clientSort && !aggregate && !distinct && !full {
		fs.limit = lim
	}
	if ann != nil && lim != nil && lim.staticTotal() > MaxANNLimit {
		return nil, fmt.Errorf("astrasql: ANN OF takes at most LIMIT %d (with OFFSET), got %d", MaxANNLimit, lim.staticTotal())
	}
	p.Steps = append(p.Steps, fs)
	p.Steps = append(p.Steps, ops...)

	// Output.
	if aggregate {
		p.Columns = aggCols[:len(aggCols)-hidden]
	} else {
		if !identity(items, sp.fetched) {
			p.Steps = append(p.Steps, &projectOp{items: items, dims: ann})
		}
		for _, it := range items[:len(items)-hidden] {
			p.Columns = append(p.Columns, ResultColumn{Name: it.name, Type: it.typ, Nullable: it.nullable})
		}
	}
	// DISTINCT, ORDER BY, OFFSET/LIMIT, trim: in clause order (clauses.go).
	tail := selectTail{distinct: distinct}
	for _, c := range p.Columns {
		tail.types = append(tail.types, c.Type)
	}
	if clientSort {
		// Typed keys: decimals (held as strings) and varints compare by value.
		ktypes := make([]typesmap.Type, len(keys))
		names := make([]string, len(keys))
		for i, k := range keys {
			if aggregate {
				ktypes[i], names[i] = aggCols[k.Col].Type, aggCols[k.Col].Name
			} else {
				ktypes[i], names[i] = items[k.Col].typ, items[k.Col].name
			}
		}
		op, err := newSortOpTyped(keys, ktypes, 0)
		if err != nil {
			return nil, err
		}
		op.names = names
		tail.sort = op
	}
	if lim != nil {
		tail.limit = &limitOp{lim: lim}
	}
	if hidden > 0 {
		tail.visible = len(p.Columns)
	}
	p.Steps = append(p.Steps, tail.steps()...)
	return p, nil
}

func hasAggregate(exprs sqlparser.SelectExprs) bool {
	found := false
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if f, ok := n.(*sqlparser.FuncExpr); ok && isAggregate(f.Name.Lowered()) {
			found = true
		}
		if _, ok := n.(*sqlparser.GroupConcatExpr); ok {
			found = true
		}
		return !found, nil
	}, exprs)
	return found
}

// identity reports whether the output is exactly the fetched row.
func identity(items []projItem, fetched []typesmap.Column) bool {
	if len(items) != len(fetched) {
		return false
	}
	for i, it := range items {
		if it.src != i || it.sim != nil || it.expr != nil {
			return false
		}
	}
	return true
}

func (sp *selectPlanner) selectList(ann *annPlan) ([]projItem, error) {
	var items []projItem
	ti := sp.ti
	for _, se := range sp.sel.SelectExprs {
		switch x := se.(type) {
		case *sqlparser.StarExpr:
			if !x.TableName.IsEmpty() && x.TableName.Name.String() != sp.alias && !strings.EqualFold(x.TableName.Name.String(), ti.def.Name) {
				return nil, fmt.Errorf("astrasql: %s refers to another table", sqlparser.String(x))
			}
			for _, c := range ti.def.Columns {
				if c.Type.Kind == typesmap.Unsupported || (c.Type.APISupport != nil && !c.Type.APISupport.Read) {
					continue // the server cannot read it
				}
				items = append(items, projItem{name: c.Name, src: sp.fetch(c), column: c.Name, typ: c.Type, nullable: ti.nullable(c.Name)})
			}
		case *sqlparser.AliasedExpr:
			name := x.As.String()
			if c, ok, err := sp.colRef(x.Expr); err != nil {
				return nil, err
			} else if ok {
				if name == "" {
					name = c.Name
				}
				items = append(items, projItem{name: name, src: sp.fetch(c), column: c.Name, typ: c.Type, nullable: ti.nullable(c.Name)})
				continue
			}
			if name == "" {
				name = sp.st.render(x.Expr)
			}
			if f, ok := x.Expr.(*sqlparser.FuncExpr); ok && similarityMetric[f.Name.Lowered()] != "" {
				it, err := sp.similarity(f, name, ann)
				if err != nil {
					return nil, err
				}
				items = append(items, it)
				continue
			}
			if err := sp.fetchRefs(x.Expr); err != nil {
				return nil, err
			}
			items = append(items, projItem{name: name, src: -1, nullable: true, expr: deferredExpr{x.Expr}})
		default:
			return nil, unsupported("select item %s", sp.st.render(se))
		}
	}
	// Compile computed items now that every needed column is fetched.
	for i := range items {
		if d, ok := items[i].expr.(deferredExpr); ok {
			e, err := compileTypedExpr(d.e, sp.fetched)
			if err != nil {
				return nil, err
			}
			items[i].expr = e
			items[i].typ = typeOfKind(kindOf(e)) // sorts and ColumnTypes
		}
	}
	return items, nil
}

// deferredExpr marks a select item compiled once all columns are known.
type deferredExpr struct{ e sqlparser.Expr }

func (deferredExpr) Eval(Row) (any, error) {
	return nil, fmt.Errorf("astrasql: expression not compiled")
}

// similarity plans similarity_xxx(v, x): the server's $similarity when it
// is the ANN sort's own score, else computed here on the fetched vector.
func (sp *selectPlanner) similarity(f *sqlparser.FuncExpr, name string, ann *annPlan) (projItem, error) {
	fn := f.Name.Lowered()
	metric := similarityMetric[fn]
	if len(f.Exprs) != 2 {
		return projItem{}, fmt.Errorf("astrasql: %s takes 2 arguments (vector column, vector)", fn)
	}
	var args [2]sqlparser.Expr
	for i, e := range f.Exprs {
		ae, ok := e.(*sqlparser.AliasedExpr)
		if !ok {
			return projItem{}, fmt.Errorf("astrasql: bad argument to %s", fn)
		}
		args[i] = ae.Expr
	}
	c, ok, err := sp.colRef(args[0])
	if err == nil && !ok {
		// similarity(x, v) is symmetric.
		args[0], args[1] = args[1], args[0]
		c, ok, err = sp.colRef(args[0])
	}
	if err != nil {
		return projItem{}, err
	}
	if !ok || c.Type.Kind != typesmap.KindVector {
		return projItem{}, fmt.Errorf("astrasql: %s needs a vector column as one argument", fn)
	}
	lit, ok := sp.st.exprLit(args[1])
	if !ok || (lit.Kind != litList && lit.Kind != litParam) {
		return projItem{}, fmt.Errorf("astrasql: %s needs a vector literal or a placeholder as its other argument", fn)
	}
	it := projItem{name: name, src: -1, typ: typesmap.Of(typesmap.Double), nullable: true}
	if ann != nil && ann.col.Name == c.Name && ann.metric == metric && sameLiteral(ann.lit, lit) && !ann.vectorize {
		ann.similarity = true
		it.column = similarityColumn
		return it, nil
	}
	it.sim = &simItem{metric: metric, vecCol: sp.fetch(c), lit: lit, dim: c.Type.Dimension}
	return it, nil
}

const similarityColumn = "$similarity"

func sameLiteral(a, b *Literal) bool {
	if a.Kind == litParam || b.Kind == litParam {
		return a.Kind == b.Kind && a.Param == b.Param
	}
	return a.String() == b.String()
}

// sortPushable says whether the server sorts this itself without an
// in-memory sort: keys are a prefix of the clustering columns in the same
// or exactly reverse order, and the partition is pinned by $eq.
func sortPushable(ti *tableInfo, pinned map[string]bool, cols []string, keys []SortKey) bool {
	cl := ti.def.PartitionSort
	if len(cols) > len(cl) || len(cl) == 0 {
		return false
	}
	for _, p := range ti.def.PartitionBy {
		if !pinned[p] {
			return false
		}
	}
	same, reverse := true, true
	for i, c := range cols {
		if c != cl[i].Column {
			return false
		}
		if keys[i].Desc == cl[i].Desc {
			reverse = false
		} else {
			same = false
		}
	}
	return same || reverse
}

func sortJSON(cols []string, keys []SortKey) json.RawMessage {
	var b []byte
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c)
		if keys[i].Desc {
			b = append(b, ":-1"...)
		} else {
			b = append(b, ":1"...)
		}
	}
	return append(b, '}')
}

func (sp *selectPlanner) setProjection(fs *findStep, ann *annPlan) {
	all := len(sp.fetched) == len(sp.ti.def.Columns)
	for i, c := range sp.ti.def.Columns {
		if !all || sp.fetched[i].Name != c.Name {
			all = false
			break
		}
	}
	if !all {
		var b []byte
		b = append(b, '{')
		for i, c := range sp.fetched {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, c.Name)
			b = append(b, ":1"...)
		}
		fs.cmd.Projection = append(b, '}')
	}
	fs.cmd.Columns = append([]typesmap.Column(nil), sp.fetched...)
	if ann != nil && ann.similarity {
		fs.cmd.IncludeSimilarity = true
		fs.cmd.Columns = append(fs.cmd.Columns, typesmap.Column{Name: similarityColumn, Type: typesmap.Of(typesmap.Double)})
	}
}

// annPlan is ORDER BY v ANN OF x.
type annPlan struct {
	col        typesmap.Column
	lit        *Literal
	metric     string
	vectorize  bool // x is text to embed
	similarity bool // the server adds $similarity
}

func (sp *selectPlanner) planANN() (*annPlan, error) {
	a := sp.st.lx.ann
	c, err := sp.ti.mustColumn(a.Column)
	if err != nil {
		return nil, err
	}
	if c.Type.Kind != typesmap.KindVector {
		return nil, fmt.Errorf("astrasql: ANN OF needs a vector column; %q is %s", c.Name, c.Type)
	}
	if len(sp.sel.OrderBy) != 1 {
		return nil, unsupported("ANN OF together with other ORDER BY keys")
	}
	ap := &annPlan{col: c, lit: a.Value}
	for _, ix := range sp.ti.indexes {
		if ix.Column == c.Name && (ix.IndexType == "vector" || ix.Metric() != "") {
			ap.metric = ix.Metric()
			if ap.metric == "" {
				ap.metric = "cosine"
			}
		}
	}
	if ap.metric == "" {
		return nil, fmt.Errorf("astrasql: ANN OF on %q needs a vector index on it (CREATE VECTOR INDEX ... ON %s (%s))", c.Name, sp.ti.def.Name, c.Name)
	}
	if a.Value.Kind == litString {
		if c.Type.Service == nil {
			return nil, fmt.Errorf("astrasql: ANN OF 'text' needs a vectorize service on %q; give a vector instead", c.Name)
		}
		ap.vectorize = true
	}
	if a.Value.Kind == litList && c.Type.Dimension > 0 && len(a.Value.Elems) != c.Type.Dimension {
		return nil, fmt.Errorf("astrasql: ANN OF vector has %d elements; %q is %s", len(a.Value.Elems), c.Name, c.Type)
	}
	return ap, nil
}

// limitPlan is LIMIT [offset,] n / LIMIT n OFFSET m; values may be placeholders.
type limitPlan struct {
	limit, offset *Literal
}

// newLimitOp is the limit step for constant values: skip offset rows, then
// pass at most limit rows (limit < 0: all).
func newLimitOp(offset, limit int64) *limitOp {
	lp := &limitPlan{}
	if limit >= 0 {
		lp.limit = &Literal{Kind: litNumber, Text: strconv.FormatInt(limit, 10)}
	}
	if offset > 0 {
		lp.offset = &Literal{Kind: litNumber, Text: strconv.FormatInt(offset, 10)}
	}
	return &limitOp{lim: lp}
}

func (sp *selectPlanner) limit(l *sqlparser.Limit) (*limitPlan, error) {
	lp := &limitPlan{}
	for _, part := range []struct {
		e   sqlparser.Expr
		dst **Literal
	}{{l.Rowcount, &lp.limit}, {l.Offset, &lp.offset}} {
		if part.e == nil {
			continue
		}
		lit, ok := sp.st.exprLit(part.e)
		if !ok || (lit.Kind != litNumber && lit.Kind != litParam) {
			return nil, fmt.Errorf("astrasql: LIMIT and OFFSET take a number or a placeholder, not %s", sp.st.render(part.e))
		}
		if lit.Kind == litNumber {
			if n, err := strconv.ParseInt(lit.Text, 10, 64); err != nil || n < 0 {
				return nil, fmt.Errorf("astrasql: LIMIT and OFFSET take a non-negative integer, not %s", lit.Text)
			}
		}
		*part.dst = lit
	}
	return lp, nil
}

// staticTotal is offset+limit when both are constants, else 0.
func (lp *limitPlan) staticTotal() int {
	if lp.limit == nil || lp.limit.Kind != litNumber || (lp.offset != nil && lp.offset.Kind != litNumber) {
		return 0
	}
	n, _ := strconv.ParseInt(lp.limit.Text, 10, 64)
	if lp.offset != nil {
		m, _ := strconv.ParseInt(lp.offset.Text, 10, 64)
		n = addSat(n, m)
	}
	return int(min(n, math.MaxInt32))
}

// addSat adds two non-negative counts, saturating at MaxInt64 (a LIMIT
// and OFFSET near it must not wrap to a negative limit).
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// values returns limit (-1: none) and offset for a binding.
func (lp *limitPlan) values(b *Binding) (limit, offset int64, err error) {
	limit = -1
	get := func(l *Literal, what string) (int64, error) {
		if l.Kind == litNumber {
			return strconv.ParseInt(l.Text, 10, 64)
		}
		v := b.Arg(l.Param)
		if _, ok := v.(unboundArg); ok {
			return -1, nil
		}
		n, ok := toInt64(v)
		if !ok {
			return 0, &ArgumentError{Param: b.param(l.Param), Err: fmt.Errorf("%s takes a non-negative integer, not %T", what, v)}
		}
		if n < 0 {
			return 0, &ArgumentError{Param: b.param(l.Param), Err: fmt.Errorf("%s takes a non-negative integer, not %d", what, n)}
		}
		return n, nil
	}
	if lp.limit != nil {
		if limit, err = get(lp.limit, "LIMIT"); err != nil {
			return
		}
	}
	if lp.offset != nil {
		if offset, err = get(lp.offset, "OFFSET"); err != nil {
			return
		}
		if offset < 0 {
			offset = 0
		}
	}
	return
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		return int64(x), x == math.Trunc(x) && math.Abs(x) < 1<<53
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// findStep is a find or findOne.
type findStep struct {
	ti     *tableInfo // for the predicted warnings in EXPLAIN
	cmd    Command
	filter *fnode
	ann    *annPlan
	limit  *limitPlan // pushed down
}

func (s *findStep) command(b *Binding) (*Command, error) {
	c := s.cmd
	var err error
	if c.Filter, err = b.encodeFilter(nil, s.filter); err != nil {
		return nil, err
	}
	if s.ann != nil {
		sort := []byte{'{'}
		sort = appendJSONString(sort, s.ann.col.Name)
		sort = append(sort, ':')
		t := s.ann.col.Type
		if s.ann.vectorize || isStringArg(b, s.ann.lit) {
			t = typesmap.Of(typesmap.Text)
		}
		if sort, err = b.encodeLit(sort, s.ann.col.Name, t, s.ann.lit); err != nil {
			return nil, err
		}
		c.Sort = append(sort, '}')
		c.Limit = MaxANNLimit
	}
	if s.limit != nil {
		limit, offset, err := s.limit.values(b)
		if err != nil {
			return nil, err
		}
		if limit >= 0 {
			total := addSat(limit, offset)
			if s.ann != nil && total > MaxANNLimit {
				return nil, fmt.Errorf("astrasql: ANN OF takes at most LIMIT %d (with OFFSET), got %d", MaxANNLimit, total)
			}
			if total == 0 {
				total = 1 // LIMIT 0: the client-side limit returns nothing
			}
			if total < math.MaxInt32 {
				c.Limit = int(total)
			}
		}
	}
	return &c, nil
}

func isStringArg(b *Binding, l *Literal) bool {
	if l.Kind != litParam {
		return false
	}
	_, ok := b.Arg(l.Param).(string)
	return ok
}

// commands is the find, or one find per chunk of a top-level IN of more
// than 100 values (inchunk.go) when the rows need no server order: no
// vector or pushed-down sort.
func (s *findStep) commands(b *Binding) ([]*Command, error) {
	if s.cmd.Name == "find" && s.ann == nil && len(s.cmd.Sort) == 0 {
		filters, err := b.chunkedFilters(s.filter)
		if err != nil {
			return nil, err
		}
		if filters != nil {
			cmds := make([]*Command, len(filters))
			for i, f := range filters {
				one := *s
				one.filter = f
				if cmds[i], err = one.command(b); err != nil {
					return nil, err
				}
			}
			return cmds, nil
		}
	}
	c, err := s.command(b)
	if err != nil {
		return nil, err
	}
	return []*Command{c}, nil
}

func (s *findStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	cmds, err := s.commands(b)
	if err != nil {
		return nil, err
	}
	if len(cmds) > 1 {
		// Up to concatReadAhead finds are in flight; rows come in chunk order.
		it := &concatIter{ctx: ctx, ex: ex, cmds: cmds}
		return &Result{Rows: it}, nil
	}
	it, err := ex.Read(ctx, cmds[0])
	if err != nil {
		return nil, err
	}
	return &Result{Rows: it}, nil
}

func (s *findStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	return s.explainBound(b)
}

func (s *findStep) explainBound(b *Binding) (string, string) {
	cmds, err := s.commands(b)
	if err != nil {
		return s.cmd.Name, "error: " + err.Error()
	}
	c := cmds[0]
	detail := c.JSON(true)
	if len(cmds) > 1 {
		detail = fmt.Sprintf("%d finds, one per chunk of at most %d IN values, up to %d in flight, rows concatenated in chunk order; the first: %s", len(cmds), maxInValues, concatReadAhead, detail)
	}
	if s.ann != nil {
		detail += " (vector search: one page, most similar first)"
	} else if c.Name == "find" {
		detail += " (paged)"
	}
	if s.ti != nil {
		if w := predictWarnings(s.ti.def, s.ti.indexes, c); w != "" {
			detail += "; " + w
		}
	}
	return c.Name, detail
}

// filterOp drops rows for which a residual predicate is not true.
type filterOp struct {
	expr   Expr
	text   string
	reason string // why the driver evaluates it (residualReason)
}

func (sp *selectPlanner) residualOp(e sqlparser.Expr) (*filterOp, error) {
	// Typed by the fetched columns, so literals compare as the column's
	// type; placeholders are bound at Open.
	f, err := newResidualFilter(e, sp.fetched, "")
	if err != nil {
		return nil, err
	}
	f.text = sp.st.render(e)
	return f, nil
}

func (f *filterOp) Explain() (string, string) {
	d := "client-side: " + f.text
	if f.reason != "" {
		d += " (" + f.reason + ")"
	}
	return "filter", d
}

func (f *filterOp) Open(in RowIter, b *Binding) (RowIter, error) {
	p, err := bindBinding(f.expr, b)
	if err != nil {
		return nil, err
	}
	return &filterIter{in: in, pred: p}, nil
}

// projectOp maps fetched rows to the output columns.
type projectOp struct {
	items []projItem
	dims  *annPlan
}

func (p *projectOp) Explain() (string, string) {
	var parts []string
	for _, it := range p.items {
		switch {
		case it.sim != nil:
			parts = append(parts, fmt.Sprintf("%s = %s computed by the driver", it.name, it.sim.metric))
		case it.column == similarityColumn:
			parts = append(parts, it.name+" = server $similarity")
		case it.expr != nil:
			parts = append(parts, it.name+" computed")
		default:
			parts = append(parts, it.name)
		}
	}
	return "project", strings.Join(parts, ", ")
}

func (p *projectOp) Open(in RowIter, b *Binding) (RowIter, error) {
	it := &projectIter{in: in, op: p, exprs: make([]Expr, len(p.items)), vecs: make([]typesmap.Vector, len(p.items))}
	for i, item := range p.items {
		if item.expr != nil {
			x, err := bindBinding(item.expr, b)
			if err != nil {
				return nil, err
			}
			it.exprs[i] = x
		}
		if item.sim == nil {
			continue
		}
		v, err := b.litGo(item.sim.lit, typesmap.VectorOf(item.sim.dim))
		if err != nil {
			return nil, err
		}
		vec, err := toVector(v)
		if err != nil {
			if item.sim.lit.Kind == litParam {
				return nil, &ArgumentError{Param: b.param(item.sim.lit.Param), Err: err}
			}
			return nil, err
		}
		it.vecs[i] = vec
	}
	return it, nil
}

type projectIter struct {
	in    RowIter
	op    *projectOp
	exprs []Expr // the items' expressions, parameters bound
	vecs  []typesmap.Vector
}

func (it *projectIter) Next() (Row, error) {
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	out := make(Row, len(it.op.items))
	var simAt = -1
	for i, item := range it.op.items {
		switch {
		case item.src >= 0:
			out[i] = r[item.src]
		case item.sim != nil:
			v, ok := r[item.sim.vecCol].(typesmap.Vector)
			if ok {
				out[i] = similarity(item.sim.metric, v, it.vecs[i])
			}
		case item.column == similarityColumn:
			if simAt < 0 {
				simAt = len(r) - 1
			}
			out[i] = r[simAt]
		case item.expr != nil:
			if out[i], err = it.exprs[i].Eval(r); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (it *projectIter) Close() error { return it.in.Close() }

func toVector(v any) (typesmap.Vector, error) {
	switch x := v.(type) {
	case typesmap.Vector:
		return x, nil
	case []float32:
		return typesmap.Vector(x), nil
	case []float64:
		out := make(typesmap.Vector, len(x))
		for i, f := range x {
			out[i] = float32(f)
		}
		return out, nil
	case typesmap.List:
		out := make(typesmap.Vector, len(x))
		for i, e := range x {
			switch f := e.(type) {
			case float64:
				out[i] = float32(f)
			case int64:
				out[i] = float32(f)
			default:
				return nil, fmt.Errorf("vector element %d is %T", i+1, e)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a vector ([]float32, []float64 or typesmap.Vector), got %T", v)
}

// similarity computes Cassandra's scaled scores, as the server does:
// cosine (1+cos)/2, dot_product (1+dot)/2, euclidean 1/(1+d²).
func similarity(metric string, a, b typesmap.Vector) any {
	if len(a) != len(b) || len(a) == 0 {
		return nil
	}
	var dot, na, nb, d2 float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
		d2 += (x - y) * (x - y)
	}
	switch metric {
	case "cosine":
		if na == 0 || nb == 0 {
			return nil
		}
		return (1 + dot/math.Sqrt(na*nb)) / 2
	case "dot_product":
		return (1 + dot) / 2
	case "euclidean":
		return 1 / (1 + d2)
	}
	return nil
}

// limitOp skips OFFSET rows and stops after LIMIT rows (closing the input
// early, so no further pages are read).
type limitOp struct{ lim *limitPlan }

func (l *limitOp) Explain() (string, string) {
	var parts []string
	if l.lim.offset != nil {
		parts = append(parts, "skip "+l.lim.offset.String())
	}
	if l.lim.limit != nil {
		parts = append(parts, "stop after "+l.lim.limit.String())
	}
	return "limit", "client-side: " + strings.Join(parts, ", ")
}

func (l *limitOp) Open(in RowIter, b *Binding) (RowIter, error) {
	limit, offset, err := l.lim.values(b)
	if err != nil {
		return nil, err
	}
	return &limitIter{in: in, limit: limit, skip: offset}, nil
}

type limitIter struct {
	in          RowIter
	limit, skip int64
	done        bool
}

func (it *limitIter) Next() (Row, error) {
	if it.done || it.limit == 0 {
		if !it.done {
			it.done = true
			it.in.Close()
		}
		return nil, io.EOF
	}
	for ; it.skip > 0; it.skip-- {
		if _, err := it.in.Next(); err != nil {
			return nil, err
		}
	}
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	if it.limit > 0 {
		it.limit--
	}
	return r, nil
}

func (it *limitIter) Close() error { return it.in.Close() }

// trimOp drops hidden sort columns at the end of each row.
type trimOp struct{ n int }

func (t *trimOp) Explain() (string, string) {
	return "trim", fmt.Sprintf("keep the first %d columns", t.n)
}

func (t *trimOp) Open(in RowIter, _ *Binding) (RowIter, error) { return &trimIter{in, t.n}, nil }

type trimIter struct {
	in RowIter
	n  int
}

func (it *trimIter) Next() (Row, error) {
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	return r[:it.n], nil
}

func (it *trimIter) Close() error { return it.in.Close() }

func appendJSONString(dst []byte, s string) []byte {
	// Column names almost never need escaping: skip encoding/json for them.
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			plain = false
			break
		}
	}
	if plain {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	b, _ := json.Marshal(s)
	return append(dst, b...)
}
