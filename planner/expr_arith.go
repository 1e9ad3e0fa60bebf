package planner

import (
	"math"
	"math/big"
	"strings"
)

// Arithmetic over numbers of mixed representations: int64 promoted to
// *big.Int on overflow, exact decimals (*big.Rat, decimal strings), floats.

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
		// As PostgreSQL's numeric: + - % keep the larger scale of the
		// operands, * their sum (1.10 + 1 is 2.10, 3.25 * 2 is 6.50).
		if sa, ok := decimalScaleOf(a); ok && op != "/" {
			if sb, ok := decimalScaleOf(b); ok {
				sc := max(sa, sb)
				if op == "*" {
					sc = sa + sb
				}
				if sc > 0 && sc <= 1000 {
					return z.FloatString(sc), nil
				}
			}
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

// decimalScaleOf is the scale a decimal operand shows: its fractional
// digits for decimal text, 0 for integers; false for anything else.
func decimalScaleOf(v any) (int, bool) {
	switch x := v.(type) {
	case string:
		if _, ok := new(big.Rat).SetString(x); ok {
			return decimalScale(x), true
		}
	case int64, *big.Int:
		return 0, true
	}
	return 0, false
}
