package dataapitest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// Stored value representations, one Go type per column kind:
//
//	text, ascii                    string
//	boolean                        bool
//	tinyint..bigint, counter       int64
//	varint                         *big.Int
//	decimal                        decimal
//	float                          float32
//	double                         float64
//	date                           dateVal (days since 1970-01-01)
//	time                           timeVal (nanoseconds since midnight)
//	timestamp                      tsVal (milliseconds since the epoch)
//	duration                       durationVal
//	uuid, timeuuid                 uuidVal
//	inet                           netip.Addr
//	blob                           blobVal
//	vector                         []float32
//	list, set                      []any (a set sorted and without duplicates)
//	map                            []mapEntry sorted by key
//	userDefined                    udtVal (field values in definition order)
//
// A nil value is a null cell. Empty collections are stored as nil, as
// Cassandra does.
type (
	decimal struct {
		unscaled *big.Int
		scale    int32
	}
	dateVal     int64
	timeVal     int64
	tsVal       int64
	durationVal struct {
		months, days int32
		nanos        int64
	}
	uuidVal  [16]byte
	blobVal  string
	mapEntry struct{ k, v any }
	udtVal   []any
)

// codecError is a value that cannot be converted to a column type.
type codecError struct{ reason string }

func (e *codecError) Error() string { return e.reason }

func cerr(format string, args ...any) *codecError {
	return &codecError{reason: fmt.Sprintf(format, args...)}
}

// codecCtx carries what decoding needs beyond the type: UDT definitions.
type codecCtx struct {
	udts map[string]*udtDef
}

func (c *codecCtx) udt(name string) *udtDef {
	if c == nil || c.udts == nil {
		return nil
	}
	return c.udts[name]
}

var errNoCodec = "no codec matching value type"

// parseText decodes the string v with parse (the date and time codecs);
// what names the type in the error.
func parseText[T any](t typesmap.Type, v *jv, parse func(string) (T, bool), what string) (any, *codecError) {
	if v.kind != jString {
		return nil, noCodec(t, v)
	}
	x, ok := parse(v.s)
	if !ok {
		return nil, cerr("Text '%s' could not be parsed as a %s", v.s, what)
	}
	return x, nil
}

// decodeValue converts a request JSON value to the stored form of type t.
// v must not be JSON null (callers handle null).
func decodeValue(t typesmap.Type, v *jv, ctx *codecCtx) (any, *codecError) {
	switch t.Kind {
	case typesmap.Text:
		if v.kind != jString {
			return nil, noCodec(t, v)
		}
		return v.s, nil
	case typesmap.Ascii:
		if v.kind != jString {
			return nil, noCodec(t, v)
		}
		for i := 0; i < len(v.s); i++ {
			if v.s[i] > 0x7F {
				return nil, cerr("String contains non-ASCII character at index #%d", len([]rune(v.s[:i])))
			}
		}
		return v.s, nil
	case typesmap.Boolean:
		if v.kind != jBool {
			return nil, noCodec(t, v)
		}
		return v.b, nil
	case typesmap.TinyInt, typesmap.SmallInt, typesmap.Int, typesmap.BigInt:
		if v.kind != jNumber {
			return nil, noCodec(t, v)
		}
		return decodeInteger(t.Kind, v.s)
	case typesmap.Varint:
		if v.kind != jNumber {
			return nil, noCodec(t, v)
		}
		d, ok := parseDecimal(v.s)
		if !ok {
			return nil, cerr("invalid number")
		}
		n, ok := d.exactInt()
		if !ok {
			return nil, cerr("Rounding necessary")
		}
		return n, nil
	case typesmap.Decimal:
		if v.kind != jNumber {
			return nil, noCodec(t, v)
		}
		d, ok := parseDecimal(v.s)
		if !ok {
			return nil, cerr("invalid number")
		}
		return d, nil
	case typesmap.Float, typesmap.Double:
		var f float64
		switch v.kind {
		case jNumber:
			f, _ = strconv.ParseFloat(v.s, 64)
			if t.Kind == typesmap.Float {
				// parse straight to float32 to round once, as BigDecimal.floatValue does
				f32, _ := strconv.ParseFloat(v.s, 32)
				return float32(f32), nil
			}
		case jString:
			switch v.s {
			case "NaN":
				f = math.NaN()
			case "Infinity":
				f = math.Inf(1)
			case "-Infinity":
				f = math.Inf(-1)
			default:
				return nil, cerr("Unsupported String value: only \"NaN\", \"Infinity\" and \"-Infinity\" supported")
			}
		default:
			return nil, noCodec(t, v)
		}
		if t.Kind == typesmap.Float {
			return float32(f), nil
		}
		return f, nil
	case typesmap.Date:
		return parseText(t, v, parseDate, "date")
	case typesmap.Time:
		return parseText(t, v, parseTime, "time")
	case typesmap.Timestamp:
		switch v.kind {
		case jString:
			ts, ok := parseTimestamp(v.s)
			if !ok {
				return nil, cerr("Text '%s' could not be parsed at index 0", v.s)
			}
			return ts, nil
		case jObject:
			if len(v.obj) == 1 && v.obj[0].key == "$date" && v.obj[0].val.kind == jNumber {
				n, err := strconv.ParseInt(v.obj[0].val.s, 10, 64)
				if err != nil {
					return nil, cerr("'$date' value has to be an integer epoch milliseconds value")
				}
				return tsVal(n), nil
			}
		}
		return nil, noCodec(t, v)
	case typesmap.KindDuration:
		if v.kind != jString {
			return nil, noCodec(t, v)
		}
		d, ok := parseDuration(v.s)
		if !ok {
			return nil, cerr("Unable to convert '%s' to a duration", v.s)
		}
		return d, nil
	case typesmap.UUID, typesmap.TimeUUID:
		s, ok := uuidString(v)
		if !ok {
			return nil, noCodec(t, v)
		}
		u, ok := parseUUID(s)
		if !ok {
			return nil, cerr("Invalid UUID string: %s", s)
		}
		if t.Kind == typesmap.TimeUUID && u[6]>>4 != 1 {
			return nil, cerr("Invalid UUID version for timeuuid: %s", s)
		}
		return u, nil
	case typesmap.Inet:
		if v.kind != jString {
			return nil, noCodec(t, v)
		}
		a, ok := parseInet(v.s)
		if !ok {
			return nil, cerr("Invalid IP address value '%s'", v.s)
		}
		return a, nil
	case typesmap.Blob:
		b, ok, reason := binaryValue(v)
		if !ok {
			if reason != "" {
				return nil, cerr("%s", reason)
			}
			return nil, noCodec(t, v)
		}
		return blobVal(b), nil
	case typesmap.KindVector:
		return decodeVector(t, v)
	case typesmap.KindList, typesmap.KindSet:
		if v.kind != jArray {
			return nil, noCodec(t, v)
		}
		if len(v.arr) == 0 {
			return nil, nil
		}
		out := make([]any, 0, len(v.arr))
		for _, e := range v.arr {
			if e.kind == jNull {
				return nil, cerr("%s elements cannot be null", t.Kind)
			}
			x, err := decodeValue(*t.Value, e, ctx)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		if t.Kind == typesmap.KindSet {
			out = sortUnique(*t.Value, out)
		}
		return out, nil
	case typesmap.KindMap:
		return decodeMap(t, v, ctx)
	case typesmap.UserDefined:
		def := ctx.udt(t.UDTName)
		if def == nil {
			return nil, cerr("unknown user defined type %s", t.UDTName)
		}
		if v.kind != jObject {
			return nil, noCodec(t, v)
		}
		vals := make(udtVal, len(def.fields))
		some := false
		for _, m := range v.obj {
			i := def.index(m.key)
			if i < 0 {
				return nil, cerr("field '%s' is not defined in user defined type %s", m.key, t.UDTName)
			}
			if m.val.kind == jNull {
				continue
			}
			x, err := decodeValue(def.fields[i].Type, m.val, ctx)
			if err != nil {
				return nil, err
			}
			vals[i] = x
			some = true
		}
		if !some {
			return udtVal(make([]any, len(def.fields))), nil
		}
		return vals, nil
	}
	return nil, cerr("%s", errNoCodec)
}

func noCodec(t typesmap.Type, v *jv) *codecError {
	return cerr("%s", errNoCodec)
}

func uuidString(v *jv) (string, bool) {
	if v.kind == jString {
		return v.s, true
	}
	if v.kind == jObject && len(v.obj) == 1 && v.obj[0].key == "$uuid" && v.obj[0].val.kind == jString {
		return v.obj[0].val.s, true
	}
	return "", false
}

// binaryValue reads {"$binary": "<base64>"}.
func binaryValue(v *jv) ([]byte, bool, string) {
	if v.kind != jObject || len(v.obj) != 1 || v.obj[0].key != "$binary" {
		return nil, false, ""
	}
	if v.obj[0].val.kind != jString {
		return nil, false, "Unsupported JSON value type in EJSON $binary wrapper (" + v.obj[0].val.kind.String() + "): only STRING allowed"
	}
	b, err := base64.StdEncoding.Strict().DecodeString(v.obj[0].val.s)
	if err != nil {
		return nil, false, "Invalid content in EJSON $binary wrapper: not valid Base64-encoded String"
	}
	return b, true, ""
}

func decodeInteger(k typesmap.Kind, lit string) (any, *codecError) {
	var lo, hi int64
	var cql string
	switch k {
	case typesmap.TinyInt:
		lo, hi, cql = math.MinInt8, math.MaxInt8, "TINYINT"
	case typesmap.SmallInt:
		lo, hi, cql = math.MinInt16, math.MaxInt16, "SMALLINT"
	case typesmap.Int:
		lo, hi, cql = math.MinInt32, math.MaxInt32, "INT"
	default:
		lo, hi, cql = math.MinInt64, math.MaxInt64, "BIGINT"
	}
	if isIntegralLiteral(lit) {
		n, err := strconv.ParseInt(lit, 10, 64)
		if err != nil {
			// BigInteger path
			return nil, cerr("BigInteger out of %s range", map[bool]string{true: "long", false: strings.ToLower(cql)}[k == typesmap.BigInt])
		}
		if n > hi {
			return nil, cerr("Overflow, value too big for %s", cql)
		}
		if n < lo {
			return nil, cerr("Underflow, value too small for %s", cql)
		}
		return n, nil
	}
	d, ok := parseDecimal(lit)
	if !ok {
		return nil, cerr("invalid number")
	}
	n, ok := d.exactInt()
	if !ok {
		return nil, cerr("Rounding necessary")
	}
	if !n.IsInt64() || n.Int64() > hi || n.Int64() < lo {
		return nil, cerr("Overflow")
	}
	return n.Int64(), nil
}

func isIntegralLiteral(s string) bool {
	return !strings.ContainsAny(s, ".eE")
}

// parseDecimal reads a JSON number literal as BigDecimal does.
func parseDecimal(s string) (decimal, bool) {
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return decimal{}, false
		}
		mant, exp = s[:i], e
	}
	scale := int64(0)
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = int64(len(mant) - i - 1)
		mant = mant[:i] + mant[i+1:]
	}
	n, ok := new(big.Int).SetString(mant, 10)
	if !ok {
		return decimal{}, false
	}
	scale -= exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return decimal{}, false
	}
	return decimal{unscaled: n, scale: int32(scale)}, true
}

// exactInt returns the integral value, or false when a fraction remains.
func (d decimal) exactInt() (*big.Int, bool) {
	if d.scale <= 0 {
		if d.scale < -400 {
			return nil, false
		}
		m := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d.scale)), nil)
		return m.Mul(m, d.unscaled), true
	}
	if d.scale > 400 {
		if d.unscaled.Sign() == 0 {
			return new(big.Int), true
		}
		return nil, false
	}
	m := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.scale)), nil)
	q, r := new(big.Int).QuoRem(d.unscaled, m, new(big.Int))
	if r.Sign() != 0 {
		return nil, false
	}
	return q, true
}

// String renders d as Java's BigDecimal.toString.
func (d decimal) String() string {
	neg := d.unscaled.Sign() < 0
	digits := new(big.Int).Abs(d.unscaled).String()
	sign := ""
	if neg {
		sign = "-"
	}
	if d.scale == 0 {
		return sign + digits
	}
	adjusted := -int64(d.scale) + int64(len(digits)-1)
	if d.scale > 0 && adjusted >= -6 {
		point := len(digits) - int(d.scale)
		if point > 0 {
			return sign + digits[:point] + "." + digits[point:]
		}
		return sign + "0." + strings.Repeat("0", -point) + digits
	}
	var b strings.Builder
	b.WriteString(sign)
	b.WriteString(digits[:1])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteByte('E')
	if adjusted >= 0 {
		b.WriteByte('+')
	}
	b.WriteString(strconv.FormatInt(adjusted, 10))
	return b.String()
}

// cmp compares numerically (1.0 == 1.00) without building huge powers of
// ten: magnitudes decide first, then the two are brought to one scale.
func (d decimal) cmp(e decimal) int {
	ds, es := d.unscaled.Sign(), e.unscaled.Sign()
	if ds != es || ds == 0 {
		return cmpOrdered(ds, es)
	}
	da := int64(len(new(big.Int).Abs(d.unscaled).String())) - 1 - int64(d.scale)
	ea := int64(len(new(big.Int).Abs(e.unscaled).String())) - 1 - int64(e.scale)
	if da != ea {
		if da > ea {
			return ds
		}
		return -ds
	}
	// same magnitude: the scales differ by at most the digit counts
	a, b := new(big.Int).Set(d.unscaled), new(big.Int).Set(e.unscaled)
	if diff := int64(d.scale) - int64(e.scale); diff > 0 {
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(diff), nil))
	} else if diff < 0 {
		a.Mul(a, new(big.Int).Exp(big.NewInt(10), big.NewInt(-diff), nil))
	}
	return a.Cmp(b)
}

func decodeVector(t typesmap.Type, v *jv) (any, *codecError) {
	var out []float32
	switch v.kind {
	case jArray:
		out = make([]float32, len(v.arr))
		for i, e := range v.arr {
			if e.kind != jNumber {
				return nil, cerr("%s", errNoCodec)
			}
			f, _ := strconv.ParseFloat(e.s, 32)
			out[i] = float32(f)
		}
	case jObject:
		b, ok, reason := binaryValue(v)
		if !ok {
			if reason == "" {
				reason = errNoCodec
			}
			return nil, cerr("%s", reason)
		}
		if len(b)%4 != 0 {
			return nil, cerr("binary value to decode is not a multiple of 4 bytes long (%d bytes)", len(b))
		}
		out = make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.BigEndian.Uint32(b[4*i:]))
		}
	default:
		return nil, cerr("%s", errNoCodec)
	}
	if len(out) != t.Dimension {
		return nil, cerr("expected vector of length %d, got one with %d elements", t.Dimension, len(out))
	}
	return out, nil
}

func decodeMap(t typesmap.Type, v *jv, ctx *codecCtx) (any, *codecError) {
	var entries []mapEntry
	switch v.kind {
	case jObject:
		for _, m := range v.obj {
			k, err := decodeValue(*t.Key, jStr(m.key), ctx)
			if err != nil {
				return nil, err
			}
			if m.val.kind == jNull {
				return nil, cerr("map values cannot be null")
			}
			x, err := decodeValue(*t.Value, m.val, ctx)
			if err != nil {
				return nil, err
			}
			entries = append(entries, mapEntry{k, x})
		}
	case jArray:
		if len(v.arr) == 0 {
			return nil, cerr("%s", errNoCodec)
		}
		for _, e := range v.arr {
			if e.kind != jArray || len(e.arr) != 2 {
				return nil, cerr("%s", errNoCodec)
			}
			if e.arr[0].kind == jNull || e.arr[1].kind == jNull {
				return nil, cerr("map keys and values cannot be null")
			}
			k, err := decodeValue(*t.Key, e.arr[0], ctx)
			if err != nil {
				return nil, err
			}
			x, err := decodeValue(*t.Value, e.arr[1], ctx)
			if err != nil {
				return nil, err
			}
			entries = append(entries, mapEntry{k, x})
		}
	default:
		return nil, cerr("%s", errNoCodec)
	}
	if len(entries) == 0 {
		return nil, nil
	}
	return normaliseMap(*t.Key, entries), nil
}

// normaliseMap sorts entries by key, the last of duplicate keys winning.
func normaliseMap(kt typesmap.Type, entries []mapEntry) []mapEntry {
	sort.SliceStable(entries, func(i, j int) bool { return compareValues(kt, entries[i].k, entries[j].k) < 0 })
	out := entries[:0]
	for _, e := range entries {
		if len(out) > 0 && compareValues(kt, out[len(out)-1].k, e.k) == 0 {
			out[len(out)-1] = e
			continue
		}
		out = append(out, e)
	}
	return out
}

func sortUnique(t typesmap.Type, vals []any) []any {
	sort.SliceStable(vals, func(i, j int) bool { return compareValues(t, vals[i], vals[j]) < 0 })
	out := vals[:0]
	for _, v := range vals {
		if len(out) > 0 && compareValues(t, out[len(out)-1], v) == 0 {
			continue
		}
		out = append(out, v)
	}
	return out
}

// ---- dates and times ----

func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var dateRE = regexp.MustCompile(`^([+-]?)(\d{4,10})-(\d{2})-(\d{2})$`)

// Cassandra dates are unsigned 32-bit day numbers centred on the epoch.
const (
	minDateDays = -(1 << 31)
	maxDateDays = 1<<31 - 1
)

// parseYear applies ISO_LOCAL_DATE's strict rules (LocalDate.parse,
// Instant.parse): 4 digits need no sign and may not carry a '+' (a '+' is
// only for years past 9999), more digits need a sign, and "-0000" (minus
// zero) is refused.
func parseYear(sign, digits string) (int64, bool) {
	if (sign == "" && len(digits) > 4) || (sign == "+" && len(digits) <= 4) {
		return 0, false
	}
	y, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || y > 999999999 {
		return 0, false
	}
	if sign == "-" {
		if y == 0 {
			return 0, false
		}
		y = -y
	}
	return y, true
}

func parseDate(s string) (dateVal, bool) {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	y, ok := parseYear(m[1], m[2])
	if !ok {
		return 0, false
	}
	mo, _ := strconv.ParseInt(m[3], 10, 64)
	d, _ := strconv.ParseInt(m[4], 10, 64)
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	if days < minDateDays || days > maxDateDays {
		return 0, false
	}
	return dateVal(days), true
}

func formatYear(y int64) string {
	switch {
	case y > 9999:
		return "+" + strconv.FormatInt(y, 10)
	case y < 0:
		return "-" + fmt.Sprintf("%04d", -y)
	}
	return fmt.Sprintf("%04d", y)
}

func (d dateVal) String() string {
	y, m, dd := civilFromDays(int64(d))
	return fmt.Sprintf("%s-%02d-%02d", formatYear(y), m, dd)
}

// ISO_LOCAL_TIME's fraction is 0 to 9 digits after the point, so
// LocalTime.parse takes "23:59:00." (a bare trailing point) too.
var timeRE = regexp.MustCompile(`^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?$`)

func parseTime(s string) (timeVal, bool) {
	m := timeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.ParseInt(m[1], 10, 64)
	mi, _ := strconv.ParseInt(m[2], 10, 64)
	var sec, nanos int64
	if m[3] != "" {
		sec, _ = strconv.ParseInt(m[3], 10, 64)
	}
	if m[4] != "" {
		f := m[4] + strings.Repeat("0", 9-len(m[4]))
		nanos, _ = strconv.ParseInt(f, 10, 64)
	}
	if h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	return timeVal(((h*60+mi)*60+sec)*1e9 + nanos), true
}

func (t timeVal) String() string {
	n := int64(t)
	h, mi, s, ns := n/3600e9, n/60e9%60, n/1e9%60, n%1e9
	out := fmt.Sprintf("%02d:%02d", h, mi)
	if s == 0 && ns == 0 {
		return out
	}
	out += fmt.Sprintf(":%02d", s)
	switch {
	case ns == 0:
	case ns%1e6 == 0:
		out += fmt.Sprintf(".%03d", ns/1e6)
	case ns%1e3 == 0:
		out += fmt.Sprintf(".%06d", ns/1e3)
	default:
		out += fmt.Sprintf(".%09d", ns)
	}
	return out
}

// isoLocalTime renders t as DateTimeFormatter.ISO_LOCAL_TIME formats it:
// seconds always, the fraction without trailing zeros.
func (t timeVal) isoLocalTime() string {
	n := int64(t)
	out := fmt.Sprintf("%02d:%02d:%02d", n/3600e9, n/60e9%60, n/1e9%60)
	if ns := n % 1e9; ns != 0 {
		out += "." + strings.TrimRight(fmt.Sprintf("%09d", ns), "0")
	}
	return out
}

// Instant.parse reads the fraction as ISO_LOCAL_TIME does: 0 to 9 digits.
var tsRE = regexp.MustCompile(`^([+-]?)(\d{4,10})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{0,9}))?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$`)

func parseTimestamp(s string) (tsVal, bool) {
	// Instant.parse is case-insensitive ('t', 'z')
	m := tsRE.FindStringSubmatch(strings.ToUpper(s))
	if m == nil {
		return 0, false
	}
	y, ok := parseYear(m[1], m[2])
	if !ok {
		return 0, false
	}
	mo, _ := strconv.ParseInt(m[3], 10, 64)
	d, _ := strconv.ParseInt(m[4], 10, 64)
	h, _ := strconv.ParseInt(m[5], 10, 64)
	mi, _ := strconv.ParseInt(m[6], 10, 64)
	sec, _ := strconv.ParseInt(m[7], 10, 64)
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	var ms int64
	if m[8] != "" {
		f := (m[8] + "000")[:3]
		ms, _ = strconv.ParseInt(f, 10, 64)
	}
	var off int64
	if m[9] != "Z" {
		parts := strings.Split(m[9][1:], ":")
		oh, _ := strconv.ParseInt(parts[0], 10, 64)
		om, _ := strconv.ParseInt(parts[1], 10, 64)
		var os int64
		if len(parts) > 2 {
			os, _ = strconv.ParseInt(parts[2], 10, 64)
		}
		if oh > 18 || om > 59 || os > 59 {
			return 0, false
		}
		off = (oh*3600 + om*60 + os) * 1000
		if m[9][0] == '-' {
			off = -off
		}
	}
	days := daysFromCivil(y, mo, d)
	if days > math.MaxInt64/86400000/2 || days < math.MinInt64/86400000/2 {
		return 0, false
	}
	return tsVal(days*86400000 + ((h*60+mi)*60+sec)*1000 + ms - off), true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func (t tsVal) String() string {
	ms := int64(t)
	days := floorDiv(ms, 86400000)
	rem := ms - days*86400000
	y, mo, d := civilFromDays(days)
	out := fmt.Sprintf("%s-%02d-%02dT%02d:%02d:%02d", formatYear(y), mo, d, rem/3600000, rem/60000%60, rem/1000%60)
	if rem%1000 != 0 {
		out += fmt.Sprintf(".%03d", rem%1000)
	}
	return out + "Z"
}

var (
	isoDurRE  = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)
	isoWeekRE = regexp.MustCompile(`^P(\d+)W$`)
	isoAltRE  = regexp.MustCompile(`^P(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$`)
	unitRE    = regexp.MustCompile(`(?i)(\d+)(y|mo|w|d|h|s|ms|us|µs|ns|m)`)
)

// parseDuration accepts what Cassandra's duration parser accepts: ISO 8601
// (P1Y2M3DT4H5M6S, P2W, P0001-02-03T04:05:06) and the unit form
// (1y2mo3w4d5h6m7s8ms9us10ns), optionally negative.
func parseDuration(s string) (durationVal, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var months, days, nanos int64
	add := func(dst *int64, n string, mul int64) bool {
		x, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return false
		}
		if mul != 0 && x > math.MaxInt64/mul {
			return false
		}
		*dst += x * mul
		return *dst >= 0
	}
	ok := true
	switch {
	case s == "" || s == "P" || strings.HasSuffix(s, "T"):
		return durationVal{}, false
	case isoWeekRE.MatchString(s):
		m := isoWeekRE.FindStringSubmatch(s)
		ok = add(&days, m[1], 7)
	case isoAltRE.MatchString(s):
		m := isoAltRE.FindStringSubmatch(s)
		ok = add(&months, m[1], 12) && add(&months, m[2], 1) && add(&days, m[3], 1) &&
			add(&nanos, m[4], 3600e9) && add(&nanos, m[5], 60e9) && add(&nanos, m[6], 1e9)
	case s[0] == 'P':
		m := isoDurRE.FindStringSubmatch(s)
		if m == nil {
			return durationVal{}, false
		}
		muls := []int64{12, 1, 1, 3600e9, 60e9, 1e9}
		dsts := []*int64{&months, &months, &days, &nanos, &nanos, &nanos}
		for i := 1; i <= 6; i++ {
			if m[i] != "" && !add(dsts[i-1], m[i], muls[i-1]) {
				return durationVal{}, false
			}
		}
	default:
		locs := unitRE.FindAllStringSubmatchIndex(s, -1)
		pos := 0
		for _, l := range locs {
			if l[0] != pos {
				return durationVal{}, false
			}
			pos = l[1]
			n, unit := s[l[2]:l[3]], strings.ToLower(s[l[4]:l[5]])
			switch unit {
			case "y":
				ok = ok && add(&months, n, 12)
			case "mo":
				ok = ok && add(&months, n, 1)
			case "w":
				ok = ok && add(&days, n, 7)
			case "d":
				ok = ok && add(&days, n, 1)
			case "h":
				ok = ok && add(&nanos, n, 3600e9)
			case "m":
				ok = ok && add(&nanos, n, 60e9)
			case "s":
				ok = ok && add(&nanos, n, 1e9)
			case "ms":
				ok = ok && add(&nanos, n, 1e6)
			case "us", "µs":
				ok = ok && add(&nanos, n, 1e3)
			case "ns":
				ok = ok && add(&nanos, n, 1)
			}
		}
		if pos != len(s) || len(locs) == 0 {
			return durationVal{}, false
		}
	}
	if !ok || months > math.MaxInt32 || days > math.MaxInt32 {
		return durationVal{}, false
	}
	d := durationVal{months: int32(months), days: int32(days), nanos: nanos}
	if neg {
		d = durationVal{-d.months, -d.days, -d.nanos}
	}
	return d, true
}

func (d durationVal) String() string {
	months, days, nanos := int64(d.months), int64(d.days), d.nanos
	var b strings.Builder
	if months < 0 || days < 0 || nanos < 0 {
		b.WriteString("-P")
		months, days, nanos = -months, -days, -nanos
	} else {
		b.WriteString("P")
	}
	if y := months / 12; y > 0 {
		fmt.Fprintf(&b, "%dY", y)
	}
	if m := months % 12; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if nanos == 0 {
		if b.Len() == 1 || b.String() == "-P" {
			return "PT0S"
		}
		return b.String()
	}
	b.WriteByte('T')
	if h := nanos / 3600e9; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
		nanos -= h * 3600e9
	}
	if m := nanos / 60e9; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
		nanos -= m * 60e9
	}
	if nanos > 0 {
		s := nanos / 1e9
		fmt.Fprintf(&b, "%d", s)
		if f := nanos - s*1e9; f > 0 {
			b.WriteByte('.')
			b.WriteString(strings.TrimRight(fmt.Sprintf("%09d", f), "0"))
		}
		b.WriteByte('S')
	}
	return b.String()
}

func parseUUID(s string) (uuidVal, bool) {
	var u uuidVal
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, false
	}
	return u, true
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

func (u uuidVal) String() string { return formatUUID(u) }

func (u uuidVal) timestamp() uint64 {
	return uint64(u[6]&0x0f)<<56 | uint64(u[7])<<48 | uint64(u[4])<<40 | uint64(u[5])<<32 |
		uint64(u[0])<<24 | uint64(u[1])<<16 | uint64(u[2])<<8 | uint64(u[3])
}

// parseInet reads an address as InetAddress.getByName does for literals.
// IPv4 takes the classic decimal inet_aton forms: a.b.c.d, a.b.c (c fills
// the last 16 bits), a.b (b fills 24 bits) and a (32 bits), each leading
// part at most 255, decimal only (so "010.1.1.1" is 10.1.1.1; octal and hex
// forms are not literals to Java). IPv6 may come in brackets; an IPv4-mapped
// IPv6 address becomes IPv4, as Java returns an Inet4Address for it.
// Anything else would be a host name, which the real server resolves with
// DNS; this server resolves only "localhost" (to 127.0.0.1, as Java's
// InetAddress.getByName does from the hosts file, without a network) and
// refuses other names. Zones (%eth0) are refused too (Java checks them
// against the host's interfaces).
func parseInet(s string) (netip.Addr, bool) {
	if strings.EqualFold(s, "localhost") {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), true
	}
	if a, ok := parseIPv4Java(s); ok {
		return a, true
	}
	v6 := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if (len(v6) != len(s)) && len(v6) != len(s)-2 {
		return netip.Addr{}, false // one bracket without the other
	}
	b, ok := parseIPv6Java(v6)
	if !ok {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(b).Unmap(), true
}

// parseIPv6Java follows Java's textToNumericFormatV6: hex groups of any
// length up to 0xffff, one "::" standing for at least one zero group, and
// an optional trailing dotted IPv4 part of exactly four decimal parts.
func parseIPv6Java(s string) ([16]byte, bool) {
	var dst [16]byte
	if len(s) < 2 || strings.ContainsRune(s, '%') {
		return dst, false
	}
	i, j := 0, 0
	if s[0] == ':' {
		if s[1] != ':' {
			return dst, false
		}
		i = 1
	}
	gap := -1 // byte index where "::" stands
	tokStart := i
	val, digits := 0, false
	for i < len(s) {
		c := s[i]
		i++
		if d := hexVal(c); d >= 0 {
			val = val<<4 | d
			if val > 0xffff {
				return dst, false
			}
			digits = true
			continue
		}
		switch {
		case c == ':':
			tokStart = i
			if !digits {
				if gap >= 0 {
					return dst, false
				}
				gap = j
				continue
			}
			if i == len(s) || j+2 > 16 {
				return dst, false
			}
			dst[j], dst[j+1] = byte(val>>8), byte(val)
			j += 2
			val, digits = 0, false
		case c == '.' && j+4 <= 16:
			v4 := s[tokStart:]
			if strings.Count(v4, ".") != 3 {
				return dst, false
			}
			a, ok := parseIPv4Java(v4)
			if !ok {
				return dst, false
			}
			b4 := a.As4()
			copy(dst[j:], b4[:])
			j += 4
			digits = false
			i = len(s)
		default:
			return dst, false
		}
	}
	if digits {
		if j+2 > 16 {
			return dst, false
		}
		dst[j], dst[j+1] = byte(val>>8), byte(val)
		j += 2
	}
	if gap >= 0 {
		if j == 16 {
			return dst, false
		}
		n := j - gap
		copy(dst[16-n:], dst[gap:j])
		for k := gap; k < 16-n; k++ {
			dst[k] = 0
		}
		j = 16
	}
	return dst, j == 16
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseIPv4Java follows Java's textToNumericFormatV4: at most 15
// characters, ASCII decimal parts, no empty part.
func parseIPv4Java(s string) (netip.Addr, bool) {
	if len(s) == 0 || len(s) > 15 {
		return netip.Addr{}, false
	}
	var b [4]byte
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	for i, p := range parts {
		if p == "" {
			return netip.Addr{}, false
		}
		var n uint64
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return netip.Addr{}, false
			}
			n = n*10 + uint64(p[j]-'0')
		}
		if i < len(parts)-1 {
			if n > 0xff {
				return netip.Addr{}, false
			}
			b[i] = byte(n)
			continue
		}
		// the last part fills the remaining bytes, big-endian
		rest := 4 - i
		if n >= 1<<(8*rest) {
			return netip.Addr{}, false
		}
		for k := 3; k >= i; k-- {
			b[k] = byte(n)
			n >>= 8
		}
	}
	return netip.AddrFrom4(b), true
}

// inetString renders an address as Java's getHostAddress: IPv6 with every
// group, without zero compression.
func inetString(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	b := a.As16()
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = strconv.FormatUint(uint64(b[2*i])<<8|uint64(b[2*i+1]), 16)
	}
	return strings.Join(parts, ":")
}

// ---- output ----

// encodeValue renders a stored value as the server writes it in rows.
func encodeValue(t typesmap.Type, v any, ctx *codecCtx) *jv {
	switch x := v.(type) {
	case nil:
		return jNullV
	case string:
		return jStr(x)
	case bool:
		return jBoolV(x)
	case int64:
		return jInt(x)
	case *big.Int:
		return jNum(x.String())
	case decimal:
		return jNum(x.String())
	case float32:
		return floatJV(float64(x), 32)
	case float64:
		return floatJV(x, 64)
	case dateVal:
		return jStr(x.String())
	case timeVal:
		return jStr(x.String())
	case tsVal:
		return jStr(x.String())
	case durationVal:
		return jStr(x.String())
	case uuidVal:
		return jStr(x.String())
	case netip.Addr:
		return jStr(inetString(x))
	case blobVal:
		return jObj(member{"$binary", jStr(base64.StdEncoding.EncodeToString([]byte(x)))})
	case []float32:
		a := &jv{kind: jArray, arr: make([]*jv, len(x))}
		for i, f := range x {
			a.arr[i] = floatJV(float64(f), 32)
		}
		return a
	case []any:
		a := &jv{kind: jArray, arr: make([]*jv, len(x))}
		for i, e := range x {
			a.arr[i] = encodeValue(*t.Value, e, ctx)
		}
		return a
	case []mapEntry:
		if t.Key != nil && (t.Key.Kind == typesmap.Text || t.Key.Kind == typesmap.Ascii) {
			o := &jv{kind: jObject, obj: make([]member, len(x))}
			for i, e := range x {
				o.obj[i] = member{e.k.(string), encodeValue(*t.Value, e.v, ctx)}
			}
			return o
		}
		a := &jv{kind: jArray, arr: make([]*jv, len(x))}
		for i, e := range x {
			a.arr[i] = jArr(encodeValue(*t.Key, e.k, ctx), encodeValue(*t.Value, e.v, ctx))
		}
		return a
	case udtVal:
		def := ctx.udt(t.UDTName)
		o := jObj()
		if def == nil {
			return o
		}
		for i, f := range def.fields {
			if i < len(x) && x[i] != nil {
				o.set(f.Name, encodeValue(f.Type, x[i], ctx))
			}
		}
		return o
	}
	return jNullV
}

func floatJV(f float64, bits int) *jv {
	switch {
	case math.IsNaN(f):
		return jStr("NaN")
	case math.IsInf(f, 1):
		return jStr("Infinity")
	case math.IsInf(f, -1):
		return jStr("-Infinity")
	}
	return jNum(javaFloat(f, bits))
}

// javaFloat renders f as Java's Float/Double.toString do (shortest digits,
// plain between 1e-3 and 1e7, else d.dddE±n).
func javaFloat(f float64, bits int) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // d.ddde+XX
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// ---- ordering ----

// compareValues orders two stored values of type t as Cassandra does
// (closely enough for clustering order, sets and map keys). nil sorts first.
func compareValues(t typesmap.Type, a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case int64:
		return cmpOrdered(x, b.(int64))
	case *big.Int:
		return x.Cmp(b.(*big.Int))
	case decimal:
		return x.cmp(b.(decimal))
	case float32:
		return cmpJavaFloat(float64(x), float64(b.(float32)))
	case float64:
		return cmpJavaFloat(x, b.(float64))
	case dateVal:
		return cmpOrdered(x, b.(dateVal))
	case timeVal:
		return cmpOrdered(x, b.(timeVal))
	case tsVal:
		return cmpOrdered(x, b.(tsVal))
	case durationVal:
		y := b.(durationVal)
		if c := cmpOrdered(x.months, y.months); c != 0 {
			return c
		}
		if c := cmpOrdered(x.days, y.days); c != 0 {
			return c
		}
		return cmpOrdered(x.nanos, y.nanos)
	case uuidVal:
		y := b.(uuidVal)
		if t.Kind == typesmap.TimeUUID || (x[6]>>4 == 1 && y[6]>>4 == 1) {
			if c := cmpOrdered(x.timestamp(), y.timestamp()); c != 0 {
				return c
			}
		} else if c := cmpOrdered(x[6]>>4, y[6]>>4); c != 0 {
			return c
		}
		return bytes.Compare(x[:], y[:])
	case netip.Addr:
		y := b.(netip.Addr)
		return bytes.Compare(x.AsSlice(), y.AsSlice())
	case blobVal:
		return strings.Compare(string(x), string(b.(blobVal)))
	case []float32:
		y := b.([]float32)
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := cmpJavaFloat(float64(x[i]), float64(y[i])); c != 0 {
				return c
			}
		}
		return cmpOrdered(len(x), len(y))
	case []any:
		y := b.([]any)
		et := typesmap.Type{}
		if t.Value != nil {
			et = *t.Value
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := compareValues(et, x[i], y[i]); c != 0 {
				return c
			}
		}
		return cmpOrdered(len(x), len(y))
	case []mapEntry:
		y := b.([]mapEntry)
		var kt, vt typesmap.Type
		if t.Key != nil {
			kt = *t.Key
		}
		if t.Value != nil {
			vt = *t.Value
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := compareValues(kt, x[i].k, y[i].k); c != 0 {
				return c
			}
			if c := compareValues(vt, x[i].v, y[i].v); c != 0 {
				return c
			}
		}
		return cmpOrdered(len(x), len(y))
	case udtVal:
		y := b.(udtVal)
		for i := 0; i < len(x) && i < len(y); i++ {
			if c := compareValues(typesmap.Type{}, x[i], y[i]); c != 0 {
				return c
			}
		}
		return cmpOrdered(len(x), len(y))
	}
	return 0
}

func cmpOrdered[T int | int32 | int64 | uint8 | uint64 | dateVal | timeVal | tsVal](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpJavaFloat is Double.compare: -0.0 < 0.0, NaN above everything.
func cmpJavaFloat(a, b float64) int {
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
	sa, sb := math.Signbit(a), math.Signbit(b)
	switch {
	case sa == sb:
		return 0
	case sa:
		return -1
	}
	return 1
}

// sameKind reports whether two stored values of a column can be compared
// (they always can for one column; kept for defensive checks).
func keyString(t typesmap.Type, v any, ctx *codecCtx) string {
	var b bytes.Buffer
	writeJV(&b, encodeValue(t, v, ctx))
	return b.String()
}
