package planner

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

// The accumulator of one aggregate in one group: counts, exact integer and
// decimal sums (an int64 mantissa while it fits, then big.Rat), float sums
// with Neumaier compensation, MIN/MAX, and the seen set of DISTINCT.

// aggState accumulates one aggregate of one group.
type aggState struct {
	spec  *aggSpec
	count int64
	// sums: int64 until overflow, then big; rat for decimals; float.
	i      int64
	big    *big.Int
	rat    *big.Rat
	f      float64
	fComp  float64  // Neumaier compensation: the low-order bits f lost
	scale  int      // the largest scale of the decimals summed (SUM keeps it)
	class  numClass // widest class seen
	minmax any
	seen   map[string]struct{}
	keyBuf []byte
	// Decimal sums: an int64 mantissa at scale decScale while it fits
	// (no allocation per row), else rat.
	decMant  int64
	decScale int
	decFast  bool
}

// add folds v in and returns the bytes of memory it retained.
func (s *aggState) add(v any) (int64, error) {
	a := s.spec
	if a.star {
		s.count++
		return 0, nil
	}
	if v == nil {
		return 0, nil
	}
	var grown int64
	if a.distinct {
		s.keyBuf = appendValueKey(s.keyBuf[:0], v, a.k)
		if _, ok := s.seen[string(s.keyBuf)]; ok {
			return 0, nil
		}
		s.seen[string(s.keyBuf)] = struct{}{}
		grown = int64(len(s.keyBuf)) + 48
	}
	s.count++
	switch a.fn {
	case "count":
	case "sum", "avg":
		if err := s.addNum(v); err != nil {
			return 0, err
		}
	case "min", "max":
		if s.minmax == nil {
			s.minmax = v
			return grown + approxSize(v), nil
		}
		c, err := compareValues(v, s.minmax, a.k)
		if err != nil {
			return 0, fmt.Errorf("astrasql: %s: %w", strings.ToUpper(a.fn), err)
		}
		if a.fn == "min" && c < 0 || a.fn == "max" && c > 0 {
			s.minmax = v
		}
	}
	return grown, nil
}

func (s *aggState) addNum(v any) error {
	// Fast paths without boxing: the common int64, float64 and short
	// decimal values.
	switch n := v.(type) {
	case int64:
		if s.class <= ncInt {
			s.class = ncInt
			if r := s.i + n; (r > s.i) == (n > 0) {
				s.i = r
				return nil
			}
		}
	case float64:
		if s.class == ncFloat || s.class == ncNone {
			s.class = ncFloat
			s.addFloat(n)
			return nil
		}
	case string:
		if s.class == ncNone || s.class == ncDec && s.decFast {
			if m, sc, ok := parseShortDecimal(n); ok && s.addDecFast(m, sc) {
				s.class = ncDec
				s.scale = max(s.scale, sc)
				return nil
			}
		}
		s.scale = max(s.scale, decimalScale(n))
	}
	x, c := classify(v, kDecimal)
	if c == ncNone {
		return fmt.Errorf("astrasql: %s needs numbers, not %s", strings.ToUpper(s.spec.fn), typeName(v))
	}
	if c > s.class {
		s.promote(c)
	}
	switch s.class {
	case ncInt:
		n := x.(int64)
		if r := s.i + n; (r > s.i) == (n > 0) {
			s.i = r
			return nil
		}
		s.promote(ncBig)
		s.big.Add(s.big, big.NewInt(n))
	case ncBig:
		s.big.Add(s.big, toBig(x))
	case ncDec:
		if s.decFast {
			s.spillDec()
		}
		if s.rat == nil {
			s.rat = new(big.Rat)
		}
		s.rat.Add(s.rat, toRatNum(x))
	case ncFloat:
		s.addFloat(toFloatNum(x))
	}
	return nil
}

// addFloat adds x with Neumaier's compensated summation, so a sum does not
// depend on the order rows arrive in (1e15 + 0.37 - 1e15 + 0.01 is 0.38,
// not 0.37): the low-order bits each addition loses are kept in fComp.
func (s *aggState) addFloat(x float64) {
	t := s.f + x
	if math.IsInf(t, 0) || math.IsNaN(t) {
		s.f = t // the compensation has no meaning any more
		return
	}
	if math.Abs(s.f) >= math.Abs(x) {
		s.fComp += (s.f - t) + x
	} else {
		s.fComp += (x - t) + s.f
	}
	s.f = t
}

// floatSum is the compensated float sum.
func (s *aggState) floatSum() float64 {
	if math.IsInf(s.f, 0) || math.IsNaN(s.f) {
		return s.f
	}
	return s.f + s.fComp
}

// decimalScale is the number of fractional digits a decimal's text shows
// (1.50 has 2, 1E+3 has 0, 1.5E-2 has 3); 0 when it is not a decimal.
func decimalScale(str string) int {
	mant, exp := str, 0
	if i := strings.IndexAny(str, "eE"); i >= 0 {
		mant = str[:i]
		if _, err := fmt.Sscan(str[i+1:], &exp); err != nil {
			return 0
		}
	}
	sc := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		sc = len(mant) - i - 1
	}
	return max(sc-exp, 0)
}

// addDecFast adds m * 10^-sc to the int64 decimal accumulator; false when
// it would overflow (the caller then takes the exact big path).
func (s *aggState) addDecFast(m int64, sc int) bool {
	if s.class == ncNone {
		s.decFast, s.decMant, s.decScale = true, 0, sc
	}
	if !s.decFast {
		return false
	}
	for s.decScale < sc { // rescale the accumulator
		if s.decMant > math.MaxInt64/10 || s.decMant < math.MinInt64/10 {
			s.spillDec()
			return false
		}
		s.decMant *= 10
		s.decScale++
	}
	for sc < s.decScale {
		if m > math.MaxInt64/10 || m < math.MinInt64/10 {
			s.spillDec()
			return false
		}
		m *= 10
		sc++
	}
	if r := s.decMant + m; (r > s.decMant) == (m > 0) {
		s.decMant = r
		return true
	}
	s.spillDec()
	return false
}

// spillDec moves the fast decimal accumulator into rat.
func (s *aggState) spillDec() {
	if !s.decFast {
		return
	}
	s.decFast = false
	r := new(big.Rat).SetInt64(s.decMant)
	if s.decScale > 0 {
		r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.decScale)), nil)))
	}
	if s.rat == nil {
		s.rat = r
	} else {
		s.rat.Add(s.rat, r)
	}
	s.class = ncDec
}

// parseShortDecimal reads [-]digits[.digits] of at most 18 digits as a
// mantissa and scale.
func parseShortDecimal(str string) (int64, int, bool) {
	neg := false
	if len(str) > 0 && (str[0] == '-' || str[0] == '+') {
		neg = str[0] == '-'
		str = str[1:]
	}
	if str == "" || len(str) > 19 {
		return 0, 0, false
	}
	var m int64
	sc, digits, dot := 0, 0, false
	for i := 0; i < len(str); i++ {
		c := str[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + int64(c-'0')
			digits++
			if dot {
				sc++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 {
		return 0, 0, false
	}
	if neg {
		m = -m
	}
	return m, sc, true
}

// promote widens the running sum to class c.
func (s *aggState) promote(c numClass) {
	if c <= s.class {
		return
	}
	if s.class == ncDec && s.decFast {
		s.spillDec()
	}
	var cur any
	switch s.class {
	case ncNone:
		cur = int64(0)
	case ncInt:
		cur = s.i
	case ncBig:
		cur = s.big
	case ncDec:
		cur = s.rat
	}
	switch c {
	case ncInt:
		s.i = 0
	case ncBig:
		s.big = new(big.Int).Set(toBig(cur))
	case ncDec:
		s.rat = new(big.Rat).Set(toRatNum(cur))
	case ncFloat:
		if cur != nil {
			s.f, s.fComp = toFloatNum(cur), 0
		}
	}
	s.class = c
}

func (s *aggState) result() (any, error) {
	a := s.spec
	switch a.fn {
	case "count":
		return s.count, nil
	case "min", "max":
		return s.minmax, nil
	}
	if s.count == 0 {
		return nil, nil
	}
	var sum any
	switch s.class {
	case ncInt:
		sum = s.i
	case ncBig:
		sum = normBig(new(big.Int).Set(s.big))
	case ncDec:
		r := new(big.Rat)
		if s.rat != nil {
			r.Set(s.rat)
		}
		if s.decFast {
			f := new(big.Rat).SetInt64(s.decMant)
			if s.decScale > 0 {
				f.Quo(f, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.decScale)), nil)))
			}
			r.Add(r, f)
		}
		sum = r
	case ncFloat:
		sum = s.floatSum()
	}
	if a.fn == "sum" {
		// One Go type per result column: SUM of integer columns is a
		// bigint (int64; past its range an error, as SQLite and
		// PostgreSQL's bigint), SUM of varints a varint (*big.Int).
		switch a.k {
		case kInt:
			if b, ok := sum.(*big.Int); ok {
				return nil, fmt.Errorf("astrasql: SUM(%s) overflows bigint (%s): sum CAST(... AS decimal) or a varint column instead", a.key[4:len(a.key)-1], b)
			}
		case kVarint:
			switch x := sum.(type) {
			case int64:
				return big.NewInt(x), nil
			case *big.Int:
				return x, nil
			}
		}
		if r, ok := sum.(*big.Rat); ok {
			// As PostgreSQL's numeric: the sum shows the largest scale of
			// its inputs (10.25 + 20.75 is 31.00).
			if s.scale > 0 && s.scale <= 1000 {
				return r.FloatString(s.scale), nil
			}
			return formatRat(r), nil
		}
		return sum, nil
	}
	// avg
	switch x := sum.(type) {
	case *big.Rat:
		return formatRat(new(big.Rat).Quo(x, new(big.Rat).SetInt64(s.count))), nil
	case float64:
		return x / float64(s.count), nil
	case int64:
		return float64(x) / float64(s.count), nil
	case *big.Int:
		q, _ := new(big.Rat).SetFrac(x, big.NewInt(s.count)).Float64()
		return q, nil
	}
	return math.NaN(), nil
}
