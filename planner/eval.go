package planner

import (
	"fmt"
	"math/big"
	"net/netip"
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
type ExprError struct {
	Msg    string
	Column string // set for an unknown column: its name
}

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
		return nil, &ExprError{Msg: fmt.Sprintf("unknown column %q", n), Column: n}
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
	if t, err := typesmap.ParseTimestampCQL(s); err == nil {
		return t, true
	}
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
