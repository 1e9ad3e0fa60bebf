package typesmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// fuzzTypes are the column types the fuzz targets decode with.
var fuzzTypes = []Type{
	Of(Text), Of(Ascii), Of(Boolean), Of(TinyInt), Of(SmallInt), Of(Int), Of(BigInt), Of(Counter),
	Of(Varint), Of(Decimal), Of(Float), Of(Double), Of(Timestamp), Of(Date), Of(Time), Of(KindDuration),
	Of(UUID), Of(TimeUUID), Of(Inet), Of(Blob), VectorOf(3), ListOf(Of(Int)), SetOf(Of(Text)),
	MapOf(Of(Text), Of(Int)), MapOf(Of(Int), Of(Date)), MapOf(Of(UUID), ListOf(Of(Blob))),
	{Kind: UserDefined, UDTName: "u", Fields: []Column{{"a", Of(Int)}, {"b", Of(Text)}}},
	{Kind: UserDefined, UDTName: "untyped"}, {Kind: Unsupported}, {},
}

var fuzzValueSeeds = []string{
	`null`, `"text"`, `"a\u00e9\\"`, `true`, `127`, `-9223372036854775808`, `1E+3`, `1.5E-7`, `-0.0`,
	`"NaN"`, `"-Infinity"`, `"2024-09-24T14:06:59.123Z"`, `"+10000-01-01"`, `"-0001-12-31"`, `"12:45:01.005"`,
	`"P1Y2M3DT4H5M6.5S"`, `"-1h30m"`, `"f47ac10b-58cc-4372-a567-0e02b2c3d479"`, `"0:0:0:0:0:0:0:1"`,
	`{"$binary":"AAEC/w=="}`, `{"$date":1000}`, `[0.1,-2,"NaN"]`, `[1,2,3]`, `["a","b"]`, `{"a":1,"b":2}`,
	`[[1,"2024-01-01"]]`, `[["f47ac10b-58cc-4372-a567-0e02b2c3d479",[{"$binary":"AQ=="}]]]`, `{"a":1,"b":"x","c":[1]}`,
	`[1`, `{"a":`, `[[1]]`, `1e999999`, `123456789012345678901234567890`,
}

func FuzzDecodeValue(f *testing.F) {
	for i, s := range fuzzValueSeeds {
		f.Add(uint8(i%len(fuzzTypes)), []byte(s))
	}
	f.Fuzz(func(t *testing.T, ti uint8, data []byte) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		v, err := DecodeValue(jsontext.NewDecoder(bytes.NewReader(data)), typ)
		if err != nil {
			return
		}
		checkReencode(t, typ, v)
	})
}

// checkReencode encodes a decoded value again and, for types whose
// decoding is exact, checks that decoding that gives the same value.
func checkReencode(t *testing.T, typ Type, v any) {
	if v == nil {
		return
	}
	enc, err := AppendValue(nil, typ, v)
	if err != nil {
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Fatalf("AppendValue error is %T: %v", err, err)
		}
		return // decoding is more lenient than encoding (zones, untyped UDT fields...)
	}
	if !jsontext.Value(enc).IsValid() {
		t.Fatalf("AppendValue(%s, %#v) wrote invalid JSON %q", typ, v, enc)
	}
	back, err := DecodeValue(jsontext.NewDecoder(bytes.NewReader(enc)), typ)
	if err != nil {
		t.Fatalf("decoding re-encoded %s %q: %v", typ, enc, err)
	}
	switch typ.Kind {
	case Float, Timestamp, "", Unsupported, UserDefined:
		return // float32 rounding, millisecond truncation, untyped numbers
	case Decimal:
		a, _ := new(big.Rat).SetString(v.(string))
		b, _ := new(big.Rat).SetString(back.(string))
		if a == nil || b == nil || a.Cmp(b) != 0 {
			t.Fatalf("decimal %q -> %q -> %q", v, enc, back)
		}
		return
	}
	if !Equal(v, back) {
		t.Fatalf("%s: %#v -> %s -> %#v", typ, v, enc, back)
	}
}

func FuzzDecodeRow(f *testing.F) {
	f.Add([]byte(`{"t":"x","i":1,"v":[1,2,3],"m":{"a":1},"d":"2024-01-01","b":{"$binary":"AQ=="}}`))
	f.Add([]byte(`{"i":2,"t":"y"}{"x":1}`))
	f.Add([]byte(`{"l":[1,2],"s":["a"],"p":[[1,"2024-01-01"]],"u":{"a":1,"b":"c"},"$similarity":0.5}`))
	f.Add([]byte(`{"t":1}`))
	f.Add([]byte(`{"t":"\u0000","t":"dup"}`))
	f.Add([]byte(`{`))
	cols := []Column{{"t", Of(Text)}, {"i", Of(Int)}, {"v", VectorOf(3)}, {"m", MapOf(Of(Text), Of(Int))},
		{"d", Of(Date)}, {"b", Of(Blob)}, {"l", ListOf(Of(BigInt))}, {"s", SetOf(Of(Text))},
		{"p", MapOf(Of(Int), Of(Date))}, {"u", fuzzTypes[26]}, {"$similarity", Type{}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewRowDecoder(cols)
		dec := jsontext.NewDecoder(bytes.NewReader(data))
		dst := make([]any, len(cols))
		for i := 0; i < 10; i++ {
			err := r.DecodeRow(dec, dst)
			var uc *UnknownColumnError
			if err != nil && !errors.As(err, &uc) {
				return
			}
			for j, c := range cols {
				if dst[j] != nil {
					checkReencode(t, c.Type, dst[j])
				}
			}
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range fuzzValueSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeJSON(data)
		if err != nil {
			return
		}
		enc, err := AppendJSON(nil, v)
		if err != nil {
			return
		}
		if !jsontext.Value(enc).IsValid() {
			t.Fatalf("AppendJSON(%#v) wrote invalid JSON %q", v, enc)
		}
	})
}

// FuzzAppendValueString feeds arbitrary strings to every column type's
// encoder: no panic, and anything accepted is valid JSON that decodes.
func FuzzAppendValueString(f *testing.F) {
	for i, s := range fuzzValueSeeds {
		f.Add(uint8(i%len(fuzzTypes)), s)
	}
	f.Add(uint8(9), "-0012.3400e5")
	f.Add(uint8(15), "P0001-02-03T04:05:06")
	f.Fuzz(func(t *testing.T, ti uint8, s string) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		enc, err := AppendValue(nil, typ, s)
		if err != nil {
			return
		}
		if !jsontext.Value(enc).IsValid() {
			t.Fatalf("AppendValue(%s, %q) wrote invalid JSON %q", typ, s, enc)
		}
		if _, err := DecodeValue(jsontext.NewDecoder(bytes.NewReader(enc)), typ); err != nil {
			t.Fatalf("AppendValue(%s, %q) = %s, which does not decode: %v", typ, s, enc, err)
		}
	})
}

func FuzzParseCQL(f *testing.F) {
	for _, s := range []string{"int", "map<text, frozen<list<int>>>", "vector<float, 3>", "set<uuid>", "Address", "list<", "map<int,>", "tuple<int, text>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := ParseCQL(s)
		if err != nil {
			return
		}
		again, err := ParseCQL(typ.String())
		if err != nil || !again.Equal(typ) {
			t.Fatalf("ParseCQL(%q) = %s, which reparses to %v, %v", s, typ, again, err)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"PT0S", "P1Y2M3DT4H5M6.5S", "P2W", "-P1D", "1h30m", "1w2d", "500ms", "30us", "30µs", "10ns", "P0001-02-03T04:05:06", "-9223372036854775808ns"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		for _, form := range []string{d.String(), string(d.AppendCQL(nil))} {
			if back, err := ParseDuration(form); err != nil || back != d {
				t.Fatalf("ParseDuration(%q) = %+v; %q parses to %+v, %v", s, d, form, back, err)
			}
		}
	})
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"00:00", "12:45:01.005", "23:59:59.999999999", "24:00", "1:2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if !v.Valid() {
			t.Fatalf("ParseTimeOfDay(%q) = %d, out of range", s, v)
		}
		if back, err := ParseTimeOfDay(v.String()); err != nil || back != v {
			t.Fatalf("ParseTimeOfDay(%q) = %v, reparses to %v, %v", s, v, back, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "+10000-01-01", "-0001-12-31", "0000-01-01", "2023-02-29", "+5881580-07-11"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if back, err := ParseDate(FormatDate(d)); err != nil || !back.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, FormatDate %q reparses to %v, %v", s, d, FormatDate(d), back, err)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2024-09-24T14:06:59Z", "2024-09-24T14:06:59.123456789+02:00", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00.5-18:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		ms := ts.UnixMilli()
		back, err := ParseTimestamp(FormatTimestamp(ts))
		if err != nil || back.UnixMilli() != ms {
			t.Fatalf("ParseTimestamp(%q) = %v, FormatTimestamp %q reparses to %v, %v", s, ts, FormatTimestamp(ts), back, err)
		}
	})
}

// FuzzDescriptors decodes type descriptors, table and index definitions
// and column maps: no panic, and a decoded type marshals and decodes again.
func FuzzDescriptors(f *testing.F) {
	for _, s := range []string{
		`"int"`, `{"type":"map","keyType":"text","valueType":{"type":"list","valueType":"int"}}`,
		`{"type":"vector","dimension":"5","service":{"provider":"p","parameters":{"a":1}}}`,
		`{"type":"UNSUPPORTED","apiSupport":{"createTable":false,"insert":false,"read":true,"filter":true,"cqlDefinition":"counter"}}`,
		`{"type":"userDefined","udtName":"a","definition":{"fields":{"x":"int"}}}`,
		`{"columns":{"a":"text"},"primaryKey":{"partitionBy":["a"],"partitionSort":{"b":-1}}}`,
		`{"name":"i","definition":{"column":{"m":"$keys"},"options":{}},"indexType":"regular"}`,
		// Deep: refused past 128 levels (TestDeepDescriptor).
		strings.Repeat(`{"type":"list","valueType":`, 200) + `"int"` + strings.Repeat("}", 200),
		`{"a":` + strings.Repeat(`{"type":"map","keyType":"int","valueType":`, 60) + `"int"` + strings.Repeat("}", 60) + `}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var typ Type
		if json.Unmarshal(data, &typ) == nil {
			out, err := typ.MarshalJSON()
			if err == nil {
				var again Type
				if err := json.Unmarshal(out, &again); err != nil {
					t.Fatalf("%s -> %s does not decode: %v", data, out, err)
				}
			}
		}
		var td TableDef
		if json.Unmarshal(data, &td) == nil {
			td.MarshalJSON()
		}
		var id IndexDef
		if json.Unmarshal(data, &id) == nil {
			id.MarshalJSON()
		}
		DecodeColumns(data)
	})
}

// FuzzFastFloat checks the float fast path against strconv.
func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"0.1", "-0", "3.4028235E38", "1e22", "16777217", "1.00000017881393432617187499"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, bits := range []int{32, 64} {
			v, ok := fastFloat([]byte(s), bits)
			if !ok {
				continue
			}
			want, err := strconv.ParseFloat(s, bits)
			if err != nil || math.Float64bits(v) != math.Float64bits(want) {
				t.Fatalf("fastFloat(%q, %d) = %v, strconv says %v (%v)", s, bits, v, want, err)
			}
		}
	})
}

// TestDeepDescriptor: a type descriptor nested far deeper than any type is
// refused at once (each level decodes its children again: no limit would
// cost time quadratic in the depth).
func TestDeepDescriptor(t *testing.T) {
	n := 5000 // under encoding/json's own limit of 10000
	deep := strings.Repeat(`{"type":"list","valueType":`, n) + `"int"` + strings.Repeat("}", n)
	var typ Type
	if err := json.Unmarshal([]byte(deep), &typ); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Errorf("deep descriptor: %v", err)
	}
	if _, err := DecodeColumns([]byte(`{"a":` + deep + `}`)); err == nil {
		t.Error("DecodeColumns of a deep descriptor: no error")
	}
	ok := strings.Repeat(`{"type":"list","valueType":`, 5) + `"int"` + strings.Repeat("}", 5)
	if err := json.Unmarshal([]byte(ok), &typ); err != nil {
		t.Errorf("5 levels: %v", err)
	}
}
