package planner

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/xwb1989/sqlparser"
)

// Scalar functions evaluated by the driver.

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

func (c *exprCompiler) function(x *sqlparser.FuncExpr) (Expr, error) {
	name := x.Name.Lowered()
	if !x.Qualifier.IsEmpty() {
		return nil, exprErrorf("function %s.%s is not supported", x.Qualifier.String(), name)
	}
	if aggregateFuncs[name] {
		return nil, exprErrorf("aggregate %s() is not allowed here (only in the select list and HAVING of a query)", strings.ToUpper(name))
	}
	if isAggregate(name) {
		return nil, unsupported("aggregate %s() (the driver computes COUNT, SUM, AVG, MIN and MAX)", strings.ToUpper(name))
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
