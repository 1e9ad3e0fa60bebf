package typesmap

import (
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
)

var scanTypes = map[Kind]reflect.Type{
	Text:         reflect.TypeFor[string](),
	Ascii:        reflect.TypeFor[string](),
	Boolean:      reflect.TypeFor[bool](),
	TinyInt:      reflect.TypeFor[int64](),
	SmallInt:     reflect.TypeFor[int64](),
	Int:          reflect.TypeFor[int64](),
	BigInt:       reflect.TypeFor[int64](),
	Counter:      reflect.TypeFor[int64](),
	Varint:       reflect.TypeFor[*big.Int](),
	Decimal:      reflect.TypeFor[string](),
	Float:        reflect.TypeFor[float64](),
	Double:       reflect.TypeFor[float64](),
	Timestamp:    reflect.TypeFor[time.Time](),
	Date:         reflect.TypeFor[time.Time](),
	Time:         reflect.TypeFor[TimeOfDay](),
	KindDuration: reflect.TypeFor[Duration](),
	UUID:         reflect.TypeFor[uuid.UUID](),
	TimeUUID:     reflect.TypeFor[uuid.UUID](),
	Inet:         reflect.TypeFor[netip.Addr](),
	Blob:         reflect.TypeFor[[]byte](),
	KindVector:   reflect.TypeFor[Vector](),
	KindList:     reflect.TypeFor[List](),
	KindSet:      reflect.TypeFor[Set](),
	KindMap:      reflect.TypeFor[Map](),
	UserDefined:  reflect.TypeFor[UDT](),
}

// ScanType returns the Go type of the values decoded for columns of type
// t (what database/sql's ColumnTypeScanType reports): string for text,
// ascii and decimal; bool; int64 for tinyint to bigint and counter;
// *big.Int for varint; float64 for float and double; time.Time for
// timestamp and date; TimeOfDay; Duration; uuid.UUID; netip.Addr; []byte;
// Vector; List; Set; Map; UDT. Other types give the empty interface type.
// A null is always nil, whatever the type.
func ScanType(t Type) reflect.Type {
	if rt, ok := scanTypes[t.Kind]; ok {
		return rt
	}
	return reflect.TypeFor[any]()
}

// DatabaseTypeName returns the upper-case Data API kind of t: "TEXT",
// "INT", "VECTOR", "MAP", "LIST", "SET", "USERDEFINED", "UNSUPPORTED"...
// (database/sql's ColumnTypeDatabaseTypeName). Type.String gives the full
// CQL type instead.
func DatabaseTypeName(t Type) string {
	return strings.ToUpper(string(t.Kind))
}

// Length returns the length of a variable-length column type, as
// database/sql's ColumnTypeLength wants it: the dimension of a vector
// (when known), math.MaxInt64 (unbounded) for text, ascii, blob, varint
// and collections; ok is false for fixed-size types.
func Length(t Type) (length int64, ok bool) {
	switch t.Kind {
	case KindVector:
		if t.Dimension > 0 {
			return int64(t.Dimension), true
		}
		return 0, false
	case Text, Ascii, Blob, Varint, KindList, KindSet, KindMap:
		return math.MaxInt64, true
	}
	return 0, false
}

// DecimalSize reports precision and scale for database/sql's
// ColumnTypePrecisionScale. CQL decimals have no fixed precision or scale
// (each value carries its own), so ok is always false, decimal included.
func DecimalSize(t Type) (precision, scale int64, ok bool) {
	return 0, 0, false
}

// Nullable reports whether a column of type t may hold null, for
// database/sql's ColumnTypeNullable: every type may (a row omits the
// column); only primary key columns cannot, which the type does not say.
func Nullable(t Type) (nullable, ok bool) {
	return true, true
}
