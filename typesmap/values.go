package typesmap

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// Vector is the value of a vector<float, n> column.
type Vector []float32

// String renders every element, exactly (shortest float32 form):
// "[0.1, -2, 3.5e+10]". See Short for an abbreviated form.
func (v Vector) String() string {
	b := make([]byte, 0, 2+len(v)*8)
	b = append(b, '[')
	for i, f := range v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendFloat(b, float64(f), 'g', -1, 32)
	}
	return string(append(b, ']'))
}

// Short renders at most n elements (n >= 1), then "... (N values)" when
// there are more: for display of long embeddings.
func (v Vector) Short(n int) string {
	if n < 1 {
		n = 1
	}
	if len(v) <= n {
		return v.String()
	}
	s := v[:n].String()
	return s[:len(s)-1] + ", ... (" + strconv.Itoa(len(v)) + " values)]"
}

// Bytes returns the elements as big-endian IEEE-754 float32s, the payload
// of the wire form {"$binary": ...}.
func (v Vector) Bytes() []byte { return appendVectorBytes(make([]byte, 0, 4*len(v)), v) }

func appendVectorBytes(dst []byte, v []float32) []byte {
	for _, f := range v {
		dst = binary.BigEndian.AppendUint32(dst, math.Float32bits(f))
	}
	return dst
}

// VectorFromBytes decodes big-endian float32s (see Bytes).
func VectorFromBytes(b []byte) (Vector, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("typesmap: vector bytes: length %d is not a multiple of 4", len(b))
	}
	v := make(Vector, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.BigEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// Value implements driver.Valuer: the big-endian float32 bytes (see
// Bytes), which vector columns accept as a []byte of 4*dimension bytes.
// (A string would mean "text to vectorize" to the server.)
func (v Vector) Value() (driver.Value, error) {
	if v == nil {
		return nil, nil
	}
	return v.Bytes(), nil
}

// Scan implements sql.Scanner. It accepts a Vector, []float32, []float64,
// []byte as Bytes returns, a string holding a JSON array of numbers, or nil
// (an empty Vector becomes nil).
func (v *Vector) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*v = nil
	case Vector:
		*v = append(Vector(nil), s...)
	case []float32:
		*v = append(Vector(nil), s...)
	case []float64:
		out := make(Vector, len(s))
		for i, f := range s {
			out[i] = float32(f)
		}
		*v = out
	case []byte:
		out, err := VectorFromBytes(s)
		if err != nil {
			return err
		}
		*v = out
	case string:
		val, err := decodeText(s, VectorOf(0))
		if err != nil {
			return err
		}
		out, _ := val.(Vector)
		*v = out
	case List:
		out := make(Vector, len(s))
		for i, e := range s {
			f, ok := e.(float64)
			if !ok {
				return fmt.Errorf("typesmap: cannot scan list element %d (%T) into a Vector", i, e)
			}
			out[i] = float32(f)
		}
		*v = out
	default:
		return errScanType(src, "Vector")
	}
	return nil
}

// List is the value of a list column: the elements in stored order, each
// the Go value of the element type.
type List []any

// Set is the value of a set column: the elements in the server's order
// (Cassandra's order of the element type).
type Set []any

// MapEntry is one key/value pair of a Map.
type MapEntry struct {
	Key, Value any
}

// Map is the value of a map column: entries in the server's order (sorted
// by key). Keys may be of types Go cannot use as map keys ([]byte, *big.Int).
type Map []MapEntry

// Get returns the value for key, compared by Equal.
func (m Map) Get(key any) (any, bool) {
	for _, e := range m {
		if Equal(e.Key, key) {
			return e.Value, true
		}
	}
	return nil, false
}

// UDTField is one field of a UDT value.
type UDTField struct {
	Name  string
	Value any
}

// UDT is the value of a user-defined type column: its fields in the
// server's order (a field that is null may be absent).
type UDT []UDTField

// Get returns the named field's value.
func (u UDT) Get(name string) (any, bool) {
	for _, f := range u {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// String renders the elements as a CQL literal: [1, 'a'].
func (l List) String() string { return string(appendLiteral(nil, l)) }

// String renders the elements as a CQL literal: {1, 'a'}.
func (s Set) String() string { return string(appendLiteral(nil, s)) }

// String renders the entries as a CQL literal: {'a': 1, 'b': 2}.
func (m Map) String() string { return string(appendLiteral(nil, m)) }

// String renders the fields as a CQL literal: {city: 'Paris', zip: 75001}.
func (u UDT) String() string { return string(appendLiteral(nil, u)) }

// Value implements driver.Valuer: a JSON text of the elements (see
// MarshalJSON), which list and set columns accept as a string.
func (l List) Value() (driver.Value, error) { return jsonValue(l) }

// Value implements driver.Valuer: a JSON text of the elements, which list
// and set columns accept as a string.
func (s Set) Value() (driver.Value, error) { return jsonValue(s) }

// Value implements driver.Valuer: a JSON text of the entries (an object
// when every key is a string, else an array of [key, value] pairs), which
// map columns accept as a string.
func (m Map) Value() (driver.Value, error) { return jsonValue(m) }

// Value implements driver.Valuer: a JSON object text of the fields, which
// user-defined type columns accept as a string.
func (u UDT) Value() (driver.Value, error) { return jsonValue(u) }

func jsonValue(v any) (driver.Value, error) {
	if isNilCollection(v) {
		return nil, nil
	}
	b, err := AppendJSON(nil, v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func isNilCollection(v any) bool {
	switch c := v.(type) {
	case Vector:
		return c == nil
	case []byte:
		return c == nil
	case List:
		return c == nil
	case Set:
		return c == nil
	case Map:
		return c == nil
	case UDT:
		return c == nil
	}
	return false
}

// MarshalJSON writes the elements as a JSON array (see AppendJSON).
func (l List) MarshalJSON() ([]byte, error) { return AppendJSON(nil, l) }

// MarshalJSON writes the elements as a JSON array (see AppendJSON).
func (s Set) MarshalJSON() ([]byte, error) { return AppendJSON(nil, s) }

// MarshalJSON writes the entries as a JSON object when every key is a
// string, else as an array of [key, value] pairs (see AppendJSON).
func (m Map) MarshalJSON() ([]byte, error) { return AppendJSON(nil, m) }

// MarshalJSON writes the fields as a JSON object (see AppendJSON).
func (u UDT) MarshalJSON() ([]byte, error) { return AppendJSON(nil, u) }

// Scan implements sql.Scanner: it accepts a List or Set, or a string or
// []byte holding a JSON array (elements decoded without a column type,
// see DecodeJSON).
func (l *List) Scan(src any) error {
	v, err := scanCollection(src, "List")
	if err != nil {
		return err
	}
	*l = List(v)
	return nil
}

// Scan implements sql.Scanner: it accepts a Set or List, or a string or
// []byte holding a JSON array (see List.Scan).
func (s *Set) Scan(src any) error {
	v, err := scanCollection(src, "Set")
	if err != nil {
		return err
	}
	*s = Set(v)
	return nil
}

func scanCollection(src any, what string) ([]any, error) {
	switch v := src.(type) {
	case nil:
		return nil, nil
	case List:
		return append([]any(nil), v...), nil
	case Set:
		return append([]any(nil), v...), nil
	case []any:
		return append([]any(nil), v...), nil
	case string, []byte:
		d, err := decodeJSONText(v)
		if err != nil {
			return nil, err
		}
		if l, ok := d.(List); ok {
			return l, nil
		}
		return nil, fmt.Errorf("typesmap: cannot scan JSON %T into %s", d, what)
	}
	return nil, errScanType(src, what)
}

// Scan implements sql.Scanner: it accepts a Map, or a string or []byte
// holding a JSON object or array of [key, value] pairs (see DecodeJSON).
func (m *Map) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m = nil
		return nil
	case Map:
		*m = append(Map(nil), v...)
		return nil
	case UDT:
		out := make(Map, len(v))
		for i, f := range v {
			out[i] = MapEntry{f.Name, f.Value}
		}
		*m = out
		return nil
	case string, []byte:
		d, err := decodeJSONText(v)
		if err != nil {
			return err
		}
		return m.Scan(pairsToMap(d))
	}
	return errScanType(src, "Map")
}

// pairsToMap turns a generic decode of [[k, v], ...] into a Map.
func pairsToMap(d any) any {
	l, ok := d.(List)
	if !ok {
		return d
	}
	out := make(Map, 0, len(l))
	for _, e := range l {
		p, ok := e.(List)
		if !ok || len(p) != 2 {
			return d
		}
		out = append(out, MapEntry{p[0], p[1]})
	}
	return out
}

// Scan implements sql.Scanner: it accepts a UDT, a Map with string keys,
// or a string or []byte holding a JSON object.
func (u *UDT) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*u = nil
		return nil
	case UDT:
		*u = append(UDT(nil), v...)
		return nil
	case Map:
		out := make(UDT, len(v))
		for i, e := range v {
			k, ok := e.Key.(string)
			if !ok {
				return fmt.Errorf("typesmap: cannot scan a map with %T keys into UDT", e.Key)
			}
			out[i] = UDTField{k, e.Value}
		}
		*u = out
		return nil
	case string, []byte:
		d, err := decodeJSONText(v)
		if err != nil {
			return err
		}
		if _, ok := d.(UDT); !ok {
			return fmt.Errorf("typesmap: cannot scan JSON %T into UDT", d)
		}
		return u.Scan(d)
	}
	return errScanType(src, "UDT")
}

func decodeJSONText(v any) (any, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case []byte:
		s = string(t)
	}
	return DecodeJSON([]byte(s))
}

// DecodeJSON decodes one JSON value without a column type: strings as
// string, integral numbers as int64 (*big.Int when larger), other numbers
// as float64, booleans, null as nil, {"$binary": b64} as []byte,
// {"$date": ms} as time.Time, other objects as UDT (fields in order),
// arrays as List.
func DecodeJSON(data []byte) (any, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	var st decodeState
	v, err := st.decodeAny(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.ReadToken(); err == nil {
		return nil, fmt.Errorf("typesmap: trailing data after JSON value")
	}
	return v, nil
}

// Equal reports whether two decoded values are the same value: it
// compares []byte, *big.Int, time.Time, floats (NaN equals NaN, -0 is not
// 0) and collections by content, and other values with ==.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && (x == nil) == (y == nil) && (x == nil || x.Cmp(y) == 0)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y) || ok && x != x && y != y
	case Vector:
		y, ok := b.(Vector)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) && !(x[i] != x[i] && y[i] != y[i]) {
				return false
			}
		}
		return true
	case List:
		y, ok := b.(List)
		return ok && equalSlices(x, y)
	case Set:
		y, ok := b.(Set)
		return ok && equalSlices(x, y)
	case Map:
		y, ok := b.(Map)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i].Key, y[i].Key) || !Equal(x[i].Value, y[i].Value) {
				return false
			}
		}
		return true
	case UDT:
		y, ok := b.(UDT)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i].Name != y[i].Name || !Equal(x[i].Value, y[i].Value) {
				return false
			}
		}
		return true
	}
	defer func() { _ = recover() }() // == on uncomparable dynamic types
	return a == b
}

func equalSlices(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !Equal(x[i], y[i]) {
			return false
		}
	}
	return true
}

// appendLiteral renders a decoded value as a CQL-style literal for display.
func appendLiteral(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		dst = append(dst, '\'')
		dst = append(dst, strings.ReplaceAll(x, "'", "''")...)
		return append(dst, '\'')
	case []byte:
		dst = append(dst, "0x"...)
		return hex.AppendEncode(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		return appendFloatLiteral(dst, x, 64)
	case *big.Int:
		if x == nil {
			return append(dst, "null"...)
		}
		return x.Append(dst, 10)
	case time.Time:
		dst = append(dst, '\'')
		dst = appendTimestamp(dst, x)
		return append(dst, '\'')
	case TimeOfDay, Duration, netip.Addr:
		dst = append(dst, '\'')
		dst = append(dst, fmt.Sprint(x)...)
		return append(dst, '\'')
	case uuid.UUID:
		return append(dst, x.String()...)
	case Vector:
		return append(dst, x.String()...)
	case List:
		return appendSeq(dst, '[', ']', x)
	case Set:
		return appendSeq(dst, '{', '}', x)
	case Map:
		dst = append(dst, '{')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendLiteral(dst, e.Key)
			dst = append(dst, ": "...)
			dst = appendLiteral(dst, e.Value)
		}
		return append(dst, '}')
	case UDT:
		dst = append(dst, '{')
		for i, f := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, f.Name...)
			dst = append(dst, ": "...)
			dst = appendLiteral(dst, f.Value)
		}
		return append(dst, '}')
	}
	return fmt.Append(dst, v)
}

func appendSeq(dst []byte, open, closing byte, s []any) []byte {
	dst = append(dst, open)
	for i, e := range s {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendLiteral(dst, e)
	}
	return append(dst, closing)
}

func appendFloatLiteral(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// quoteShort renders s for an error message: quoted, at most 40 bytes of
// it, so a long or secret value is never copied whole into an error.
func quoteShort(s string) string {
	const max = 40
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
