package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// column is what the output writers know about a result column.
type column struct {
	Name   string
	DBType string // upper-case Data API type from ColumnTypeDatabaseTypeName: "TEXT", "VECTOR", ...
}

// textOptions says how values are rendered as text.
type textOptions struct {
	// AbbrevVector shortens vectors longer than this many elements to their
	// first three and a count (0: never abbreviate).
	AbbrevVector int
	// BlobHex renders blobs as 0x... (table); else base64 (csv).
	BlobHex bool
}

const nullText = "NULL"

// formatText renders one value as text for the table and csv formats. The
// value is what database/sql scanned into an *any from the driver. Types are
// recognised by shape (reflection) so that the typesmap value types (vector,
// list, set, map, duration, ...) and the standard ones all print readably.
func formatText(v any, dbType string, o textOptions) string {
	if v == nil {
		return nullText
	}
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		if o.BlobHex {
			return "0x" + hex.EncodeToString(x)
		}
		return base64.StdEncoding.EncodeToString(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if dbType == "FLOAT" {
			return formatFloat(x, 32)
		}
		return formatFloat(x, 64)
	case float32:
		return formatFloat(float64(x), 32)
	case *big.Int:
		if x == nil {
			return nullText
		}
		return x.String()
	case time.Time:
		return formatTime(x, dbType)
	}
	return formatNested(reflect.ValueOf(v), dbType, o, false)
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func formatTime(t time.Time, dbType string) string {
	if dbType == "DATE" {
		return t.Format("2006-01-02")
	}
	return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
}

// formatNested renders collections, vectors and the remaining scalar types.
// Inside a collection (quote set) strings are single-quoted, as in a SQL
// literal, so that a list of strings reads unambiguously.
func formatNested(rv reflect.Value, dbType string, o textOptions, quote bool) string {
	if !rv.IsValid() {
		return nullText
	}
	for rv.Kind() == reflect.Interface || rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nullText
		}
		if s, ok := stringer(rv); ok && rv.Kind() == reflect.Pointer {
			if quote && needsQuote(rv.Elem()) {
				return "'" + s + "'"
			}
			return s
		}
		rv = rv.Elem()
	}
	v := rv.Interface()
	switch x := v.(type) {
	case string:
		if quote {
			return "'" + strings.ReplaceAll(x, "'", "''") + "'"
		}
		return x
	case []byte:
		if quote || o.BlobHex {
			return "0x" + hex.EncodeToString(x)
		}
		return base64.StdEncoding.EncodeToString(x)
	case time.Time:
		s := formatTime(x, "")
		if quote {
			return "'" + s + "'"
		}
		return s
	case float64:
		return formatFloat(x, 64)
	case float32:
		return formatFloat(float64(x), 32)
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return nullText
		}
		et := rv.Type().Elem()
		if et.Kind() == reflect.Float32 || (dbType == "VECTOR" && et.Kind() == reflect.Float64) {
			return formatVector(rv, o.AbbrevVector)
		}
		if isMapEntry(et) {
			var b strings.Builder
			b.WriteByte('{')
			for i := 0; i < rv.Len(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				e := rv.Index(i)
				b.WriteString(formatNested(e.FieldByName("Key"), "", o, true))
				b.WriteString(": ")
				b.WriteString(formatNested(e.FieldByName("Value"), "", o, true))
			}
			b.WriteByte('}')
			return b.String()
		}
		if s, ok := stringer(rv); ok && et.Kind() != reflect.Interface {
			return s
		}
		open, close := "[", "]"
		if rv.Type().Name() == "Set" || dbType == "SET" {
			open, close = "{", "}"
		}
		var b strings.Builder
		b.WriteString(open)
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(formatNested(rv.Index(i), "", o, true))
		}
		b.WriteString(close)
		return b.String()
	case reflect.Map:
		keys := rv.MapKeys()
		ks := make([]string, len(keys))
		for i, k := range keys {
			ks[i] = formatNested(k, "", o, true)
		}
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return ks[idx[a]] < ks[idx[b]] })
		var b strings.Builder
		b.WriteByte('{')
		for n, i := range idx {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ks[i])
			b.WriteString(": ")
			b.WriteString(formatNested(rv.MapIndex(keys[i]), "", o, true))
		}
		b.WriteByte('}')
		return b.String()
	}
	if s, ok := stringer(rv); ok {
		if quote && needsQuote(rv) {
			return "'" + s + "'"
		}
		return s
	}
	return fmt.Sprint(v)
}

// needsQuote says whether a Stringer value inside a collection should be
// quoted as a SQL literal would be (uuids, addresses, durations): everything
// but numbers.
func needsQuote(rv reflect.Value) bool {
	if rv.Type() == reflect.TypeOf(big.Int{}) {
		return false
	}
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return false
	}
	return true
}

func stringer(rv reflect.Value) (string, bool) {
	if !rv.CanInterface() {
		return "", false
	}
	if s, ok := rv.Interface().(fmt.Stringer); ok {
		return s.String(), true
	}
	return "", false
}

// isMapEntry recognises the typesmap map entry shape: struct{Key, Value any}.
func isMapEntry(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	_, k := t.FieldByName("Key")
	_, v := t.FieldByName("Value")
	return k && v
}

// isUDTField recognises the typesmap UDT field shape: struct{Name string; Value any}.
func isUDTField(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	n, ok := t.FieldByName("Name")
	_, v := t.FieldByName("Value")
	return ok && v && n.Type.Kind() == reflect.String
}

func formatVector(rv reflect.Value, abbrev int) string {
	n := rv.Len()
	show := n
	if abbrev > 0 && n > abbrev {
		show = 3
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < show; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		e := rv.Index(i)
		if e.Kind() == reflect.Float32 {
			b.WriteString(formatFloat(e.Float(), 32))
		} else {
			b.WriteString(formatFloat(e.Float(), 64))
		}
	}
	if show < n {
		fmt.Fprintf(&b, ", … (%d dims)", n)
	}
	b.WriteByte(']')
	return b.String()
}

// jsonValue converts a scanned value to something encoding/json renders with
// its proper JSON type: numbers as numbers, blobs as base64 strings, vectors
// and lists as arrays, maps as objects (or [[key, value], ...] when the keys
// are not text), timestamps as RFC 3339 strings. NaN and infinities, which
// JSON cannot say, become the strings "NaN", "Infinity", "-Infinity".
func jsonValue(v any, dbType string) any {
	if v == nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		if dbType == "DECIMAL" && json.Valid([]byte(x)) {
			return json.RawMessage(x)
		}
		return x
	case []byte:
		return x // encoding/json writes base64
	case bool, int64, int32, int:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatFloat(x, 64)
		}
		if dbType == "FLOAT" {
			return json.RawMessage(formatFloat(x, 32))
		}
		return x
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return formatFloat(float64(x), 32)
		}
		return json.RawMessage(formatFloat(float64(x), 32))
	case *big.Int:
		if x == nil {
			return nil
		}
		return json.RawMessage(x.String())
	case time.Time:
		return formatTime(x, dbType)
	}
	return jsonNested(reflect.ValueOf(v), dbType)
}

func jsonNested(rv reflect.Value, dbType string) any {
	for rv.Kind() == reflect.Interface || rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		if _, ok := rv.Interface().(*big.Int); ok {
			return jsonValue(rv.Interface(), "")
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return nil
		}
		et := rv.Type().Elem()
		if et.Kind() == reflect.Uint8 {
			return rv.Bytes()
		}
		if isUDTField(et) {
			obj := make(orderedObject, rv.Len())
			for i := range obj {
				e := rv.Index(i)
				obj[i] = jsonPair{e.FieldByName("Name").Interface(), jsonNested(e.FieldByName("Value"), "")}
			}
			return obj
		}
		if isMapEntry(et) {
			obj := make([]jsonPair, 0, rv.Len())
			allText := true
			for i := 0; i < rv.Len(); i++ {
				e := rv.Index(i)
				k := jsonNested(e.FieldByName("Key"), "")
				if _, ok := k.(string); !ok {
					allText = false
				}
				obj = append(obj, jsonPair{k, jsonNested(e.FieldByName("Value"), "")})
			}
			if allText {
				return orderedObject(obj)
			}
			pairs := make([][2]any, len(obj))
			for i, p := range obj {
				pairs[i] = [2]any{p.k, p.v}
			}
			return pairs
		}
		if s, ok := stringer(rv); ok && et.Kind() != reflect.Interface && et.Kind() != reflect.Float32 && et.Kind() != reflect.Float64 {
			return s
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = jsonNested(rv.Index(i), "")
		}
		return out
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		var obj []jsonPair
		allText := true
		for _, k := range rv.MapKeys() {
			kv := jsonNested(k, "")
			if _, ok := kv.(string); !ok {
				allText = false
			}
			obj = append(obj, jsonPair{kv, jsonNested(rv.MapIndex(k), "")})
		}
		sort.Slice(obj, func(a, b int) bool { return fmt.Sprint(obj[a].k) < fmt.Sprint(obj[b].k) })
		if allText {
			return orderedObject(obj)
		}
		pairs := make([][2]any, len(obj))
		for i, p := range obj {
			pairs[i] = [2]any{p.k, p.v}
		}
		return pairs
	}
	if !rv.CanInterface() {
		return nil
	}
	v := rv.Interface()
	switch v.(type) {
	case string, []byte, bool, float64, float32, time.Time, *big.Int,
		int64, int32, int16, int8, int, uint64, uint32, uint16, uint8, uint:
		if s, ok := v.(fmt.Stringer); ok && rv.Kind() == reflect.Struct {
			return s.String()
		}
		return jsonValue(v, dbType)
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	if m, ok := v.(json.Marshaler); ok {
		return m
	}
	return fmt.Sprint(v)
}

type jsonPair struct{ k, v any }

// orderedObject is a JSON object whose keys keep their order.
type orderedObject []jsonPair

func (o orderedObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, p := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(p.k)
		if err != nil {
			return nil, err
		}
		b = append(b, k...)
		b = append(b, ':')
		v, err := marshalJSON(p.v)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// marshalJSON encodes without HTML escaping, so that '<' in text stays readable.
func marshalJSON(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
