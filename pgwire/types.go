package pgwire

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/astrasql/astrasql/typesmap"
)

// PostgreSQL type OIDs (pg_type.oid; fixed for built-in types).
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOid         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidUnknown     = 705
	oidInet        = 869
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
	oidUUID        = 2950
	oidFloat4Array = 1021
)

var primitiveOIDs = map[typesmap.Kind]uint32{
	typesmap.Text: oidText, typesmap.Ascii: oidText, typesmap.Boolean: oidBool,
	typesmap.TinyInt: oidInt2, typesmap.SmallInt: oidInt2, typesmap.Int: oidInt4,
	typesmap.BigInt: oidInt8, typesmap.Counter: oidInt8,
	typesmap.Varint: oidNumeric, typesmap.Decimal: oidNumeric,
	typesmap.Float: oidFloat4, typesmap.Double: oidFloat8,
	typesmap.Timestamp: oidTimestamptz, typesmap.Date: oidDate, typesmap.Time: oidTime,
	typesmap.KindDuration: oidInterval, typesmap.UUID: oidUUID, typesmap.TimeUUID: oidUUID,
	typesmap.Inet: oidInet, typesmap.Blob: oidBytea,
}

// arrayOIDs are the array types of element types.
var arrayOIDs = map[uint32]uint32{
	oidBool: 1000, oidBytea: 1001, oidInt2: 1005, oidInt4: 1007, oidText: 1009,
	oidInt8: 1016, oidFloat4: 1021, oidFloat8: 1022, oidInet: 1041, oidDate: 1182,
	oidTime: 1183, oidTimestamptz: 1185, oidInterval: 1187, oidNumeric: 1231, oidUUID: 2951,
}

// oidOf is the PostgreSQL type a column of type t is sent as (see the
// package documentation). Computed values of unknown type are text.
func oidOf(t typesmap.Type) uint32 {
	if o, ok := primitiveOIDs[t.Kind]; ok {
		return o
	}
	switch t.Kind {
	case typesmap.KindList, typesmap.KindSet:
		if t.Value != nil {
			if o, ok := primitiveOIDs[t.Value.Kind]; ok {
				return arrayOIDs[o]
			}
		}
		return oidJSON
	case typesmap.KindMap, typesmap.UserDefined:
		return oidJSON
	}
	return oidText // vectors (pgvector's text form), unknown and unsupported types
}

// paramOIDOf is the type a parameter meeting a column of type t is
// described as: as oidOf, except vectors, float4[] so that drivers send
// float slices as they are.
func paramOIDOf(t typesmap.Type) uint32 {
	if t.Kind == typesmap.KindVector {
		return oidFloat4Array
	}
	return oidOf(t)
}

// typeSize is pg_type.typlen for RowDescription.
func typeSize(oid uint32) int16 {
	switch oid {
	case oidBool:
		return 1
	case oidInt2:
		return 2
	case oidInt4, oidFloat4, oidDate:
		return 4
	case oidInt8, oidFloat8, oidTimestamptz, oidTime:
		return 8
	case oidUUID, oidInterval:
		return 16
	}
	return -1
}

// column is one result column as sent in RowDescription.
type column struct {
	name string
	typ  typesmap.Type // Kind "" when not known
	oid  uint32
}

func newColumns(names, types []string) ([]column, error) {
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i].name = n
		if types[i] != "" {
			t, err := typesmap.ParseCQL(types[i])
			if err == nil {
				cols[i].typ = t
			}
		}
		cols[i].oid = oidOf(cols[i].typ)
	}
	return cols, nil
}

// encoder turns the driver's values into PostgreSQL's text and binary forms.
type encoder struct {
	m *pgtype.Map
}

func newEncoder() *encoder { return &encoder{m: pgtype.NewMap()} }

// encode appends the value v of column c in format (0 text, 1 binary).
func (e *encoder) encode(buf []byte, c *column, format int16, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	// Text's and json's binary forms are their text.
	if format == 0 || c.oid == oidText || c.oid == oidJSON {
		if s, ok, err := textForm(c.typ, v); ok || err != nil {
			if err != nil {
				return nil, err
			}
			return append(buf, s...), nil
		}
	}
	pv, err := pgValue(c.typ, v)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", c.name, err)
	}
	out, err := e.m.Encode(c.oid, format, pv, buf)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", c.name, err)
	}
	if out == nil {
		out = buf[:0:0]
	}
	return out, nil
}

// textForm is the text of values whose PostgreSQL text form is better made
// here than by pgtype: exact where pgtype would round (time, interval with
// nanoseconds), PostgreSQL's own spelling (inet without /32, bool t/f),
// vectors in pgvector's form, and values of unknown type.
func textForm(t typesmap.Type, v any) (string, bool, error) {
	switch t.Kind {
	case typesmap.Text, typesmap.Ascii, typesmap.Decimal, typesmap.UUID, typesmap.TimeUUID, typesmap.Time:
		if s, ok := v.(string); ok {
			return s, true, nil
		}
	case typesmap.Inet:
		if a, ok := v.(netip.Addr); ok {
			return a.String(), true, nil
		}
	case typesmap.KindVector:
		if vec, ok := v.(typesmap.Vector); ok {
			return vectorText(vec), true, nil
		}
	case typesmap.KindMap, typesmap.UserDefined:
		b, err := typesmap.AppendJSON(nil, v)
		return string(b), err == nil, err
	case "", typesmap.Unsupported:
		return anyText(v), true, nil
	}
	return "", false, nil
}

// vectorText is pgvector's text form: [1,2.5,3].
func vectorText(v []float32) string {
	b := make([]byte, 0, 1+8*len(v))
	b = append(b, '[')
	for i, f := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, float64(f), 'g', -1, 32)
	}
	return string(append(b, ']'))
}

// anyText is the text of a value computed by the driver with no known type.
func anyText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return `\x` + hex.EncodeToString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x, 64)
	case bool:
		if x {
			return "t"
		}
		return "f"
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999999Z07:00")
	case typesmap.Vector:
		return vectorText(x)
	case typesmap.List, typesmap.Set, typesmap.Map, typesmap.UDT:
		b, err := typesmap.AppendJSON(nil, x)
		if err == nil {
			return string(b)
		}
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// pgValue converts a value read by the driver to the Go value pgtype
// encodes for the column's OID.
func pgValue(t typesmap.Type, v any) (any, error) {
	switch t.Kind {
	case typesmap.Float:
		if f, ok := v.(float64); ok {
			return float32(f), nil
		}
	case typesmap.Varint:
		if b, ok := v.(*big.Int); ok {
			return pgtype.Numeric{Int: b, Valid: true}, nil
		}
	case typesmap.Decimal:
		if s, ok := v.(string); ok {
			return parseNumeric(s)
		}
	case typesmap.UUID, typesmap.TimeUUID:
		if s, ok := v.(string); ok {
			u, err := uuid.Parse(s)
			return [16]byte(u), err
		}
	case typesmap.Inet:
		if a, ok := v.(netip.Addr); ok {
			return netip.PrefixFrom(a, a.BitLen()), nil
		}
	case typesmap.Time:
		if s, ok := v.(string); ok {
			tod, err := typesmap.ParseTimeOfDay(s)
			if err != nil {
				return nil, err
			}
			ns := int64(tod)
			if ns%1000 != 0 {
				return nil, newErr(codeDataException, fmt.Sprintf("time %s has nanoseconds, which PostgreSQL's binary time cannot hold (ask for text format)", s))
			}
			return pgtype.Time{Microseconds: ns / 1000, Valid: true}, nil
		}
	case typesmap.KindDuration:
		if s, ok := v.(string); ok {
			d, err := typesmap.ParseDuration(s)
			if err != nil {
				return nil, err
			}
			if d.Nanoseconds%1000 != 0 {
				return nil, newErr(codeDataException, fmt.Sprintf("duration %s has nanoseconds, which PostgreSQL's interval cannot hold", s))
			}
			return pgtype.Interval{Months: d.Months, Days: d.Days, Microseconds: d.Nanoseconds / 1000, Valid: true}, nil
		}
	case typesmap.KindVector:
		if vec, ok := v.(typesmap.Vector); ok {
			return vectorText(vec), nil
		}
	case typesmap.KindList, typesmap.KindSet:
		var elems []any
		switch x := v.(type) {
		case typesmap.List:
			elems = x
		case typesmap.Set:
			elems = x
		default:
			return v, nil
		}
		if t.Value == nil || oidOf(t) == oidJSON {
			b, err := typesmap.AppendJSON(nil, v)
			return string(b), err
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			pe, err := pgValue(*t.Value, scanForm(*t.Value, e))
			if err != nil {
				return nil, err
			}
			out[i] = pe
		}
		return out, nil
	case typesmap.KindMap, typesmap.UserDefined:
		b, err := typesmap.AppendJSON(nil, v)
		return string(b), err
	}
	return v, nil
}

// scanForm is the form database/sql gives for a collection element: the
// driver hands out uuid, time and duration values as strings, but elements
// inside a List stay their Go types.
func scanForm(t typesmap.Type, v any) any {
	switch x := v.(type) {
	case uuid.UUID:
		return x.String()
	case typesmap.TimeOfDay:
		return x.String()
	case typesmap.Duration:
		return x.String()
	}
	return v
}

// parseNumeric reads a decimal (digits, '.', exponent) exactly.
func parseNumeric(s string) (pgtype.Numeric, error) {
	str := strings.TrimSpace(s)
	switch strings.ToLower(str) {
	case "nan":
		return pgtype.Numeric{NaN: true, Valid: true}, nil
	case "infinity", "+infinity":
		return pgtype.Numeric{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case "-infinity":
		return pgtype.Numeric{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	}
	exp := int64(0)
	if i := strings.IndexAny(str, "eE"); i >= 0 {
		e, err := strconv.ParseInt(str[i+1:], 10, 32)
		if err != nil {
			return pgtype.Numeric{}, newErr(codeInvalidText, fmt.Sprintf("invalid input syntax for type numeric: %q", s))
		}
		exp, str = e, str[:i]
	}
	if i := strings.IndexByte(str, '.'); i >= 0 {
		exp -= int64(len(str) - i - 1)
		str = str[:i] + str[i+1:]
	}
	n, ok := new(big.Int).SetString(str, 10)
	if !ok || exp < math.MinInt32 || exp > math.MaxInt32 {
		return pgtype.Numeric{}, newErr(codeInvalidText, fmt.Sprintf("invalid input syntax for type numeric: %q", s))
	}
	return pgtype.Numeric{Int: n, Exp: int32(exp), Valid: true}, nil
}

// numericText is the exact decimal text of a pgtype.Numeric.
func numericText(n pgtype.Numeric) (string, error) {
	switch {
	case n.NaN:
		return "NaN", nil
	case n.InfinityModifier != pgtype.Finite:
		return "", newErr(codeInvalidParamValue, "numeric infinity does not fit a Data API column")
	case n.Int == nil:
		return "0", nil
	}
	s := n.Int.String()
	if n.Exp != 0 {
		s += "E" + strconv.Itoa(int(n.Exp))
	}
	return s, nil
}
