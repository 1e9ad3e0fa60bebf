package planner

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/xwb1989/sqlparser"
)

// Compiled expression nodes: constants, columns, parameters, logic with
// SQL's three-valued truth, comparisons, IN, IS, LIKE, CASE and CONTAINS.

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
