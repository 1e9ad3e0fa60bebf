package planner

import (
	"math/big"
	"strconv"

	"github.com/astrasql/astrasql/typesmap"
)

// Result types of computed columns. Every result column has one type: the
// branches of CASE and the arguments of COALESCE and IFNULL are resolved
// to one kind as PostgreSQL resolves them (integer < varint < decimal <
// double within numbers; a text literal takes the type of the other
// branches), and each value is converted to it. Branches of different
// families (a number and a timestamp) are refused at prepare time.

// numericRank orders the number kinds by generality, 0 for others.
func numericRank(k vkind) int {
	switch k {
	case kInt:
		return 1
	case kVarint:
		return 2
	case kDecimal:
		return 3
	case kFloat:
		return 4
	}
	return 0
}

// unifyKinds returns the one kind of values es produce together and es
// with conversions added where needed. what names the construct for errors.
func unifyKinds(what string, es []Expr) (vkind, []Expr, error) {
	k := kAny
	for _, e := range es {
		ek := kindOf(e)
		if ek == kAny || isTextConst(e) && k != kAny && k != kText {
			continue
		}
		switch {
		case k == kAny, k == ek:
			k = ek
		case numericRank(k) > 0 && numericRank(ek) > 0:
			if numericRank(ek) > numericRank(k) {
				k = ek
			}
		case k == kText && isTextConstOnly(es, k):
			k = ek // the text so far were literals: they take ek
		default:
			return kAny, nil, exprErrorf("%s mixes %s and %s values: CAST one branch to the other's type", what, kindName(k), kindName(ek))
		}
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = e
		if e == nil {
			continue
		}
		ek := kindOf(e)
		switch {
		case ek == k || k == kAny || k == kOther:
		case isTextConst(e):
			c, err := coerceConst(e, k)
			if err != nil {
				return kAny, nil, err
			}
			if kindOf(c) != k && numericRank(k) > 0 {
				s := e.(*constExpr).v.(string)
				if _, ok := new(big.Rat).SetString(s); !ok {
					return kAny, nil, exprErrorf("%s mixes %s and text values: '%s' is not a number", what, kindName(k), short(s))
				}
				c = &constExpr{v: s, k: kDecimal}
			}
			out[i] = &convertExpr{e: c, k: k}
		default:
			out[i] = &convertExpr{e: e, k: k}
		}
	}
	return k, out, nil
}

func isTextConst(e Expr) bool {
	c, ok := e.(*constExpr)
	if !ok {
		return false
	}
	_, s := c.v.(string)
	return s && c.k == kText
}

// isTextConstOnly reports whether every expression of kind k in es is a
// text literal (which may then take another branch's type).
func isTextConstOnly(es []Expr, k vkind) bool {
	for _, e := range es {
		if e != nil && kindOf(e) == k && !isTextConst(e) {
			return false
		}
	}
	return true
}

func kindName(k vkind) string {
	if t := typeOfKind(k); t.Kind != "" {
		return string(t.Kind)
	}
	return "other"
}

// typeOfKind is the column type a computed value of kind k is reported as
// (ColumnTypeDatabaseTypeName, ColumnTypeScanType); empty when unknown.
func typeOfKind(k vkind) typesmap.Type {
	switch k {
	case kBool:
		return typesmap.Of(typesmap.Boolean)
	case kInt:
		return typesmap.Of(typesmap.BigInt)
	case kVarint:
		return typesmap.Of(typesmap.Varint)
	case kFloat:
		return typesmap.Of(typesmap.Double)
	case kDecimal:
		return typesmap.Of(typesmap.Decimal)
	case kText:
		return typesmap.Of(typesmap.Text)
	case kTime:
		return typesmap.Of(typesmap.Timestamp)
	case kUUID:
		return typesmap.Of(typesmap.UUID)
	case kInet:
		return typesmap.Of(typesmap.Inet)
	case kBytes:
		return typesmap.Of(typesmap.Blob)
	}
	return typesmap.Type{}
}

// convertExpr converts its operand's values to kind k.
type convertExpr struct {
	e Expr
	k vkind
}

func (c *convertExpr) kind() vkind { return c.k }

func (c *convertExpr) Eval(row Row) (any, error) {
	v, err := c.e.Eval(row)
	if err != nil || v == nil {
		return v, err
	}
	return convertValue(v, c.k)
}

// convertValue converts a number to the Go type rows hold for kind k:
// float64 for doubles, a decimal string for decimals, *big.Int for varints.
func convertValue(v any, k vkind) (any, error) {
	switch k {
	case kFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case string:
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return nil, exprErrorf("'%s' is not a number", short(x))
			}
			return f, nil
		}
		if _, c := classify(v, kDecimal); c != ncNone {
			return toFloatNum(v), nil
		}
	case kDecimal:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case *big.Int:
			return x.String(), nil
		case *big.Rat:
			return formatRat(x), nil
		}
	case kVarint:
		switch x := v.(type) {
		case int64:
			return big.NewInt(x), nil
		case *big.Int:
			return x, nil
		}
	default:
		return v, nil
	}
	return nil, exprErrorf("cannot convert %s to %s", typeName(v), kindName(k))
}
