package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

// convertCell turns one CSV field into the Go value the driver takes as a
// parameter for a column of type t, checking it on the way so that a bad
// field is reported with its row instead of failing a whole batch. An empty
// field is NULL. Collections and vectors are written as JSON: [1, 2],
// ["a", "b"], {"key": 1}.
func convertCell(s string, quoted bool, t typesmap.Type) (any, error) {
	if s == "" && !quoted {
		return nil, nil
	}
	if s == "" && t.Kind != typesmap.Text && t.Kind != typesmap.Ascii {
		return nil, fmt.Errorf(`"" (an empty string) is not a %s: leave the field empty, without quotes, for NULL`, t)
	}
	switch t.Kind {
	case typesmap.KindList, typesmap.KindSet, typesmap.KindMap, typesmap.KindVector:
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return nil, fmt.Errorf("%q is not a JSON %s", abbrev(s), jsonShape(t))
		}
		return convertJSON(v, t)
	}
	return convertScalar(s, t)
}

func jsonShape(t typesmap.Type) string {
	if t.Kind == typesmap.KindMap {
		return `object like {"key": 1}`
	}
	return "array like [1, 2]"
}

// abbrev shortens a value quoted in an error message.
func abbrev(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func convertJSON(v any, t typesmap.Type) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return convertScalar(x, t)
	case json.Number:
		return convertScalar(x.String(), t)
	case bool:
		if t.Kind != typesmap.Boolean {
			return nil, fmt.Errorf("%v is not a %s", x, t)
		}
		return x, nil
	case []any:
		switch t.Kind {
		case typesmap.KindVector:
			if t.Dimension > 0 && len(x) != t.Dimension {
				return nil, fmt.Errorf("vector has %d numbers, the column takes %d", len(x), t.Dimension)
			}
			vec := make([]float32, len(x))
			for i, e := range x {
				var text string
				switch n := e.(type) {
				case json.Number:
					text = n.String()
				case string: // "NaN", "Infinity", "-Infinity", as -format csv writes them
					text = n
				default:
					return nil, fmt.Errorf("vector element %d is not a number", i+1)
				}
				f, err := strconv.ParseFloat(text, 32)
				if err != nil {
					return nil, fmt.Errorf("vector element %d is not a number: %q", i+1, abbrev(text))
				}
				vec[i] = float32(f)
			}
			return vec, nil
		case typesmap.KindList, typesmap.KindSet:
			elem := typesmap.Of(typesmap.Text)
			if t.Value != nil {
				elem = *t.Value
			}
			out := make([]any, len(x))
			for i, e := range x {
				c, err := convertJSON(e, elem)
				if err != nil {
					return nil, fmt.Errorf("element %d: %v", i+1, err)
				}
				out[i] = c
			}
			return out, nil
		case typesmap.KindMap:
			// [[key, value], ...]: how -format csv writes maps whose keys are not text.
			kt, vt := mapTypes(t)
			out := make(map[any]any, len(x))
			for i, e := range x {
				pair, ok := e.([]any)
				if !ok || len(pair) != 2 {
					return nil, fmt.Errorf("entry %d is not a [key, value] pair", i+1)
				}
				k, err := convertJSON(pair[0], kt)
				if err != nil {
					return nil, fmt.Errorf("entry %d key: %v", i+1, err)
				}
				v, err := convertJSON(pair[1], vt)
				if err != nil {
					return nil, fmt.Errorf("entry %d value: %v", i+1, err)
				}
				out[k] = v
			}
			return out, nil
		}
		return nil, fmt.Errorf("an array is not a %s", t)
	case map[string]any:
		if t.Kind != typesmap.KindMap {
			return nil, fmt.Errorf("an object is not a %s", t)
		}
		kt, vt := mapTypes(t)
		if kt.Kind == typesmap.Text || kt.Kind == typesmap.Ascii {
			out := make(map[string]any, len(x))
			for k, e := range x {
				c, err := convertJSON(e, vt)
				if err != nil {
					return nil, fmt.Errorf("key %q: %v", k, err)
				}
				out[k] = c
			}
			return out, nil
		}
		out := make(map[any]any, len(x))
		for k, e := range x {
			ck, err := convertScalar(k, kt)
			if err != nil {
				return nil, fmt.Errorf("key %q: %v", k, err)
			}
			c, err := convertJSON(e, vt)
			if err != nil {
				return nil, fmt.Errorf("key %q: %v", k, err)
			}
			out[ck] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot use %v as %s", v, t)
}

func mapTypes(t typesmap.Type) (key, value typesmap.Type) {
	key, value = typesmap.Of(typesmap.Text), typesmap.Of(typesmap.Text)
	if t.Key != nil {
		key = *t.Key
	}
	if t.Value != nil {
		value = *t.Value
	}
	return key, value
}

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// convertScalar converts text to a primitive column value. Types the driver
// parses from strings itself (date, time, duration, uuid, decimal, varint)
// are checked here only as far as needed to give a clear message, and passed
// on as strings.
func convertScalar(s string, t typesmap.Type) (any, error) {
	bad := func(err error) error {
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok {
				err = ne.Err
			}
			return fmt.Errorf("%q is not a valid %s: %v", abbrev(s), t, err)
		}
		return fmt.Errorf("%q is not a valid %s", abbrev(s), t)
	}
	switch t.Kind {
	case typesmap.Text, typesmap.Ascii:
		return s, nil
	case typesmap.Boolean:
		b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s)))
		if err != nil {
			return nil, bad(nil)
		}
		return b, nil
	case typesmap.TinyInt, typesmap.SmallInt, typesmap.Int, typesmap.BigInt, typesmap.Counter:
		bits := map[typesmap.Kind]int{typesmap.TinyInt: 8, typesmap.SmallInt: 16, typesmap.Int: 32}[t.Kind]
		if bits == 0 {
			bits = 64
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, bits)
		if err != nil {
			return nil, bad(err)
		}
		return n, nil
	case typesmap.Varint:
		if _, ok := new(big.Int).SetString(strings.TrimSpace(s), 10); !ok {
			return nil, bad(nil)
		}
		return strings.TrimSpace(s), nil
	case typesmap.Decimal:
		if _, ok := new(big.Rat).SetString(strings.TrimSpace(s)); !ok {
			return nil, bad(nil)
		}
		return strings.TrimSpace(s), nil
	case typesmap.Float:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 32)
		if err != nil {
			return nil, bad(err)
		}
		return float32(f), nil
	case typesmap.Double:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, bad(err)
		}
		return f, nil
	case typesmap.Timestamp:
		s = strings.TrimSpace(s)
		for _, layout := range timestampLayouts {
			if ts, err := time.Parse(layout, s); err == nil {
				return ts, nil
			}
		}
		// Years past 9999 or before 0 (+10000-01-01T00:00:00Z): the driver
		// reads those, and says what is wrong with the rest.
		return s, nil
	case typesmap.Inet:
		if _, err := netip.ParseAddr(strings.TrimSpace(s)); err != nil {
			return nil, bad(nil)
		}
		return strings.TrimSpace(s), nil
	case typesmap.Blob:
		return decodeBlob(s)
	}
	// date, time, duration, uuid, timeuuid and anything newer: the driver
	// parses and checks the text.
	return strings.TrimSpace(s), nil
}

// decodeBlob reads a blob as -format csv writes it: 0x and hex digits.
// Only that form is read, so a value is never taken for another (base64
// can start with "0x").
func decodeBlob(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return nil, fmt.Errorf("%q is not a blob: write blobs as 0x followed by hex digits (0x alone is an empty blob)", abbrev(s))
	}
	b, err := hex.DecodeString(s[2:])
	if err != nil {
		return nil, fmt.Errorf("%q is not valid hex: %v", abbrev(s), err)
	}
	return b, nil
}

// csvCollection renders a collection or vector as JSON for -format csv, the
// form \import reads back.
func csvCollection(v any, dbType string) (string, bool) {
	switch dbType {
	case "LIST", "SET", "MAP", "VECTOR", "USERDEFINED", "UDT":
	default:
		return "", false
	}
	b, err := marshalJSON(hexBlobs(jsonValue(v, dbType)))
	if err != nil {
		return "", false
	}
	return string(bytes.TrimSpace(b)), true
}

// hexBlobs writes the blobs inside a collection as "0x..." strings, the
// one form CSV uses for blobs.
func hexBlobs(v any) any {
	switch x := v.(type) {
	case []byte:
		return "0x" + hex.EncodeToString(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = hexBlobs(e)
		}
		return out
	case orderedObject:
		out := make(orderedObject, len(x))
		for i, p := range x {
			out[i] = jsonPair{hexBlobs(p.k), hexBlobs(p.v)}
		}
		return out
	case [][2]any:
		out := make([][2]any, len(x))
		for i, p := range x {
			out[i] = [2]any{hexBlobs(p[0]), hexBlobs(p[1])}
		}
		return out
	}
	return v
}
