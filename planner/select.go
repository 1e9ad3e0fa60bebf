package planner

import (
	"encoding/json"
	"errors"
	"fmt"
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
