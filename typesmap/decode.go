package typesmap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// UnknownColumnError reports a field in a row that is not among the
// expected columns: the table's schema has changed since it was read.
type UnknownColumnError struct {
	Name string
}

func (e *UnknownColumnError) Error() string {
	return fmt.Sprintf("typesmap: row has column %s, which is not among the expected columns (schema changed?)", quoteShort(e.Name))
}

// DecodeError reports a wire value that does not fit its column type.
type DecodeError struct {
	// Column names the column; empty from DecodeValue.
	Column string
	Type   Type
	// Value is a short rendering of the offending JSON.
	Value  string
	Reason string
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Column != "" {
		fmt.Fprintf(&b, "typesmap: decoding column %q (%s): ", e.Column, e.Type)
	} else {
		fmt.Fprintf(&b, "typesmap: decoding %s: ", e.Type)
	}
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	b.WriteString(e.Reason)
	return b.String()
}

func decodeErr(t Type, raw []byte, format string, args ...any) *DecodeError {
	return &DecodeError{Type: t, Value: quoteShort(string(raw)), Reason: fmt.Sprintf(format, args...)}
}

// RowDecoder decodes rows (JSON objects of column name to value) into
// column-ordered slices. It keeps scratch buffers between rows; it is not
// safe for concurrent use.
type RowDecoder struct {
	cols  []Column
	index map[string]int
	st    decodeState
}

// NewRowDecoder returns a decoder for rows with the given columns. A
// column named "$similarity" without a type is decoded as a double.
func NewRowDecoder(cols []Column) *RowDecoder {
	r := &RowDecoder{cols: make([]Column, len(cols)), index: make(map[string]int, len(cols))}
	copy(r.cols, cols)
	for i, c := range r.cols {
		if c.Name == "$similarity" && c.Type.Kind == "" {
			r.cols[i].Type = Of(Double)
		}
		if _, dup := r.index[c.Name]; !dup {
			r.index[c.Name] = i
		}
	}
	return r
}

// Columns returns the columns rows are decoded for.
func (r *RowDecoder) Columns() []Column { return r.cols }

// DecodeRow reads one row object from dec into dst (len(dst) must equal
// the number of columns), in column order; a column absent from the row is
// nil. A field that is not a column is skipped and, once the whole row is
// read, reported as *UnknownColumnError (dst then holds the known
// columns). Bad values give a *DecodeError naming the column.
func (r *RowDecoder) DecodeRow(dec *jsontext.Decoder, dst []any) error {
	if len(dst) != len(r.cols) {
		return fmt.Errorf("typesmap: DecodeRow: dst has %d slots for %d columns", len(dst), len(r.cols))
	}
	clear(dst)
	tok, err := dec.ReadToken()
	if err != nil {
		return fmt.Errorf("typesmap: reading row: %w", err)
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("typesmap: row is a JSON %v, not an object", tok.Kind())
	}
	var unknown *UnknownColumnError
	next := 0
	for {
		switch dec.PeekKind() {
		case '}':
			if _, err := dec.ReadToken(); err != nil {
				return fmt.Errorf("typesmap: reading row: %w", err)
			}
			if unknown != nil {
				return unknown
			}
			return nil
		case 0:
			_, err := dec.ReadToken()
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("typesmap: reading row: %w", err)
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return fmt.Errorf("typesmap: reading row: %w", err)
		}
		name, err := r.st.unquote(raw)
		if err != nil {
			return fmt.Errorf("typesmap: reading row: %w", err)
		}
		i := -1
		// Servers send the columns in order: try the expected one first.
		if next < len(r.cols) && string(name) == r.cols[next].Name {
			i = next
		} else if j, ok := r.index[string(name)]; ok {
			i = j
		}
		if i < 0 {
			if unknown == nil {
				unknown = &UnknownColumnError{Name: string(name)}
			}
			if err := dec.SkipValue(); err != nil {
				return fmt.Errorf("typesmap: reading row: %w", err)
			}
			continue
		}
		next = i + 1
		v, err := r.st.decode(dec, r.cols[i].Type)
		if err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				de.Column = r.cols[i].Name
				return de
			}
			return fmt.Errorf("typesmap: decoding column %q: %w", r.cols[i].Name, err)
		}
		dst[i] = v
	}
}

// DecodeValue reads one value of column type t from dec and returns its Go
// value (see ScanType for the types; JSON null gives nil).
func DecodeValue(dec *jsontext.Decoder, t Type) (any, error) {
	var st decodeState
	return st.decode(dec, t)
}

// decodeText decodes the JSON text s as one value of type t.
func decodeText(s string, t Type) (any, error) {
	dec := jsontext.NewDecoder(strings.NewReader(s))
	var st decodeState
	v, err := st.decode(dec, t)
	if err != nil {
		return nil, err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("typesmap: trailing data after JSON value")
	}
	return v, nil
}

// decodeState holds scratch space reused across values.
type decodeState struct {
	buf []byte
}

// unquote returns the content of a raw JSON string, without copying when it
// has no escapes. The result is valid until the next decoder call.
func (st *decodeState) unquote(raw []byte) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, fmt.Errorf("not a JSON string: %s", quoteShort(string(raw)))
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	var err error
	st.buf, err = jsontext.AppendUnquote(st.buf[:0], raw)
	return st.buf, err
}

func (st *decodeState) decode(dec *jsontext.Decoder, t Type) (any, error) {
	switch k := dec.PeekKind(); k {
	case '[':
		switch t.Kind {
		case KindVector:
			return st.vectorArray(dec, t)
		case KindList:
			l, err := st.seq(dec, t.elem())
			if err != nil {
				return nil, err
			}
			return List(l), nil
		case KindSet:
			l, err := st.seq(dec, t.elem())
			if err != nil {
				return nil, err
			}
			return Set(l), nil
		case KindMap:
			return st.mapPairs(dec, t)
		}
		if _, known := scanTypes[t.Kind]; !known {
			return st.decodeAny(dec)
		}
		raw, _ := dec.ReadValue()
		return nil, decodeErr(t, raw, "is an array")
	case '{':
		switch t.Kind {
		case KindMap:
			return st.mapObject(dec, t)
		case UserDefined:
			return st.udt(dec, t)
		case Blob, KindVector, Timestamp:
			return st.wrapped(dec, t)
		}
		if _, known := scanTypes[t.Kind]; !known {
			return st.decodeAny(dec)
		}
		raw, _ := dec.ReadValue()
		return nil, decodeErr(t, raw, "is an object")
	}
	k, b, err := st.nextScalar(dec)
	if err != nil || k == 'n' {
		return nil, err
	}
	return st.scalar(t, k, b)
}

// nextScalar reads the next value, which the callers have found is not an
// array or object: its kind ('n' for null) and its bytes, a string's
// unquoted. At the end of the input it reports io.ErrUnexpectedEOF.
func (st *decodeState) nextScalar(dec *jsontext.Decoder) (jsontext.Kind, []byte, error) {
	if dec.PeekKind() == 0 {
		_, err := dec.ReadToken()
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return 0, nil, err
	}
	k := jsontext.Kind(raw[0])
	if k == '"' {
		b, err := st.unquote(raw)
		return k, b, err
	}
	return k, raw, nil
}

// scalar converts a JSON scalar to the Go value of t. k is '"' for a
// string (b its unquoted content), '0' for a number, 't' or 'f' for
// booleans. Strings are taken for every kind, as map keys in object form
// are strings whatever the key type.
func (st *decodeState) scalar(t Type, k jsontext.Kind, b []byte) (any, error) {
	if k == '-' || (k >= '0' && k <= '9') {
		k = '0'
	}
	switch t.Kind {
	case Text, Ascii:
		if k == '"' {
			return string(b), nil
		}
	case Boolean:
		switch {
		case k == 't' || k == '"' && string(b) == "true":
			return true, nil
		case k == 'f' || k == '"' && string(b) == "false":
			return false, nil
		}
	case TinyInt, SmallInt, Int, BigInt, Counter:
		if k == '0' || k == '"' {
			n, ok := parseIntBytes(b)
			if !ok {
				return nil, decodeErr(t, b, "is not a 64-bit integer")
			}
			return n, nil
		}
	case Varint:
		if k == '0' || k == '"' {
			n, ok := parseBigIntBytes(b)
			if !ok {
				return nil, decodeErr(t, b, "is not an integer")
			}
			return n, nil
		}
	case Decimal:
		if k == '0' && plainDecimal(b) {
			return string(b), nil // already normal: one allocation
		}
		if k == '0' || k == '"' {
			d, ok := parseDecimalText(string(b))
			if !ok {
				return nil, decodeErr(t, b, "is not a decimal number")
			}
			return d.normal(), nil
		}
	case Float, Double:
		if k == '0' || k == '"' {
			// A float column holds a float32: parse at that precision so
			// the float64 is exactly the stored value (float32(v) == stored).
			bits := 64
			if t.Kind == Float {
				bits = 32
			}
			f, ok := parseFloatBytes(b, bits)
			if !ok {
				return nil, decodeErr(t, b, "is not a number")
			}
			return f, nil
		}
	case Timestamp:
		if k == '"' {
			ts, err := parseTimestamp(string(b))
			if err != nil {
				return nil, decodeErr(t, b, "is not an ISO 8601 instant")
			}
			return ts, nil
		}
		if k == '0' {
			ms, ok := parseIntBytes(b)
			if !ok {
				return nil, decodeErr(t, b, "is not epoch milliseconds")
			}
			return time.UnixMilli(ms).UTC(), nil
		}
	case Date:
		if k == '"' {
			d, rest, err := parseDatePrefix(string(b))
			if err != nil || rest != "" {
				return nil, decodeErr(t, b, "is not a date [+-]YYYY-MM-DD")
			}
			return d, nil
		}
	case Time:
		if k == '"' {
			tod, err := parseTimeOfDay(string(b))
			if err != nil {
				return nil, decodeErr(t, b, "is not a time of day")
			}
			return tod, nil
		}
		if k == '0' {
			n, ok := parseIntBytes(b)
			if !ok || !TimeOfDay(n).Valid() {
				return nil, decodeErr(t, b, "is not nanoseconds within a day")
			}
			return TimeOfDay(n), nil
		}
	case KindDuration:
		if k == '"' {
			d, err := parseDuration(string(b))
			if err != nil {
				return nil, decodeErr(t, b, "is not a duration: %v", err)
			}
			return d, nil
		}
	case UUID, TimeUUID:
		if k == '"' {
			u, err := uuid.ParseBytes(b)
			if err != nil {
				return nil, decodeErr(t, b, "is not a UUID")
			}
			return u, nil
		}
	case Inet:
		if k == '"' {
			a, err := netip.ParseAddr(string(b))
			if err != nil {
				return nil, decodeErr(t, b, "is not an IP address")
			}
			return a, nil
		}
	case Blob:
		if k == '"' {
			return decodeBase64(t, b)
		}
	case KindVector, KindList, KindSet, KindMap, UserDefined:
		return nil, decodeErr(t, b, "is a scalar; a %s value is not", t.Kind)
	default:
		// No type, UNSUPPORTED, or a kind newer than this package: decode
		// by JSON type rather than fail.
		return anyScalar(k, b)
	}
	what := map[jsontext.Kind]string{'"': "a string", '0': "a number", 't': "a boolean", 'f': "a boolean"}[k]
	return nil, decodeErr(t, b, "is %s", what)
}

func decodeBase64(t Type, b []byte) ([]byte, error) {
	out, err := base64.StdEncoding.AppendDecode(make([]byte, 0, (len(b)+3)/4*3), b)
	if err != nil {
		// Tolerate unpadded base64.
		out, err = base64.RawStdEncoding.AppendDecode(out[:0], b)
		if err != nil {
			return nil, decodeErr(t, b, "is not base64")
		}
	}
	return out, nil
}

// anyScalar decodes a scalar without a column type.
func anyScalar(k jsontext.Kind, b []byte) (any, error) {
	switch k {
	case '"':
		return string(b), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	if !bytes.ContainsAny(b, ".eE") {
		if n, ok := parseIntBytes(b); ok {
			return n, nil
		}
		if n, ok := parseBigIntBytes(b); ok {
			return n, nil
		}
	}
	f, ok := parseFloatBytes(b, 64)
	if !ok {
		return nil, fmt.Errorf("typesmap: bad number %s", quoteShort(string(b)))
	}
	return f, nil
}

// parseIntBytes parses an integral JSON number (also "5.0" or "1E+2") that
// fits in int64.
func parseIntBytes(b []byte) (int64, bool) {
	s := b
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 19 {
		return slowInt(b)
	}
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return slowInt(b)
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

func slowInt(b []byte) (int64, bool) {
	n, ok := parseBigIntBytes(b)
	if !ok || !n.IsInt64() {
		return 0, false
	}
	return n.Int64(), true
}

// parseBigIntBytes parses an integral number of any size; a fraction of
// zeros or an exponent is allowed when the value stays integral.
func parseBigIntBytes(b []byte) (*big.Int, bool) {
	d, ok := parseDecimalText(string(b))
	if !ok {
		return nil, false
	}
	frac := strings.TrimRight(d.frac, "0")
	exp := d.exp
	digits := d.int + frac
	exp -= int64(len(frac))
	if exp < 0 {
		// Trailing zeros of the integer part may absorb a negative exponent.
		trimmed := strings.TrimRight(digits, "0")
		if int64(len(digits)-len(trimmed)) < -exp {
			if strings.Trim(digits, "0") != "" {
				return nil, false
			}
			return new(big.Int), true
		}
		digits = digits[:int64(len(digits))+exp]
		exp = 0
	}
	if exp > 1000 && strings.Trim(digits, "0") != "" {
		return nil, false // absurdly large: refuse rather than allocate
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, false
	}
	if exp > 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(exp), nil))
	}
	if d.neg {
		n.Neg(n)
	}
	return n, true
}

// parseFloatBytes parses a JSON number or one of the strings NaN,
// Infinity, -Infinity (and +Infinity).
func parseFloatBytes(b []byte, bits int) (float64, bool) {
	switch string(b) {
	case "NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if f, ok := fastFloat(b, bits); ok {
		return f, true
	}
	if len(b) == 0 || !(b[0] == '-' || b[0] == '.' || b[0] >= '0' && b[0] <= '9') {
		return 0, false // strconv would take "inf", "0x1p3" and such
	}
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(b), bits)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// plainDecimal reports whether a JSON number is already in normal form:
// no exponent, and not a negative zero.
func plainDecimal(b []byte) bool {
	zero := true
	for _, c := range b {
		switch {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			zero = false
		}
	}
	return !(zero && len(b) > 0 && b[0] == '-')
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses the common JSON numbers (at most 19 significant
// digits, small exponent) exactly, without strconv: a mantissa below 2^53
// times or divided by an exact power of ten is correctly rounded (Clinger's
// fast path). For float32 the float64 result is rounded again, which is
// exact unless it lands on a float32 tie or in the subnormal range; those
// go to strconv. ok is false when the fast path does not apply.
func fastFloat(b []byte, bits int) (float64, bool) {
	i, neg := 0, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	var mant uint64
	digits, exp := 0, 0
	start := i
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if mant != 0 || b[i] != '0' {
			digits++
		}
		mant = mant*10 + uint64(b[i]-'0')
		if digits > 19 {
			return 0, false
		}
	}
	if i == start {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if mant != 0 || b[i] != '0' {
				digits++
			}
			mant = mant*10 + uint64(b[i]-'0')
			exp--
			if digits > 19 {
				return 0, false
			}
		}
		if i == fs {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		es, e := i, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e > 1000 {
				return 0, false
			}
			e = e*10 + int(b[i]-'0')
		}
		if i == es {
			return 0, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) || mant > 1<<53 || exp < -22 || exp > 22 {
		return 0, false
	}
	f := float64(mant)
	if exp < 0 {
		f /= pow10[-exp]
	} else {
		f *= pow10[exp]
	}
	if bits == 32 && f != 0 {
		fb := math.Float64bits(f)
		if f < 0x1p-126 || f > math.MaxFloat32 || fb&(1<<29-1) == 1<<28 {
			return 0, false
		}
		f = float64(float32(f))
	}
	if neg {
		f = -f
	}
	return f, true
}

// normal renders a decimal in plain notation, keeping its scale (trailing
// zeros of the fraction); a large exponent stays in E notation.
func (d decimalText) normal() string {
	digits := d.int + d.frac
	scale := int64(len(d.frac)) - d.exp
	if strings.Trim(digits, "0") == "" {
		d.neg = false // BigDecimal has no negative zero
	}
	var b []byte
	if d.neg {
		b = append(b, '-')
	}
	switch {
	case scale <= 0 && -scale <= 32:
		digits = strings.TrimLeft(digits, "0")
		if digits == "" {
			b = append(b[:0], '0')
			break
		}
		b = append(b, digits...)
		for i := int64(0); i < -scale; i++ {
			b = append(b, '0')
		}
	case scale > 0 && scale <= int64(len(digits))+32:
		if pad := scale - int64(len(digits)) + 1; pad > 0 {
			digits = strings.Repeat("0", int(pad)) + digits
		}
		ip := strings.TrimLeft(digits[:int64(len(digits))-scale], "0")
		if ip == "" {
			ip = "0"
		}
		b = append(b, ip...)
		b = append(b, '.')
		b = append(b, digits[int64(len(digits))-scale:]...)
	default:
		return string(d.appendJSON(nil))
	}
	return string(b)
}

// wrapped decodes {"$binary": b64} (blob, vector) and {"$date": ms}
// (timestamp).
func (st *decodeState) wrapped(dec *jsontext.Decoder, t Type) (any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return nil, err
	}
	name, _ := st.unquote(raw)
	var v any
	switch {
	case string(name) == "$binary" && (t.Kind == Blob || t.Kind == KindVector):
		raw, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		if raw[0] != '"' {
			return nil, decodeErr(t, raw, "is not a base64 string")
		}
		b, err := st.unquote(raw)
		if err != nil {
			return nil, err
		}
		bin, err := decodeBase64(t, b)
		if err != nil {
			return nil, err
		}
		if t.Kind == KindVector {
			vec, err := VectorFromBytes(bin)
			if err != nil {
				return nil, decodeErr(t, b, "%v", err)
			}
			v = vec
		} else {
			v = bin
		}
	case string(name) == "$date" && t.Kind == Timestamp:
		raw, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		ms, ok := parseIntBytes(raw)
		if !ok {
			return nil, decodeErr(t, raw, "is not epoch milliseconds")
		}
		v = time.UnixMilli(ms).UTC()
	default:
		return nil, decodeErr(t, name, "is an unexpected key in a %s value", t.Kind)
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '}' {
		return nil, &DecodeError{Type: t, Reason: "has more than one key in its wrapper object"}
	}
	return v, nil
}

// vectorArray decodes a JSON array of numbers as a Vector with a small
// hand-written scanner over the validated raw array: far cheaper than a
// token per element.
func (st *decodeState) vectorArray(dec *jsontext.Decoder, t Type) (any, error) {
	raw, err := dec.ReadValue()
	if err != nil {
		return nil, err
	}
	v := make(Vector, 0, bytes.Count(raw, []byte{','})+1)
	p := raw[1:]
	for {
		for len(p) > 0 && (p[0] == ' ' || p[0] == '\n' || p[0] == '\t' || p[0] == '\r' || p[0] == ',') {
			p = p[1:]
		}
		if len(p) == 0 || p[0] == ']' {
			break
		}
		end := 0
		for end < len(p) && p[end] != ',' && p[end] != ']' && p[end] != ' ' && p[end] != '\n' && p[end] != '\t' && p[end] != '\r' {
			end++
		}
		tok := p[:end]
		p = p[end:]
		if len(tok) > 1 && tok[0] == '"' {
			tok = tok[1 : len(tok)-1]
		}
		f, ok := parseFloatBytes(tok, 32)
		if !ok {
			return nil, decodeErr(t, tok, "is not a vector element")
		}
		v = append(v, float32(f))
	}
	return v, nil
}

func (st *decodeState) seq(dec *jsontext.Decoder, elem Type) ([]any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	out := make([]any, 0, 4)
	for dec.PeekKind() != ']' {
		if dec.PeekKind() == 0 {
			_, err := dec.ReadToken()
			return nil, err
		}
		v, err := st.decode(dec, elem)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	_, err := dec.ReadToken()
	return out, err
}

// memberName reads the name of an object's next member (the callers have
// seen it is not at its '}'), unquoted: valid until the next decoder call.
func (st *decodeState) memberName(dec *jsontext.Decoder) ([]byte, error) {
	if dec.PeekKind() == 0 {
		_, err := dec.ReadToken()
		return nil, err
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return nil, err
	}
	return st.unquote(raw)
}

// mapObject decodes the object form of a map: keys are strings whatever
// the key type.
func (st *decodeState) mapObject(dec *jsontext.Decoder, t Type) (any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	kt, vt := t.key(), t.elem()
	if kt.Kind == "" {
		kt = Of(Text)
	}
	out := Map{}
	for dec.PeekKind() != '}' {
		kb, err := st.memberName(dec)
		if err != nil {
			return nil, err
		}
		k, err := st.scalar(kt, '"', kb)
		if err != nil {
			return nil, err
		}
		v, err := st.decode(dec, vt)
		if err != nil {
			return nil, err
		}
		out = append(out, MapEntry{k, v})
	}
	_, err := dec.ReadToken()
	return out, err
}

// mapPairs decodes the array form of a map: [[key, value], ...].
func (st *decodeState) mapPairs(dec *jsontext.Decoder, t Type) (any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	out := Map{}
	for dec.PeekKind() != ']' {
		if dec.PeekKind() != '[' {
			raw, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			return nil, decodeErr(t, raw, "is not a [key, value] pair")
		}
		dec.ReadToken()
		k, err := st.decode(dec, t.key())
		if err != nil {
			return nil, err
		}
		if dec.PeekKind() == ']' {
			return nil, &DecodeError{Type: t, Reason: "has a map pair without a value"}
		}
		v, err := st.decode(dec, t.elem())
		if err != nil {
			return nil, err
		}
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		if tok.Kind() != ']' {
			return nil, &DecodeError{Type: t, Reason: "has a map pair with more than two elements"}
		}
		out = append(out, MapEntry{k, v})
	}
	_, err := dec.ReadToken()
	return out, err
}

func (st *decodeState) udt(dec *jsontext.Decoder, t Type) (any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	out := UDT{}
	for dec.PeekKind() != '}' {
		nb, err := st.memberName(dec)
		if err != nil {
			return nil, err
		}
		name := string(nb)
		ft, _ := fieldType(t, name) // unknown fields decode without a type
		v, err := st.decode(dec, ft)
		if err != nil {
			return nil, err
		}
		out = append(out, UDTField{name, v})
	}
	_, err := dec.ReadToken()
	return out, err
}

// decodeAny decodes a value without a column type (see DecodeJSON).
func (st *decodeState) decodeAny(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '[':
		l, err := st.seq(dec, Type{})
		if err != nil {
			return nil, err
		}
		return List(l), nil
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		out := UDT{}
		for dec.PeekKind() != '}' {
			nb, err := st.memberName(dec)
			if err != nil {
				return nil, err
			}
			name := string(nb)
			var v any
			switch {
			case len(out) == 0 && name == "$binary" && dec.PeekKind() == '"':
				raw, err := dec.ReadValue()
				if err != nil {
					return nil, err
				}
				b, _ := st.unquote(raw)
				if bin, err := decodeBase64(Of(Blob), b); err == nil && dec.PeekKind() == '}' {
					dec.ReadToken()
					return bin, nil
				}
				v = string(b)
			case len(out) == 0 && name == "$date" && dec.PeekKind() == '0':
				raw, err := dec.ReadValue()
				if err != nil {
					return nil, err
				}
				n, ok := parseIntBytes(raw)
				if ok && dec.PeekKind() == '}' {
					dec.ReadToken()
					return time.UnixMilli(n).UTC(), nil
				}
				if v, err = anyScalar('0', raw); err != nil {
					return nil, err
				}
			default:
				if v, err = st.decodeAny(dec); err != nil {
					return nil, err
				}
			}
			out = append(out, UDTField{name, v})
		}
		_, err := dec.ReadToken()
		return out, err
	}
	k, b, err := st.nextScalar(dec)
	if err != nil || k == 'n' {
		return nil, err
	}
	return anyScalar(k, b)
}
