package planner

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// maxInValues is the server's limit of values in one $in / $nin.
const maxInValues = 100

// fnode is a pushed-down filter: a tree of $and/$or/$not over column
// conditions, values still unbound (literals and placeholders).
type fnode struct {
	op   string // "and", "or", "not", "cmp"
	kids []*fnode

	col typesmap.Column
	// cmp is the operator: $eq $ne $gt $gte $lt $lte $in $nin.
	cmp string
	// wrap is "" or, for map columns, "$keys" / "$values" (CONTAINS KEY / CONTAINS on a map).
	wrap string
	// elem is set when values are collection elements (CONTAINS), so they
	// are typed with the element (or key) type.
	elem bool
	vals []*Literal
	// xs, when set, are the values of an $in chunk taken from a list
	// argument (inchunk.go); they replace the argument's.
	xs []any
}

func andNodes(a, b *fnode) *fnode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	var kids []*fnode
	for _, n := range []*fnode{a, b} {
		if n.op == "and" {
			kids = append(kids, n.kids...)
		} else {
			kids = append(kids, n)
		}
	}
	return &fnode{op: "and", kids: kids}
}

func andExprs(a, b sqlparser.Expr) sqlparser.Expr {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &sqlparser.AndExpr{Left: a, Right: b}
}

// conjuncts lists the top-level AND parts of a filter.
func (n *fnode) conjuncts() []*fnode {
	if n == nil {
		return nil
	}
	if n.op == "and" {
		return n.kids
	}
	return []*fnode{n}
}

// pinned returns the columns fixed by a single-value top-level $eq.
func (n *fnode) pinned() map[string]bool {
	m := map[string]bool{}
	for _, k := range n.conjuncts() {
		if k.op == "cmp" && k.cmp == "$eq" && k.wrap == "" && !k.elem && len(k.vals) == 1 {
			m[k.col.Name] = true
		}
	}
	return m
}

// filterPlanner splits WHERE into what the server can do and the rest.
type filterPlanner struct {
	st    *Statement
	ti    *tableInfo
	alias string
}

// colRef resolves a column reference of the statement's table.
func (fp *filterPlanner) colRef(e sqlparser.Expr) (typesmap.Column, bool, error) {
	cn, ok := e.(*sqlparser.ColName)
	if !ok {
		return typesmap.Column{}, false, nil
	}
	if q := cn.Qualifier; !q.IsEmpty() {
		if !q.Qualifier.IsEmpty() && q.Qualifier.String() != fp.ti.keyspace {
			return typesmap.Column{}, false, fmt.Errorf("astrasql: column %s refers to another table", sqlparser.String(cn))
		}
		qn := q.Name.String()
		if qn != fp.alias && !strings.EqualFold(qn, fp.ti.def.Name) {
			return typesmap.Column{}, false, fmt.Errorf("astrasql: column %s refers to another table", sqlparser.String(cn))
		}
	}
	c, err := fp.ti.mustColumn(cn.Name.String())
	if err != nil {
		return c, false, err
	}
	return c, true, nil
}

// split returns the pushable part of e and the residual predicate.
func (fp *filterPlanner) split(e sqlparser.Expr) (*fnode, sqlparser.Expr, error) {
	switch x := e.(type) {
	case *sqlparser.ParenExpr:
		return fp.split(x.Expr)
	case *sqlparser.AndExpr:
		lp, lr, err := fp.split(x.Left)
		if err != nil {
			return nil, nil, err
		}
		rp, rr, err := fp.split(x.Right)
		if err != nil {
			return nil, nil, err
		}
		return andNodes(lp, rp), andExprs(lr, rr), nil
	case *sqlparser.OrExpr:
		lp, lr, err := fp.split(x.Left)
		if err != nil {
			return nil, nil, err
		}
		rp, rr, err := fp.split(x.Right)
		if err != nil {
			return nil, nil, err
		}
		if lr != nil || rr != nil {
			return nil, e, nil
		}
		var kids []*fnode
		for _, n := range []*fnode{lp, rp} {
			if n.op == "or" {
				kids = append(kids, n.kids...)
			} else {
				kids = append(kids, n)
			}
		}
		return &fnode{op: "or", kids: kids}, nil, nil
	case *sqlparser.NotExpr:
		p, r, err := fp.split(x.Expr)
		if err != nil {
			return nil, nil, err
		}
		if r != nil {
			return nil, e, nil
		}
		return &fnode{op: "not", kids: []*fnode{p}}, nil, nil
	case *sqlparser.ComparisonExpr:
		n, err := fp.comparison(x)
		if err != nil {
			return nil, nil, err
		}
		if n == nil {
			return nil, e, nil
		}
		return n, nil, nil
	case *sqlparser.RangeCond:
		c, ok, err := fp.colRef(x.Left)
		if err != nil || !ok || !rangeFilterable(c.Type) {
			return nil, e, err
		}
		from, ok1 := fp.st.exprLit(x.From)
		to, ok2 := fp.st.exprLit(x.To)
		if !ok1 || !ok2 || from.Kind == litNull || to.Kind == litNull {
			return nil, e, nil
		}
		if x.Operator == sqlparser.BetweenStr {
			return &fnode{op: "and", kids: []*fnode{
				{op: "cmp", col: c, cmp: "$gte", vals: []*Literal{from}},
				{op: "cmp", col: c, cmp: "$lte", vals: []*Literal{to}},
			}}, nil, nil
		}
		return &fnode{op: "or", kids: []*fnode{
			{op: "cmp", col: c, cmp: "$lt", vals: []*Literal{from}},
			{op: "cmp", col: c, cmp: "$gt", vals: []*Literal{to}},
		}}, nil, nil
	}
	return nil, e, nil
}

var flipOp = map[string]string{"=": "=", "!=": "!=", "<>": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}

var cmpOps = map[string]string{"=": "$eq", "!=": "$ne", "<>": "$ne", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}

// scalarFilterable says whether the server can compare a column with a value.
func scalarFilterable(t typesmap.Type) bool {
	if t.APISupport != nil && !t.APISupport.Filter {
		return false
	}
	switch t.Kind {
	case typesmap.KindVector, typesmap.UserDefined, typesmap.Unsupported, typesmap.Counter,
		typesmap.KindList, typesmap.KindSet, typesmap.KindMap:
		return false
	}
	return t.Kind.IsPrimitive()
}

func rangeFilterable(t typesmap.Type) bool {
	return scalarFilterable(t) && t.Kind != typesmap.KindDuration && t.Kind != typesmap.Blob
}

func (fp *filterPlanner) comparison(x *sqlparser.ComparisonExpr) (*fnode, error) {
	left, right, op := x.Left, x.Right, x.Operator
	c, ok, err := fp.colRef(left)
	if err != nil {
		return nil, err
	}
	if !ok {
		if _, isCol := right.(*sqlparser.ColName); isCol && flipOp[op] != "" {
			left, right, op = right, left, flipOp[op]
			if c, ok, err = fp.colRef(left); err != nil || !ok {
				return nil, err
			}
		} else {
			return nil, nil
		}
	}
	// CONTAINS / CONTAINS KEY, rewritten by the pre-lexer.
	if f, isF := right.(*sqlparser.FuncExpr); isF && op == "=" {
		name := f.Name.Lowered()
		if name == containsFunc || name == containsKeyFunc {
			return fp.contains(c, f, name == containsKeyFunc)
		}
		return nil, nil
	}
	switch op {
	case sqlparser.InStr, sqlparser.NotInStr:
		if !scalarFilterable(c.Type) {
			return nil, nil
		}
		tuple, isT := right.(sqlparser.ValTuple)
		if !isT {
			return nil, nil
		}
		var vals []*Literal
		for _, e := range tuple {
			l, ok := fp.st.exprLit(e)
			if !ok || l.Kind == litNull || l.Kind == litList || l.Kind == litBrace {
				return nil, nil
			}
			vals = append(vals, l)
		}
		cmp := "$in"
		if op == sqlparser.NotInStr {
			cmp = "$nin"
		}
		return &fnode{op: "cmp", col: c, cmp: cmp, vals: vals}, nil
	}
	cmp, known := cmpOps[op]
	if !known {
		return nil, nil
	}
	if cmp == "$eq" || cmp == "$ne" {
		if !scalarFilterable(c.Type) {
			return nil, nil
		}
	} else if !rangeFilterable(c.Type) {
		return nil, nil
	}
	l, ok := fp.st.exprLit(right)
	if !ok || l.Kind == litNull || l.Kind == litList || l.Kind == litBrace {
		return nil, nil
	}
	return &fnode{op: "cmp", col: c, cmp: cmp, vals: []*Literal{l}}, nil
}

func (fp *filterPlanner) contains(c typesmap.Column, f *sqlparser.FuncExpr, key bool) (*fnode, error) {
	if len(f.Exprs) != 1 {
		return nil, fmt.Errorf("astrasql: bad CONTAINS")
	}
	ae, ok := f.Exprs[0].(*sqlparser.AliasedExpr)
	if !ok {
		return nil, fmt.Errorf("astrasql: bad CONTAINS")
	}
	l, ok := fp.st.exprLit(ae.Expr)
	if !ok {
		return nil, fmt.Errorf("astrasql: bad CONTAINS operand")
	}
	switch c.Type.Kind {
	case typesmap.KindList, typesmap.KindSet:
		if key {
			return nil, fmt.Errorf("astrasql: CONTAINS KEY needs a map column; %q is %s", c.Name, c.Type)
		}
		return &fnode{op: "cmp", col: c, cmp: "$in", elem: true, vals: []*Literal{l}}, nil
	case typesmap.KindMap:
		w := "$values"
		if key {
			w = "$keys"
		}
		return &fnode{op: "cmp", col: c, cmp: "$in", wrap: w, elem: true, vals: []*Literal{l}}, nil
	}
	return nil, fmt.Errorf("astrasql: CONTAINS needs a list, set or map column; %q is %s", c.Name, c.Type)
}

// encodeFilter writes the filter JSON object of n (nil: {}).
func (b *Binding) encodeFilter(dst []byte, n *fnode) ([]byte, error) {
	if n == nil {
		return append(dst, "{}"...), nil
	}
	return b.encodeNode(dst, n)
}

func (b *Binding) encodeNode(dst []byte, n *fnode) ([]byte, error) {
	var err error
	switch n.op {
	case "and":
		return b.encodeAnd(dst, n.kids)
	case "or":
		dst = append(dst, `{"$or":[`...)
		for i, k := range n.kids {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = b.encodeNode(dst, k); err != nil {
				return dst, err
			}
		}
		return append(dst, "]}"...), nil
	case "not":
		dst = append(dst, `{"$not":`...)
		nb := *b
		nb.negated = !b.negated
		if dst, err = nb.encodeNode(dst, n.kids[0]); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	}
	return b.encodeCmp(dst, n)
}

// encodeAnd writes one object when every part has its own key (operators
// on one column merge: {"c":{"$gt":1,"$lt":5}}), else {"$and":[..]}.
func (b *Binding) encodeAnd(dst []byte, kids []*fnode) ([]byte, error) {
	type part struct {
		key   string
		merge bool
		ops   []*fnode
	}
	var parts []*part
	byKey := map[string]*part{}
	mergeable := true
	for _, k := range kids {
		key, merge := "$"+k.op, false
		if k.op == "cmp" {
			key = k.col.Name
			lits, xs := b.inValues(k)
			switch {
			case len(lits)+len(xs) > maxInValues && k.cmp == "$in":
				key = "$or"
			case len(lits)+len(xs) > maxInValues && k.cmp == "$nin":
				key = "$and"
			default:
				merge = k.cmp != "$eq" && k.wrap == "" && !k.elem
			}
		}
		if p := byKey[key]; p != nil {
			if !merge || !p.merge {
				mergeable = false
			}
			for _, o := range p.ops {
				if o.cmp == k.cmp {
					mergeable = false
				}
			}
			p.ops = append(p.ops, k)
			continue
		}
		p := &part{key: key, merge: merge, ops: []*fnode{k}}
		byKey[key] = p
		parts = append(parts, p)
	}
	var err error
	if !mergeable {
		dst = append(dst, `{"$and":[`...)
		for i, k := range kids {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = b.encodeNode(dst, k); err != nil {
				return dst, err
			}
		}
		return append(dst, "]}"...), nil
	}
	dst = append(dst, '{')
	for i, p := range parts {
		if i > 0 {
			dst = append(dst, ',')
		}
		if len(p.ops) == 1 {
			// A one-key object: keep its inside.
			one, err := b.encodeNode(nil, p.ops[0])
			if err != nil {
				return dst, err
			}
			dst = append(dst, one[1:len(one)-1]...)
			continue
		}
		dst = appendJSONString(dst, p.key)
		dst = append(dst, ":{"...)
		for j, o := range p.ops {
			if j > 0 {
				dst = append(dst, ',')
			}
			if dst, err = b.encodeOp(dst, o); err != nil {
				return dst, err
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, '}'), nil
}

// sliceArg returns the elements of a list-like argument ([]byte is a blob).
func sliceArg(v any) ([]any, bool) {
	switch x := v.(type) {
	case nil, []byte, typesmap.Vector, []float32:
		return nil, false
	case []any:
		return x, true
	case typesmap.List:
		return x, true
	case typesmap.Set:
		return x, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// inValues expands the operands of $in/$nin: literals, and list arguments.
func (b *Binding) inValues(n *fnode) ([]*Literal, []any) {
	if n.xs != nil {
		return nil, n.xs
	}
	if len(n.vals) == 1 && n.vals[0].Kind == litParam {
		if xs, ok := sliceArg(b.Arg(n.vals[0].Param)); ok && !n.elem {
			return nil, xs
		}
	}
	return n.vals, nil
}

func (b *Binding) encodeCmp(dst []byte, n *fnode) ([]byte, error) {
	if n.cmp == "$in" || n.cmp == "$nin" {
		lits, xs := b.inValues(n)
		count := len(lits) + len(xs)
		if count > maxInValues {
			// Split: IN -> $or of $in chunks; NOT IN -> $and of $nin chunks.
			join := "$or"
			if n.cmp == "$nin" {
				join = "$and"
			}
			dst = append(dst, `{"`+join+`":[`...)
			for i := 0; i < count; i += maxInValues {
				end := min(i+maxInValues, count)
				if i > 0 {
					dst = append(dst, ',')
				}
				chunk := *n
				var err error
				dst = append(dst, '{')
				dst = appendJSONString(dst, n.col.Name)
				dst = append(dst, ":{"...)
				if lits != nil {
					chunk.vals = lits[i:end]
					dst, err = b.encodeOpValues(dst, &chunk, chunk.vals, nil)
				} else {
					dst, err = b.encodeOpValues(dst, &chunk, nil, xs[i:end])
				}
				if err != nil {
					return dst, err
				}
				dst = append(dst, "}}"...)
			}
			return append(dst, "]}"...), nil
		}
	}
	dst = append(dst, '{')
	dst = appendJSONString(dst, n.col.Name)
	dst = append(dst, ':')
	if n.cmp == "$eq" && n.wrap == "" && !n.elem {
		// Implicit equality: the only form the server matches for blobs.
		var err error
		if dst, err = b.encodeOperand(dst, n, n.vals[0]); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	}
	dst = append(dst, '{')
	var err error
	if dst, err = b.encodeOp(dst, n); err != nil {
		return dst, err
	}
	return append(dst, "}}"...), nil
}

// encodeOp writes "$op":value (wrapped in $keys/$values for maps).
func (b *Binding) encodeOp(dst []byte, n *fnode) ([]byte, error) {
	if n.cmp == "$in" || n.cmp == "$nin" {
		lits, xs := b.inValues(n)
		return b.encodeOpValues(dst, n, lits, xs)
	}
	dst = append(dst, '"')
	dst = append(dst, n.cmp...)
	dst = append(dst, `":`...)
	return b.encodeOperand(dst, n, n.vals[0])
}

func (b *Binding) encodeOpValues(dst []byte, n *fnode, lits []*Literal, xs []any) ([]byte, error) {
	if n.wrap != "" {
		dst = append(dst, '"')
		dst = append(dst, n.wrap...)
		dst = append(dst, `":{`...)
	}
	dst = append(dst, '"')
	dst = append(dst, n.cmp...)
	dst = append(dst, `":[`...)
	var err error
	t := b.operandType(n)
	// A NULL bound in an IN list is what a NULL written there is: it never
	// makes x IN (...) true, so where the IN selects rows (not under NOT) it
	// is left out. Where it would make the whole condition never true (NOT
	// IN, only NULLs, under NOT) the statement is refused, clearly.
	dropNull := n.cmp == "$in" && !b.negated
	nonNull := 0
	for _, l := range lits {
		if l.Kind != litParam || b.Arg(l.Param) != nil {
			nonNull++
		}
	}
	for _, x := range xs {
		if x != nil {
			nonNull++
		}
	}
	nullErr := func(p Param, what string) error {
		if dropNull && nonNull == 0 {
			what += ": an IN list of only NULLs is never true; leave the condition out"
		} else {
			what += ": a NULL in NOT IN makes the condition never true; leave NULL out of the list"
		}
		return &ArgumentError{Param: p, Column: n.col.Name, Type: t.String(), Err: errors.New(what)}
	}
	first := true
	for _, l := range lits {
		if l.Kind == litParam && b.Arg(l.Param) == nil {
			if dropNull && nonNull > 0 {
				continue
			}
			return dst, nullErr(b.param(l.Param), "NULL")
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		if dst, err = b.encodeOperand(dst, n, l); err != nil {
			return dst, err
		}
	}
	for i, x := range xs {
		if x == nil {
			if dropNull && nonNull > 0 {
				continue
			}
			return dst, nullErr(b.param(n.vals[0].Param), fmt.Sprintf("element %d is NULL", i+1))
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		if dst, err = appendValue(dst, t, x); err != nil {
			return dst, &ArgumentError{Param: b.param(n.vals[0].Param), Column: n.col.Name, Type: t.String(), Err: fmt.Errorf("element %d: %v", i+1, stripValueErr(err))}
		}
	}
	dst = append(dst, ']')
	if n.wrap != "" {
		dst = append(dst, '}')
	}
	return dst, nil
}

func (b *Binding) operandType(n *fnode) typesmap.Type {
	t := n.col.Type
	if n.elem {
		if n.wrap == "$keys" {
			return elemKey(t)
		}
		return elemValue(t)
	}
	return t
}

func (b *Binding) encodeOperand(dst []byte, n *fnode, l *Literal) ([]byte, error) {
	t := b.operandType(n)
	if l.Kind == litParam {
		if v := b.Arg(l.Param); v == nil {
			return dst, &ArgumentError{Param: b.param(l.Param), Column: n.col.Name, Type: t.String(),
				Err: fmt.Errorf("NULL never compares equal or unequal in SQL; use IS NULL / IS NOT NULL")}
		}
	}
	return b.encodeLit(dst, n.col.Name, t, l)
}
