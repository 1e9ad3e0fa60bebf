package gormastra

import (
	"context"
	"database/sql/driver"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/typesmap"
)

// Plain Go slices and maps as column values: GORM expands a slice argument
// into a parenthesized list and cannot scan the driver's collections into
// them, so fields of slice (other than []byte) and map types get a value
// the driver encodes whole (a typesmap.Vector for []float32, else a
// typesmap.List or Map) and a setter that converts what the driver
// returns. Each field is patched once, the first time a statement uses
// its schema.

var (
	patchMu sync.Mutex
	patched = map[*schema.Field]bool{}
	valuer  = reflect.TypeFor[driver.Valuer]()
)

func patchCollections(db *gorm.DB) {
	s := db.Statement.Schema
	if s == nil {
		return
	}
	patchMu.Lock()
	defer patchMu.Unlock()
	for _, f := range s.Fields {
		t := f.FieldType
		if patched[f] || (t.Kind() != reflect.Slice && t.Kind() != reflect.Map) || t.Elem().Kind() == reflect.Uint8 ||
			t.Implements(valuer) || reflect.PointerTo(t).Implements(valuer) {
			continue
		}
		patched[f] = true
		valueOf, set := f.ValueOf, f.Set
		f.ValueOf = func(ctx context.Context, v reflect.Value) (any, bool) {
			x, zero := valueOf(ctx, v)
			return collectionArg(x), zero
		}
		// Scan into an interface, then convert in Set.
		f.NewValuePool = anyPool{}
		f.Set = func(ctx context.Context, v reflect.Value, src any) error {
			if p, ok := src.(*any); ok {
				src = *p
			}
			switch src.(type) {
			case typesmap.List, typesmap.Set, typesmap.Map, typesmap.Vector:
				ptr := reflect.New(f.FieldType)
				if err := astrasql.ScanCollection(ptr.Interface(), src); err != nil {
					return err
				}
				f.ReflectValueOf(ctx, v).Set(ptr.Elem())
				return nil
			}
			return set(ctx, v, src)
		}
	}
}

// collectionArg turns a Go slice or map into the driver's value for it.
func collectionArg(x any) any {
	rv := reflect.ValueOf(x)
	switch {
	case !rv.IsValid():
		return x
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Float32:
		if rv.IsNil() {
			return nil
		}
		out := make(typesmap.Vector, rv.Len())
		for i := range out {
			out[i] = float32(rv.Index(i).Float())
		}
		return out
	case rv.Kind() == reflect.Slice:
		if rv.IsNil() {
			return nil
		}
		out := make(typesmap.List, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out
	case rv.Kind() == reflect.Map:
		if rv.IsNil() {
			return nil
		}
		out := make(typesmap.Map, 0, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out = append(out, typesmap.MapEntry{Key: it.Key().Interface(), Value: it.Value().Interface()})
		}
		return out
	}
	return x
}

// anyPool gives GORM an *any to scan a collection column into.
type anyPool struct{}

func (anyPool) Get() any { return new(any) }
func (anyPool) Put(any)  {}
