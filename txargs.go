package astrasql

import (
	"database/sql/driver"
	"fmt"
	"math/big"
	"reflect"

	"github.com/astrasql/astrasql/typesmap"
)

// A transaction keeps its statements' arguments until Commit, while the
// caller may reuse its buffers at once (one []float32 for every vector,
// one map for every row). copyArg takes a copy at Exec that shares no
// memory with the caller's value, resolving pointers and driver.Valuer
// values as typesmap.AppendValue does, so that Commit writes what the
// arguments held when Exec was called.

// maxCopyDepth bounds nesting (a []any that holds itself would loop).
const maxCopyDepth = 64

// copyArg returns a deep copy of the argument v.
func copyArg(v any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil { // reflect refused: say so rather than keep a shared value
			out, err = nil, fmt.Errorf("astrasql: argument of type %T cannot be copied for the transaction: %v", v, r)
		}
	}()
	for i := 0; i < 8; i++ {
		switch x := v.(type) {
		case nil:
			return nil, nil
		case typesmap.Vector, typesmap.Duration, typesmap.TimeOfDay, typesmap.List, typesmap.Set, typesmap.Map, typesmap.UDT,
			*big.Int, *big.Float, *big.Rat, []byte:
			// typesmap takes these as they are (not through Value).
			return deepCopy(reflect.ValueOf(v), 0)
		case driver.Valuer:
			rv := reflect.ValueOf(v)
			if rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, nil
			}
			nv, err := x.Value()
			if err != nil {
				// Kept as is: checking the statement reports the failure
				// with its placeholder and column, as outside a transaction.
				return v, nil
			}
			v = nv
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			break
		}
		if rv.IsNil() {
			return nil, nil
		}
		v = rv.Elem().Interface()
	}
	return deepCopy(reflect.ValueOf(v), 0)
}

var (
	bigIntType   = reflect.TypeOf((*big.Int)(nil))
	bigFloatType = reflect.TypeOf((*big.Float)(nil))
	bigRatType   = reflect.TypeOf((*big.Rat)(nil))
)

// deepCopy copies rv keeping its type: slices, arrays, maps, pointers,
// interfaces and exported struct fields are copied all the way down; the
// big number types through their own Set.
func deepCopy(rv reflect.Value, depth int) (any, error) {
	c, err := copyValue(rv, depth)
	if err != nil || !c.IsValid() {
		return nil, err
	}
	return c.Interface(), nil
}

func copyValue(rv reflect.Value, depth int) (reflect.Value, error) {
	if !rv.IsValid() {
		return rv, nil
	}
	if depth > maxCopyDepth {
		return rv, fmt.Errorf("astrasql: argument nested deeper than %d levels", maxCopyDepth)
	}
	t := rv.Type()
	switch t {
	case bigIntType:
		if rv.IsNil() {
			return rv, nil
		}
		return reflect.ValueOf(new(big.Int).Set(rv.Interface().(*big.Int))), nil
	case bigFloatType:
		if rv.IsNil() {
			return rv, nil
		}
		return reflect.ValueOf(new(big.Float).Copy(rv.Interface().(*big.Float))), nil
	case bigRatType:
		if rv.IsNil() {
			return rv, nil
		}
		return reflect.ValueOf(new(big.Rat).Set(rv.Interface().(*big.Rat))), nil
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return rv, nil
		}
		out := reflect.MakeSlice(t, rv.Len(), rv.Len())
		if isFlat(t.Elem()) {
			reflect.Copy(out, rv)
			return out, nil
		}
		for i := 0; i < rv.Len(); i++ {
			if err := copyInto(out.Index(i), rv.Index(i), depth); err != nil {
				return rv, err
			}
		}
		return out, nil
	case reflect.Array:
		out := reflect.New(t).Elem()
		out.Set(rv)
		if !isFlat(t.Elem()) {
			for i := 0; i < rv.Len(); i++ {
				if err := copyInto(out.Index(i), rv.Index(i), depth); err != nil {
					return rv, err
				}
			}
		}
		return out, nil
	case reflect.Map:
		if rv.IsNil() {
			return rv, nil
		}
		out := reflect.MakeMapWithSize(t, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			k, err := copyValue(it.Key(), depth+1)
			if err != nil {
				return rv, err
			}
			v, err := copyValue(it.Value(), depth+1)
			if err != nil {
				return rv, err
			}
			out.SetMapIndex(k, v)
		}
		return out, nil
	case reflect.Pointer:
		if rv.IsNil() {
			return rv, nil
		}
		out := reflect.New(t.Elem())
		if err := copyInto(out.Elem(), rv.Elem(), depth); err != nil {
			return rv, err
		}
		return out, nil
	case reflect.Interface:
		if rv.IsNil() {
			return rv, nil
		}
		out := reflect.New(t).Elem()
		if err := copyInto(out, rv.Elem(), depth); err != nil {
			return rv, err
		}
		return out, nil
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(rv)
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && !isFlat(f.Type) {
				if err := copyInto(out.Field(i), rv.Field(i), depth); err != nil {
					return rv, err
				}
			}
		}
		return out, nil
	}
	return rv, nil // scalars are values already
}

// copyInto sets dst to a deep copy of src.
func copyInto(dst, src reflect.Value, depth int) error {
	c, err := copyValue(src, depth+1)
	if err != nil {
		return err
	}
	if c.IsValid() {
		dst.Set(c)
	}
	return nil
}

// isFlat says whether values of t hold no references (copying them is a
// deep copy).
func isFlat(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	case reflect.Array:
		return isFlat(t.Elem())
	}
	return false
}
