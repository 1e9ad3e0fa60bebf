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

	"github.com/google/uuid"
)

// Comparison of values: equality and order within each family, numbers
// across representations, and the float order the server uses.

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
