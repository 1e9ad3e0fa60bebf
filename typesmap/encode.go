package typesmap

import (
	"cmp"
	"database/sql/driver"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// ValueError reports a Go value that cannot be written to a column. It is
// returned before anything is sent.
type ValueError struct {
	// Column names the column; empty from AppendValue.
	Column string
	// Type is the column's type.
	Type Type
	// Path locates the offending part inside a collection or UDT value
	// ("element 3", "key \"a\"", "field zip"); empty for the whole value.
	Path string
	// Value is a short, safe rendering of the value (long values are cut).
	Value string
	// Reason says what is wrong ("overflows int").
	Reason string
}

func (e *ValueError) Error() string {
	var b strings.Builder
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q (%s): ", e.Column, e.Type)
	} else {
		fmt.Fprintf(&b, "typesmap: %s: ", e.Type)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString("value ")
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	b.WriteString(e.Reason)
	return b.String()
}

// AppendValue appends the wire JSON of the Go value v for a column of
// type t to dst. It accepts the Go types DESIGN.md lists for each column
// type, nil (JSON null), pointers to them, driver.Valuer implementations
// (sql.Null*, ...) and, for collections and UDTs, a string holding their
// JSON text. Values are checked (ranges, formats, vector dimension) and a
// *ValueError explains a refusal.
func AppendValue(dst []byte, t Type, v any) ([]byte, error) {
	return appendValue(dst, t, v)
}

// AppendColumnValue is AppendValue for a named column: errors name it.
func AppendColumnValue(dst []byte, col Column, v any) ([]byte, error) {
	out, err := appendValue(dst, col.Type, v)
	if err != nil {
		var ve *ValueError
		if errors.As(err, &ve) {
			ve.Column = col.Name
		}
		return dst, err
	}
	return out, nil
}

func valueErr(t Type, v any, format string, args ...any) *ValueError {
	return &ValueError{Type: t, Value: shortValue(v), Reason: fmt.Sprintf(format, args...)}
}

// shortValue renders v for an error, cut to a safe length.
func shortValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return quoteShort(x)
	case []byte:
		return fmt.Sprintf("[]byte (%d bytes)", len(x))
	case Vector:
		return fmt.Sprintf("vector (%d values)", len(x))
	case []float32:
		return fmt.Sprintf("[]float32 (%d values)", len(x))
	case []float64:
		return fmt.Sprintf("[]float64 (%d values)", len(x))
	case float32:
		return string(appendFloatLiteral(nil, float64(x), 32))
	case float64:
		return string(appendFloatLiteral(nil, x, 64))
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return fmt.Sprintf("%T (%d elements)", v, rv.Len())
	}
	s := fmt.Sprint(v)
	if len(s) > 40 {
		s = quoteShort(s)
	}
	return s
}

// unwrap resolves pointers and foreign driver.Valuer values. ok is false
// for nil (write JSON null).
func unwrap(v any) (any, bool, error) {
	for i := 0; i < 8; i++ {
		switch vv := v.(type) {
		case nil:
			return nil, false, nil
		case Vector, Duration, TimeOfDay, List, Set, Map, UDT, *big.Int, *big.Float, *big.Rat, []byte:
			if isNilCollection(v) {
				return nil, false, nil
			}
			if p, isPtr := v.(*big.Int); isPtr && p == nil {
				return nil, false, nil
			}
			if p, isPtr := v.(*big.Float); isPtr && p == nil {
				return nil, false, nil
			}
			if p, isPtr := v.(*big.Rat); isPtr && p == nil {
				return nil, false, nil
			}
			return v, true, nil
		case driver.Valuer:
			rv := reflect.ValueOf(v)
			if rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, false, nil
			}
			nv, err := vv.Value()
			if err != nil {
				return nil, false, err
			}
			v = nv
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil, false, nil
			}
			v = rv.Elem().Interface()
			continue
		}
		return v, true, nil
	}
	return v, true, nil
}

func appendValue(dst []byte, t Type, v any) ([]byte, error) {
	v, ok, err := unwrap(v)
	if err != nil {
		return dst, &ValueError{Type: t, Reason: "driver.Valuer failed: " + err.Error()}
	}
	if !ok {
		return append(dst, "null"...), nil
	}
	v = baseValue(v)
	switch t.Kind {
	case Text, Ascii:
		return appendText(dst, t, v)
	case Boolean:
		if b, ok := v.(bool); ok {
			return strconv.AppendBool(dst, b), nil
		}
	case TinyInt, SmallInt, Int, BigInt, Counter:
		return appendInt(dst, t, v)
	case Varint:
		return appendVarint(dst, t, v)
	case Decimal:
		return appendDecimal(dst, t, v)
	case Float, Double:
		return appendFloat(dst, t, v)
	case Blob:
		if b, ok := v.([]byte); ok {
			return appendBinary(dst, b), nil
		}
	case UUID, TimeUUID:
		return appendUUID(dst, t, v)
	case Inet:
		return appendInet(dst, t, v)
	case Date:
		return appendDateValue(dst, t, v)
	case Timestamp:
		return appendTimestampValue(dst, t, v)
	case Time:
		return appendTimeValue(dst, t, v)
	case KindDuration:
		return appendDurationValue(dst, t, v)
	case KindVector:
		return appendVector(dst, t, v)
	case KindList, KindSet:
		return appendListValue(dst, t, v)
	case KindMap:
		return appendMapValue(dst, t, v)
	case UserDefined:
		return appendUDTValue(dst, t, v)
	default:
		return dst, &ValueError{Type: t, Reason: fmt.Sprintf("column type %s cannot be written through the Data API", t)}
	}
	return dst, mismatch(t, v)
}

func mismatch(t Type, v any) *ValueError {
	return &ValueError{Type: t, Value: shortValue(v), Reason: fmt.Sprintf("has Go type %T, which a %s column does not take", v, t.Kind)}
}

// baseValue converts values of named types (type MyInt int) to their
// underlying basic type so the switches below see them.
func baseValue(v any) any {
	switch v.(type) {
	case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, []byte,
		TimeOfDay, time.Duration, net.IP, Vector:
		return v
	}
	rv := reflect.ValueOf(v)
	if rv.Type().PkgPath() == "" {
		return v
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint()
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 && rv.Type().Elem().PkgPath() == "" {
			return rv.Bytes()
		}
	}
	return v
}

func appendText(dst []byte, t Type, v any) ([]byte, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return dst, mismatch(t, v)
	}
	if !utf8.ValidString(s) {
		return dst, valueErr(t, s, "is not valid UTF-8")
	}
	if t.Kind == Ascii {
		for i := 0; i < len(s); i++ {
			if s[i] > 0x7F {
				return dst, valueErr(t, s, "has a non-ASCII character at byte %d", i)
			}
		}
	}
	out, _ := jsontext.AppendQuote(dst, s)
	return out, nil
}

// intOf returns v as an int64 when it is a Go integer that fits, else as a
// *big.Int (big is nil when v is no integer at all).
func intOf(v any) (n int64, b *big.Int, isInt bool) {
	switch x := v.(type) {
	case int:
		return int64(x), nil, true
	case int8:
		return int64(x), nil, true
	case int16:
		return int64(x), nil, true
	case int32:
		return int64(x), nil, true
	case int64:
		return x, nil, true
	case uint:
		return intOfUint(uint64(x))
	case uint8:
		return int64(x), nil, true
	case uint16:
		return int64(x), nil, true
	case uint32:
		return int64(x), nil, true
	case uint64:
		return intOfUint(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), nil, true
		}
		return 0, x, true
	case big.Int:
		return intOf(&x)
	}
	return 0, nil, false
}

func intOfUint(u uint64) (int64, *big.Int, bool) {
	if u > math.MaxInt64 {
		return 0, new(big.Int).SetUint64(u), true
	}
	return int64(u), nil, true
}

var intRanges = map[Kind][2]int64{
	TinyInt:  {math.MinInt8, math.MaxInt8},
	SmallInt: {math.MinInt16, math.MaxInt16},
	Int:      {math.MinInt32, math.MaxInt32},
	BigInt:   {math.MinInt64, math.MaxInt64},
	Counter:  {math.MinInt64, math.MaxInt64},
}

func appendInt(dst []byte, t Type, v any) ([]byte, error) {
	n, b, ok := intOf(v)
	if !ok {
		if _, isFloat := v.(float64); isFloat {
			return dst, valueErr(t, v, "is a float; %s takes a Go integer", t.Kind)
		}
		return dst, mismatch(t, v)
	}
	r := intRanges[t.Kind]
	if b != nil || n < r[0] || n > r[1] {
		return dst, valueErr(t, v, "overflows %s", t.Kind)
	}
	return strconv.AppendInt(dst, n, 10), nil
}

// maxNumberLen is the longest JSON number the server parses.
const maxNumberLen = 100

func checkNumberLen(dst []byte, start int, t Type, v any) ([]byte, error) {
	if n := len(dst) - start; n > maxNumberLen {
		return dst[:start], valueErr(t, v, "needs %d characters; the Data API reads numbers of at most %d", n, maxNumberLen)
	}
	return dst, nil
}

func appendVarint(dst []byte, t Type, v any) ([]byte, error) {
	start := len(dst)
	if n, b, ok := intOf(v); ok {
		if b != nil {
			dst = b.Append(dst, 10)
		} else {
			dst = strconv.AppendInt(dst, n, 10)
		}
		return checkNumberLen(dst, start, t, v)
	}
	s, ok := v.(string)
	if !ok {
		return dst, mismatch(t, v)
	}
	d, ok := parseDecimalText(s)
	if !ok || d.exp != 0 || d.frac != "" {
		return dst, valueErr(t, s, "is not an integer")
	}
	dst = d.appendJSON(dst)
	return checkNumberLen(dst, start, t, v)
}

func appendDecimal(dst []byte, t Type, v any) ([]byte, error) {
	start := len(dst)
	if n, b, ok := intOf(v); ok {
		if b != nil {
			dst = b.Append(dst, 10)
		} else {
			dst = strconv.AppendInt(dst, n, 10)
		}
		return checkNumberLen(dst, start, t, v)
	}
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return dst, valueErr(t, v, "is not a number; decimal has no NaN or infinity")
		}
		dst = strconv.AppendFloat(dst, x, 'g', -1, 64)
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return dst, valueErr(t, v, "is not a number; decimal has no NaN or infinity")
		}
		dst = strconv.AppendFloat(dst, float64(x), 'g', -1, 32)
	case *big.Float:
		if x.IsInf() {
			return dst, valueErr(t, v, "is infinite; decimal has no infinity")
		}
		dst = x.Append(dst, 'g', -1)
	case big.Float:
		return appendDecimal(dst, t, &x)
	case *big.Rat:
		s, ok := ratDecimal(x)
		if !ok {
			return dst, valueErr(t, x.RatString(), "has no exact decimal form")
		}
		dst = append(dst, s...)
	case big.Rat:
		return appendDecimal(dst, t, &x)
	case string:
		d, ok := parseDecimalText(x)
		if !ok {
			return dst, valueErr(t, x, "is not a decimal number")
		}
		dst = d.appendJSON(dst)
	default:
		return dst, mismatch(t, v)
	}
	return checkNumberLen(dst, start, t, v)
}

// ratDecimal renders r exactly in decimal if its denominator has no prime
// factors but 2 and 5.
func ratDecimal(r *big.Rat) (string, bool) {
	if r.IsInt() {
		return r.Num().String(), true
	}
	den := new(big.Int).Set(r.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	var twos, fives int
	m := new(big.Int)
	for den.Cmp(big.NewInt(1)) != 0 {
		if m.Mod(den, two).Sign() == 0 {
			den.Quo(den, two)
			twos++
		} else if m.Mod(den, five).Sign() == 0 {
			den.Quo(den, five)
			fives++
		} else {
			return "", false
		}
		if twos+fives > 400 {
			return "", false
		}
	}
	scale := max(twos, fives)
	num := new(big.Int).Mul(r.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	num.Quo(num, r.Denom())
	neg := num.Sign() < 0
	digits := num.Abs(num).String()
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	s := digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	if neg {
		s = "-" + s
	}
	return s, true
}

// decimalText is a parsed decimal number: sign, integer digits (no
// leading zeros, "0" for none), fraction digits, and a power of ten.
type decimalText struct {
	neg       bool
	int, frac string
	exp       int64
}

// parseDecimalText parses [+-]digits[.digits][(e|E)[+-]digits] (also
// ".5" and "5.").
func parseDecimalText(s string) (decimalText, bool) {
	var d decimalText
	if s != "" && (s[0] == '+' || s[0] == '-') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	d.int = s[:i]
	s = s[i:]
	if s != "" && s[0] == '.' {
		s = s[1:]
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		d.frac = s[:j]
		s = s[j:]
	}
	if d.int == "" && d.frac == "" {
		return d, false
	}
	if s != "" {
		if s[0] != 'e' && s[0] != 'E' {
			return d, false
		}
		s = s[1:]
		eneg := false
		if s != "" && (s[0] == '+' || s[0] == '-') {
			eneg = s[0] == '-'
			s = s[1:]
		}
		if s == "" || len(s) > 9 {
			return d, false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return d, false
			}
			d.exp = d.exp*10 + int64(s[i]-'0')
		}
		if eneg {
			d.exp = -d.exp
		}
	}
	d.int = strings.TrimLeft(d.int, "0")
	if d.int == "" {
		d.int = "0"
	}
	return d, true
}

// appendJSON writes d as a JSON number, keeping every digit.
func (d decimalText) appendJSON(dst []byte) []byte {
	if d.neg {
		dst = append(dst, '-')
	}
	dst = append(dst, d.int...)
	if d.frac != "" {
		dst = append(dst, '.')
		dst = append(dst, d.frac...)
	}
	if d.exp != 0 {
		dst = append(dst, 'E')
		dst = strconv.AppendInt(dst, d.exp, 10)
	}
	return dst
}

func appendFloat(dst []byte, t Type, v any) ([]byte, error) {
	bits := 64
	if t.Kind == Float {
		bits = 32
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case string:
		switch x {
		case "NaN", "Infinity", "-Infinity":
			return jsontext.AppendQuote(dst, x)
		}
		p, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return dst, valueErr(t, x, "is not a number")
		}
		f = p
	default:
		n, b, ok := intOf(v)
		if !ok {
			return dst, mismatch(t, v)
		}
		if b != nil {
			f, _ = new(big.Float).SetInt(b).Float64()
		} else {
			f = float64(n)
		}
	}
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...), nil
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...), nil
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...), nil
	case f == 0 && math.Signbit(f):
		return append(dst, "-0.0"...), nil
	}
	if bits == 32 && math.IsInf(float64(float32(f)), 0) {
		return dst, valueErr(t, v, "overflows float (32-bit)")
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits), nil
}

func appendBinary(dst []byte, b []byte) []byte {
	dst = append(dst, `{"$binary":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, `"}`...)
}

func appendUUID(dst []byte, t Type, v any) ([]byte, error) {
	var u uuid.UUID
	switch x := v.(type) {
	case uuid.UUID:
		u = x
	case [16]byte:
		u = x
	case string:
		p, err := uuid.Parse(x)
		if err != nil {
			return dst, valueErr(t, x, "is not a UUID")
		}
		u = p
	case []byte:
		switch len(x) {
		case 16:
			copy(u[:], x)
		default:
			p, err := uuid.ParseBytes(x)
			if err != nil {
				return dst, valueErr(t, x, "is not a UUID")
			}
			u = p
		}
	default:
		return dst, mismatch(t, v)
	}
	if t.Kind == TimeUUID && u.Version() != 1 {
		return dst, valueErr(t, u.String(), "is a version %d UUID; timeuuid takes version 1", u.Version())
	}
	dst = append(dst, '"')
	dst = append(dst, u.String()...)
	return append(dst, '"'), nil
}

func appendInet(dst []byte, t Type, v any) ([]byte, error) {
	var a netip.Addr
	switch x := v.(type) {
	case netip.Addr:
		a = x
	case string:
		// A literal only: the server would resolve a host name.
		p, err := netip.ParseAddr(x)
		if err != nil {
			return dst, valueErr(t, x, "is not an IP address literal")
		}
		a = p
	case net.IP:
		if ip4 := x.To4(); ip4 != nil {
			x = ip4
		}
		p, ok := netip.AddrFromSlice(x)
		if !ok {
			return dst, valueErr(t, x.String(), "is not an IP address")
		}
		a = p
	default:
		return dst, mismatch(t, v)
	}
	if !a.IsValid() {
		return dst, valueErr(t, v, "is the zero netip.Addr")
	}
	if a.Zone() != "" {
		return dst, valueErr(t, a.String(), "has a zone; inet stores none")
	}
	dst = append(dst, '"')
	dst = a.AppendTo(dst)
	return append(dst, '"'), nil
}

func appendDateValue(dst []byte, t Type, v any) ([]byte, error) {
	var d time.Time
	switch x := v.(type) {
	case time.Time:
		d = x
	case string:
		p, err := parseDateLoose(x)
		if err != nil {
			return dst, valueErr(t, x, "is not a date [+-]YYYY-MM-DD")
		}
		d = p
	default:
		return dst, mismatch(t, v)
	}
	if n := dateDays(d); n < minDateDays || n > maxDateDays {
		return dst, valueErr(t, v, "is outside the date range (2^31 days from 1970-01-01)")
	}
	dst = append(dst, '"')
	dst = AppendDate(dst, d)
	return append(dst, '"'), nil
}

// parseDateLoose takes a date, or a timestamp at midnight UTC (the form
// generic JSON gives a time.Time).
func parseDateLoose(s string) (time.Time, error) {
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	ts, err := parseTimestamp(s)
	if err != nil || ts.Hour() != 0 || ts.Minute() != 0 || ts.Second() != 0 || ts.Nanosecond() != 0 {
		return time.Time{}, errDateSyntax
	}
	return ts, nil
}

// Timestamps are int64 milliseconds; stay well inside that range.
const maxTimestampYear = 292_000_000

func appendTimestampValue(dst []byte, t Type, v any) ([]byte, error) {
	var ts time.Time
	switch x := v.(type) {
	case time.Time:
		ts = x
	case string:
		p, err := ParseTimestampCQL(x)
		if err != nil {
			return dst, valueErr(t, x, "is not a timestamp ('2024-06-01', '2024-06-01 08:30:00', '2024-06-01T08:30:00.123+0200'; no zone is UTC)")
		}
		ts = p
	default:
		return dst, mismatch(t, v)
	}
	if y := ts.Year(); y > maxTimestampYear || y < -maxTimestampYear {
		return dst, valueErr(t, v, "is outside the timestamp range")
	}
	dst = append(dst, '"')
	dst = appendTimestamp(dst, ts)
	return append(dst, '"'), nil
}

func appendTimeValue(dst []byte, t Type, v any) ([]byte, error) {
	var tod TimeOfDay
	switch x := v.(type) {
	case TimeOfDay:
		tod = x
	case time.Duration:
		tod = TimeOfDay(x)
	case string:
		p, err := parseTimeOfDay(x)
		if err != nil {
			return dst, valueErr(t, x, "is not a time of day HH:MM[:SS[.fffffffff]]")
		}
		tod = p
	default:
		return dst, mismatch(t, v)
	}
	if !tod.Valid() {
		return dst, valueErr(t, v, "is not within a day")
	}
	dst = append(dst, '"')
	dst = tod.AppendText(dst)
	return append(dst, '"'), nil
}

func appendDurationValue(dst []byte, t Type, v any) ([]byte, error) {
	var d Duration
	switch x := v.(type) {
	case Duration:
		d = x
	case time.Duration:
		d = DurationOf(x)
	case string:
		p, err := parseDuration(x)
		if err != nil {
			return dst, valueErr(t, x, "is not an ISO 8601 or CQL duration: %v", err)
		}
		d = p
	default:
		return dst, mismatch(t, v)
	}
	if !d.validSigns() {
		return dst, valueErr(t, fmt.Sprintf("{%d %d %d}", d.Months, d.Days, d.Nanoseconds), "mixes signs; months, days and nanoseconds must all be >= 0 or all <= 0")
	}
	dst = append(dst, '"')
	dst = d.appendWire(dst)
	return append(dst, '"'), nil
}

func appendVector(dst []byte, t Type, v any) ([]byte, error) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		return append(dst, "null"...), nil // a nil []float32 is no vector at all
	}
	var floats []float32
	var raw []byte
	n := 0
	switch x := v.(type) {
	case Vector:
		floats, n = x, len(x)
	case []float32:
		floats, n = x, len(x)
	case []float64:
		floats, n = make([]float32, len(x)), len(x)
		for i, f := range x {
			if !math.IsInf(f, 0) && math.IsInf(float64(float32(f)), 0) {
				return dst, &ValueError{Type: t, Path: fmt.Sprintf("element %d", i), Value: shortValue(f), Reason: "overflows float (32-bit)"}
			}
			floats[i] = float32(f)
		}
	case []any:
		return appendVector(dst, t, List(x))
	case List:
		floats, n = make([]float32, len(x)), len(x)
		for i, e := range x {
			e, _, _ = unwrap(e)
			var f float64
			switch num := baseValue(e).(type) {
			case float64:
				f = num
			case float32:
				f = float64(num)
			default:
				in, b, ok := intOf(num)
				if !ok || b != nil {
					return dst, &ValueError{Type: t, Path: fmt.Sprintf("element %d", i), Value: shortValue(e), Reason: "is not a number"}
				}
				f = float64(in)
			}
			if !math.IsInf(f, 0) && math.IsInf(float64(float32(f)), 0) {
				return dst, &ValueError{Type: t, Path: fmt.Sprintf("element %d", i), Value: shortValue(f), Reason: "overflows float (32-bit)"}
			}
			floats[i] = float32(f)
		}
	case []byte:
		if len(x)%4 != 0 {
			return dst, valueErr(t, x, "is not a whole number of big-endian float32s")
		}
		raw, n = x, len(x)/4
	case string:
		if t.Service == nil {
			return dst, valueErr(t, x, "is text, and this vector column has no vectorize service to embed it")
		}
		return jsontext.AppendQuote(dst, x)
	default:
		return dst, mismatch(t, v)
	}
	if t.Dimension > 0 && n != t.Dimension {
		return dst, valueErr(t, v, "has %d elements; the column's dimension is %d", n, t.Dimension)
	}
	if n == 0 {
		return dst, valueErr(t, v, "is empty; a vector has at least one element")
	}
	dst = append(dst, `{"$binary":"`...)
	if raw != nil {
		dst = base64.StdEncoding.AppendEncode(dst, raw)
	} else {
		dst = appendFloat32Base64(dst, floats)
	}
	return append(dst, `"}`...), nil
}

// appendFloat32Base64 appends the base64 of v as big-endian float32s,
// through a stack buffer: chunks of a multiple of 3 bytes encode without
// padding, so only the last chunk can end in '='.
func appendFloat32Base64(dst []byte, v []float32) []byte {
	const chunk = 192 // floats: 768 bytes, a multiple of 3
	var buf [4 * chunk]byte
	dst = slices.Grow(dst, base64.StdEncoding.EncodedLen(4*len(v)))
	for len(v) > 0 {
		k := min(len(v), chunk)
		for i, f := range v[:k] {
			binary.BigEndian.PutUint32(buf[4*i:], math.Float32bits(f))
		}
		dst = base64.StdEncoding.AppendEncode(dst, buf[:4*k])
		v = v[k:]
	}
	return dst
}

// elemErr wraps the error of a nested value with where it sits.
func elemErr(t Type, path string, err error) error {
	var ve *ValueError
	if errors.As(err, &ve) {
		p := path
		if ve.Path != "" {
			p += ": " + ve.Path
		}
		return &ValueError{Type: t, Path: p, Value: ve.Value, Reason: ve.Reason}
	}
	return &ValueError{Type: t, Path: path, Reason: err.Error()}
}

// fromJSONText decodes a string v holding the JSON text of a collection or
// UDT, with the column type, to its Go value; any other v it returns as is.
func fromJSONText(t Type, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	v, err := decodeText(s, t)
	if err != nil {
		return nil, valueErr(t, s, "is not the JSON text of a %s: %v", t.Kind, err)
	}
	return v, nil
}

func appendListValue(dst []byte, t Type, v any) ([]byte, error) {
	v, err := fromJSONText(t, v)
	if err != nil {
		return dst, err
	}
	var elems []any
	switch x := v.(type) {
	case List:
		elems = x
	case Set:
		elems = x
	case []any:
		elems = x
	case Vector, []byte:
		return appendListReflect(dst, t, reflect.ValueOf(v))
	default:
		rv := reflect.ValueOf(v)
		if k := rv.Kind(); k != reflect.Slice && k != reflect.Array {
			return dst, mismatch(t, v)
		}
		return appendListReflect(dst, t, rv)
	}
	start := len(dst)
	elem := t.elem()
	dst = append(dst, '[')
	for i, e := range elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendElem(dst, elem, e); err != nil {
			return dst[:start], elemErr(t, fmt.Sprintf("element %d", i), err)
		}
	}
	return append(dst, ']'), nil
}

func appendListReflect(dst []byte, t Type, rv reflect.Value) ([]byte, error) {
	start := len(dst)
	elem := t.elem()
	dst = append(dst, '[')
	for i := 0; i < rv.Len(); i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendElem(dst, elem, rv.Index(i).Interface()); err != nil {
			return dst[:start], elemErr(t, fmt.Sprintf("element %d", i), err)
		}
	}
	return append(dst, ']'), nil
}

// appendElem encodes a collection element, key or value: null is refused.
func appendElem(dst []byte, t Type, v any) ([]byte, error) {
	if _, ok, err := unwrap(v); err == nil && !ok {
		return dst, &ValueError{Type: t, Reason: "is null; collections cannot hold nulls"}
	}
	return appendValue(dst, t, v)
}

func appendMapValue(dst []byte, t Type, v any) ([]byte, error) {
	v, err := fromJSONText(t, v)
	if err != nil {
		return dst, err
	}
	var entries Map
	switch x := v.(type) {
	case Map:
		entries = x
	case UDT:
		entries = make(Map, len(x))
		for i, f := range x {
			entries[i] = MapEntry{f.Name, f.Value}
		}
	default:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Map {
			return dst, mismatch(t, v)
		}
		entries = sortedEntries(rv)
	}
	start := len(dst)
	kt, vt := t.key(), t.elem()
	object := kt.Kind == Text || kt.Kind == Ascii || len(entries) == 0
	if object {
		dst = append(dst, '{')
	} else {
		dst = append(dst, '[')
	}
	for i, e := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		if !object {
			dst = append(dst, '[')
		}
		var err error
		if dst, err = appendElem(dst, kt, e.Key); err != nil {
			return dst[:start], elemErr(t, fmt.Sprintf("key %d", i), err)
		}
		if object {
			dst = append(dst, ':')
		} else {
			dst = append(dst, ',')
		}
		if dst, err = appendElem(dst, vt, e.Value); err != nil {
			return dst[:start], elemErr(t, fmt.Sprintf("value of key %s", shortValue(e.Key)), err)
		}
		if !object {
			dst = append(dst, ']')
		}
	}
	if object {
		return append(dst, '}'), nil
	}
	return append(dst, ']'), nil
}

// sortedEntries lists a Go map's entries sorted by key, so that the same
// map always encodes to the same bytes.
func sortedEntries(rv reflect.Value) Map {
	out := make(Map, 0, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out = append(out, MapEntry{it.Key().Interface(), it.Value().Interface()})
	}
	slices.SortFunc(out, func(a, b MapEntry) int { return compareKeys(a.Key, b.Key) })
	return out
}

func compareKeys(a, b any) int {
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.IsValid() && rb.IsValid() && ra.Kind() == rb.Kind() {
		switch ra.Kind() {
		case reflect.String:
			return cmp.Compare(ra.String(), rb.String())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return cmp.Compare(ra.Int(), rb.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return cmp.Compare(ra.Uint(), rb.Uint())
		case reflect.Float32, reflect.Float64:
			return cmp.Compare(ra.Float(), rb.Float())
		case reflect.Bool:
			return cmp.Compare(b2i(ra.Bool()), b2i(rb.Bool()))
		}
	}
	if ta, ok := a.(time.Time); ok {
		if tb, ok := b.(time.Time); ok {
			return ta.Compare(tb)
		}
	}
	if na, ok := a.(netip.Addr); ok {
		if nb, ok := b.(netip.Addr); ok {
			return na.Compare(nb)
		}
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func appendUDTValue(dst []byte, t Type, v any) ([]byte, error) {
	v, err := fromJSONText(t, v)
	if err != nil {
		return dst, err
	}
	var fields UDT
	switch x := v.(type) {
	case UDT:
		fields = x
	case Map:
		fields = make(UDT, len(x))
		for i, e := range x {
			k, ok := e.Key.(string)
			if !ok {
				return dst, valueErr(t, v, "has a %T key; UDT field names are strings", e.Key)
			}
			fields[i] = UDTField{k, e.Value}
		}
	default:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
			return dst, mismatch(t, v)
		}
		for _, e := range sortedEntries(rv) {
			fields = append(fields, UDTField{reflect.ValueOf(e.Key).String(), e.Value})
		}
	}
	start := len(dst)
	dst = append(dst, '{')
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst, _ = jsontext.AppendQuote(dst, f.Name)
		dst = append(dst, ':')
		var err error
		if len(t.Fields) > 0 {
			ft, ok := fieldType(t, f.Name)
			if !ok {
				return dst[:start], &ValueError{Type: t, Path: "field " + f.Name, Reason: fmt.Sprintf("is not a field of %s", t.UDTName)}
			}
			dst, err = appendValue(dst, ft, f.Value)
		} else {
			// The table definition does not list the fields: encode by Go type.
			dst, err = AppendJSON(dst, f.Value)
		}
		if err != nil {
			return dst[:start], elemErr(t, "field "+f.Name, err)
		}
	}
	return append(dst, '}'), nil
}

func fieldType(t Type, name string) (Type, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f.Type, true
		}
	}
	return Type{}, false
}

// AppendJSON appends a JSON rendering of a Go value without a column
// type: strings, numbers, booleans and null as such; NaN and infinities as
// "NaN", "Infinity", "-Infinity"; []byte as {"$binary": base64};
// time.Time as a timestamp string; TimeOfDay, Duration, uuid.UUID and
// netip.Addr as their strings; *big.Int, *big.Float and *big.Rat (when
// exact) as numbers; Vector, List, Set and Go slices as arrays; UDT and Go
// maps with string keys as objects; Map as an object when every key is a
// string, else as an array of [key, value] pairs.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	v, ok, err := unwrap(v)
	if err != nil {
		return dst, err
	}
	if !ok {
		return append(dst, "null"...), nil
	}
	v = baseValue(v)
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return dst, fmt.Errorf("typesmap: string %s is not valid UTF-8", quoteShort(x))
		}
		return jsontext.AppendQuote(dst, x)
	case bool:
		return strconv.AppendBool(dst, x), nil
	case float64:
		return appendFloat(dst, Of(Double), x)
	case float32:
		return appendFloat(dst, Of(Float), x)
	case []byte:
		return appendBinary(dst, x), nil
	case time.Time:
		return appendTimestampValue(dst, Of(Timestamp), x)
	case TimeOfDay:
		return appendTimeValue(dst, Of(Time), x)
	case time.Duration:
		return appendDurationValue(dst, Of(KindDuration), x)
	case Duration:
		return appendDurationValue(dst, Of(KindDuration), x)
	case uuid.UUID:
		return appendUUID(dst, Of(UUID), x)
	case netip.Addr:
		return appendInet(dst, Of(Inet), x)
	case *big.Float, *big.Rat:
		return appendDecimal(dst, Of(Decimal), x)
	case Vector:
		dst = append(dst, '[')
		for i, f := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst, _ = appendFloat(dst, Of(Float), f)
		}
		return append(dst, ']'), nil
	case List:
		return appendJSONSeq(dst, x)
	case Set:
		return appendJSONSeq(dst, x)
	case []any:
		return appendJSONSeq(dst, x)
	case UDT:
		dst = append(dst, '{')
		for i, f := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst, _ = jsontext.AppendQuote(dst, f.Name)
			dst = append(dst, ':')
			if dst, err = AppendJSON(dst, f.Value); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case Map:
		return appendJSONMap(dst, x)
	}
	if n, b, ok := intOf(v); ok {
		if b != nil {
			return b.Append(dst, 10), nil
		}
		return strconv.AppendInt(dst, n, 10), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = rv.Index(i).Interface()
		}
		return appendJSONSeq(dst, l)
	case reflect.Map:
		return appendJSONMap(dst, sortedEntries(rv))
	}
	return dst, fmt.Errorf("typesmap: cannot encode Go type %T as JSON", v)
}

func appendJSONSeq(dst []byte, s []any) ([]byte, error) {
	dst = append(dst, '[')
	for i, e := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = AppendJSON(dst, e); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func appendJSONMap(dst []byte, m Map) ([]byte, error) {
	object := true
	for _, e := range m {
		if _, ok := baseValue(e.Key).(string); !ok {
			object = false
			break
		}
	}
	var err error
	if object {
		dst = append(dst, '{')
		for i, e := range m {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = AppendJSON(dst, e.Key); err != nil {
				return dst, err
			}
			dst = append(dst, ':')
			if dst, err = AppendJSON(dst, e.Value); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	dst = append(dst, '[')
	for i, e := range m {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		if dst, err = AppendJSON(dst, e.Key); err != nil {
			return dst, err
		}
		dst = append(dst, ',')
		if dst, err = AppendJSON(dst, e.Value); err != nil {
			return dst, err
		}
		dst = append(dst, ']')
	}
	return append(dst, ']'), nil
}
