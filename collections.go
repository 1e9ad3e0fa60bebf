package astrasql

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"reflect"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

// List scans a list or set column into a Go slice of its element type, as
// pq.Array does for PostgreSQL arrays:
//
//	var tags astrasql.List[string]
//	err := db.QueryRow(`SELECT tags FROM posts WHERE id = ?`, 1).Scan(&tags)
//
// Elements convert as a column of the element type scans (int64 into any
// Go integer, range checked; uuid into uuid.UUID or string; a nested list
// into a slice, ...). NULL (and an empty collection, which Cassandra
// stores as NULL) scans as a nil List. As a parameter it is the slice.
type List[T any] []T

// Set scans a set column into a Go slice (elements in the server's order);
// it is List under the name of the column type.
type Set[T any] []T

// Map scans a map column into a Go map, keys and values converted as
// List's elements are. NULL scans as a nil Map.
type Map[K comparable, V any] map[K]V

// Scan implements sql.Scanner.
func (l *List[T]) Scan(src any) error { return scanSlice((*[]T)(l), src, "List") }

// Value implements driver.Valuer: the elements, as a list column takes them.
func (l List[T]) Value() (driver.Value, error) { return sliceValue([]T(l)) }

// Scan implements sql.Scanner.
func (s *Set[T]) Scan(src any) error { return scanSlice((*[]T)(s), src, "Set") }

// Value implements driver.Valuer: the elements, as a set column takes them.
func (s Set[T]) Value() (driver.Value, error) { return sliceValue([]T(s)) }

// Scan implements sql.Scanner.
func (m *Map[K, V]) Scan(src any) error {
	if src == nil {
		*m = nil
		return nil
	}
	return assignValue(reflect.ValueOf((*map[K]V)(m)).Elem(), src, "Map")
}

// Value implements driver.Valuer: the entries, as a map column takes them.
func (m Map[K, V]) Value() (driver.Value, error) {
	if m == nil {
		return nil, nil
	}
	out := make(typesmap.Map, 0, len(m))
	for k, v := range m {
		out = append(out, typesmap.MapEntry{Key: k, Value: v})
	}
	return out.Value()
}

func scanSlice[T any](dst *[]T, src any, what string) error {
	if src == nil {
		*dst = nil
		return nil
	}
	return assignValue(reflect.ValueOf(dst).Elem(), src, what)
}

func sliceValue[T any](s []T) (driver.Value, error) {
	if s == nil {
		return nil, nil
	}
	out := make(typesmap.List, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out.Value()
}

var (
	scannerType = reflect.TypeFor[sql.Scanner]()
	bytesType   = reflect.TypeFor[[]byte]()
)

// assignValue stores a value the driver returns (src) in dst, converting
// collections element by element. what names the destination for errors.
func assignValue(dst reflect.Value, src any, what string) error {
	if src == nil {
		dst.SetZero()
		return nil
	}
	sv := reflect.ValueOf(src)
	if sv.Type().AssignableTo(dst.Type()) {
		dst.Set(sv)
		return nil
	}
	if dst.CanAddr() && dst.Addr().Type().Implements(scannerType) {
		return dst.Addr().Interface().(sql.Scanner).Scan(src)
	}
	fail := func() error {
		return fmt.Errorf("astrasql: cannot scan %T (%v) into %s element of type %s", src, src, what, dst.Type())
	}
	switch dst.Kind() {
	case reflect.Slice:
		var elems []any
		switch s := src.(type) {
		case typesmap.List:
			elems = s
		case typesmap.Set:
			elems = s
		case []any:
			elems = s
		default:
			if sv.Type().ConvertibleTo(dst.Type()) && dst.Type() != bytesType {
				dst.Set(sv.Convert(dst.Type())) // a Vector into []float32
				return nil
			}
			return fail()
		}
		out := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
		for i, e := range elems {
			if err := assignValue(out.Index(i), e, what); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case reflect.Map:
		m, ok := src.(typesmap.Map)
		if !ok {
			return fail()
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for _, e := range m {
			k := reflect.New(dst.Type().Key()).Elem()
			if err := assignValue(k, e.Key, what); err != nil {
				return err
			}
			v := reflect.New(dst.Type().Elem()).Elem()
			if err := assignValue(v, e.Value, what); err != nil {
				return err
			}
			out.SetMapIndex(k, v)
		}
		dst.Set(out)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var n int64
		switch x := src.(type) {
		case int64:
			n = x
		case *big.Int:
			if !x.IsInt64() {
				return fail()
			}
			n = x.Int64()
		default:
			return fail()
		}
		if dst.OverflowInt(n) {
			return fmt.Errorf("astrasql: %d overflows %s element of type %s", n, what, dst.Type())
		}
		dst.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := src.(int64)
		if !ok || n < 0 || dst.OverflowUint(uint64(n)) {
			return fail()
		}
		dst.SetUint(uint64(n))
		return nil
	case reflect.Float32, reflect.Float64:
		switch x := src.(type) {
		case float64:
			dst.SetFloat(x)
		case float32:
			dst.SetFloat(float64(x))
		default:
			return fail()
		}
		return nil
	case reflect.String:
		switch x := src.(type) {
		case string:
			dst.SetString(x)
		case time.Time:
			dst.SetString(x.Format(time.RFC3339Nano))
		case fmt.Stringer:
			// uuid, inet, varint, time-of-day, duration: their canonical text.
			dst.SetString(x.String())
		default:
			return fail()
		}
		return nil
	case reflect.Interface:
		if dst.NumMethod() == 0 {
			dst.Set(sv)
			return nil
		}
	}
	return fail()
}

// ScanCollection stores a list, set or map value the driver returned
// (typesmap.List, typesmap.Set, typesmap.Map, or nil) in dest, a pointer
// to a Go slice or map, converting elements as List does. It is for
// layers that scan through reflection (ORMs) and cannot name List[T].
func ScanCollection(dest, src any) error {
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("astrasql: ScanCollection needs a non-nil pointer, got %T", dest)
	}
	return assignValue(rv.Elem(), src, "collection")
}
