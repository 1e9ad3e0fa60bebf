package planner

import (
	"math"
	"math/big"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Parameters: bind variables replaced by the statement's values at Open.

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
