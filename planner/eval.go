package planner

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/google/uuid"
	"github.com/xwb1989/sqlparser"
)

// Client-side expression evaluation: the predicates, computed columns and
// sort keys the Data API cannot evaluate, compiled once from the sqlparser
// AST against the list of columns of the rows they will see.
//
// Semantics, in short (README material):
//   - NULL follows SQL three-valued logic: a comparison with NULL is NULL
//     (unknown), WHERE keeps only rows whose predicate is TRUE, NOT NULL is
//     NULL, FALSE AND NULL is FALSE, TRUE OR NULL is TRUE.
//   - Values compare within their family: numbers (int64, float64,
//     *big.Int, decimal strings) exactly with each other; text by bytes
//     (UTF-8 code point order, case-sensitive, as Cassandra); timestamps
//     and dates; uuids (by bytes); inet addresses; blobs; booleans
//     (false < true). A string compared with a timestamp, date, uuid, inet
//     or number column is converted to that type first. Other mixes are an
//     error naming both types.
//   - LIKE is case-sensitive; % matches any run of characters, _ one
//     character; ESCAPE 'c' sets the escape character (default \).
//   - Integer arithmetic is exact: int64 overflow promotes to big integers;
//     integer / integer truncates (as CQL); any float makes the result a
//     float; any decimal makes it an exact decimal (division rounds to 20
//     fractional digits). Division by zero is an error.

// Expr is a compiled expression evaluated against one row.
type Expr interface {
	Eval(row Row) (any, error)
}

// vkind is the static type family of an expression, known from column
// types and literals; kAny when unknown.
type vkind uint8

const (
	kAny vkind = iota
	kBool
	kInt
	kVarint
	kFloat
	kDecimal
	kText
	kTime
	kUUID
	kInet
	kBytes
	kOther
)

func kindOfType(t typesmap.Type) vkind {
	switch string(t.Kind) {
	case "boolean":
		return kBool
	case "tinyint", "smallint", "int", "bigint", "counter":
		return kInt
	case "varint":
		return kVarint
	case "float", "double":
		return kFloat
	case "decimal":
		return kDecimal
	case "text", "ascii", "varchar":
		return kText
	case "timestamp", "date":
		return kTime
	case "uuid", "timeuuid":
		return kUUID
	case "inet":
		return kInet
	case "blob":
		return kBytes
	case "":
		return kAny
	}
	return kOther
}

// kinded is implemented by compiled nodes that know their static kind.
type kinded interface{ kind() vkind }

func kindOf(e Expr) vkind {
	if k, ok := e.(kinded); ok {
		return k.kind()
	}
	return kAny
}

// ExprError is an error found while compiling or evaluating an expression.
type ExprError struct{ Msg string }

func (e *ExprError) Error() string { return "astrasql: " + e.Msg }

func exprErrorf(format string, args ...any) error {
	return &ExprError{Msg: fmt.Sprintf(format, args...)}
}

// compileExpr compiles e against rows whose columns are named cols (no
// type information: decimal columns then compare as numbers only against
// numbers). Placeholders become parameters to bind with bindExpr.
func compileExpr(expr sqlparser.Expr, cols []string) (Expr, error) {
	c := &exprCompiler{names: cols}
	return c.compile(expr)
}

// compileTypedExpr compiles e against rows with the given columns, using
// their types for exact comparisons (decimal, timestamp, uuid, inet).
func compileTypedExpr(expr sqlparser.Expr, cols []typesmap.Column) (Expr, error) {
	c := &exprCompiler{}
	for _, col := range cols {
		c.names = append(c.names, col.Name)
		c.kinds = append(c.kinds, kindOfType(col.Type))
	}
	return c.compile(expr)
}

// exprCompiler turns sqlparser expressions into Expr trees.
type exprCompiler struct {
	names []string
	kinds []vkind
	// ref, when set, resolves an expression to an input column first
	// (after GROUP BY: group keys and aggregate results are columns).
	ref func(e sqlparser.Expr) (int, bool)
	// subst, when set, replaces an expression before compiling it (HAVING
	// naming a select alias).
	subst func(e sqlparser.Expr) (sqlparser.Expr, bool)
}

func (c *exprCompiler) column(name *sqlparser.ColName) (Expr, error) {
	n := name.Name.String()
	idx := -1
	for i, cn := range c.names {
		if cn == n {
			idx = i
			break
		}
	}
	if idx < 0 { // unquoted identifiers may differ in case
		for i, cn := range c.names {
			if strings.EqualFold(cn, n) {
				if idx >= 0 {
					return nil, exprErrorf("column name %q is ambiguous (quote it to match the exact case)", n)
				}
				idx = i
			}
		}
	}
	if idx < 0 {
		return nil, exprErrorf("unknown column %q", n)
	}
	k := kAny
	if idx < len(c.kinds) {
		k = c.kinds[idx]
	}
	return &colExpr{idx: idx, name: c.names[idx], k: k}, nil
}

func (c *exprCompiler) compile(e sqlparser.Expr) (Expr, error) {
	if c.subst != nil {
		if r, ok := c.subst(e); ok {
			saved := c.subst
			c.subst = nil // an alias's expression is not itself re-aliased
			defer func() { c.subst = saved }()
			return c.compile(r)
		}
	}
	if c.ref != nil {
		if i, ok := c.ref(e); ok {
			k := kAny
			if i < len(c.kinds) {
				k = c.kinds[i]
			}
			return &colExpr{idx: i, name: c.names[i], k: k}, nil
		}
	}
	switch x := e.(type) {
	case *sqlparser.ParenExpr:
		return c.compile(x.Expr)
	case *sqlparser.ColName:
		return c.column(x)
	case *sqlparser.SQLVal:
		return c.literal(x)
	case *sqlparser.NullVal:
		return &constExpr{v: nil}, nil
	case sqlparser.BoolVal:
		return &constExpr{v: bool(x), k: kBool}, nil
	case *sqlparser.AndExpr:
		l, r, err := c.pair(x.Left, x.Right)
		if err != nil {
			return nil, err
		}
		return &logicExpr{and: true, l: l, r: r}, nil
	case *sqlparser.OrExpr:
		l, r, err := c.pair(x.Left, x.Right)
		if err != nil {
			return nil, err
		}
		return &logicExpr{l: l, r: r}, nil
	case *sqlparser.NotExpr:
		in, err := c.compile(x.Expr)
		if err != nil {
			return nil, err
		}
		return &notExpr{e: in}, nil
	case *sqlparser.ComparisonExpr:
		return c.comparison(x)
	case *sqlparser.RangeCond:
		l, err := c.compile(x.Left)
		if err != nil {
			return nil, err
		}
		from, to, err := c.pair(x.From, x.To)
		if err != nil {
			return nil, err
		}
		if from, err = coerceConst(from, kindOf(l)); err != nil {
			return nil, err
		}
		if to, err = coerceConst(to, kindOf(l)); err != nil {
			return nil, err
		}
		ge := &cmpExpr{op: ">=", l: l, r: from, hint: hintOf(l, from)}
		le := &cmpExpr{op: "<=", l: l, r: to, hint: hintOf(l, to)}
		var out Expr = &logicExpr{and: true, l: ge, r: le}
		if x.Operator == sqlparser.NotBetweenStr {
			out = &notExpr{e: out}
		}
		return out, nil
	case *sqlparser.IsExpr:
		in, err := c.compile(x.Expr)
		if err != nil {
			return nil, err
		}
		return &isExpr{op: x.Operator, e: in}, nil
	case *sqlparser.BinaryExpr:
		l, r, err := c.pair(x.Left, x.Right)
		if err != nil {
			return nil, err
		}
		switch x.Operator {
		case "+", "-", "*", "/", "%", "div":
		default:
			return nil, exprErrorf("operator %s is not supported", x.Operator)
		}
		return &arithExpr{op: x.Operator, l: l, r: r, k: arithKind(kindOf(l), kindOf(r))}, nil
	case *sqlparser.UnaryExpr:
		in, err := c.compile(x.Expr)
		if err != nil {
			return nil, err
		}
		switch x.Operator {
		case "-":
			if c, ok := in.(*constExpr); ok {
				// A negative literal keeps its sign, -0.0 included: the
				// server reads -0.0 as the double below 0.0.
				switch v := c.v.(type) {
				case float64:
					return &constExpr{v: -v, k: c.k}, nil
				case string:
					if c.k == kDecimal && !strings.HasPrefix(v, "-") {
						return &constExpr{v: "-" + v, k: kDecimal}, nil
					}
				}
			}
			return &arithExpr{op: "neg", l: in, k: kindOf(in)}, nil
		case "+":
			return in, nil
		case "!":
			return &notExpr{e: in}, nil
		}
		return nil, exprErrorf("operator %s is not supported", strings.TrimSpace(x.Operator))
	case *sqlparser.FuncExpr:
		return c.function(x)
	case *sqlparser.SubstrExpr:
		s, err := c.column(x.Name)
		if err != nil {
			return nil, err
		}
		args := []Expr{s}
		from, err := c.compile(x.From)
		if err != nil {
			return nil, err
		}
		args = append(args, from)
		if x.To != nil {
			to, err := c.compile(x.To)
			if err != nil {
				return nil, err
			}
			args = append(args, to)
		}
		return &funcExpr{name: "substring", args: args, fn: fnSubstring, k: kText}, nil
	case *sqlparser.CaseExpr:
		return c.caseExpr(x)
	case *sqlparser.ConvertExpr:
		return c.cast(x)
	case *sqlparser.Subquery, *sqlparser.ExistsExpr:
		return nil, unsupportedf("subqueries", "run the inner query first and pass its result as parameters")
	case *sqlparser.IntervalExpr:
		return nil, exprErrorf("INTERVAL expressions are not supported")
	}
	return nil, exprErrorf("expression %s is not supported", sqlparser.String(e))
}

func (c *exprCompiler) pair(a, b sqlparser.Expr) (Expr, Expr, error) {
	l, err := c.compile(a)
	if err != nil {
		return nil, nil, err
	}
	r, err := c.compile(b)
	if err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

func (c *exprCompiler) literal(v *sqlparser.SQLVal) (Expr, error) {
	switch v.Type {
	case sqlparser.StrVal:
		return &constExpr{v: string(v.Val), k: kText}, nil
	case sqlparser.IntVal:
		if n, err := strconv.ParseInt(string(v.Val), 10, 64); err == nil {
			return &constExpr{v: n, k: kInt}, nil
		}
		b, ok := new(big.Int).SetString(string(v.Val), 0)
		if !ok {
			return nil, exprErrorf("bad integer %s", v.Val)
		}
		return &constExpr{v: b, k: kVarint}, nil
	case sqlparser.FloatVal:
		// A literal with a point is exact (decimal) until it meets a float.
		s := string(v.Val)
		if strings.ContainsAny(s, "eE") {
			f, err := floatLit(s)
			if err != nil {
				return nil, exprErrorf("%v", err)
			}
			return &constExpr{v: f, k: kFloat}, nil
		}
		return &constExpr{v: s, k: kDecimal}, nil
	case sqlparser.HexVal:
		b, err := v.HexDecode()
		if err != nil {
			return nil, exprErrorf("bad hex literal %s", v.Val)
		}
		return &constExpr{v: b, k: kBytes}, nil
	case sqlparser.HexNum:
		b, ok := new(big.Int).SetString(string(v.Val[2:]), 16)
		if !ok {
			return nil, exprErrorf("bad hex number %s", v.Val)
		}
		if b.IsInt64() {
			return &constExpr{v: b.Int64(), k: kInt}, nil
		}
		return &constExpr{v: b, k: kVarint}, nil
	case sqlparser.ValArg:
		// Bind variables (:_p1 arguments, :_l1 pre-lexed literals) are bind
		// nodes, never row columns: bindBinding replaces them at Open, so a
		// row's layout cannot shift what they read.
		return &paramExpr{name: string(v.Val)}, nil
	}
	return nil, exprErrorf("unsupported literal %s", sqlparser.String(v))
}

func (c *exprCompiler) comparison(x *sqlparser.ComparisonExpr) (Expr, error) {
	l, err := c.compile(x.Left)
	if err != nil {
		return nil, err
	}
	switch x.Operator {
	case sqlparser.InStr, sqlparser.NotInStr:
		tuple, ok := x.Right.(sqlparser.ValTuple)
		if !ok {
			if _, sub := x.Right.(*sqlparser.Subquery); sub {
				return nil, unsupportedf("IN (subquery)", "run the inner query first and pass its values as IN (?, ?, ...)")
			}
			if _, la := x.Right.(sqlparser.ListArg); la {
				return nil, exprErrorf("list placeholders (::name) are not supported in client-side predicates")
			}
			return nil, exprErrorf("IN needs a list of values")
		}
		in := &inExpr{l: l, not: x.Operator == sqlparser.NotInStr}
		for _, v := range tuple {
			e, err := c.compile(v)
			if err != nil {
				return nil, err
			}
			if e, err = coerceConst(e, kindOf(l)); err != nil {
				return nil, err
			}
			in.list = append(in.list, e)
		}
		return in, nil
	case sqlparser.LikeStr, sqlparser.NotLikeStr:
		pat, err := c.compile(x.Right)
		if err != nil {
			return nil, err
		}
		esc := '\\'
		if x.Escape != nil {
			ee, err := c.compile(x.Escape)
			if err != nil {
				return nil, err
			}
			ce, ok := ee.(*constExpr)
			s, isStr := ce.v.(string)
			if !ok || !isStr || utf8.RuneCountInString(s) != 1 {
				return nil, exprErrorf("ESCAPE needs a one-character string")
			}
			esc, _ = utf8.DecodeRuneInString(s)
		}
		le := &likeExpr{l: l, pat: pat, esc: esc, not: x.Operator == sqlparser.NotLikeStr}
		if ce, ok := pat.(*constExpr); ok {
			if s, ok := ce.v.(string); ok {
				le.m = compileLike(s, esc)
			}
		}
		return le, nil
	case sqlparser.RegexpStr, sqlparser.NotRegexpStr:
		return nil, exprErrorf("REGEXP is not supported: use LIKE")
	case sqlparser.JSONExtractOp, sqlparser.JSONUnquoteExtractOp:
		return nil, exprErrorf("JSON operators are not supported")
	}
	if fe, ok := x.Right.(*sqlparser.FuncExpr); ok && x.Operator == "=" && len(fe.Exprs) == 1 {
		// c CONTAINS x and m CONTAINS KEY k, as the pre-lexer rewrote them.
		if n := fe.Name.Lowered(); n == containsFunc || n == containsKeyFunc {
			ae, ok := fe.Exprs[0].(*sqlparser.AliasedExpr)
			if !ok {
				return nil, exprErrorf("bad CONTAINS operand")
			}
			v, err := c.compile(ae.Expr)
			if err != nil {
				return nil, err
			}
			return &containsExpr{l: l, v: v, key: n == containsKeyFunc}, nil
		}
	}
	r, err := c.compile(x.Right)
	if err != nil {
		return nil, err
	}
	if r, err = coerceConst(r, kindOf(l)); err != nil {
		return nil, err
	}
	if l, err = coerceConst(l, kindOf(r)); err != nil {
		return nil, err
	}
	op := x.Operator
	if op == "<>" {
		op = "!="
	}
	return &cmpExpr{op: op, l: l, r: r, hint: hintOf(l, r)}, nil
}

func hintOf(l, r Expr) vkind {
	kl, kr := kindOf(l), kindOf(r)
	if kl == kDecimal || kr == kDecimal {
		return kDecimal
	}
	if kl == kVarint || kr == kVarint {
		return kVarint
	}
	return kAny
}

// coerceConst converts a string constant compared with a column of kind k
// into that column's Go type now, so a bad literal fails at prepare time.
func coerceConst(e Expr, k vkind) (Expr, error) {
	ce, ok := e.(*constExpr)
	if !ok || ce.v == nil {
		return e, nil
	}
	s, ok := ce.v.(string)
	if !ok || ce.k != kText {
		return e, nil
	}
	switch k {
	case kTime, kUUID, kInet:
		v, err := coerceString(s, k)
		if err != nil {
			return nil, err
		}
		return &constExpr{v: v, k: k}, nil
	case kBytes:
		return &constExpr{v: []byte(s), k: kBytes}, nil
	}
	return e, nil
}

func coerceString(s string, k vkind) (any, error) {
	switch k {
	case kTime:
		if t, ok := parseTimeString(s); ok {
			return t, nil
		}
		return nil, exprErrorf("'%s' is not a valid timestamp or date (use RFC 3339, 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS')", short(s))
	case kUUID:
		u, err := uuid.Parse(s)
		if err != nil {
			return nil, exprErrorf("'%s' is not a valid uuid", short(s))
		}
		return u, nil
	case kInet:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, exprErrorf("'%s' is not a valid IP address", short(s))
		}
		return a, nil
	}
	return s, nil
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02"}

func parseTimeString(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (c *exprCompiler) caseExpr(x *sqlparser.CaseExpr) (Expr, error) {
	ce := &caseExpr{}
	var err error
	if x.Expr != nil {
		if ce.subject, err = c.compile(x.Expr); err != nil {
			return nil, err
		}
	}
	for _, w := range x.Whens {
		cond, err := c.compile(w.Cond)
		if err != nil {
			return nil, err
		}
		val, err := c.compile(w.Val)
		if err != nil {
			return nil, err
		}
		ce.whens = append(ce.whens, cond)
		ce.vals = append(ce.vals, val)
	}
	if x.Else != nil {
		if ce.els, err = c.compile(x.Else); err != nil {
			return nil, err
		}
	}
	// One result type for every row (expr_types.go).
	k, vals, err := unifyKinds("CASE", append(append([]Expr(nil), ce.vals...), ce.els))
	if err != nil {
		return nil, err
	}
	ce.vals, ce.els, ce.k = vals[:len(ce.vals)], vals[len(ce.vals)], k
	return ce, nil
}

func (c *exprCompiler) cast(x *sqlparser.ConvertExpr) (Expr, error) {
	in, err := c.compile(x.Expr)
	if err != nil {
		return nil, err
	}
	t := strings.ToLower(x.Type.Type)
	switch t {
	case "char", "varchar", "text", "nchar":
		return &funcExpr{name: "cast", args: []Expr{in}, fn: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			return formatValue(a[0]), nil
		}, k: kText}, nil
	case "signed", "unsigned", "integer", "int", "bigint":
		return &funcExpr{name: "cast", args: []Expr{in}, fn: castInt, k: kInt}, nil
	case "decimal":
		return &funcExpr{name: "cast", args: []Expr{in}, fn: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			r, err := toRat(a[0])
			if err != nil {
				return nil, err
			}
			return formatRat(r), nil
		}, k: kDecimal}, nil
	case "double", "float", "real":
		return &funcExpr{name: "cast", args: []Expr{in}, fn: func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			return toFloat(a[0])
		}, k: kFloat}, nil
	}
	return nil, exprErrorf("CAST to %s is not supported", x.Type.Type)
}

func castInt(a []any) (any, error) {
	if a[0] == nil {
		return nil, nil
	}
	r, err := toRat(a[0])
	if err != nil {
		return nil, err
	}
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if q.IsInt64() {
		return q.Int64(), nil
	}
	return q, nil
}

// ---- nodes ----

type constExpr struct {
	v any
	k vkind
}

func (e *constExpr) Eval(Row) (any, error) { return e.v, nil }
func (e *constExpr) kind() vkind           { return e.k }

type colExpr struct {
	idx  int
	name string
	k    vkind
}

func (e *colExpr) Eval(row Row) (any, error) {
	if e.idx >= len(row) {
		return nil, exprErrorf("row has no column %q", e.name)
	}
	return row[e.idx], nil
}
func (e *colExpr) kind() vkind { return e.k }

// paramExpr is a placeholder; bindExpr replaces it with its value.
type paramExpr struct{ name string }

func (e *paramExpr) Eval(Row) (any, error) {
	return nil, exprErrorf("parameter %s has no value", e.name)
}

type logicExpr struct {
	and  bool
	l, r Expr
}

func (e *logicExpr) kind() vkind { return kBool }

func (e *logicExpr) Eval(row Row) (any, error) {
	a, err := evalBool(e.l, row)
	if err != nil {
		return nil, err
	}
	if e.and && a == tvFalse || !e.and && a == tvTrue { // short circuit
		return a.value(), nil
	}
	b, err := evalBool(e.r, row)
	if err != nil {
		return nil, err
	}
	if e.and {
		switch {
		case a == tvFalse || b == tvFalse:
			return false, nil
		case a == tvNull || b == tvNull:
			return nil, nil
		}
		return true, nil
	}
	switch {
	case a == tvTrue || b == tvTrue:
		return true, nil
	case a == tvNull || b == tvNull:
		return nil, nil
	}
	return false, nil
}

type notExpr struct{ e Expr }

func (e *notExpr) kind() vkind { return kBool }

func (e *notExpr) Eval(row Row) (any, error) {
	a, err := evalBool(e.e, row)
	if err != nil {
		return nil, err
	}
	switch a {
	case tvTrue:
		return false, nil
	case tvFalse:
		return true, nil
	}
	return nil, nil
}

// truth is a three-valued boolean.
type truth uint8

const (
	tvNull truth = iota
	tvFalse
	tvTrue
)

func (t truth) value() any {
	switch t {
	case tvTrue:
		return true
	case tvFalse:
		return false
	}
	return nil
}

func evalBool(e Expr, row Row) (truth, error) {
	v, err := e.Eval(row)
	if err != nil {
		return tvNull, err
	}
	return toTruth(v)
}

func toTruth(v any) (truth, error) {
	switch x := v.(type) {
	case nil:
		return tvNull, nil
	case bool:
		if x {
			return tvTrue, nil
		}
		return tvFalse, nil
	case int64:
		if x != 0 {
			return tvTrue, nil
		}
		return tvFalse, nil
	}
	return tvNull, exprErrorf("%s value used as a condition", typeName(v))
}

// Truth evaluates a predicate: only TRUE keeps a row (NULL and FALSE do not).
func Truth(e Expr, row Row) (bool, error) {
	t, err := evalBool(e, row)
	return t == tvTrue, err
}

type cmpExpr struct {
	op   string
	l, r Expr
	hint vkind
}

func (e *cmpExpr) kind() vkind { return kBool }

func (e *cmpExpr) Eval(row Row) (any, error) {
	a, err := e.l.Eval(row)
	if err != nil {
		return nil, err
	}
	b, err := e.r.Eval(row)
	if err != nil {
		return nil, err
	}
	if e.op == "<=>" { // NULL-safe equality
		if a == nil || b == nil {
			return a == nil && b == nil, nil
		}
		eq, err := valuesEqual(a, b, e.hint)
		return eq, err
	}
	if a == nil || b == nil {
		return nil, nil
	}
	if e.op == "=" || e.op == "!=" {
		eq, err := valuesEqual(a, b, e.hint)
		if err != nil {
			return nil, err
		}
		return eq == (e.op == "="), nil
	}
	c, err := compareValues(a, b, e.hint)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return nil, exprErrorf("operator %s is not supported", e.op)
}

type inExpr struct {
	l    Expr
	list []Expr
	not  bool
}

func (e *inExpr) kind() vkind { return kBool }

func (e *inExpr) Eval(row Row) (any, error) {
	a, err := e.l.Eval(row)
	if err != nil || a == nil {
		return nil, err
	}
	sawNull := false
	for _, x := range e.list {
		b, err := x.Eval(row)
		if err != nil {
			return nil, err
		}
		if b == nil {
			sawNull = true
			continue
		}
		eq, err := valuesEqual(a, b, hintOf(e.l, x))
		if err != nil {
			return nil, err
		}
		if eq {
			return !e.not, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.not, nil
}

type isExpr struct {
	op string
	e  Expr
}

func (e *isExpr) kind() vkind { return kBool }

func (e *isExpr) Eval(row Row) (any, error) {
	v, err := e.e.Eval(row)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case sqlparser.IsNullStr:
		return isNull(v), nil
	case sqlparser.IsNotNullStr:
		return !isNull(v), nil
	}
	t, err := toTruth(v)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case sqlparser.IsTrueStr:
		return t == tvTrue, nil
	case sqlparser.IsNotTrueStr:
		return t != tvTrue, nil
	case sqlparser.IsFalseStr:
		return t == tvFalse, nil
	case sqlparser.IsNotFalseStr:
		return t != tvFalse, nil
	}
	return nil, exprErrorf("%s is not supported", e.op)
}

// isNull: NULL, and empty collections, which Cassandra stores as NULL.
func isNull(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map:
		if _, isBytes := v.([]byte); isBytes {
			return rv.IsNil()
		}
		return rv.Len() == 0
	case reflect.Pointer:
		return rv.IsNil()
	}
	return false
}

type likeExpr struct {
	l, pat Expr
	esc    rune
	not    bool
	m      *likeMatcher // precompiled when the pattern is a constant
}

func (e *likeExpr) kind() vkind { return kBool }

func (e *likeExpr) Eval(row Row) (any, error) {
	a, err := e.l.Eval(row)
	if err != nil || a == nil {
		return nil, err
	}
	m := e.m
	if m == nil {
		p, err := e.pat.Eval(row)
		if err != nil || p == nil {
			return nil, err
		}
		ps, ok := p.(string)
		if !ok {
			return nil, exprErrorf("LIKE pattern must be text, not %s", typeName(p))
		}
		m = compileLike(ps, e.esc)
	}
	var s string
	switch x := a.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		s = formatValue(a)
	}
	return m.match(s) != e.not, nil
}

// likeMatcher matches a LIKE pattern split into literal runs and wildcards.
type likeMatcher struct {
	parts []likePart
}

type likePart struct {
	lit string // literal text (when any == false and one == false)
	any bool   // %
	one bool   // _
}

func compileLike(p string, esc rune) *likeMatcher {
	m := &likeMatcher{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			m.parts = append(m.parts, likePart{lit: lit.String()})
			lit.Reset()
		}
	}
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == esc && i+1 < len(rs):
			i++
			lit.WriteRune(rs[i])
		case r == '%':
			flush()
			if n := len(m.parts); n == 0 || !m.parts[n-1].any {
				m.parts = append(m.parts, likePart{any: true})
			}
		case r == '_':
			flush()
			m.parts = append(m.parts, likePart{one: true})
		default:
			lit.WriteRune(r)
		}
	}
	flush()
	return m
}

func (m *likeMatcher) match(s string) bool { return likeMatch(m.parts, s) }

func likeMatch(parts []likePart, s string) bool {
	for len(parts) > 0 {
		p := parts[0]
		switch {
		case p.any:
			rest := parts[1:]
			if len(rest) == 0 {
				return true
			}
			// Fast path: next part is a literal, jump between its occurrences.
			if !rest[0].any && !rest[0].one {
				lit := rest[0].lit
				for i := 0; i <= len(s); {
					j := strings.Index(s[i:], lit)
					if j < 0 {
						return false
					}
					if likeMatch(rest[1:], s[i+j+len(lit):]) {
						return true
					}
					_, w := utf8.DecodeRuneInString(s[i+j:])
					i += j + w
				}
				return false
			}
			for i := 0; i <= len(s); {
				if likeMatch(rest, s[i:]) {
					return true
				}
				if i == len(s) {
					break
				}
				_, w := utf8.DecodeRuneInString(s[i:])
				i += w
			}
			return false
		case p.one:
			if s == "" {
				return false
			}
			_, w := utf8.DecodeRuneInString(s)
			s = s[w:]
		default:
			if !strings.HasPrefix(s, p.lit) {
				return false
			}
			s = s[len(p.lit):]
		}
		parts = parts[1:]
	}
	return s == ""
}

type caseExpr struct {
	subject Expr
	whens   []Expr
	vals    []Expr
	els     Expr
	k       vkind // of the result (every branch converted to it)
}

func (e *caseExpr) kind() vkind { return e.k }

func (e *caseExpr) Eval(row Row) (any, error) {
	var subj any
	if e.subject != nil {
		var err error
		if subj, err = e.subject.Eval(row); err != nil {
			return nil, err
		}
	}
	for i, w := range e.whens {
		if e.subject != nil {
			v, err := w.Eval(row)
			if err != nil {
				return nil, err
			}
			if subj == nil || v == nil {
				continue
			}
			eq, err := valuesEqual(subj, v, hintOf(e.subject, w))
			if err != nil {
				return nil, err
			}
			if eq {
				return e.vals[i].Eval(row)
			}
			continue
		}
		t, err := evalBool(w, row)
		if err != nil {
			return nil, err
		}
		if t == tvTrue {
			return e.vals[i].Eval(row)
		}
	}
	if e.els != nil {
		return e.els.Eval(row)
	}
	return nil, nil
}

// containsExpr is c CONTAINS x (list and set elements, map values) and
// m CONTAINS KEY k.
type containsExpr struct {
	l, v Expr
	key  bool
}

func (e *containsExpr) kind() vkind { return kBool }

func (e *containsExpr) Eval(row Row) (any, error) {
	coll, err := e.l.Eval(row)
	if err != nil || coll == nil {
		return nil, err
	}
	want, err := e.v.Eval(row)
	if err != nil || want == nil {
		return nil, err
	}
	rv := reflect.ValueOf(coll)
	if rv.Kind() != reflect.Slice {
		return nil, exprErrorf("CONTAINS needs a list, set or map column, not %s", typeName(coll))
	}
	for i := 0; i < rv.Len(); i++ {
		el := rv.Index(i)
		var v any
		if el.Kind() == reflect.Struct && el.FieldByName("Key").IsValid() && el.FieldByName("Value").IsValid() {
			if e.key {
				v = el.FieldByName("Key").Interface()
			} else {
				v = el.FieldByName("Value").Interface()
			}
		} else if e.key {
			return nil, exprErrorf("CONTAINS KEY needs a map column")
		} else {
			v = el.Interface()
		}
		if v == nil {
			continue
		}
		eq, err := valuesEqual(v, normalizeParam(want), kAny)
		if err != nil {
			return nil, err
		}
		if eq {
			return true, nil
		}
	}
	return false, nil
}

// ---- arithmetic ----

type arithExpr struct {
	op   string // + - * / % div neg
	l, r Expr
	k    vkind
}

func (e *arithExpr) kind() vkind { return e.k }

func arithKind(a, b vkind) vkind {
	switch {
	case a == kFloat || b == kFloat:
		return kFloat
	case a == kDecimal || b == kDecimal:
		return kDecimal
	case a == kVarint || b == kVarint:
		return kVarint
	case a == kInt && b == kInt:
		return kInt
	}
	return kAny
}

func (e *arithExpr) Eval(row Row) (any, error) {
	a, err := e.l.Eval(row)
	if err != nil || a == nil {
		return nil, err
	}
	if e.op == "neg" {
		return arith("-", int64(0), a, kAny, kindOf(e.l))
	}
	b, err := e.r.Eval(row)
	if err != nil || b == nil {
		return nil, err
	}
	return arith(e.op, a, b, kindOf(e.l), kindOf(e.r))
}

// numClass orders number representations by generality.
type numClass uint8

const (
	ncNone numClass = iota
	ncInt
	ncBig
	ncDec
	ncFloat
)

func classify(v any, hint vkind) (any, numClass) {
	switch x := v.(type) {
	case int64:
		return x, ncInt
	case int:
		return int64(x), ncInt
	case int32:
		return int64(x), ncInt
	case int16:
		return int64(x), ncInt
	case int8:
		return int64(x), ncInt
	case uint8:
		return int64(x), ncInt
	case uint16:
		return int64(x), ncInt
	case uint32:
		return int64(x), ncInt
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), ncInt
		}
		return new(big.Int).SetUint64(x), ncBig
	case float64:
		return x, ncFloat
	case float32:
		return float64(x), ncFloat
	case *big.Int:
		if x == nil {
			return nil, ncNone
		}
		return x, ncBig
	case *big.Rat:
		return x, ncDec
	case shortDec:
		return x.rat(), ncDec
	case *big.Float:
		r, _ := x.Rat(nil)
		if r == nil {
			f, _ := x.Float64()
			return f, ncFloat
		}
		return r, ncDec
	case string:
		if hint == kDecimal || hint == kVarint {
			if r, ok := new(big.Rat).SetString(x); ok {
				return r, ncDec
			}
		}
	}
	return v, ncNone
}

func arith(op string, a, b any, ka, kb vkind) (any, error) {
	av, ca := classify(a, ka)
	bv, cb := classify(b, kb)
	if ca == ncNone || cb == ncNone {
		// Strings that look like numbers count as decimals (decimal columns
		// read without type information).
		if s, ok := a.(string); ok && ca == ncNone {
			if r, ok := new(big.Rat).SetString(s); ok {
				av, ca = r, ncDec
			}
		}
		if s, ok := b.(string); ok && cb == ncNone {
			if r, ok := new(big.Rat).SetString(s); ok {
				bv, cb = r, ncDec
			}
		}
		if ca == ncNone || cb == ncNone {
			return nil, exprErrorf("cannot apply %s to %s and %s", op, typeName(a), typeName(b))
		}
	}
	cl := max(ca, cb)
	switch cl {
	case ncInt:
		x, y := av.(int64), bv.(int64)
		switch op {
		case "+":
			if s := x + y; (s > x) == (y > 0) {
				return s, nil
			}
		case "-":
			if s := x - y; (s < x) == (y > 0) {
				return s, nil
			}
		case "*":
			if x == 0 || y == 0 {
				return int64(0), nil
			}
			if p := x * y; p/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
				return p, nil
			}
		case "/", "div":
			if y == 0 {
				return nil, exprErrorf("division by zero")
			}
			if !(x == math.MinInt64 && y == -1) {
				return x / y, nil
			}
		case "%":
			if y == 0 {
				return nil, exprErrorf("division by zero")
			}
			if y == -1 {
				return int64(0), nil
			}
			return x % y, nil
		}
		return bigArith(op, big.NewInt(x), big.NewInt(y))
	case ncBig:
		return bigArith(op, toBig(av), toBig(bv))
	case ncDec:
		x, y := toRatNum(av), toRatNum(bv)
		z := new(big.Rat)
		switch op {
		case "+":
			z.Add(x, y)
		case "-":
			z.Sub(x, y)
		case "*":
			z.Mul(x, y)
		case "/", "div":
			if y.Sign() == 0 {
				return nil, exprErrorf("division by zero")
			}
			z.Quo(x, y)
			if op == "div" {
				q := new(big.Int).Quo(z.Num(), z.Denom())
				return normBig(q), nil
			}
		case "%":
			if y.Sign() == 0 {
				return nil, exprErrorf("division by zero")
			}
			q := new(big.Rat).Quo(x, y)
			qi := new(big.Int).Quo(q.Num(), q.Denom())
			z.Sub(x, new(big.Rat).Mul(new(big.Rat).SetInt(qi), y))
		}
		return formatRat(z), nil
	case ncFloat:
		x, y := toFloatNum(av), toFloatNum(bv)
		switch op {
		case "+":
			return x + y, nil
		case "-":
			return x - y, nil
		case "*":
			return x * y, nil
		case "/":
			if y == 0 {
				return nil, exprErrorf("division by zero")
			}
			return x / y, nil
		case "div":
			if y == 0 {
				return nil, exprErrorf("division by zero")
			}
			return math.Trunc(x / y), nil
		case "%":
			if y == 0 {
				return nil, exprErrorf("division by zero")
			}
			return math.Mod(x, y), nil
		}
	}
	return nil, exprErrorf("cannot apply %s", op)
}

func bigArith(op string, x, y *big.Int) (any, error) {
	z := new(big.Int)
	switch op {
	case "+":
		z.Add(x, y)
	case "-":
		z.Sub(x, y)
	case "*":
		z.Mul(x, y)
	case "/", "div":
		if y.Sign() == 0 {
			return nil, exprErrorf("division by zero")
		}
		z.Quo(x, y)
	case "%":
		if y.Sign() == 0 {
			return nil, exprErrorf("division by zero")
		}
		z.Rem(x, y)
	}
	return normBig(z), nil
}

// normBig returns an int64 when the value fits.
func normBig(z *big.Int) any {
	if z.IsInt64() {
		return z.Int64()
	}
	return z
}

func toBig(v any) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case *big.Int:
		return x
	}
	return new(big.Int)
}

func toRatNum(v any) *big.Rat {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x)
	case *big.Int:
		return new(big.Rat).SetInt(x)
	case *big.Rat:
		return x
	case float64:
		if r := new(big.Rat); !math.IsNaN(x) && !math.IsInf(x, 0) {
			return r.SetFloat64(x)
		}
	}
	return new(big.Rat)
}

func toFloatNum(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case *big.Rat:
		f, _ := x.Float64()
		return f
	case float64:
		return x
	}
	return math.NaN()
}

// toRat converts any number (or numeric string) to an exact rational.
func toRat(v any) (*big.Rat, error) {
	x, c := classify(v, kDecimal)
	if c == ncNone {
		return nil, exprErrorf("%s value is not a number", typeName(v))
	}
	if f, ok := x.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil, exprErrorf("%v has no exact value", f)
	}
	return toRatNum(x), nil
}

func toFloat(v any) (any, error) {
	x, c := classify(v, kDecimal)
	if c == ncNone {
		return nil, exprErrorf("%s value is not a number", typeName(v))
	}
	return toFloatNum(x), nil
}

// formatRat prints an exact decimal: all digits when the value has a
// finite decimal expansion of at most 100 fractional digits, else
// rounded to 20 fractional digits; trailing zeros trimmed.
func formatRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	d := new(big.Int).Set(r.Denom())
	scale := 0
	two, five, ten := big.NewInt(2), big.NewInt(5), big.NewInt(10)
	m := new(big.Int)
	for scale <= 100 && d.Cmp(big.NewInt(1)) != 0 {
		switch {
		case m.Mod(d, ten).Sign() == 0:
			d.Quo(d, ten)
		case m.Mod(d, two).Sign() == 0:
			d.Quo(d, two)
		case m.Mod(d, five).Sign() == 0:
			d.Quo(d, five)
		default:
			scale = 1000 // not finite
		}
		scale++
	}
	prec := scale
	if d.Cmp(big.NewInt(1)) != 0 || prec > 100 {
		prec = 20
	}
	s := r.FloatString(prec)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// ---- comparison ----

// valuesEqual compares two non-NULL values for equality.
func valuesEqual(a, b any, hint vkind) (bool, error) {
	c, err := compareValues(a, b, hint)
	if err == nil {
		return c == 0, nil
	}
	if ta, tb := reflect.TypeOf(a), reflect.TypeOf(b); ta == tb && ta.Comparable() {
		return a == b, nil
	} else if ta == tb {
		return reflect.DeepEqual(a, b), nil
	}
	return false, err
}

// compareValues orders two non-NULL values: <0, 0, >0.
func compareValues(a, b any, hint vkind) (int, error) {
	// Same-type fast paths.
	switch x := a.(type) {
	case shortDec:
		if y, ok := b.(shortDec); ok {
			return cmpShortDec(x, y), nil
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmpOrdered(x, y), nil
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmpFloat(x, y), nil
		case string:
			// A number's text against a double: read as the server reads a
			// filter's number for a double column (nearest double, -0.0 kept).
			if f, err := strconv.ParseFloat(y, 64); err == nil {
				return cmpFloat(x, f), nil
			}
		}
	case string:
		if y, ok := b.(float64); ok {
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return cmpFloat(f, y), nil
			}
		}
		if y, ok := b.(string); ok {
			if hint == kDecimal || hint == kVarint {
				if rx, ok := new(big.Rat).SetString(x); ok {
					if ry, ok := new(big.Rat).SetString(y); ok {
						return rx.Cmp(ry), nil
					}
				}
			}
			return strings.Compare(x, y), nil
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0, nil
			case !x:
				return -1, nil
			}
			return 1, nil
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), nil
		}
	case uuid.UUID:
		if y, ok := b.(uuid.UUID); ok {
			return bytes.Compare(x[:], y[:]), nil
		}
	case netip.Addr:
		if y, ok := b.(netip.Addr); ok {
			return x.Compare(y), nil
		}
	case []byte:
		switch y := b.(type) {
		case []byte:
			return bytes.Compare(x, y), nil
		case string:
			return bytes.Compare(x, []byte(y)), nil
		}
	}
	// Numbers of different representations.
	av, ca := classify(a, hint)
	bv, cb := classify(b, hint)
	if ca != ncNone && cb != ncNone {
		return cmpNumbers(av, ca, bv, cb), nil
	}
	// A string against a typed value: convert the string.
	if s, ok := b.(string); ok {
		if v, ok := coerceTo(s, a); ok {
			return compareValues(a, v, hint)
		}
	}
	if s, ok := a.(string); ok {
		if v, ok := coerceTo(s, b); ok {
			return compareValues(v, b, hint)
		}
	}
	// Same named types built on ints or strings (time of day, ...).
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.Type() == rb.Type() {
		switch ra.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return cmpOrdered(ra.Int(), rb.Int()), nil
		case reflect.String:
			return strings.Compare(ra.String(), rb.String()), nil
		}
		return 0, exprErrorf("%s values cannot be ordered", typeName(a))
	}
	return 0, exprErrorf("cannot compare %s with %s", typeName(a), typeName(b))
}

// coerceTo converts s to the type of like, for comparisons.
func coerceTo(s string, like any) (any, bool) {
	switch like.(type) {
	case time.Time:
		t, ok := parseTimeString(s)
		return t, ok
	case uuid.UUID:
		u, err := uuid.Parse(s)
		return u, err == nil
	case netip.Addr:
		a, err := netip.ParseAddr(s)
		return a, err == nil
	case int64, float64, *big.Int, *big.Rat, int, int32, float32:
		r, ok := new(big.Rat).SetString(s)
		return r, ok
	}
	return nil, false
}

func cmpOrdered[T int64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat orders floats as the server does (Cassandra's DoubleType and
// FloatType compare as Java's Double.compare): -0.0 is below 0.0 and not
// equal to it, NaN equals NaN and is above +Inf. Filters the server
// evaluates, filters the driver evaluates, sorts, DISTINCT and GROUP BY
// all use this one order.
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	if sa, sb := math.Signbit(a), math.Signbit(b); sa != sb {
		if sa {
			return -1
		}
		return 1
	}
	return 0
}

func cmpNumbers(a any, ca numClass, b any, cb numClass) int {
	if ca == ncInt && cb == ncInt {
		return cmpOrdered(a.(int64), b.(int64))
	}
	if ca == ncFloat || cb == ncFloat {
		// A float against an exact number compares as floats: the exact one
		// is converted, as the server converts a filter's number to the
		// column's double, and as PostgreSQL compares numeric with float8.
		// So d = 0.1 holds for the double nearest 0.1 wherever it runs.
		return cmpFloat(toFloatNum(a), toFloatNum(b))
	}
	if (ca == ncInt || ca == ncBig) && (cb == ncInt || cb == ncBig) {
		return toBig(a).Cmp(toBig(b))
	}
	return toRatNum(a).Cmp(toRatNum(b))
}

// compareForSort orders values for ORDER BY and MIN/MAX: NULL first,
// then by compareValues; values that cannot be compared are an error.
func compareForSort(a, b any, hint vkind) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	return compareValues(a, b, hint)
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NULL"
	case int64, int, int32:
		return "integer"
	case float64, float32:
		return "float"
	case *big.Int:
		return "varint"
	case *big.Rat:
		return "decimal"
	case string:
		return "text"
	case bool:
		return "boolean"
	case time.Time:
		return "timestamp"
	case uuid.UUID:
		return "uuid"
	case netip.Addr:
		return "inet"
	case []byte:
		return "blob"
	}
	return fmt.Sprintf("%T", v)
}

// formatValue renders a value as text (CONCAT, LIKE on non-text, CAST).
func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case *big.Rat:
		return formatRat(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// ---- functions ----

type funcExpr struct {
	name string
	args []Expr
	fn   func(args []any) (any, error)
	k    vkind
}

func (e *funcExpr) kind() vkind { return e.k }

func (e *funcExpr) Eval(row Row) (any, error) {
	var buf [4]any
	vals := buf[:0]
	for _, a := range e.args {
		v, err := a.Eval(row)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	v, err := e.fn(vals)
	if ee, ok := err.(*ExprError); ok {
		return nil, exprErrorf("%s: %s", strings.ToUpper(e.name), ee.Msg)
	}
	return v, err
}

type fnDef struct {
	min, max int // argument count; max -1 = any
	fn       func(args []any) (any, error)
	k        func(args []vkind) vkind
}

func fixedKind(k vkind) func([]vkind) vkind { return func([]vkind) vkind { return k } }
func firstKind(ks []vkind) vkind {
	if len(ks) > 0 {
		return ks[0]
	}
	return kAny
}

// scalarFuncs are the functions evaluated client-side (names lower case).
var scalarFuncs = map[string]fnDef{
	"lower":            {1, 1, strFn(strings.ToLower), fixedKind(kText)},
	"upper":            {1, 1, strFn(strings.ToUpper), fixedKind(kText)},
	"lcase":            {1, 1, strFn(strings.ToLower), fixedKind(kText)},
	"ucase":            {1, 1, strFn(strings.ToUpper), fixedKind(kText)},
	"trim":             {1, 1, strFn(strings.TrimSpace), fixedKind(kText)},
	"ltrim":            {1, 1, strFn(func(s string) string { return strings.TrimLeft(s, " \t\n\r") }), fixedKind(kText)},
	"rtrim":            {1, 1, strFn(func(s string) string { return strings.TrimRight(s, " \t\n\r") }), fixedKind(kText)},
	"length":           {1, 1, fnLength, fixedKind(kInt)},
	"char_length":      {1, 1, fnLength, fixedKind(kInt)},
	"character_length": {1, 1, fnLength, fixedKind(kInt)},
	"octet_length": {1, 1, func(a []any) (any, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case string:
			return int64(len(x)), nil
		case []byte:
			return int64(len(x)), nil
		}
		return nil, exprErrorf("needs text or blob, not %s", typeName(a[0]))
	}, fixedKind(kInt)},
	"coalesce": {1, -1, func(a []any) (any, error) {
		for _, v := range a {
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	}, firstKind},
	"ifnull": {2, 2, func(a []any) (any, error) {
		if a[0] != nil {
			return a[0], nil
		}
		return a[1], nil
	}, firstKind},
	"nullif": {2, 2, func(a []any) (any, error) {
		if a[0] == nil || a[1] == nil {
			return a[0], nil
		}
		eq, err := valuesEqual(a[0], a[1], kAny)
		if err != nil {
			return nil, err
		}
		if eq {
			return nil, nil
		}
		return a[0], nil
	}, firstKind},
	"if": {3, 3, func(a []any) (any, error) {
		t, err := toTruth(a[0])
		if err != nil {
			return nil, err
		}
		if t == tvTrue {
			return a[1], nil
		}
		return a[2], nil
	}, func(ks []vkind) vkind { return ks[1] }},
	"abs":     {1, 1, fnAbs, firstKind},
	"round":   {1, 2, fnRound, firstKind},
	"floor":   {1, 1, func(a []any) (any, error) { return roundLike(a[0], math.Floor, -1) }, firstKind},
	"ceil":    {1, 1, func(a []any) (any, error) { return roundLike(a[0], math.Ceil, 1) }, firstKind},
	"ceiling": {1, 1, func(a []any) (any, error) { return roundLike(a[0], math.Ceil, 1) }, firstKind},
	"mod": {2, 2, func(a []any) (any, error) {
		if a[0] == nil || a[1] == nil {
			return nil, nil
		}
		return arith("%", a[0], a[1], kAny, kAny)
	}, firstKind},
	"concat": {1, -1, func(a []any) (any, error) {
		var b strings.Builder
		for _, v := range a {
			if v == nil {
				return nil, nil
			}
			b.WriteString(formatValue(v))
		}
		return b.String(), nil
	}, fixedKind(kText)},
	"concat_ws": {2, -1, func(a []any) (any, error) {
		if a[0] == nil {
			return nil, nil
		}
		sep := formatValue(a[0])
		var parts []string
		for _, v := range a[1:] {
			if v != nil {
				parts = append(parts, formatValue(v))
			}
		}
		return strings.Join(parts, sep), nil
	}, fixedKind(kText)},
	"substring": {2, 3, fnSubstring, fixedKind(kText)},
	"substr":    {2, 3, fnSubstring, fixedKind(kText)},
	"left": {2, 2, func(a []any) (any, error) {
		if a[0] == nil || a[1] == nil {
			return nil, nil
		}
		return fnSubstring([]any{a[0], int64(1), a[1]})
	}, fixedKind(kText)},
	"replace": {3, 3, func(a []any) (any, error) {
		if a[0] == nil || a[1] == nil || a[2] == nil {
			return nil, nil
		}
		return strings.ReplaceAll(formatValue(a[0]), formatValue(a[1]), formatValue(a[2])), nil
	}, fixedKind(kText)},
}

func strFn(f func(string) string) func([]any) (any, error) {
	return func(a []any) (any, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case string:
			return f(x), nil
		}
		return nil, exprErrorf("needs text, not %s", typeName(a[0]))
	}
}

func fnLength(a []any) (any, error) {
	switch x := a[0].(type) {
	case nil:
		return nil, nil
	case string:
		return int64(utf8.RuneCountInString(x)), nil
	case []byte:
		return int64(len(x)), nil
	}
	rv := reflect.ValueOf(a[0])
	if rv.Kind() == reflect.Slice {
		return int64(rv.Len()), nil // lists, sets, maps, vectors: element count
	}
	return nil, exprErrorf("needs text, not %s", typeName(a[0]))
}

func fnAbs(a []any) (any, error) {
	if a[0] == nil {
		return nil, nil
	}
	v, c := classify(a[0], kDecimal)
	switch c {
	case ncInt:
		x := v.(int64)
		if x == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(x)), nil
		}
		if x < 0 {
			return -x, nil
		}
		return x, nil
	case ncBig:
		return normBig(new(big.Int).Abs(v.(*big.Int))), nil
	case ncDec:
		return formatRat(new(big.Rat).Abs(v.(*big.Rat))), nil
	case ncFloat:
		return math.Abs(v.(float64)), nil
	}
	return nil, exprErrorf("needs a number, not %s", typeName(a[0]))
}

// fnRound rounds half away from zero to d fractional digits (default 0);
// decimals stay exact.
func fnRound(a []any) (any, error) {
	if a[0] == nil {
		return nil, nil
	}
	d := int64(0)
	if len(a) > 1 {
		if a[1] == nil {
			return nil, nil
		}
		n, ok := a[1].(int64)
		if !ok {
			return nil, exprErrorf("digits must be an integer")
		}
		d = n
	}
	if d > 100 || d < -100 {
		return nil, exprErrorf("digits out of range")
	}
	v, c := classify(a[0], kDecimal)
	switch c {
	case ncInt, ncBig:
		if d >= 0 {
			return a[0], nil
		}
		r := roundRat(toRatNum(v), int(d))
		return normBig(new(big.Int).Quo(r.Num(), r.Denom())), nil
	case ncDec:
		return formatRat(roundRat(v.(*big.Rat), int(d))), nil
	case ncFloat:
		f := v.(float64)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return f, nil
		}
		p := math.Pow(10, float64(d))
		return math.Round(f*p) / p, nil
	}
	return nil, exprErrorf("needs a number, not %s", typeName(a[0]))
}

func roundRat(r *big.Rat, d int) *big.Rat {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(d))), nil))
	x := new(big.Rat).Set(r)
	if d >= 0 {
		x.Mul(x, scale)
	} else {
		x.Quo(x, scale)
	}
	// round half away from zero
	half := big.NewRat(1, 2)
	if x.Sign() < 0 {
		x.Sub(x, half)
	} else {
		x.Add(x, half)
	}
	q := new(big.Int).Quo(x.Num(), x.Denom())
	x.SetInt(q)
	if d >= 0 {
		x.Quo(x, scale)
	} else {
		x.Mul(x, scale)
	}
	return x
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func roundLike(v any, f func(float64) float64, dir int) (any, error) {
	if v == nil {
		return nil, nil
	}
	x, c := classify(v, kDecimal)
	switch c {
	case ncInt, ncBig:
		return v, nil
	case ncDec:
		r := x.(*big.Rat)
		q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
		if m.Sign() != 0 && (m.Sign() > 0) == (dir > 0) {
			q.Add(q, big.NewInt(int64(dir)))
		}
		return normBig(q), nil
	case ncFloat:
		return f(x.(float64)), nil
	}
	return nil, exprErrorf("needs a number, not %s", typeName(v))
}

// fnSubstring is SQL SUBSTRING(s, pos [, len]) on characters, 1-based;
// a negative pos counts from the end (as MySQL).
func fnSubstring(a []any) (any, error) {
	for _, v := range a {
		if v == nil {
			return nil, nil
		}
	}
	s, ok := a[0].(string)
	if !ok {
		return nil, exprErrorf("needs text, not %s", typeName(a[0]))
	}
	pos, ok := a[1].(int64)
	if !ok {
		return nil, exprErrorf("position must be an integer")
	}
	rs := []rune(s)
	n := int64(len(rs))
	start := pos - 1
	if pos < 0 {
		start = n + pos
	}
	if pos == 0 || start < 0 || start >= n {
		return "", nil
	}
	end := n
	if len(a) > 2 {
		l, ok := a[2].(int64)
		if !ok {
			return nil, exprErrorf("length must be an integer")
		}
		if l <= 0 {
			return "", nil
		}
		if start+l < end {
			end = start + l
		}
	}
	return string(rs[start:end]), nil
}

// aggregateNames are the aggregate functions (handled by aggregate.go).
var aggregateNames = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true}

func (c *exprCompiler) function(x *sqlparser.FuncExpr) (Expr, error) {
	name := x.Name.Lowered()
	if !x.Qualifier.IsEmpty() {
		return nil, exprErrorf("function %s.%s is not supported", x.Qualifier.String(), name)
	}
	if aggregateNames[name] {
		return nil, exprErrorf("aggregate %s() is not allowed here (only in the select list and HAVING of a query)", strings.ToUpper(name))
	}
	def, ok := scalarFuncs[name]
	if !ok {
		switch name {
		case "similarity_cosine", "similarity_dot_product", "similarity_euclidean":
			return nil, exprErrorf("%s() is computed by the server: use it in the select list of a query with ORDER BY vector ANN OF ...", name)
		case "now", "current_timestamp", "utc_timestamp", "current_date":
			return nil, exprErrorf("%s() is not supported: pass the time as a parameter", name)
		}
		return nil, exprErrorf("unknown function %s()", name)
	}
	if x.Distinct {
		return nil, exprErrorf("DISTINCT is only allowed in aggregates")
	}
	if len(x.Exprs) < def.min || def.max >= 0 && len(x.Exprs) > def.max {
		return nil, exprErrorf("%s() takes %s", strings.ToUpper(name), argCount(def.min, def.max))
	}
	fe := &funcExpr{name: name, fn: def.fn}
	var kinds []vkind
	for _, se := range x.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, exprErrorf("%s(*) is not valid", strings.ToUpper(name))
		}
		a, err := c.compile(ae.Expr)
		if err != nil {
			return nil, err
		}
		fe.args = append(fe.args, a)
		kinds = append(kinds, kindOf(a))
	}
	fe.k = def.k(kinds)
	if name == "coalesce" || name == "ifnull" {
		// One result type for every row (expr_types.go).
		k, args, err := unifyKinds(strings.ToUpper(name), fe.args)
		if err != nil {
			return nil, err
		}
		fe.args, fe.k = args, k
	}
	return fe, nil
}

func argCount(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("at least %d arguments", min)
	case min == max && min == 1:
		return "1 argument"
	case min == max:
		return fmt.Sprintf("%d arguments", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

// ---- parameters ----

// bindBinding returns e with its bind variables (:_p1 arguments, :_l1
// literals; parameters or extra columns) replaced by the values of b, so
// rows need not carry them.
func bindBinding(e Expr, b *Binding) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	var names []string
	var vals Row
	if b != nil && b.st != nil {
		names, vals = b.st.ExtraColumns(), b.Extra()
	}
	lookup := func(name string) (any, bool) {
		for i, n := range names {
			if n == name && i < len(vals) {
				return vals[i], true
			}
		}
		return nil, false
	}
	return substitute(e, func(x Expr) (Expr, bool, error) {
		var name string
		k := kAny
		switch n := x.(type) {
		case *paramExpr:
			name = n.name
		case *colExpr:
			if !strings.HasPrefix(n.name, ":") {
				return nil, false, nil
			}
			name, k = n.name, n.k
		default:
			return nil, false, nil
		}
		v, ok := lookup(name)
		if !ok {
			return nil, true, exprErrorf("no value for %s", name)
		}
		v = normalizeParam(v)
		vk := kindOfValue(v)
		if s, ok := v.(string); ok && k != kAny && k != kText {
			cv, err := coerceString(s, k)
			if err != nil {
				return nil, true, err
			}
			v, vk = cv, k
		}
		return &constExpr{v: v, k: vk}, true, nil
	})
}

// substitute rebuilds e bottom-up, replacing the nodes f chooses.
func substitute(e Expr, f func(Expr) (Expr, bool, error)) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	if n, ok, err := f(e); ok || err != nil {
		return n, err
	}
	var err error
	b := func(x Expr) Expr {
		if err != nil || x == nil {
			return x
		}
		var y Expr
		y, err = substitute(x, f)
		return y
	}
	switch x := e.(type) {
	case *constExpr, *colExpr, *paramExpr:
		return e, nil
	case *logicExpr:
		n := &logicExpr{and: x.and, l: b(x.l), r: b(x.r)}
		return n, err
	case *notExpr:
		n := &notExpr{e: b(x.e)}
		return n, err
	case *cmpExpr:
		n := &cmpExpr{op: x.op, l: b(x.l), r: b(x.r)}
		if err != nil {
			return nil, err
		}
		n.hint = hintOf(n.l, n.r)
		if x.hint > n.hint {
			n.hint = x.hint
		}
		return n, nil
	case *inExpr:
		n := &inExpr{l: b(x.l), not: x.not}
		for _, v := range x.list {
			n.list = append(n.list, b(v))
		}
		return n, err
	case *isExpr:
		n := &isExpr{op: x.op, e: b(x.e)}
		return n, err
	case *likeExpr:
		n := &likeExpr{l: b(x.l), pat: b(x.pat), esc: x.esc, not: x.not, m: x.m}
		if err != nil {
			return nil, err
		}
		if n.m == nil {
			if ce, ok := n.pat.(*constExpr); ok {
				if s, ok := ce.v.(string); ok {
					n.m = compileLike(s, n.esc)
				}
			}
		}
		return n, nil
	case *arithExpr:
		n := &arithExpr{op: x.op, l: b(x.l), r: b(x.r), k: x.k}
		return n, err
	case *funcExpr:
		n := &funcExpr{name: x.name, fn: x.fn, k: x.k}
		for _, a := range x.args {
			n.args = append(n.args, b(a))
		}
		return n, err
	case *caseExpr:
		n := &caseExpr{subject: b(x.subject), els: b(x.els), k: x.k}
		for i := range x.whens {
			n.whens = append(n.whens, b(x.whens[i]))
			n.vals = append(n.vals, b(x.vals[i]))
		}
		return n, err
	case *containsExpr:
		n := &containsExpr{l: b(x.l), v: b(x.v), key: x.key}
		return n, err
	case *convertExpr:
		n := &convertExpr{e: b(x.e), k: x.k}
		return n, err
	}
	return e, nil
}

// normalizeParam maps Go parameter types to the value types rows hold.
func normalizeParam(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return int64(x)
		}
		return new(big.Int).SetUint64(uint64(x))
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return new(big.Int).SetUint64(x)
	case float32:
		return float64(x)
	case big.Int:
		return &x
	case *big.Float:
		if r, _ := x.Rat(nil); r != nil {
			return formatRat(r)
		}
	case *big.Rat:
		return formatRat(x)
	case time.Time:
		return x.UTC()
	case [16]byte:
		return uuid.UUID(x)
	}
	return v
}

func kindOfValue(v any) vkind {
	switch v.(type) {
	case nil:
		return kAny
	case int64:
		return kInt
	case float64:
		return kFloat
	case *big.Int:
		return kVarint
	case string:
		return kText
	case bool:
		return kBool
	case time.Time:
		return kTime
	case uuid.UUID:
		return kUUID
	case netip.Addr:
		return kInet
	case []byte:
		return kBytes
	}
	return kOther
}

// ---- filter and projection operators ----

// csFilterOp keeps the rows for which a predicate is TRUE.
type csFilterOp struct {
	pred   Expr
	text   string
	reason string
}

// newCSFilterOp compiles a residual predicate over rows with the given
// columns. Bind variables are resolved from the Binding at Open. reason
// says why the server cannot do it ("" to derive it from the expression).
func newCSFilterOp(where sqlparser.Expr, input []typesmap.Column, reason string) (RowOp, error) {
	e, err := compileTypedExpr(where, input)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		reason = residualReason(where)
	}
	return &csFilterOp{pred: e, text: sqlparser.String(where), reason: reason}, nil
}

func (o *csFilterOp) Explain() (string, string) {
	return "filter", "WHERE " + o.text + "; client-side: " + o.reason
}

func (o *csFilterOp) Open(in RowIter, b *Binding) (RowIter, error) {
	p, err := bindBinding(o.pred, b)
	if err != nil {
		return nil, err
	}
	return &filterIter{in: in, pred: p}, nil
}

// filterIter passes on the rows for which pred is TRUE (NULL and FALSE drop
// the row). Both residual filters, of queries and of introspection, use it.
type filterIter struct {
	in   RowIter
	pred Expr
}

func (f *filterIter) Next() (Row, error) {
	for {
		r, err := f.in.Next()
		if err != nil {
			return nil, err
		}
		ok, err := Truth(f.pred, r)
		if err != nil {
			return nil, err
		}
		if ok {
			return r, nil
		}
	}
}

func (f *filterIter) Close() error { return f.in.Close() }

// residualReason explains why a predicate is evaluated by the driver,
// naming the first construct the Data API filter language lacks.
func residualReason(e sqlparser.Expr) string {
	reason := ""
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if reason != "" {
			return false, nil
		}
		switch x := n.(type) {
		case *sqlparser.ComparisonExpr:
			switch x.Operator {
			case sqlparser.LikeStr, sqlparser.NotLikeStr:
				reason = "LIKE cannot be expressed as a Data API filter"
				return false, nil
			case sqlparser.NullSafeEqualStr:
				reason = "<=> cannot be expressed as a Data API filter"
				return false, nil
			}
			_, lc := x.Left.(*sqlparser.ColName)
			_, rc := x.Right.(*sqlparser.ColName)
			if lc && rc {
				reason = "the Data API compares columns only with values, not with other columns"
				return false, nil
			}
		case *sqlparser.IsExpr:
			reason = "the Data API cannot filter on NULL (" + strings.ToUpper(x.Operator) + ")"
			return false, nil
		case *sqlparser.FuncExpr:
			if n := x.Name.Lowered(); n == containsFunc || n == containsKeyFunc {
				return false, nil // CONTAINS itself is a filter; the reason is elsewhere
			}
			reason = "functions (" + strings.ToUpper(x.Name.String()) + ") are evaluated by the driver"
			return false, nil
		case *sqlparser.SubstrExpr:
			reason = "functions (SUBSTRING) are evaluated by the driver"
			return false, nil
		case *sqlparser.BinaryExpr, *sqlparser.UnaryExpr:
			reason = "arithmetic is evaluated by the driver"
			return false, nil
		case *sqlparser.CaseExpr:
			reason = "CASE is evaluated by the driver"
			return false, nil
		}
		return true, nil
	}, e)
	if reason == "" {
		reason = "the Data API filter language cannot express this predicate"
	}
	return reason
}

// csProjectOp computes the output columns from the input row.
type csProjectOp struct {
	exprs []Expr
	texts []string
}

// newCSProjectOp compiles select items over rows with the given columns.
func newCSProjectOp(items []sqlparser.Expr, input []typesmap.Column) (*csProjectOp, error) {
	op := &csProjectOp{}
	for _, it := range items {
		e, err := compileTypedExpr(it, input)
		if err != nil {
			return nil, err
		}
		op.exprs = append(op.exprs, e)
		op.texts = append(op.texts, sqlparser.String(it))
	}
	return op, nil
}

func (o *csProjectOp) Explain() (string, string) {
	return "project", strings.Join(o.texts, ", ") + "; client-side: computed columns are evaluated by the driver"
}

func (o *csProjectOp) Open(in RowIter, b *Binding) (RowIter, error) {
	it := &csProjectIter{in: in}
	for _, e := range o.exprs {
		x, err := bindBinding(e, b)
		if err != nil {
			return nil, err
		}
		it.exprs = append(it.exprs, x)
	}
	return it, nil
}

type csProjectIter struct {
	in    RowIter
	exprs []Expr
}

func (p *csProjectIter) Next() (Row, error) {
	r, err := p.in.Next()
	if err != nil {
		return nil, err
	}
	out := make(Row, len(p.exprs))
	for i, e := range p.exprs {
		if out[i], err = e.Eval(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *csProjectIter) Close() error { return p.in.Close() }
