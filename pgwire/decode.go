package pgwire

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/astrasql/astrasql/typesmap"
)

// oidKinds is the column type a parameter declared with a PostgreSQL type
// (by the client or by us) is read as when no column was found for it.
var oidKinds = map[uint32]typesmap.Kind{
	oidBool: typesmap.Boolean, oidBytea: typesmap.Blob, oidInt2: typesmap.BigInt, oidInt4: typesmap.BigInt,
	oidInt8: typesmap.BigInt, oidFloat4: typesmap.Double, oidFloat8: typesmap.Double, oidNumeric: typesmap.Decimal,
	oidInet: typesmap.Inet, oidDate: typesmap.Date, oidTime: typesmap.Time, oidTimestamp: typesmap.Timestamp,
	oidTimestamptz: typesmap.Timestamp, oidInterval: typesmap.KindDuration, oidUUID: typesmap.UUID,
}

// decodeParam reads parameter number n (1-based) sent in format with type
// oid, as the Go value the driver takes for a column of type col (Kind ""
// when no column was found).
func decodeParam(m *pgtype.Map, n int, oid uint32, format int16, data []byte, col typesmap.Type) (any, error) {
	if data == nil {
		return nil, nil
	}
	if col.Kind == "" {
		if k, ok := oidKinds[oid]; ok {
			col = typesmap.Of(k)
		}
	}
	var v any
	var err error
	if format == 0 {
		v, err = fromText(col, string(data))
	} else {
		v, err = fromBinary(m, oid, data, col)
	}
	if err != nil {
		return nil, newErr(codeInvalidText, fmt.Sprintf("parameter $%d: %v", n, err))
	}
	return v, nil
}

// fromText reads a parameter in PostgreSQL's text form.
func fromText(t typesmap.Type, s string) (any, error) {
	switch t.Kind {
	case typesmap.TinyInt, typesmap.SmallInt, typesmap.Int, typesmap.BigInt, typesmap.Counter:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid input syntax for type integer: %q", s)
		}
		return n, nil
	case typesmap.Varint:
		b, ok := new(big.Int).SetString(strings.TrimSpace(s), 10)
		if !ok {
			return nil, fmt.Errorf("invalid input syntax for type varint: %q", s)
		}
		return b, nil
	case typesmap.Float, typesmap.Double:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, fmt.Errorf("invalid input syntax for type double precision: %q", s)
		}
		return f, nil
	case typesmap.Boolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "t", "true", "yes", "y", "on", "1":
			return true, nil
		case "f", "false", "no", "n", "off", "0":
			return false, nil
		}
		return nil, fmt.Errorf("invalid input syntax for type boolean: %q", s)
	case typesmap.Blob:
		if strings.HasPrefix(s, `\x`) {
			b, err := hex.DecodeString(s[2:])
			if err != nil {
				return nil, fmt.Errorf("invalid hexadecimal data for bytea")
			}
			return b, nil
		}
		if strings.ContainsRune(s, '\\') {
			return nil, fmt.Errorf("bytea in escape format is not supported: send hex (\\x...) or binary")
		}
		return []byte(s), nil
	case typesmap.Inet:
		if p, err := netip.ParsePrefix(s); err == nil {
			if p.Bits() != p.Addr().BitLen() {
				return nil, fmt.Errorf("inet %q is a network; an inet column holds one address", s)
			}
			return p.Addr(), nil
		}
		return s, nil
	case typesmap.Timestamp:
		return parseTimestamp(s)
	case typesmap.Date:
		if len(s) > 10 && s[10] == ' ' {
			s = s[:10]
		}
		return s, nil
	case typesmap.KindDuration:
		if d, err := typesmap.ParseDuration(s); err == nil {
			return d, nil
		}
		var iv pgtype.Interval
		if err := iv.Scan(s); err != nil || !iv.Valid {
			return nil, fmt.Errorf("invalid input syntax for type interval: %q", s)
		}
		return typesmap.Duration{Months: iv.Months, Days: iv.Days, Nanoseconds: iv.Microseconds * 1000}, nil
	case typesmap.KindVector:
		return parseFloatList(s)
	case typesmap.KindList, typesmap.KindSet:
		if strings.HasPrefix(strings.TrimSpace(s), "{") && t.Value != nil {
			elems, err := parseArray(s)
			if err != nil {
				return nil, err
			}
			out := make(typesmap.List, len(elems))
			for i, e := range elems {
				if e == nil {
					return nil, fmt.Errorf("element %d is NULL; collections cannot hold nulls", i+1)
				}
				if out[i], err = fromText(*t.Value, *e); err != nil {
					return nil, fmt.Errorf("element %d: %v", i+1, err)
				}
			}
			return out, nil
		}
	}
	return s, nil
}

var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// parseTimestamp reads a timestamptz in PostgreSQL's or ISO 8601 form; one
// without a zone is UTC (the session's TimeZone).
func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid input syntax for type timestamp with time zone: %q", s)
}

// parseFloatList reads a vector as [1,2,3] (pgvector) or {1,2,3} (float4[]).
func parseFloatList(s string) (any, error) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || !(t[0] == '[' && t[len(t)-1] == ']' || t[0] == '{' && t[len(t)-1] == '}') {
		return s, nil // text for a vectorize column, or the driver's error
	}
	body := strings.TrimSpace(t[1 : len(t)-1])
	if body == "" {
		return []float32{}, nil
	}
	parts := strings.Split(body, ",")
	out := make([]float32, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 32)
		if err != nil {
			return nil, fmt.Errorf("vector element %d: invalid number %q", i+1, strings.TrimSpace(p))
		}
		out[i] = float32(f)
	}
	return out, nil
}

// parseArray reads a one-dimensional array literal {a,"b c",NULL}.
func parseArray(s string) ([]*string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, fmt.Errorf("malformed array literal: %q", s)
	}
	body := s[1 : len(s)-1]
	var out []*string
	i := 0
	for i < len(body) {
		for i < len(body) && body[i] == ' ' {
			i++
		}
		var b strings.Builder
		quoted := false
		if i < len(body) && body[i] == '"' {
			quoted = true
			i++
			for i < len(body) && body[i] != '"' {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
				i++
			}
			if i >= len(body) {
				return nil, fmt.Errorf("malformed array literal: %q", s)
			}
			i++
		} else {
			for i < len(body) && body[i] != ',' {
				if body[i] == '{' {
					return nil, fmt.Errorf("multidimensional arrays are not supported: %q", s)
				}
				b.WriteByte(body[i])
				i++
			}
		}
		e := b.String()
		if !quoted {
			e = strings.TrimSpace(e)
		}
		if !quoted && strings.EqualFold(e, "NULL") {
			out = append(out, nil)
		} else {
			out = append(out, &e)
		}
		for i < len(body) && body[i] == ' ' {
			i++
		}
		if i < len(body) {
			if body[i] != ',' {
				return nil, fmt.Errorf("malformed array literal: %q", s)
			}
			i++
		}
	}
	return out, nil
}

// fromBinary reads a parameter in PostgreSQL's binary form of type oid.
func fromBinary(m *pgtype.Map, oid uint32, data []byte, col typesmap.Type) (any, error) {
	switch oid {
	case oidInt2, oidInt4, oidInt8:
		var n int64
		err := m.Scan(oid, 1, data, &n)
		return n, err
	case oidFloat4:
		var f float32
		err := m.Scan(oid, 1, data, &f)
		return float64(f), err
	case oidFloat8:
		var f float64
		err := m.Scan(oid, 1, data, &f)
		return f, err
	case oidBool:
		var b bool
		err := m.Scan(oid, 1, data, &b)
		return b, err
	case oidNumeric:
		var n pgtype.Numeric
		if err := m.Scan(oid, 1, data, &n); err != nil {
			return nil, err
		}
		s, err := numericText(n)
		if err != nil {
			return nil, err
		}
		if col.Kind == typesmap.Varint && n.Int != nil && n.Exp >= 0 {
			return new(big.Int).Mul(n.Int, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Exp)), nil)), nil
		}
		return s, nil
	case oidBytea:
		return append([]byte{}, data...), nil
	case oidUUID:
		var u [16]byte
		err := m.Scan(oid, 1, data, &u)
		return uuid.UUID(u), err
	case oidTimestamptz, oidTimestamp:
		var t time.Time
		err := m.Scan(oid, 1, data, &t)
		return t.UTC(), err
	case oidDate:
		var d pgtype.Date
		if err := m.Scan(oid, 1, data, &d); err != nil {
			return nil, err
		}
		if d.InfinityModifier != pgtype.Finite {
			return nil, fmt.Errorf("infinite date")
		}
		return d.Time.Format("2006-01-02"), nil
	case oidTime:
		var t pgtype.Time
		if err := m.Scan(oid, 1, data, &t); err != nil {
			return nil, err
		}
		return typesmap.TimeOfDay(t.Microseconds * 1000), nil
	case oidInterval:
		var iv pgtype.Interval
		if err := m.Scan(oid, 1, data, &iv); err != nil {
			return nil, err
		}
		return typesmap.Duration{Months: iv.Months, Days: iv.Days, Nanoseconds: iv.Microseconds * 1000}, nil
	case oidInet:
		var p netip.Prefix
		if err := m.Scan(oid, 1, data, &p); err != nil {
			return nil, err
		}
		if p.Bits() != p.Addr().BitLen() {
			return nil, fmt.Errorf("inet %s is a network; an inet column holds one address", p)
		}
		return p.Addr(), nil
	case oidFloat4Array:
		var fs []float32
		err := m.Scan(oid, 1, data, &fs)
		return fs, err
	case oidText, oidVarchar, oidJSON, oidUnknown, 0:
		return fromText(col, string(data))
	}
	if elem, ok := arrayElems[oid]; ok {
		var xs []any
		if err := m.Scan(oid, 1, data, &xs); err != nil {
			return nil, err
		}
		out := make(typesmap.List, len(xs))
		for i, x := range xs {
			switch y := x.(type) {
			case [16]byte:
				out[i] = uuid.UUID(y)
			case netip.Prefix:
				out[i] = y.Addr()
			case pgtype.Numeric:
				s, err := numericText(y)
				if err != nil {
					return nil, err
				}
				out[i] = s
			case pgtype.Time:
				out[i] = typesmap.TimeOfDay(y.Microseconds * 1000)
			case pgtype.Interval:
				out[i] = typesmap.Duration{Months: y.Months, Days: y.Days, Nanoseconds: y.Microseconds * 1000}
			case float32:
				out[i] = float64(y)
			case int16:
				out[i] = int64(y)
			case int32:
				out[i] = int64(y)
			default:
				out[i] = x
			}
		}
		_ = elem
		return out, nil
	}
	return nil, fmt.Errorf("binary format of type %d is not supported; send it as text", oid)
}

var arrayElems = func() map[uint32]uint32 {
	m := map[uint32]uint32{}
	for e, a := range arrayOIDs {
		m[a] = e
	}
	return m
}()
